"""Saves that cost what the edit costs (issue 15): the span editor proves an edited text reads back as
the data wanted by reading again only the runs of entries that changed, and refuses that shortcut
(reading the whole text instead) wherever it would not be a proof. Also what ``intwizard set`` loads
and how it locks."""

from __future__ import annotations

import copy
import json
import random
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from intwizard.core import spanedit
from intwizard.core.spanedit import _Editor, _regions_read_back, _Splices, parse, rewrite_indexed, same
from intwizard.core.yamlio import load_plain_text

HAND_EDITED = Path(__file__).parent / "fixtures" / "hand_edited.yaml"


def _rewrite(text: str, new: Any) -> tuple[str, str]:
    """The edited text and how it was proved ("regions" or "whole")."""
    index, old = parse(text)
    before = dict(spanedit.CHECKS)
    result, _index = rewrite_indexed(text, old, new, index=index)
    how = [key for key in ("regions", "whole") if spanedit.CHECKS[key] != before.get(key, 0)]
    assert len(how) == 1, how
    assert same(load_plain_text(result), new), result
    return result, how[0]


def _changed(data: Any, change: Any) -> Any:
    new = copy.deepcopy(data)
    change(new)
    return new


EDITS = {
    "one field": lambda d: d["meta"].__setitem__("author", "Ana Diaz"),
    "a field inside an integration": lambda d: d["external_system_integrations"][0].__setitem__("purpose", "Pay"),
    "a table cell": lambda d: d["external_system_integrations"][0]["api_endpoints"][0].__setitem__("method", "PUT"),
    "a row added": lambda d: d["external_system_integrations"][0]["api_endpoints"].insert(
        1, {"method": "GET", "endpoint": "/x", "purpose": "p", "request": "r", "response": "s"}),
    "a row deleted": lambda d: d["external_system_integrations"][0]["api_endpoints"].pop(0),
    "a key added": lambda d: d["meta"].__setitem__("reviewer", "Grace"),
    "a block text": lambda d: d["overview"].__setitem__("summary", "Two lines\nof text\n"),
}


@pytest.mark.parametrize("name", sorted(EDITS))
def test_an_edit_is_proved_by_reading_only_its_entries(name: str) -> None:
    text = HAND_EDITED.read_text(encoding="utf-8")
    _index, data = parse(text)
    new = _changed(data, EDITS[name])
    result, how = _rewrite(text, new)
    assert how == "regions"
    assert result != text


def test_anchors_and_documents_without_a_final_line_end_are_read_whole() -> None:
    text = "a: &x 1\nb: *x\nc:\n  d: 2\n"
    _result, how = _rewrite(text, {"a": 1, "b": 1, "c": {"d": 3}})
    assert how == "whole"
    _result, how = _rewrite("a:\n  b: 1\nc: 2", {"a": {"b": 5}, "c": 2})
    assert how == "whole"


def _verdict(text: str, changes: list[tuple[int, int, str]], new: Any) -> bool:
    """What the region proof says of ``text`` with ``changes`` (start, end, replacement) made."""
    index, old = parse(text)
    editor = _Editor(text, (2, 2, 0), "\n")
    splices = _Splices()
    for start, end, replacement in changes:
        splices.add(start, end, replacement)
    return _regions_read_back(editor, index, splices, splices.apply(text), old, new)


def _at(text: str, needle: str) -> tuple[int, int]:
    start = text.index(needle)
    return start, start + len(needle)


