"""Saves write the file a path names (through symlinks and hard links), exports write into devices
and pipes, only regular files are read as drafts, and a failed save leaves the backup and the folder
as they were."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest

from intwizard.core.store import BACKUP_SUFFIX, MAX_DRAFT_BYTES, TEMP_SUFFIX, SaveError, atomic_write, read_plain
from tests.cli_support import run

FIXTURE = Path(__file__).parent / "fixtures" / "complete.yaml"


@pytest.fixture
def draft(tmp_path: Path) -> Path:
    path = tmp_path / "spec.yaml"
    shutil.copy(FIXTURE, path)
    return path


def temps(folder: Path) -> list[str]:
    return sorted(entry.name for entry in folder.iterdir() if entry.name.endswith(TEMP_SUFFIX))


def test_saving_through_a_symlink_writes_its_target(tmp_path: Path) -> None:
    store = tmp_path / "store"
    store.mkdir()
    real = store / "real.yaml"
    shutil.copy(FIXTURE, real)
    before = real.read_bytes()
    link = tmp_path / "l.yaml"
    link.symlink_to(Path("store") / "real.yaml")
    result = run("set", link, "meta.author=X")
    assert result.exit_code == 0, result.stderr
    assert link.is_symlink() and os.readlink(link) == str(Path("store") / "real.yaml")
    assert read_plain(real)["meta"]["author"] == "X"
    backup = store / ("real.yaml" + BACKUP_SUFFIX)
    assert backup.is_file() and not backup.is_symlink() and backup.read_bytes() == before
    assert not (tmp_path / ("l.yaml" + BACKUP_SUFFIX)).exists()
    assert temps(store) == [] and temps(tmp_path) == []


def test_a_hard_linked_draft_keeps_its_link(draft: Path) -> None:
    other = draft.with_name("other-name.yaml")
    os.link(draft, other)
    before = draft.read_bytes()
    for author in ("X", "Y"):  # the second save: the draft and its .bak must not share a file either
        assert run("set", draft, f"meta.author={author}").exit_code == 0
        assert os.path.samefile(draft, other)
        assert read_plain(other)["meta"]["author"] == author
    backup = draft.with_name("spec.yaml" + BACKUP_SUFFIX)
    assert not os.path.samefile(backup, draft)
    assert read_plain(backup)["meta"]["author"] == "X"
    assert before != draft.read_bytes() and temps(draft.parent) == []


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a file to another owner needs root")
def test_a_save_keeps_mode_owner_and_group(draft: Path) -> None:
    os.chown(draft, 1234, 5678)
    draft.chmod(0o640)
    assert run("set", draft, "meta.author=X").exit_code == 0
    info = draft.stat()
    assert (info.st_uid, info.st_gid, stat.S_IMODE(info.st_mode)) == (1234, 5678, 0o640)


@contextmanager
def reading(fifo: Path):
    """A reader on the FIFO while the block runs; yields the list that receives what was read."""
    received: list[bytes] = []
    thread = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    thread.start()
    yield received
    thread.join(timeout=60)


def test_export_writes_into_a_fifo_and_keeps_it(draft: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "out.md"
    os.mkfifo(fifo)
    with reading(fifo) as received:
        result = run("export", draft, "-o", fifo)
    assert result.exit_code == 0, result.stderr
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert received and received[0].startswith(b"# ")


def test_export_writes_into_a_character_device(draft: Path) -> None:
    """A pseudo-terminal stands for /dev/null and /dev/tty (never the real /dev/null: tests write
    only their own files)."""
    primary, secondary = os.openpty()
    try:
        device = Path(os.ttyname(secondary))
        os.set_blocking(primary, False)
        chunks: list[bytes] = []
        done = threading.Event()

        def drain() -> None:
            while True:
                try:
                    chunks.append(os.read(primary, 65536))
                except BlockingIOError:
                    if done.is_set():
                        return  # the export has finished and everything it wrote is read
                    done.wait(0.01)
                except OSError:
                    return

        thread = threading.Thread(target=drain, daemon=True)
        thread.start()
        result = run("export", draft, "-o", device)
        done.set()
        thread.join(timeout=10)
        assert result.exit_code == 0, result.stderr
        assert stat.S_ISCHR(device.stat().st_mode)
        assert b"Integration" in b"".join(chunks)
    finally:
        os.close(primary)
        os.close(secondary)


def test_export_through_a_symlink_writes_its_target(draft: Path, tmp_path: Path) -> None:
    target = tmp_path / "docs" / "spec.md"
    target.parent.mkdir()
    target.write_text("old\n")
    link = tmp_path / "link.md"
    link.symlink_to(target)
    assert run("export", draft, "-o", link).exit_code == 0
    assert link.is_symlink() and target.read_text().startswith("# ")
    assert temps(tmp_path) == [] and temps(target.parent) == []
    assert [entry.name for entry in tmp_path.iterdir() if entry.name.endswith(".lock")] == []


def test_export_to_a_folder_is_refused(draft: Path, tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    link = tmp_path / "to-folder.md"
    link.symlink_to(folder)
    for target in (folder, link):
        result = run("export", draft, "-o", target)
        assert result.exit_code == 2 and "Traceback" not in result.stderr
        assert str(target) in result.stderr.splitlines()[-1]
    assert list(folder.iterdir()) == []


def test_atomic_write_refuses_a_special_file(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    with pytest.raises(SaveError, match="named pipe"):
        atomic_write(fifo, b"x: 1\n")
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


@pytest.mark.parametrize("command", [["get", "meta.author"], ["set", "meta.author=X"], ["export"], ["check"],
                                     ["import"]])
def test_a_fifo_is_not_read_as_a_draft(tmp_path: Path, command: list[str]) -> None:
    fifo = tmp_path / ("pipe.md" if command[0] == "import" else "pipe.yaml")
    os.mkfifo(fifo)
    before = sorted(tmp_path.iterdir())
    proc = subprocess.run([sys.executable, "-m", "intwizard", command[0], str(fifo), *command[1:]],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.startswith(f"intwizard: error: {fifo}: is a named pipe (FIFO), not a regular file")
    assert sorted(tmp_path.iterdir()) == before


def test_reads_are_bounded_by_bytes_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file that says it is small but goes on (like /dev/zero, or one growing while read): the read
    stops at the limit."""
    path = tmp_path / "growing.yaml"
    path.write_bytes(b"a: " + b"x" * (MAX_DRAFT_BYTES + 10) + b"\n")
    real_stat = os.stat

    def small(target: object, *args: object, **kwargs: object) -> os.stat_result:
        info = real_stat(target, *args, **kwargs)
        if str(target) == str(path):
            fields = list(info)
            fields[stat.ST_SIZE] = 10
            return os.stat_result(fields)
        return info

    monkeypatch.setattr(os, "stat", small)
    from intwizard.errors import InputError

    with pytest.raises(InputError, match="over 8 MB"):
        read_plain(path)


