"""The console script's entry (``intwizard.cli:run``): the command's exit code and output, all of it,
whether the process ends at once (nothing left to run at exit) or the usual way (something is)."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
from pathlib import Path

import pytest

from intwizard.cli import entry
from tests.cli_support import run as run_in_process

FIXTURES = Path(__file__).parent / "fixtures"


class Ended(Exception):
    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


@pytest.fixture
def ended_at_once(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """``os._exit`` recorded instead of ending the test's process, which has nothing registered to run
    at exit as far as ``run`` can tell (pytest registers some); the collector and what was kept put
    back afterwards."""
    import atexit

    codes: list[int] = []
    monkeypatch.setattr(atexit, "_ncallbacks", lambda: 0)

    def record(code: int) -> None:
        codes.append(code)
        raise Ended(code)

    monkeypatch.setattr(os, "_exit", record)
    yield codes
    entry._kept = None
    gc.enable()


def _run(monkeypatch: pytest.MonkeyPatch, *args: str) -> int:
    monkeypatch.setattr(sys, "argv", ["intwizard", *args])
    try:
        entry.run()
    except Ended as ended:
        return ended.code
    except SystemExit as exit_:  # the usual exit
        return int(exit_.code or 0)
    raise AssertionError("run() returned")


def test_a_command_ends_the_process_at_once_with_its_code(ended_at_once: list[int], monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(monkeypatch, "--version") == 0
    assert ended_at_once == [0]
    assert "intwizard" in capsys.readouterr().out


def test_an_input_error_ends_at_once_with_exit_code_2(ended_at_once: list[int], monkeypatch: pytest.MonkeyPatch,
                                                      tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(monkeypatch, "get", str(tmp_path / "missing.yaml"), "meta.author") == 2
    assert ended_at_once == [2]
    assert "missing.yaml" in capsys.readouterr().err


def test_set_keeps_the_draft_and_the_collector_off_to_the_end(ended_at_once: list[int],
                                                              monkeypatch: pytest.MonkeyPatch,
                                                              tmp_path: Path) -> None:
    draft = tmp_path / "spec.yaml"
    draft.write_bytes((FIXTURES / "hand_edited.yaml").read_bytes())
    assert _run(monkeypatch, "set", str(draft), "meta.author=Ana Diaz") == 0
    assert ended_at_once == [0]
    assert "Ana Diaz" in draft.read_text(encoding="utf-8")
    assert not gc.isenabled()  # not turned on again just before the end
    kept = entry._kept
    assert kept is not None
    draft_file = kept[-1]
    assert draft_file.path == draft
    # What the save replaced (the old positions and data), not freed either.
    assert draft_file.retired is kept
    (_old_index, old_read, _baseline), = [item for item in kept if isinstance(item, tuple)]
    assert old_read["meta"]["author"] != "Ana Diaz"


def test_called_as_click_group_the_command_frees_everything_and_turns_the_collector_on(tmp_path: Path) -> None:
    # What tests and other callers of ``main`` do: nothing is kept, the collector is on again.
    draft = tmp_path / "spec.yaml"
    draft.write_bytes((FIXTURES / "hand_edited.yaml").read_bytes())
    assert gc.isenabled()
    result = run_in_process("set", draft, "meta.author=Ana Diaz")
    assert result.exit_code == 0, result.output
    assert gc.isenabled()
    assert entry._kept is None


def _version_after(setup: str) -> subprocess.CompletedProcess[str]:
    """``intwizard --version`` through ``run()`` in a process that first ran ``setup``."""
    code = f"{setup}\nimport sys\nsys.argv = ['intwizard', '--version']\nfrom intwizard.cli import run\nrun()\n"
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)


def test_something_registered_to_run_at_exit_still_runs(tmp_path: Path) -> None:
    mark = tmp_path / "ran"
    result = _version_after(f"import atexit, pathlib\natexit.register(pathlib.Path({str(mark)!r}).write_text, 'ran')")
    assert result.returncode == 0, result.stderr
    assert mark.read_text() == "ran"
    assert "intwizard" in result.stdout


def test_a_thread_still_running_is_waited_for(tmp_path: Path) -> None:
    mark = tmp_path / "done"
    result = _version_after("import pathlib, threading, time\n"
                            f"def late():\n    time.sleep(0.3)\n    pathlib.Path({str(mark)!r}).write_text('done')\n"
                            "threading.Thread(target=late).start()")
    assert result.returncode == 0, result.stderr
    assert mark.read_text() == "done"


def test_long_output_through_a_pipe_arrives_whole(tmp_path: Path) -> None:
    # Ended at once, the process must still have written every byte (stdout is a pipe: fully buffered).
    expected = run_in_process("export", FIXTURES / "complete.yaml", "-o", "-").output
    assert len(expected) > 8192  # more than one pipe buffer's worth
    result = subprocess.run([sys.executable, "-m", "intwizard", "export", str(FIXTURES / "complete.yaml"), "-o", "-"],
                            capture_output=True, text=True, check=False, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == expected


def test_the_exit_code_of_a_failed_command_reaches_the_shell(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "intwizard", "set", str(tmp_path / "none.yaml"), "a=b"],
                            capture_output=True, text=True, check=False, cwd=tmp_path)
    assert result.returncode == 2
    assert "intwizard: error:" in result.stderr and "Traceback" not in result.stderr


def test_a_closed_output_pipe_is_no_traceback(tmp_path: Path) -> None:
    # `intwizard export ... -o - | head -1`: the reader goes away; no traceback of ours either way.
    reader = subprocess.Popen([sys.executable, "-m", "intwizard", "export", str(FIXTURES / "complete.yaml"), "-o", "-"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path)
    assert reader.stdout is not None and reader.stderr is not None
    reader.stdout.read(10)
    reader.stdout.close()
    stderr = reader.stderr.read().decode()
    reader.wait(timeout=60)
    assert "Traceback" not in stderr