# Each: a text, a change that reads differently from what the editor meant (or does not parse), and
# what was meant. The proof must not accept any of them.
WRONG = {
    "a block text taking the deeper comment after it as its text": (
        "a:\n  b: x\n      # deep\n  c: y\n", "x", "|\n    line", {"a": {"b": "line\n", "c": "y"}}),
    "a value moved out to column 0": (
        "a:\n  b: x\n  c: y\n", "x", "x\nd: 1", {"a": {"b": "x", "c": "y"}}),
    "an open quote": ("a:\n  b: x\n  c: y\n", "x", '"x', {"a": {"b": "x", "c": "y"}}),
    "a key its mapping already has": (
        "a:\n  b: x\n  c: y\n", "b: x", "c: x", {"a": {"c": "x"}}),
    "a document marker": ("a:\n  b: x\nc: y\n", "a:\n  b: x\n", "a:\n  b: x\n---\n", {"a": {"b": "x"}, "c": "y"}),
    "an alias to an anchor elsewhere": ("a: &k 1\nb:\n  c: x\n", "x", "*k", {"a": 1, "b": {"c": 1}}),
    "a comment where the entry starts": ("a:\n  b: x\n  c: y\n", "  b: x\n", "  # b: x\n", {"a": {"c": "y"}}),
    "a deeper first line": ("a:\n  b: x\n  c: y\n", "  b: x", "   b: x", {"a": {"b": "x", "c": "y"}}),
}


@pytest.mark.parametrize("name", sorted(WRONG))
def test_the_region_proof_refuses_what_it_cannot_prove(name: str) -> None:
    text, needle, replacement, meant = WRONG[name]
    start, end = _at(text, needle)
    assert not _verdict(text, [(start, end, replacement)], meant)


def test_the_region_proof_accepts_a_right_change() -> None:
    text = "a:\n  b: x   # kept\n  c: y\nd: z\n"
    start, end = _at(text, "x")
    assert _verdict(text, [(start, end, "'new'")], {"a": {"b": "new", "c": "y"}, "d": "z"})
    assert not _verdict(text, [(start, end, "'new'")], {"a": {"b": "other", "c": "y"}, "d": "z"})


SNIPPETS = ["x", " ", "  ", "\n", "\n  ", "\n    ", "#", " # c", ":", ": ", "- ", "-", "'", '"', "|", "|-", ">",
            "---", "...", "{", "}", "[", "]", ",", "*a", "&a ", "? ", "\t", "%", "!", "!!str ", "1", "~", "\r"]

BASE = textwrap.dedent("""\
    top:
      name: Paylane   # the system
      rows:
        - method: GET
          path: /a
        # between rows
        - {method: POST, path: /b}
        -   method: PUT
            path: |
              two
              lines
      tail: end
    list:
    - one
    - 'two'
    other: "quoted"   # after
    """)


@settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(st.randoms(use_true_random=False), st.lists(st.sampled_from(SNIPPETS), min_size=1, max_size=4))
def test_whenever_the_region_proof_accepts_the_whole_text_reads_as_meant(rng: random.Random,
                                                                            pieces: list[str]) -> None:
    """Random damage anywhere (any span, replaced by YAML's significant characters): if the proof
    accepts the result as the data meant, reading the whole result gives exactly that data."""
    text = BASE
    start = rng.randrange(len(text))
    end = min(len(text), start + rng.randrange(0, 8))
    replacement = "".join(pieces)
    result = text[:start] + replacement + text[end:]
    try:
        actual = load_plain_text(result)
    except Exception:
        actual = None
    _index, old = parse(text)
    # What was meant: the data the damaged text really has, or (as an editor bug would) something else.
    for meant in ([actual] if actual is not None else []) + [old, {"top": old["top"]}]:
        if _verdict(text, [(start, end, replacement)], meant):
            assert actual is not None and same(actual, meant), (result, meant)


def test_the_region_proof_is_used_by_the_generated_benchmark_drafts(tmp_path: Path) -> None:
    from tests.benchmarks.drafts import generate

    text = generate(tmp_path / "typical.yaml", 3, 4).read_text(encoding="utf-8")
    _index, data = parse(text)
    for change in (lambda d: d["meta"].__setitem__("author", "X"),
                   lambda d: d["external_system_integrations"][1].__setitem__("purpose", "Changed"),
                   lambda d: d["external_system_integrations"][2]["api_endpoints"].append(
                       dict(d["external_system_integrations"][2]["api_endpoints"][0]))):
        _result, how = _rewrite(text, _changed(data, change))
        assert how == "regions"


