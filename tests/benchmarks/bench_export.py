"""Benchmark `intwizard export` against the libraries' own floor. Run by hand, not by the suite:

    python tests/benchmarks/bench_export.py [--runs N]

The floor is a Python process that only imports ruamel.yaml, jinja2 and click, round-trip-loads the
same draft and renders a Jinja template that writes about as much Markdown. Targets: typical draft
(10 external integrations x 8 endpoints) <= 1.3x the floor; large draft (200 x 50, about 1 MB) <= 1.2x.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from tests.benchmarks.drafts import generate

FLOOR = r'''
import sys
import click, jinja2
from ruamel.yaml import YAML
data = YAML(typ="rt").load(open(sys.argv[1], encoding="utf-8").read())
template = jinja2.Environment().from_string("""{% for key, section in data.items() %}
## {{ key }}
{% if section is mapping %}{% for k, v in section.items() %}- **{{ k }}**: {{ v }}
{% endfor %}{% else %}{% for item in section %}
### {{ loop.index }}: {{ item.name }}
{% for k, v in item.items() %}{% if v is string %}- **{{ k }}**: {{ v }}
{% elif v is mapping %}{% for k2, v2 in v.items() %}- **{{ k2 }}**: {{ v2 }}
{% endfor %}{% else %}| Method | Endpoint | Purpose | Request | Response |
|---|---|---|---|---|
{% for r in v %}| {{ r.method }} | `{{ r.endpoint }}` | {{ r.purpose }} | {{ r.request }} | {{ r.response }} |
{% endfor %}{% endif %}{% endfor %}{% endfor %}{% endif %}{% endfor %}""")
out = template.render(data=data)
open(sys.argv[2], "w", encoding="utf-8").write(out)
'''


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def measure(draft: Path, runs: int, folder: Path) -> tuple[float, float, int, int]:
    floor_script = folder / "floor.py"
    floor_script.write_text(FLOOR)
    ours_out, floor_out = folder / "ours.md", folder / "floor.md"
    ours_cmd = [sys.executable, "-m", "intwizard", "export", str(draft), "-o", str(ours_out)]
    floor_cmd = [sys.executable, str(floor_script), str(draft), str(floor_out)]
    timed(ours_cmd), timed(floor_cmd)  # warm the file cache and .pyc files
    ours, floor = [], []
    for _ in range(runs):  # interleaved, so drift on the machine hits both alike
        ours.append(timed(ours_cmd))
        floor.append(timed(floor_cmd))
    return statistics.median(ours), statistics.median(floor), ours_out.stat().st_size, floor_out.stat().st_size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        print(f"{'draft':<9} {'size':>9} {'export':>8} {'floor':>8} {'ratio':>6} {'target':>7}   output sizes")
        for name, integrations, endpoints, target in (("typical", 10, 8, 1.3), ("large", 200, 50, 1.2)):
            print(f"generating the {name} draft ({integrations} x {endpoints})...", file=sys.stderr, flush=True)
            draft = generate(folder / f"{name}.yaml", integrations, endpoints)
            runs = args.runs if name == "typical" else max(2, args.runs // 2)
            ours, floor, ours_size, floor_size = measure(draft, runs, folder)
            ratio = ours / floor
            verdict = "ok" if ratio <= target else "MISSED"
            print(f"{name:<9} {draft.stat().st_size / 1024:>7.0f}KB {ours:>7.3f}s {floor:>7.3f}s {ratio:>5.2f}x "
                  f"<={target}x {verdict}   ours {ours_size // 1024} KB, floor {floor_size // 1024} KB", flush=True)


if __name__ == "__main__":
    main()
