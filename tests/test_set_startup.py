"""What `intwizard set` builds before it edits: most of a one-field set is Python starting and the
modules loading (bench_edit.py measures it), so it must not load what it does not use."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

HAND_EDITED = Path(__file__).parent / "fixtures" / "hand_edited.yaml"

#: The dataclasses of the modules a set loads (of those named below): only what opening a draft reports
#: (filled in as the upgrade runs) and the opened draft itself (a dozen fields, changed by every save).
#: Every record they define that is only read is a named tuple: making a dataclass costs every start
#: 0.5-3 ms (its methods are compiled), a named tuple a tenth of that.
NEEDED_DATACLASSES = {"intwizard.core.migrations.Upgrade", "intwizard.core.store.DraftFile"}
CHECKED_MODULES = ("intwizard.cli", "intwizard.errors", "intwizard.core.schema", "intwizard.core.secrets",
                   "intwizard.core.secret_patterns", "intwizard.core.user_cache", "intwizard.core.migrations",
                   "intwizard.core.values", "intwizard.core.signoffs", "intwizard.core.spanedit",
                   "intwizard.core.store", "intwizard.core.draft", "intwizard.core.tracked", "intwizard.core.yamlio")
#: Standard modules no step of a plain set needs: json (1.5 ms) is for JSON fields and sign-offs;
#: importlib.util (0.5 ms) is not needed to find detect-secrets' files; hashlib (3 ms, OpenSSL) is for
#: sign-offs' fingerprints, not for naming cache entries or telling whether the file changed meanwhile.
UNNEEDED = ("json", "importlib.util", "hashlib")


def _after_set(draft: Path, cache: Path, value: str) -> dict[str, list[str]]:
    code = (
        "import contextlib, dataclasses, io, sys\n"
        "before = set(sys.modules)\n"
        "from intwizard.cli import main\n"
        "with contextlib.redirect_stderr(io.StringIO()):\n"
        "    try:\n"
        f"        main(['set', {str(draft)!r}, {'meta.author=' + value!r}])\n"
        "    except SystemExit as exit:\n"
        "        assert not exit.code, exit.code\n"
        "loaded = sorted(set(sys.modules) - before)\n"
        f"checked = {CHECKED_MODULES!r}\n"
        "made = sorted(f'{name}.{attr}' for name in loaded if name.startswith(checked)\n"
        "              for attr, value in vars(sys.modules[name]).items()\n"
        "              if isinstance(value, type) and value.__module__ == name and dataclasses.is_dataclass(value))\n"
        "import json\n"  # only now: the probe's own imports must not hide the set's
        "print(json.dumps({'loaded': loaded, 'dataclasses': made}))\n"
    )
    env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                            cwd=draft.parent, env=env)
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture
def after_set(tmp_path: Path) -> dict[str, list[str]]:
    """What a set of one field on a hand-edited draft loaded, with the user's cache filled."""
    draft = tmp_path / "spec.yaml"
    draft.write_bytes(HAND_EDITED.read_bytes())
    _after_set(draft, tmp_path / "cache", "Ann")  # fills the cache (schema, detect-secrets' regexes)
    found = _after_set(draft, tmp_path / "cache", "Ana Diaz")
    assert "Ana Diaz" in draft.read_text(encoding="utf-8")  # the probe ran a real set
    return found


def test_set_loads_no_standard_module_it_does_not_use(after_set: dict[str, list[str]]) -> None:
    assert "intwizard.core.secrets" in after_set["loaded"]  # the probe sees what the set loaded
    assert [name for name in after_set["loaded"] if name.startswith(tuple(f"{unneeded}." for unneeded in UNNEEDED))
            or name in UNNEEDED] == []


def test_set_makes_no_dataclass_it_could_do_without(after_set: dict[str, list[str]]) -> None:
    assert "intwizard.core.migrations.Upgrade" in after_set["dataclasses"]  # the probe would see one
    assert set(after_set["dataclasses"]) <= NEEDED_DATACLASSES
