"""detect-secrets' regexes come from a cache in the user's cache folder, so a clean draft is scanned
without importing detect-secrets; the cache is exactly what detect-secrets compiles, and a broken or
outdated cache never changes what is found."""

from __future__ import annotations

import pickle
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from intwizard.core import secret_patterns, secrets, user_cache
from tests.test_secrets import VENDOR


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A user cache folder of the test's own, and no patterns remembered from another test."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    secrets._patterns.cache_clear()
    yield tmp_path / "cache"
    secrets._patterns.cache_clear()


def cache_files(home: Path) -> list[Path]:
    return sorted((home / "intwizard").glob("secret-patterns-*.pickle"))


def cached_payload() -> bytes | None:
    """What the cache entry of the installed detect-secrets holds (past the record of its source)."""
    return user_cache.read(secret_patterns.CACHE_KIND, *secret_patterns._plugin_stamp())


def test_cached_patterns_are_detect_secrets_own(cache_home: Path) -> None:
    built = secrets._build_patterns()
    first = secrets._patterns()  # builds and writes the cache
    assert len(cache_files(cache_home)) == 1
    secrets._patterns.cache_clear()
    cached = secrets._patterns()  # read back from the file
    for patterns in (first, cached):
        assert [[r.pattern for r in regexes] for regexes in patterns.vendors] == \
            [[r.pattern for r in regexes] for regexes in built.vendors]
        assert [r.pattern for r in patterns.keyword] == [r.pattern for r in built.keyword]
        assert all(r.flags & 8 for regexes in (*patterns.vendors, patterns.keyword) for r in regexes)  # MULTILINE
    assert len(built.vendors) == len(secrets._vendor_plugins()) and built.keyword


@pytest.mark.parametrize("name", sorted(VENDOR))
def test_every_credential_kind_is_still_found_through_the_cache(cache_home: Path, name: str) -> None:
    secrets._patterns()
    secrets._patterns.cache_clear()  # next call reads the file
    kind, secret = VENDOR[name]
    found = secrets.scan_value(f"see {secret} here")
    assert found and (kind == "keyword" or kind in found[0][0]), found


def test_a_broken_cache_is_rebuilt(cache_home: Path) -> None:
    secrets._patterns()
    [path] = cache_files(cache_home)
    user_cache.write(secret_patterns.CACHE_KIND, pickle.dumps({"vendors": [[["(unclosed", 0]]], "keyword": []}),
                     *secret_patterns._plugin_stamp())
    assert cache_files(cache_home) == [path]
    secrets._patterns.cache_clear()
    assert secrets.scan_value("key " + VENDOR["aws"][1])  # the bad regex was not trusted
    assert pickle.loads(cached_payload())["keyword"]  # and the file holds the real patterns again


@pytest.mark.parametrize("damage", [b"", b"not a pickle", "truncated", b"\x80\x04K\x01."])
def test_a_damaged_cache_file_is_rebuilt(cache_home: Path, damage: bytes | str) -> None:
    secrets._patterns()
    [path] = cache_files(cache_home)
    whole = path.read_bytes()
    path.write_bytes(whole[: len(whole) // 2] if damage == "truncated" else damage)
    secrets._patterns.cache_clear()
    assert secret_patterns.load_needles() is None  # unreadable: no needles, so every regex runs
    assert secrets.scan_value("key " + VENDOR["aws"][1])
    assert pickle.loads(cached_payload())["keyword"]  # written whole again


def test_the_cache_follows_the_installed_plugins(cache_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    secrets._patterns()
    monkeypatch.setattr(secret_patterns, "PLUGIN_FILES", (*secret_patterns.PLUGIN_FILES, "high_entropy_strings"))
    secrets._patterns.cache_clear()
    secrets._patterns()
    assert len(cache_files(cache_home)) == 2  # another key: an upgrade of detect-secrets rebuilds it


def test_an_unwritable_cache_folder_only_costs_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))  # a file where the folder should be
    secrets._patterns.cache_clear()
    try:
        assert secrets.scan_value("key " + VENDOR["stripe"][1])
    finally:
        secrets._patterns.cache_clear()


def scan_in_fresh_process(home: Path, text: str) -> tuple[int, bool]:
    """Findings for ``text`` (in auth fields and as prose), and whether detect-secrets was imported."""
    code = (
        "import sys\n"
        "from intwizard.core.schema import load_schema\n"
        "from intwizard.core.secrets import scan\n"
        "schema = load_schema()\n"
        f"text = {text!r}\n"
        "data = {'overview': {'summary': text}, 'external_system_integrations': [\n"
        "    {'name': 'Paylane', 'connection_details': {'authentication': text, 'base_url': text}}]}\n"
        "print(len(scan(schema, data)), any(m.startswith('detect_secrets') for m in sys.modules))\n"
    )
    env = {"XDG_CACHE_HOME": str(home), "PATH": "/usr/bin:/bin"}
    run = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
           for _ in range(2)]  # the first fills the cache
    findings, imported = run[1].stdout.split()
    return int(findings), imported == "True"


