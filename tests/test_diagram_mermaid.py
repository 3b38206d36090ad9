"""``intwizard diagram --format mermaid``: a flowchart Mermaid's own parser accepts, whatever the names."""

from __future__ import annotations

import shutil
from pathlib import Path

from cli_support import run
from conftest import FIXTURES
from mermaid_support import needs_npm, parse
from ruamel.yaml import YAML

from intwizard.core import diagram_mermaid

HOSTILE = ['Say "hi" & <b>bold</b>', "pipe | and #35; hash", "`tick` [square] {curly} (round)", "end",
           "graph TD; A-->B", "click this call alert()", "%% comment", "x --> y"]


def _data(names: list[str], methods: list[str] | None = None) -> dict:
    data = YAML(typ="safe").load((FIXTURES / "complete.yaml").read_text(encoding="utf-8"))
    base = data["external_system_integrations"][0]
    data["external_system_integrations"] = []
    for name in names:
        entry = {**base, "name": name, "type": name}
        if methods is not None:
            entry["api_endpoints"] = [{"method": m, "endpoint": f"/{i}"} for i, m in enumerate(methods)]
        data["external_system_integrations"].append(entry)
    data["meta"]["feature_name"] = HOSTILE[0]
    return data


@needs_npm
def test_the_chart_parses_with_mermaid(schema) -> None:
    complete = YAML(typ="safe").load((FIXTURES / "complete.yaml").read_text(encoding="utf-8"))
    charts = [diagram_mermaid.draw(schema, complete), diagram_mermaid.draw(schema, _data(HOSTILE)),
              diagram_mermaid.draw(schema, _data(["Reader"], ["GET"])),
              diagram_mermaid.draw(schema, _data(["Writer"], ["POST"])), diagram_mermaid.draw(schema, {})]
    verdicts = parse(*charts)
    assert [v.get("type") for v in verdicts] == ["flowchart-v2"] * len(charts), verdicts
    # The parser is not a rubber stamp: a broken chart is refused.
    assert parse("flowchart LR\n  a[x --> b\n")[0]["ok"] is False


def test_sides_names_and_arrows(schema) -> None:
    complete = YAML(typ="safe").load((FIXTURES / "complete.yaml").read_text(encoding="utf-8"))
    chart = diagram_mermaid.draw(schema, complete)
    assert chart.startswith("flowchart LR\n")
    assert 'this["Split Payments at Checkout<br/>(this system)"]' in chart
    assert 'subgraph g0["External System Integrations"]' in chart
    assert 'g0_1["Paylane Payments API"]' in chart
    assert 'g1_2 <-->|"Shared Cache"| this' in chart  # internal services on the left of this system
    reader = diagram_mermaid.draw(schema, _data(["Reader"], ["GET"]))
    assert 'this <-- "Reader" --- g0_1' in reader  # only reads: data flows in
    writer = diagram_mermaid.draw(schema, _data(["Writer"], ["POST"]))
    assert 'this -->|"Writer"| g0_1' in writer


def test_labels_are_escaped(schema) -> None:
    chart = diagram_mermaid.draw(schema, _data(HOSTILE))
    assert 'Say #quot;hi#quot; #amp; #lt;b#gt;bold#lt;/b#gt;' in chart
    assert "pipe #124; and #35;35; hash" in chart
    for line in chart.splitlines()[1:]:
        assert line.count('"') % 2 == 0, line


def test_cli_prints_and_writes_a_mermaid_block(tmp_path: Path) -> None:
    draft = tmp_path / "spec.yaml"
    shutil.copy(FIXTURES / "complete.yaml", draft)
    printed = run("diagram", draft, "--format", "mermaid")
    assert printed.exit_code == 0 and printed.output.startswith("flowchart LR\n")
    # The fixture's diagram was drawn by hand: replacing it needs --force.
    refused = run("diagram", draft, "--write", "--format", "mermaid")
    assert refused.exit_code == 2 and "--force" in refused.output
    assert run("diagram", draft, "--write", "--format", "mermaid", "--force").exit_code == 0
    value = YAML(typ="safe").load(draft.read_text(encoding="utf-8"))["integration_architecture"][
        "integration_overview_diagram"]
    assert value == "```mermaid\n" + printed.output.rstrip("\n") + "\n```"
    exported = run("export", draft, "-o", "-").output
    assert "\n```mermaid\nflowchart LR\n" in exported and "````text" not in exported
    # intwizard's own diagram is not "drawn by hand": the ASCII one replaces it without --force.
    assert run("diagram", draft, "--write").exit_code == 0
