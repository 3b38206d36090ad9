"""Two processes running ``intwizard set`` on one draft at once: no edit reported saved is lost.

Each process sets 100 fields of its own section of the draft, one ``set`` each (run in-process in a
loop, so the test pays Python's start-up twice, not 200 times). Every field is set once: a field a
writer reported "Saved" that does not hold its value in the final file is a lost edit; any error is a
spurious one (the writers never touch the same key).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from intwizard.core.store import TEMP_SUFFIX, read_plain

SETS = 100
SECTIONS = {"A": "first", "B": "second"}

WRITER = """
import json, sys
from click.testing import CliRunner
from intwizard.cli import main

template, path, section, name, count = sys.argv[1:5] + [int(sys.argv[5])]
for number in range(count):
    result = CliRunner().invoke(main, ["set", "--template", template, path, f"{section}.f{number}={name}{number}"])
    print(json.dumps([number, result.exit_code, result.stderr.strip().splitlines()]), flush=True)
"""


def small_template(folder: Path, sets: int = SETS) -> Path:
    """A template of two sections of ``sets`` one-line fields each: every ``set`` of the test is a key
    of its own, and the draft stays small (a round-trip save of the full template's skeleton costs
    ten times more, and the suite runs this test)."""
    lines = ["template: two-writers", "version: 1", "document_title: Two writers", "sections:"]
    for section in SECTIONS.values():
        lines += [f"  - key: {section}", f"    label: {section.title()}", "    fields:"]
        lines += [f"      - {{key: f{number}, label: F{number}, kind: line}}" for number in range(sets)]
    folder.mkdir()
    (folder / "schema.yaml").write_text("\n".join(lines) + "\n")
    return folder


def two_writers(folder: Path, sets: int = SETS) -> tuple[Path, dict[str, list[tuple[int, int, list[str]]]]]:
    """Run both writers at once on a draft in ``folder``: the draft, and each writer's (number, exit
    code, stderr lines) per ``set``."""
    template = small_template(folder / "template", sets)
    path = folder / "shared.yaml"
    path.write_text("first: {}\nsecond: {}\n")
    processes = {name: subprocess.Popen([sys.executable, "-c", WRITER, str(template), str(path), section, name,
                                         str(sets)], stdout=subprocess.PIPE, text=True)
                 for name, section in SECTIONS.items()}
    return path, {name: [tuple(json.loads(line)) for line in process.communicate(timeout=600)[0].splitlines()]
                  for name, process in processes.items()}


def lost_edits(path: Path, outcome: dict[str, list[tuple[int, int, list[str]]]]) -> tuple[list, list]:
    """(edits reported saved that the final file lacks, sets that failed or did not say "Saved")."""
    data = read_plain(path)
    lost, errors = [], []
    for name, section in SECTIONS.items():
        for number, code, lines in outcome[name]:
            saved = code == 0 and bool(lines) and lines[-1].startswith("Saved")
            if not saved:
                errors.append((name, number, code, lines))
            elif (data.get(section) or {}).get(f"f{number}") != f"{name}{number}":
                lost.append((name, number))
    return lost, errors


def test_two_writers_lose_nothing(tmp_path: Path) -> None:
    path, outcome = two_writers(tmp_path)
    assert [len(outcome[name]) for name in SECTIONS] == [SETS, SETS]
    lost, errors = lost_edits(path, outcome)
    assert errors == []  # no spurious conflicts, no "No such file or directory"
    assert lost == []  # every edit reported saved is in the final file
    waits = [line for results in outcome.values() for _n, _c, lines in results for line in lines[:-1]]
    assert all(line.startswith("intwizard: waiting for another intwizard saving") for line in waits), waits
    assert [entry.name for entry in tmp_path.iterdir() if entry.name.endswith(TEMP_SUFFIX)] == []
    assert (tmp_path / ".shared.yaml.lock").exists()  # the lock file sits beside the draft, not in it
