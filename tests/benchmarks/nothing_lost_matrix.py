"""Print the figures of issue 12 ("nothing lost"): run by hand, not by the suite.

    python tests/benchmarks/nothing_lost_matrix.py [--skip-writers]

1. Two writers: two processes x 100 ``intwizard set`` on one draft (tests/test_two_writers.py):
   edits reported saved that the final file lacks, and failed sets.
2. Special files and bad arguments: each command's exit code and first line of stderr.
3. Hostile templates and OpenAPI input: exit code, wall time and peak memory (largest resident
   set of the command and its render child) until it stopped, and the first line.

Everything happens in a temp folder. /dev/zero is only read (as a DRAFT argument), never written.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from tests.test_openapi_hostile import SPEC, _bomb
from tests.test_template_sandbox import CASES
from tests.test_two_writers import SETS, lost_edits, two_writers

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def intwizard(*args: object, cwd: Path, timeout: float = 120) -> tuple[int, str, float, int]:
    """Exit code, first stderr line, seconds, peak resident set (KB) of ``python -m intwizard ARGS``."""
    start = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-m", "intwizard", *map(str, args)], cwd=cwd,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    timer = threading.Timer(timeout, proc.kill)
    timer.start()
    stderr = proc.stderr.read().decode("utf-8", "backslashreplace") if proc.stderr else ""
    _pid, status, usage = os.wait4(proc.pid, 0)
    timer.cancel()
    proc.returncode = os.waitstatus_to_exitcode(status)
    first = next((line for line in stderr.splitlines() if line.strip()), "")
    return proc.returncode, first, time.monotonic() - start, usage.ru_maxrss


def short(line: str, width: int = 150) -> str:
    return line if len(line) <= width else line[: width - 1] + "…"


def writers(folder: Path) -> None:
    print(f"== two writers x {SETS} sets each")
    start = time.monotonic()
    (folder / "writers").mkdir()
    path, outcome = two_writers(folder / "writers")
    lost, errors = lost_edits(path, outcome)
    waits = sum(len(lines) - 1 for results in outcome.values() for _n, _c, lines in results if lines)
    reported = sum(len(results) for results in outcome.values())
    print(f"edits lost: {len(lost)} of {reported}; failed sets: {len(errors)}; lock waits announced: {waits}; "
          f"{time.monotonic() - start:.1f} s")


def matrix(folder: Path) -> None:
    print("\n== special files and bad arguments (exit code, first line)")
    work = folder / "matrix"
    work.mkdir()
    draft = work / "d.yaml"
    draft.write_bytes((FIXTURES / "complete.yaml").read_bytes())
    fifo = work / "pipe.yaml"
    os.mkfifo(fifo)
    (work / "folder.yaml").mkdir()
    (work / "link-to-pipe.yaml").symlink_to(fifo)
    big = work / "big.yaml"
    big.write_text("meta:\n  author: Ada\n  sev_level: " + "9" * 5000 + "\n")
    surrogate = work / "surrogate.yaml"
    surrogate.write_text('meta:\n  author: "Ada \\ud800"\n')
    control = work / "control.yaml"
    control.write_bytes(b"meta:\n  author: Ada \x1b[31m\n")
    huge = work / "huge.yaml"
    with huge.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
        handle.write(b"a: 1\n")
    ipv6 = work / "ipv6.yaml"
    ipv6.write_text(draft.read_text().replace("https://api.paylane.example/v2", "http://[::1"))
    binary = work / "binary.md"
    binary.write_bytes(b"# T\x00\x01")
    out_dir = work / "out"
    out_dir.mkdir()
    cases: list[tuple[str, list[object]]] = [
        ("get FIFO", ["get", fifo, "meta.author"]),
        ("set FIFO", ["set", fifo, "meta.author=X"]),
        ("export FIFO", ["export", fifo]),
        ("check FIFO", ["check", fifo]),
        ("import FIFO", ["import", work / "pipe.yaml", "-o", work / "new.yaml"]),
        ("get symlink to FIFO", ["get", work / "link-to-pipe.yaml", "meta.author"]),
        ("get /dev/zero", ["get", "/dev/zero", "meta.author"]),
        ("get folder", ["get", work / "folder.yaml", "meta.author"]),
        ("get 50 MB sparse file", ["get", huge, "meta.author"]),
        ("set 5000-digit int", ["set", big, "meta.author=X"]),
        ("get lone surrogate", ["get", surrogate, "meta.author"]),
        ("get ESC in file", ["get", control, "meta.author"]),
        ("set http://[::1", ["set", draft, "external_system_integrations.0.connection_details.base_url=http://[::1"]),
        ("check http://[::1 in draft", ["check", ipv6]),
        ("set non-UTF-8 value", ["set", draft, "meta.author=A\udcffB"]),
        ("new non-UTF-8 name", ["new", "bad\udcff.yaml", "--no-input"]),
        ("import binary .md", ["import", binary]),
        ("export -o folder", ["export", draft, "-o", out_dir]),
    ]
    for name, args in cases:
        code, first, _seconds, _kb = intwizard(*[os.fsencode(a).decode("utf-8", "surrogateescape")
                                                 if isinstance(a, str) else a for a in args], cwd=work, timeout=30)
        print(f"{name:28} exit {code:3}  {short(first)}")
    reader = threading.Thread(target=lambda: (work / "out.fifo").read_bytes(), daemon=True)
    os.mkfifo(work / "out.fifo")
    reader.start()
    code, first, _s, _kb = intwizard("export", draft, "-o", work / "out.fifo", cwd=work)
    print(f"{'export -o FIFO':28} exit {code:3}  {short(first)} (still a FIFO: {(work / 'out.fifo').is_fifo()})")


def hostile(folder: Path) -> None:
    print("\n== hostile templates and OpenAPI input (exit, seconds, peak MB, first line)")
    work = folder / "hostile"
    work.mkdir()
    draft = work / "d.yaml"
    draft.write_bytes((FIXTURES / "complete.yaml").read_bytes())
    template = work / "tpl"
    subprocess.run([sys.executable, "-m", "intwizard", "template", "copy", str(template)], check=True,
                   capture_output=True)
    original = (template / "document.md.j2").read_text()
    (work / "secret").write_text("aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n")
    (template / "leak.md").symlink_to(work / "secret")
    rows = [(name, source) for name, source, _says in CASES] + [("include symlink out", '{% include "leak.md" %}')]
    for name, source in rows:
        (template / "document.md.j2").write_text(source + "\n")
        code, first, seconds, kb = intwizard("export", "--template", template, draft, "-o", work / "o.md", cwd=work)
        print(f"template {name:22} exit {code:3} {seconds:6.1f} s {kb / 1024:7.0f} MB  {short(first, 110)}")
    (template / "document.md.j2").write_text(original)
    schema = template / "schema.yaml"
    schema.write_text(schema.read_text() + "bomb:\n" + _bomb())
    code, first, seconds, kb = intwizard("check", "--template", template, draft, cwd=work)
    print(f"{'schema.yaml alias bomb':31} exit {code:3} {seconds:6.1f} s {kb / 1024:7.0f} MB  {short(first, 110)}")
    api = work / "api"
    api.mkdir()
    os.mkfifo(api / "pipe.yaml")
    specs = {
        "alias bomb": SPEC.replace("REF", "#/components/schemas/X") + "components:\n  schemas:\n    X: {}\nx-b:\n"
        + _bomb(),
        "$ref to a FIFO": SPEC.replace("REF", "pipe.yaml"),
        "$ref: /etc/passwd": SPEC.replace("REF", "/etc/passwd"),
        "3000-deep JSON": '{"openapi": "3.0.3", "info": {"title": "T", "version": "1"}, "paths": {}, "x": '
        + "[" * 3000 + "]" * 3000 + "}",
    }
    for name, text in specs.items():
        spec = api / ("spec.json" if "JSON" in name else "spec.yaml")
        spec.write_text(text)
        code, first, seconds, kb = intwizard("import-openapi", spec, draft, "--integration", "X", cwd=work)
        print(f"openapi {name:23} exit {code:3} {seconds:6.1f} s {kb / 1024:7.0f} MB  {short(first, 110)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--skip-writers", action="store_true", help="skip the two-writer run (about a minute)")
    args = parser.parse_args()
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        if not args.skip_writers:
            writers(folder)
        matrix(folder)
        hostile(folder)


if __name__ == "__main__":
    main()
