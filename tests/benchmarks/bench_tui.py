"""Benchmark the wizard. Run by hand, not by the suite:

    python tests/benchmarks/bench_tui.py [--runs N] [--large] [--start-only]

(a) Start-up: from process start to the first interactive screen of ``intwizard resume`` on the
    typical draft (10 external integrations x 8 endpoints), as a ratio to a bare Textual app that
    round-trip-loads the same file with ruamel and shows one line (target <= 1.5x). Both run headless
    in a fresh process; "interactive" is the first moment the app is idle after mounting its screen.
(b) Typing during an autosave of the large draft (200 x 50, about 1 MB): keys are pressed one at a
    time while the save worker (and its save process) dumps and writes the draft; each key's time
    until the screen has processed it (and the longest stall of the UI event loop) is reported
    against the same typing with no save running. The dump runs in a separate process, so the UI
    neither waits for it nor fights it for the GIL; only the CPU is shared.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from tests.benchmarks.drafts import generate

OURS = r'''
import sys, time
from pathlib import Path
from intwizard.core.schema import load_schema
from intwizard.core.store import open_draft
from intwizard.tui.app import make_app

async def ready(pilot):
    await pilot.pause()
    print(time.time())
    pilot.app.exit()

schema = load_schema()
make_app(open_draft(Path(sys.argv[1]), schema, comments=False), schema).run(  # as `intwizard resume` opens it
    headless=True, size=(120, 40), auto_pilot=ready)
'''

BARE = r'''
import sys, time
from ruamel.yaml import YAML
from textual.app import App
from textual.widgets import Static

async def ready(pilot):
    await pilot.pause()
    print(time.time())
    pilot.app.exit()

class Bare(App):
    def compose(self):
        data = YAML(typ="rt").load(open(sys.argv[1], encoding="utf-8").read())
        yield Static(str(data["meta"]["feature_name"]))

Bare().run(headless=True, size=(120, 40), auto_pilot=ready)
'''


def start_up(script: Path, draft: Path, env: dict[str, str]) -> float:
    start = time.time()
    out = subprocess.run([sys.executable, str(script), str(draft)], check=True, capture_output=True, text=True,
                         env=env).stdout
    return float(out.strip().splitlines()[-1]) - start


def measure_start(folder: Path, runs: int, large: bool = False) -> None:
    draft = generate(folder / "large.yaml", 200, 50) if large else generate(folder / "typical.yaml", 10, 8)
    ours_script, bare_script = folder / "ours.py", folder / "bare.py"
    ours_script.write_text(OURS)
    bare_script.write_text(BARE)
    env = {**os.environ, "XDG_DATA_HOME": str(folder / "data")}
    start_up(ours_script, draft, env), start_up(bare_script, draft, env)  # warm caches and .pyc files
    ours, bare = [], []
    for _ in range(runs):  # interleaved, so drift on the machine hits both alike
        ours.append(start_up(ours_script, draft, env))
        bare.append(start_up(bare_script, draft, env))
    ratio = statistics.median(ours) / statistics.median(bare)
    kind = "large" if large else "typical"
    print(f"(a) start-up, {kind} draft ({draft.stat().st_size // 1024} KB): wizard {statistics.median(ours):.3f}s, "
          f"bare Textual+ruamel {statistics.median(bare):.3f}s, ratio {ratio:.2f}x (target <= 1.5x: "
          f"{'ok' if ratio <= 1.5 else 'MISSED'})", flush=True)


async def type_keys(draft_path: Path, *, during_save: bool, keys: int) -> tuple[list[float], float, float]:
    """Per-key times, the longest event-loop stall, and how long the save took (0 without one)."""
    from intwizard.core.schema import load_schema
    from intwizard.core.store import open_draft
    from intwizard.tui.app import make_app
    from intwizard.tui.autosave import Saved, SaveFailed
    from intwizard.tui.fields import field_id

    schema = load_schema()
    app = make_app(open_draft(draft_path, schema, comments=False), schema, section="meta", autosave_delay=3600.0,
                   cursor_blink=False)
    done: list[float] = []
    stall = 0.0

    def hook(message: object) -> None:
        if isinstance(message, Saved | SaveFailed):
            done.append(time.perf_counter())

    async def watch_loop() -> None:
        nonlocal stall
        last = time.perf_counter()
        while True:
            await asyncio.sleep(0.005)
            now = time.perf_counter()
            stall = max(stall, now - last - 0.005)
            last = now

    async with app.run_test(size=(120, 40), message_hook=hook) as pilot:
        await pilot.pause()
        app.screen.query_one(f"#{field_id('meta.author')}").focus()
        await pilot.pause()
        watcher = asyncio.create_task(watch_loop())
        stall = 0.0
        started = time.perf_counter()
        if during_save:
            await pilot.press("x")  # an edit, so the save has something to write
            app.editor.saver.start()
        times = []
        for index in range(keys):
            if during_save and done:
                break  # the save finished: stop measuring
            before = time.perf_counter()
            await pilot.press("a" if index % 2 else "b")
            times.append(time.perf_counter() - before)
        save_time = 0.0
        if during_save:
            while not done:
                await pilot.pause(0.05)
            save_time = done[0] - started
        watcher.cancel()
        return times, stall, save_time


async def type_bare(keys: int) -> list[float]:
    """The floor: the same key presses into a bare Textual Input (Pilot waits for the app to go idle
    after each key, so even an empty app takes tens of milliseconds per key)."""
    from textual.app import App, ComposeResult
    from textual.widgets import Input

    class Bare(App):
        def compose(self) -> ComposeResult:
            yield Input()

    app = Bare()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.query_one(Input).cursor_blink = False
        times = []
        for index in range(keys):
            before = time.perf_counter()
            await pilot.press("a" if index % 2 else "b")
            times.append(time.perf_counter() - before)
        return times


def measure_typing(folder: Path, keys: int) -> None:
    draft = generate(folder / "large.yaml", 200, 50)
    size = draft.stat().st_size
    bare = asyncio.run(type_bare(keys))
    idle, idle_stall, _ = asyncio.run(type_keys(draft, during_save=False, keys=keys))
    busy, busy_stall, save_time = asyncio.run(type_keys(draft, during_save=True, keys=keys))
    print(f"(b) typing on the large draft ({size // 1024} KB), key press to screen updated:", flush=True)
    print(f"    bare Textual Input: {len(bare)} keys, median {statistics.median(bare) * 1000:.0f} ms, "
          f"worst {max(bare) * 1000:.0f} ms (the floor of this measurement)")
    print(f"    no save running:   {len(idle)} keys, median {statistics.median(idle) * 1000:.0f} ms, "
          f"worst {max(idle) * 1000:.0f} ms, longest UI loop stall {idle_stall * 1000:.0f} ms")
    print(f"    during the save:   {len(busy)} keys, median {statistics.median(busy) * 1000:.0f} ms, "
          f"worst {max(busy) * 1000:.0f} ms, longest UI loop stall {busy_stall * 1000:.0f} ms "
          f"(the save took {save_time:.1f}s in its thread)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keys", type=int, default=60)
    parser.add_argument("--large", action="store_true", help="(a) on the large draft (200 x 50) instead")
    parser.add_argument("--start-only", action="store_true", help="only (a)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        os.environ["XDG_DATA_HOME"] = str(folder / "data")
        measure_start(folder, args.runs, args.large)
        if not args.start_only:
            measure_typing(folder, args.keys)


if __name__ == "__main__":
    main()
