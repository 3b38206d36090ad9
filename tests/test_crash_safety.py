"""SIGKILL ``intwizard set`` on a large draft at random moments, many times: the draft is always the
old or the new version (never partial), its backup is always whole, and temp files never pile up.

``INTWIZARD_CRASH_KILLS`` sets the number of kills (default 40).
"""

from __future__ import annotations

import datetime as dt
import os
import random
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from intwizard.core.schema import load_schema
from intwizard.core.store import BACKUP_SUFFIX, TEMP_SUFFIX, atomic_write, clean_stale_temps, open_draft, read_plain

FIXTURES = Path(__file__).parent / "fixtures"
KILLS = int(os.environ.get("INTWIZARD_CRASH_KILLS", "40"))


def large_draft(path: Path, integrations: int = 8) -> None:
    """The complete fixture with many more integrations (tens of kilobytes: a save takes a while)."""
    draft_file = open_draft(FIXTURES / "complete.yaml", load_schema())
    for index in range(integrations):
        item = draft_file.draft.duplicate_item("external_system_integrations", 0)
        draft_file.draft.set(f"external_system_integrations.{item}.name", f"Partner API {index}")
    draft_file.path = path
    draft_file.write(draft_file.render(), force=True)


def temps(folder: Path) -> list[Path]:
    return sorted(entry for entry in folder.iterdir() if entry.name.endswith(TEMP_SUFFIX))


#: Loaded into each ``intwizard set`` through PYTHONPATH: a slow disk (each fsync takes 40 ms), so a
#: kill can land between creating the temp file and the rename, which takes microseconds on tmpfs.
SLOW_DISK = """
import os, time
_fsync = os.fsync
def fsync(fd):
    time.sleep(0.04)
    _fsync(fd)
os.fsync = fsync
"""


def run_set(path: Path, author: str) -> subprocess.Popen:
    slow = path.parent.parent / "slow-disk"
    slow.mkdir(exist_ok=True)
    (slow / "sitecustomize.py").write_text(SLOW_DISK)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(slow), os.environ.get("PYTHONPATH")]))}
    return subprocess.Popen([sys.executable, "-m", "intwizard", "set", str(path), f"meta.author={author}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)


def wait_for_temp(proc: subprocess.Popen, folder: Path) -> None:
    """Poll until the save's temp file exists (or the process ends)."""
    while proc.poll() is None:
        if any(entry.name.endswith(TEMP_SUFFIX) for entry in os.scandir(folder)):
            return
        time.sleep(0.001)  # leave the CPU to the save


def author_line(author: str) -> bytes:
    return f"  author: {author}\n".encode()


@pytest.fixture
def draft(tmp_path: Path) -> Path:
    path = tmp_path / "spec.yaml"
    large_draft(path)
    # One complete save first, so ``last_updated`` is today and later saves change the author line only.
    proc = run_set(path, "Writer start")
    assert proc.wait(timeout=120) == 0, proc.stderr.read()
    return path


def test_sigkill_during_set_never_leaves_a_partial_draft(draft: Path) -> None:
    rng = random.Random(int(os.environ.get("INTWIZARD_CRASH_SEED", "5")))
    folder = draft.parent
    started = time.monotonic()
    proc = run_set(draft, "Writer timing")
    assert proc.wait(timeout=120) == 0
    duration = time.monotonic() - started
    current = "Writer timing"
    outcomes = {"old": 0, "new": 0, "finished": 0, "mid-write": 0}

    for kill in range(KILLS):
        old = draft.read_bytes()
        assert author_line(current) in old
        wanted = f"Writer {kill}"
        new = re.sub(rb"(?m)^  last_updated: .*$", f"  last_updated: {dt.date.today()}".encode(),
                     old.replace(author_line(current), author_line(wanted)))
        started_kill = time.monotonic()
        proc = run_set(draft, wanted)
        if kill % 2:
            # Half the kills land while the file is being written: as soon as the temp file appears.
            wait_for_temp(proc, folder)
            time.sleep(rng.uniform(0, 0.1))  # somewhere in the two slow fsyncs, the link and the renames
            delay = time.monotonic() - started_kill
        else:
            delay = rng.uniform(0.5, 1.0) * duration  # the rest anywhere, mostly late
            time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        code = proc.wait(timeout=120)
        on_disk = draft.read_bytes()
        assert on_disk in (old, new), f"kill {kill} at {delay:.2f}s left a draft that is neither old nor new"
        read_plain(draft)  # and it loads
        backup = draft.with_name(draft.name + BACKUP_SUFFIX)
        if backup.exists():
            assert read_plain(backup)["meta"]["author"].startswith("Writer"), "the backup is whole too"
        assert len(temps(folder)) <= 2, f"temp files pile up: {temps(folder)}"
        outcomes["mid-write"] += bool(temps(folder))  # killed between creating a temp and the rename
        if on_disk == new:
            current = wanted
            outcomes["finished" if code == 0 else "new"] += 1
        else:
            outcomes["old"] += 1

    # The next complete save removes whatever a killed one left behind.
    proc = run_set(draft, "Writer final")
    assert proc.wait(timeout=120) == 0
    assert temps(folder) == []
    assert read_plain(draft)["meta"]["author"] == "Writer final"
    assert outcomes["old"] > 0 and outcomes["mid-write"] > 0, outcomes  # the kills really interrupted saves
    print(f"\n{KILLS} kills survived: {outcomes}")


def test_stale_temps_are_cleaned_on_next_save(tmp_path: Path) -> None:
    path = tmp_path / "spec.yaml"
    path.write_text("meta:\n  author: Ada\n")
    stale = [tmp_path / f".spec.yaml.abc{n}{TEMP_SUFFIX}" for n in range(3)]
    for temp in stale:
        temp.write_text("meta:\n  auth")  # what a crash mid-write leaves
    other = tmp_path / f".other.yaml.abc{TEMP_SUFFIX}"
    other.write_text("someone else's")
    atomic_write(path, b"meta:\n  author: Grace\n")
    assert not any(temp.exists() for temp in stale)
    assert other.exists(), "only this draft's temps are removed"
    assert clean_stale_temps(path) == []