def _chattr(flag: str, path: Path) -> bool:
    return shutil.which("chattr") is not None and subprocess.run(
        ["chattr", flag, str(path)], capture_output=True).returncode == 0


def test_a_failed_save_on_an_immutable_file_keeps_the_older_backup(draft: Path) -> None:
    backup = draft.with_name("spec.yaml" + BACKUP_SUFFIX)
    backup.write_text("the older backup\n")
    if not _chattr("+i", draft):
        pytest.skip("chattr +i is not available here")
    try:
        result = run("set", draft, "meta.author=X")
    finally:
        _chattr("-i", draft)
    assert result.exit_code == 2 and "cannot save" in result.stderr
    assert not result.stderr.startswith("Saved") and "Saved" not in result.stderr
    assert backup.read_text() == "the older backup\n"
    assert temps(draft.parent) == []


def test_an_append_only_folder_collects_no_temp_files(tmp_path: Path) -> None:
    folder = tmp_path / "append-only"
    folder.mkdir()
    draft = folder / "spec.yaml"
    shutil.copy(FIXTURE, draft)
    if not _chattr("+a", folder):
        pytest.skip("chattr +a is not available here")
    try:
        for author in ("X", "Y", "Z"):
            result = run("set", draft, f"meta.author={author}")
            assert result.exit_code == 2 and "cannot save" in result.stderr and "Saved" not in result.stderr
        left = temps(folder)
    finally:
        _chattr("-a", folder)
    # At most the two fixed names a save uses (new text, link to the old one), never one per attempt.
    assert set(left) <= {".spec.yaml.new" + TEMP_SUFFIX, ".spec.yaml.bak" + TEMP_SUFFIX}, left
    assert read_plain(draft)["meta"]["author"] != "X"


def test_another_saves_temp_file_is_left_alone_while_it_holds_the_lock(draft: Path) -> None:
    from intwizard.core.store import file_lock

    theirs = draft.with_name(".spec.yaml.new" + TEMP_SUFFIX)
    ready, release = threading.Event(), threading.Event()

    def other_writer() -> None:
        with file_lock(draft):
            theirs.write_text("half written")
            ready.set()
            release.wait(30)
            theirs.unlink()

    # Another process in real life; a thread here (the lock is per thread as well).
    thread = threading.Thread(target=other_writer)
    thread.start()
    ready.wait(10)
    import intwizard.core.store as store
    from intwizard.core.store import clean_stale_temps

    waiter = threading.Thread(target=lambda: clean_stale_temps(draft))
    waiter.start()
    waiter.join(0.5)
    assert waiter.is_alive() and theirs.exists()  # it waits for the lock rather than delete it
    release.set()
    thread.join(10)
    waiter.join(10)
    assert not waiter.is_alive()
    assert store.LOCK_WAIT_SECONDS > 1


def test_a_fifo_among_drafts_is_not_opened_by_the_picker_or_the_hooks(draft: Path, tmp_path: Path) -> None:
    """``resume``'s list of drafts in a folder and ``--skip-non-drafts`` sniff files: a FIFO named
    like a draft must not make them wait for a writer."""
    from intwizard.cli.check import drafts_among
    from intwizard.tui.recent import drafts_in

    run("set", draft, "meta.author=X")  # a draft with intwizard's bookkeeping key
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    found: list[object] = []
    thread = threading.Thread(target=lambda: found.extend([drafts_in(tmp_path), drafts_among((fifo, draft))]),
                              daemon=True)
    thread.start()
    thread.join(20)
    assert not thread.is_alive(), "sniffing a FIFO waited for a writer"
    assert fifo not in found[0]
    result = run("check", "--skip-non-drafts", fifo)
    assert result.exit_code == 2 and "named pipe" in result.stderr
