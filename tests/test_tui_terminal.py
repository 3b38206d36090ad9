"""The real wizard in a real 80x24 pseudo-terminal, read back through a terminal emulator (pyte) the
way a person reads the screen: Tab down to SEV Level and Review Status (below the first screenful),
see which field has the cursor from the characters alone, choose values, see them, quit, and find
them in the draft."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pexpect
import pytest
from cli_support import spawn

from intwizard.core.store import read_plain

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a pty")

COMPLETE = Path(__file__).parent / "fixtures" / "complete.yaml"
COLUMNS, LINES = 80, 24


class Terminal:
    """A pexpect child drawn into a pyte screen."""

    def __init__(self, child: pexpect.spawn) -> None:
        import pyte

        self.child = child
        self.screen = pyte.Screen(COLUMNS, LINES)
        self.stream = pyte.Stream(self.screen)

    def read(self, seconds: float = 0.2) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            try:
                self.stream.feed(self.child.read_nonblocking(65536, timeout=0.05))
            except pexpect.TIMEOUT:
                continue

    @property
    def text(self) -> str:
        return "\n".join(self.screen.display)

    def wait_for(self, condition, what: str, timeout: float = 60) -> None:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            self.read(0.1)
            if condition(self):
                return
        raise AssertionError(f"never saw {what} on the screen:\n{self.text}")

    def press(self, key: str) -> None:
        """Send a key and wait until the screen shows its effect (a person looks before the next key)."""
        before = self.text
        self.child.send(key)
        end = time.monotonic() + 10
        while time.monotonic() < end and self.text == before:
            self.read(0.1)
        self.read(0.2)

    def focused_line(self) -> str:
        """The line of the control with the cursor: at 24 lines it is framed ``▌ … ▐``."""
        return next((line for line in self.screen.display if "▌" in line and "▐" in line), "")


def focus_on(term: Terminal, value: str, limit: int = 20) -> None:
    """Press Tab until the framed (focused) control shows ``value`` (each time waiting until the
    frame has moved: a loaded machine may take a while to draw)."""
    for _ in range(limit):
        if value in term.focused_line():
            return
        before = (term.focused_line(), term.text)
        term.child.send("\t")
        end = time.monotonic() + 10
        while time.monotonic() < end and (term.focused_line(), term.text) == before:
            term.read(0.1)
        term.read(0.2)
    raise AssertionError(f"Tab never reached the field showing {value!r}:\n{term.text}")


def test_tab_to_sev_level_and_review_status_choose_see_and_save(tmp_path: Path) -> None:
    draft = tmp_path / "checkout.yaml"
    draft.write_bytes(COMPLETE.read_bytes())
    before = read_plain(draft)["meta"]
    assert (before["sev_level"], before["review_status"]) == ("SEV-2", "UNDER_REVIEW")
    env = {"TERM": "xterm-256color", "PATH": "/usr/bin:/bin", "XDG_DATA_HOME": os.environ["XDG_DATA_HOME"],
           "XDG_CONFIG_HOME": os.environ["XDG_CONFIG_HOME"], "XDG_CACHE_HOME": os.environ["XDG_CACHE_HOME"]}
    child = spawn("resume", "checkout.yaml", cwd=tmp_path, env=env, size=(LINES, COLUMNS))
    term = Terminal(child)
    try:
        term.wait_for(lambda t: "Feature Name" in t.text and "Split Payments" in t.focused_line(),
                      "the first field, framed")
        assert "UNDER_REVIEW" not in term.text  # below the first screenful at 80x24

        focus_on(term, "SEV-2")
        assert "SEV Level" in term.text  # its label scrolled into view with it
        term.press("\r")  # open the menu
        term.press("\x1b[A")  # up: SEV-1
        term.press("\r")
        term.wait_for(lambda t: "SEV-1" in t.focused_line(), "SEV-1 chosen")

        focus_on(term, "UNDER_REVIEW")
        assert "Review Status" in term.text
        term.press("\r")
        term.press("\x1b[B")  # down: APPROVED
        term.press("\r")
        term.wait_for(lambda t: "APPROVED" in t.focused_line(), "APPROVED chosen")
        assert "SEV-1" in term.text and "SEV Level" in term.text  # both on the screen at once

        child.sendcontrol("q")
        child.expect(pexpect.EOF, timeout=30)
    finally:
        child.close(force=True)
    assert child.exitstatus == 0
    after = read_plain(draft)["meta"]
    assert (after["sev_level"], after["review_status"]) == ("SEV-1", "APPROVED")
