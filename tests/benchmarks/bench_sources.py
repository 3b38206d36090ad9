"""Benchmark `intwizard check --sources` against the libraries' own floor. Run by hand, not by the suite:

    python tests/benchmarks/bench_sources.py [--runs N]

A draft filled from three contracts (AsyncAPI streetlights 3.0, gRPC's route_guide.proto, a GraphQL
schema), each changed since, so every source is read, validated and compared. The floor is a Python
process that only imports the libraries doing that work (ruamel.yaml, jsonschema, proto-schema-parser,
graphql-core), loads the draft and the three files, validates the AsyncAPI document against the same
official JSON Schema, parses the .proto and builds the GraphQL schema. Also timed: the same check with
every source unchanged (the recorded digests match, so nothing is parsed). Target: <= 1.5x the floor.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CONTRACTS = REPO / "tests" / "fixtures" / "contracts"
SCHEMA = REPO / "intwizard" / "importers" / "asyncapi_schemas" / "3.0.0-without-$id.json"

FLOOR = r'''
import json, sys
from pathlib import Path
import jsonschema, graphql
from proto_schema_parser.parser import Parser
from ruamel.yaml import YAML
folder = Path(sys.argv[1])
YAML(typ="safe").load((folder / "spec.yaml").read_text(encoding="utf-8"))
document = YAML(typ="safe").load((folder / "lights.yaml").read_text(encoding="utf-8"))
schema = json.loads(Path(sys.argv[2]).read_text(encoding="utf-8"))
list(jsonschema.validators.validator_for(schema)(schema).iter_errors(document))
Parser().parse((folder / "route_guide.proto").read_text(encoding="utf-8"))
graphql.build_schema((folder / "catalog.graphql").read_text(encoding="utf-8"))
'''


#: As installed: .pyc files written and used (a shell with PYTHONDONTWRITEBYTECODE=1 would compile
#: intwizard's own modules at every run, while the libraries' come with theirs).
ENV = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV)
    return time.perf_counter() - start


def setup(folder: Path) -> None:
    intwizard = [sys.executable, "-m", "intwizard"]
    for name, target in (("streetlights-3.0.yaml", "lights.yaml"), ("route_guide.proto", "route_guide.proto"),
                         ("catalog.graphql", "catalog.graphql")):
        shutil.copy(CONTRACTS / name, folder / target)
    subprocess.run([*intwizard, "new", str(folder / "spec.yaml"), "--no-input"], check=True, capture_output=True)
    for source, name in (("lights.yaml", "Lights"), ("route_guide.proto", "Guide"), ("catalog.graphql", "Catalog")):
        subprocess.run([*intwizard, "import-api", str(folder / source), str(folder / "spec.yaml"), "--integration",
                        name], check=True, capture_output=True)


def change_sources(folder: Path) -> None:
    lights = folder / "lights.yaml"
    lights.write_text(lights.read_text(encoding="utf-8").replace("action: send", "action: receive", 1),
                      encoding="utf-8")
    guide = folder / "route_guide.proto"
    guide.write_text(guide.read_text(encoding="utf-8").replace("rpc GetFeature(", "rpc FindFeature("),
                     encoding="utf-8")
    catalog = folder / "catalog.graphql"
    catalog.write_text(catalog.read_text(encoding="utf-8") + "\ntype Extra {\n  id: ID!\n}\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        setup(folder)
        check = [sys.executable, "-m", "intwizard", "check", "--sources", str(folder / "spec.yaml")]
        timed(check)
        unchanged = [timed(check) for _ in range(runs)]
        change_sources(folder)
        floor_script = folder / "floor.py"
        floor_script.write_text(FLOOR, encoding="utf-8")
        floor_cmd = [sys.executable, str(floor_script), str(folder), str(SCHEMA)]
        timed(check), timed(floor_cmd)  # warm the file cache and .pyc files
        ours, floor = [], []
        for _ in range(runs):  # interleaved, so drift on the machine hits both alike
            ours.append(timed(check))
            floor.append(timed(floor_cmd))
    ours_m, floor_m = statistics.median(ours), statistics.median(floor)
    print(f"check --sources, 3 changed sources: {ours_m:.3f} s   floor {floor_m:.3f} s   "
          f"ratio {ours_m / floor_m:.2f}x (target <= 1.5x)")
    print(f"check --sources, 3 unchanged sources (digests match): {statistics.median(unchanged):.3f} s")


if __name__ == "__main__":
    main()