# -- what `intwizard set` loads, and its lock ----------------------------------------------------------


def _modules_after_set(draft: Path, *assignments: str) -> list[str]:
    code = (
        "import contextlib, io, json, sys\n"
        "from intwizard.cli import main\n"
        "with contextlib.redirect_stderr(io.StringIO()):\n"
        "    try:\n"
        f"        main(['set', {str(draft)!r}, *{list(assignments)!r}])\n"
        "    except SystemExit as exit:\n"
        "        assert not exit.code, exit.code\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=draft.parent)
    return json.loads(result.stdout.strip().splitlines()[-1])


HEAVY = ("textual", "questionary", "prompt_toolkit", "jinja2", "detect_secrets", "filelock", "asyncio",
         "intwizard.importers", "intwizard.tui", "intwizard.prompts", "intwizard.core.render", "requests",
         "intwizard.cli.team", "intwizard.cli.importing", "intwizard.cli.reading", "intwizard.cli.templates",
         "intwizard.core.checks", "intwizard.core.merge", "intwizard.core.textmerge", "logging", "difflib")


def test_set_loads_nothing_it_does_not_need(tmp_path: Path) -> None:
    draft = tmp_path / "spec.yaml"
    draft.write_bytes(HAND_EDITED.read_bytes())
    _modules_after_set(draft, "meta.author=Ann")  # the first run fills the user cache (schema, regexes)
    loaded = _modules_after_set(draft, "meta.author=Ana Diaz")
    assert "intwizard.core.spanedit" in loaded and "click" in loaded  # the probe sees what ran
    assert "Ana Diaz" in draft.read_text(encoding="utf-8")
    assert [name for name in loaded if name.split(".")[0] in HEAVY or name.startswith(HEAVY)] == []


def test_set_of_a_credential_still_loads_detect_secrets_and_warns(tmp_path: Path) -> None:
    draft = tmp_path / "spec.yaml"
    draft.write_bytes(HAND_EDITED.read_bytes())
    key = "sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc"
    _modules_after_set(draft, "meta.author=Ann")  # the first run fills the user cache (schema, regexes)
    loaded = _modules_after_set(draft, f"meta.author={key}")
    assert "detect_secrets" in {name.split(".")[0] for name in loaded}
    result = subprocess.run([sys.executable, "-m", "intwizard", "set", str(draft), f"meta.author={key}x"],
                            capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 0 and "meta.author" in result.stderr and "warning" in result.stderr


HOLD = """
import sys, time
from filelock import FileLock
lock = FileLock(sys.argv[1])
lock.acquire()
print("held", flush=True)
time.sleep(float(sys.argv[2]))
"""


def test_a_filelock_held_by_another_process_makes_a_save_wait(tmp_path: Path) -> None:
    from intwizard.core.store import file_lock, lock_path
    from intwizard.errors import ConflictError

    draft = tmp_path / "spec.yaml"
    draft.write_bytes(HAND_EDITED.read_bytes())
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(lock_path(draft)), "30"], stdout=subprocess.PIPE,
                              text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(ConflictError), file_lock(draft, wait=0.3, notice=None):
            pass
    finally:
        holder.kill()
        holder.wait()
    with file_lock(draft, wait=0.3, notice=None):  # free again
        pass


def test_the_quick_lock_keeps_a_filelock_of_another_process_out(tmp_path: Path) -> None:
    from intwizard.core.store import _held_here, file_lock, lock_path

    draft = tmp_path / "spec.yaml"
    draft.write_bytes(HAND_EDITED.read_bytes())
    probe = ("import sys\nfrom filelock import FileLock, Timeout\n"
             "try:\n    FileLock(sys.argv[1]).acquire(timeout=0.2)\n    print('got it')\n"
             "except Timeout:\n    print('kept out')\n")
    with file_lock(draft, notice=None):
        assert str(lock_path(draft)) in _held_here()  # taken the quick way
        with file_lock(draft, notice=None):  # reentrant in the same thread
            pass
        assert str(lock_path(draft)) in _held_here()
        out = subprocess.run([sys.executable, "-c", probe, str(lock_path(draft))], capture_output=True, text=True,
                             check=True).stdout.strip()
        assert out == "kept out"
    out = subprocess.run([sys.executable, "-c", probe, str(lock_path(draft))], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "got it"
    assert _held_here() == {}


def test_the_save_process_reads_the_positions_again_while_the_wizard_waits(tmp_path: Path, monkeypatch) -> None:
    """A save proved by its runs leaves the new text's positions unknown; the save process reads them
    after replying, so the next save (the next autosave) needs no parse of the whole draft."""
    import datetime as dt
    import io
    import pickle

    from intwizard.core.schema import load_schema
    from intwizard.core.store import DraftFile, open_draft
    from intwizard.tui import save_server
    from intwizard.tui.autosave import seed_for
    from intwizard.tui.session import Op

    path = tmp_path / "spec.yaml"
    path.write_bytes(HAND_EDITED.read_bytes())
    schema = load_schema()
    seed = seed_for(open_draft(path, schema, comments=False))
    today = dt.date(2026, 12, 2)
    requests = [("save", [Op("set", "meta.author", "Ana Diaz")], False, today),
                ("save", [Op("set", "external_system_integrations.0.purpose", "Refund and void")], False, today)]
    prepared: list[tuple[bool, bool]] = []
    original = DraftFile.prepare

    def prepare(self: DraftFile) -> None:
        before = self.index is None
        original(self)
        prepared.append((before, self.index is not None))

    monkeypatch.setattr(DraftFile, "prepare", prepare)
    whole = spanedit.CHECKS["whole"]
    inp = io.BytesIO(pickle.dumps((seed, schema.path.parent)) + b"".join(pickle.dumps(r) for r in requests))
    out = io.BytesIO()
    save_server.serve(inp, out)
    out.seek(0)
    replies = [pickle.load(out) for _request in requests]
    assert [reply[:2] for reply in replies] == [("saved", True), ("saved", True)]
    assert prepared[0] == (True, True)  # unknown after the first save, read before the second
    assert spanedit.CHECKS["whole"] == whole  # neither save read the whole text to prove itself
    data = load_plain_text(path.read_text(encoding="utf-8"))
    assert data["meta"]["author"] == "Ana Diaz"
    assert data["external_system_integrations"][0]["purpose"] == "Refund and void"
    text = path.read_text(encoding="utf-8")
    assert "# Our payments spec. Ask #team-checkout before changing the SEV level." in text


def test_every_command_is_named_for_the_lazy_group() -> None:
    """``intwizard.cli`` names each command's module, so a command loads only its own; a command
    added to a module but not named there would be missing until --help loaded everything."""
    import intwizard.cli as cli

    code = ("import json\nfrom intwizard.cli import main\nmain.load_all()\n"
            "print(json.dumps(sorted(main.commands)))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(result.stdout) == sorted(cli.main.lazy)


@pytest.mark.skipif(sys.platform == "darwin" or sys.platform.startswith("win"), reason="XDG systems only")
@pytest.mark.parametrize("cache_home", ["", "/tmp/intwizard-xdg-cache-probe", "relative/path"])
def test_the_cache_folder_is_the_one_platformdirs_names(cache_home: str, monkeypatch) -> None:
    import platformdirs

    from intwizard.core import user_cache

    monkeypatch.setenv("XDG_CACHE_HOME", cache_home)
    expected = Path(platformdirs.user_cache_dir("intwizard"))
    if cache_home and not Path(cache_home).is_absolute():  # XDG: a relative path is ignored
        expected = Path("~/.cache/intwizard").expanduser()
    assert user_cache.folder() == expected