def test_a_clean_draft_is_scanned_without_importing_detect_secrets(cache_home: Path) -> None:
    prose = "OAuth 2.0 client credentials via https://auth.paylane.example/oauth2/token, rotated daily"
    assert scan_in_fresh_process(cache_home, prose) == (0, False)
    # ...and the probe would notice: a draft with a credential does import it, and finds it.
    findings, imported = scan_in_fresh_process(cache_home, "token " + VENDOR["github"][1])
    assert imported and findings >= 3


# -- needles: a value holding none of what the regexes need is passed without compiling them ----------

FRAGMENTS = ["A", "K", "I", "S", "3", "T", "B", "C", "a", "w", "s", "k_live_", "rk_live_", "gh", "ghp_", "p", "_",
             "xox", "b-", "1-", "hooks.slack.com", "https://", "/services/", "eyJ", ".", "://", "u", ":", "@",
             "password", "PassWord", "=", '"', "'", "`", "secret", "api_key", "db_pass", "contraseña", "BEGIN ",
             "RSA ", "PRIVATE KEY", "PuTTY-User-Key-File-2", "x", "Z", "9", "0", " ", "\n", "é", "K"]


def _all_regexes() -> list:
    built = secrets._build_patterns()
    return [*(regex for regexes in built.vendors for regex in regexes), *built.keyword]


def test_every_regex_has_needles() -> None:
    # Each of detect-secrets' regexes the scan runs needs a literal text: were one unknown, no value
    # could be passed without compiling (the speed-up would be gone, not the findings).
    assert all(secret_patterns.needles_of(regex) for regex in _all_regexes())


@settings(max_examples=400, deadline=None, derandomize=True)
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=60), st.text(max_size=20))
def test_a_text_without_needles_is_one_no_regex_matches(pieces: list[str], noise: str) -> None:
    regexes = _all_regexes()
    needles = secret_patterns.Needles(tuple(
        (entry[0], tuple(entry[1])) for entry in (secret_patterns.needles_of(regex) for regex in regexes)))
    for text in ("".join(pieces), "".join(pieces) + noise, noise + "".join(reversed(pieces))):
        if not needles.may_match(text):
            assert not any(regex.search(text) for regex in regexes), text


@pytest.mark.parametrize("name", sorted(VENDOR))
def test_each_credential_holds_a_needle(name: str) -> None:
    regexes = _all_regexes()
    needles = secret_patterns.Needles(tuple(
        (entry[0], tuple(entry[1])) for entry in (secret_patterns.needles_of(regex) for regex in regexes)))
    assert needles.may_match(f"see {VENDOR[name][1]} here")


def test_a_clean_value_compiles_no_regex(cache_home: Path) -> None:
    secrets._patterns()  # the cache is written (with the needles)
    secrets._patterns.cache_clear()
    secrets._needles.cache_clear()
    assert secrets.scan_value("Ana Diaz, the payments team") == []
    assert secrets._patterns.cache_info().currsize == 0  # nothing loaded, nothing compiled
    assert secrets.scan_value("token sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc")  # a needle: the regexes run
    assert secrets._patterns.cache_info().currsize == 1
