"""The Integration Overview Diagram drawn from a draft, printed or written into the draft."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from intwizard.core.diagram import draw, target, write_into
from intwizard.core.draft import Draft
from intwizard.core.store import new_draft_file, read_plain
from intwizard.errors import InputError

FIXTURES = Path(__file__).parent / "fixtures"
CLI = [sys.executable, "-m", "intwizard"]
DIAGRAM = "integration_architecture.integration_overview_diagram"


def box_columns(text: str) -> set[int]:
    """Columns of the middle box's left edge on every row that crosses it."""
    return {line.index("|") for line in text.splitlines() if "|" in line} | {
        line.index("+") for line in text.splitlines() if line.lstrip().startswith("+")}


def test_complete_draft(schema) -> None:
    text = draw(schema, read_plain(FIXTURES / "complete.yaml"))
    lines = text.splitlines()
    assert lines[0].split()[:3] == ["Internal", "System", "Integrations"]
    assert lines[0].rstrip().endswith("External System Integrations")
    assert "[Order Service] <---- REST API ----> |    Split Payments at     |" \
           " <---- REST API ----> [Paylane Payments API]" in text
    assert "[Customer Profile Service] <-- Shared Cache --> |         Checkout         |" \
           " <---- REST API ----> [Shipwise Rates API]" in text
    assert "(this system)" in text
    assert len(box_columns(text)) == 1  # the box's edge is straight


def small_draft(schema, methods: dict[str, list[str]], internal: dict[str, str] | None = None) -> Draft:
    draft = Draft.new(schema)
    draft.set("meta.feature_name", "Refunds")
    for index, (name, verbs) in enumerate(methods.items()):
        draft.set(f"external_system_integrations.{index}.name", name)
        draft.set(f"external_system_integrations.{index}.type", "REST API")
        for row, verb in enumerate(verbs):
            draft.set(f"external_system_integrations.{index}.api_endpoints.{row}.method", verb)
            draft.set(f"external_system_integrations.{index}.api_endpoints.{row}.endpoint", f"/r{row}")
    for index, (name, kind) in enumerate((internal or {}).items()):
        draft.set(f"internal_system_integrations.{index}.name", name)
        draft.set(f"internal_system_integrations.{index}.type", kind)
    return draft


def arrow_of(text: str, name: str) -> str:
    """The arrow joining ``[name]`` to the box (the part between the box's edge and the name)."""
    row = next(line for line in text.splitlines() if f"[{name}]" in line)
    before, _, after = row.partition(f"[{name}]")
    return after.split("|")[0].strip() if "|" in after else before.rsplit("|", 1)[1].strip()


def test_directions_follow_the_endpoint_methods(schema) -> None:
    draft = small_draft(schema, {"Reader": ["GET", "HEAD"], "Writer": ["POST", "DELETE"], "Both": ["GET", "PUT"],
                                 "Unknown": []}, {"Ledger": "Message Queue"})
    text = draw(schema, draft.plain())
    # Right of the box: data coming in points left, at the box.
    assert arrow_of(text, "Reader").startswith("<-") and arrow_of(text, "Reader").endswith("--")
    assert arrow_of(text, "Writer").startswith("--") and arrow_of(text, "Writer").endswith("->")
    assert arrow_of(text, "Both").startswith("<-") and arrow_of(text, "Both").endswith("->")
    assert arrow_of(text, "Unknown").startswith("<-") and arrow_of(text, "Unknown").endswith("->")
    assert " REST API " in arrow_of(text, "Reader")
    # Left of the box: no endpoints, both ways, labelled with the type.
    assert arrow_of(text, "Ledger") == "<-- Message Queue -->"
    assert len(box_columns(text)) == 1
    assert len({len(arrow_of(text, name)) for name in ("Reader", "Writer", "Ledger")}) == 1


def test_left_side_arrows_are_flipped(schema) -> None:
    """Left of the box this system is at the arrow's right end: a read points right, into the box."""
    external = schema.section("external_system_integrations")
    internal = schema.section("internal_system_integrations")
    swapped = schema._replace(sections=tuple(
        internal if node is external else external if node is internal else node for node in schema.sections))
    draft = small_draft(schema, {"Reader": ["GET"], "Writer": ["POST"]}, {"Cache": "Shared Cache"})
    text = draw(swapped, draft.plain())
    assert text.index("[Reader]") < text.index("|")  # now left of the box
    assert arrow_of(text, "Reader").startswith("--") and arrow_of(text, "Reader").endswith("->")
    assert arrow_of(text, "Writer").startswith("<-") and arrow_of(text, "Writer").endswith("--")
    assert arrow_of(text, "Cache").startswith("<-") and arrow_of(text, "Cache").endswith("->")


def test_empty_draft(schema) -> None:
    text = draw(schema, Draft.new(schema).plain())
    assert "This System" in text and "(no integrations yet)" in text


def test_long_names_keep_the_box_straight(schema) -> None:
    draft = small_draft(schema, {"A very long external system name indeed": ["GET"]},
                        {"Short": "REST API", "Another rather long internal service": "Direct DB"})
    draft.set("meta.feature_name", "Supercalifragilisticexpialidocious-integration and more words")
    text = draw(schema, draft.plain())
    assert len(box_columns(text)) == 1
    assert "Supercalifragilisticexpialidocious-integration" in text


def test_write_fills_the_field_and_updates_its_own_diagram(schema) -> None:
    draft = small_draft(schema, {"Reader": ["GET"]})
    text, changed = write_into(draft)
    assert changed and draft.get(DIAGRAM) == text
    assert target(schema).path == DIAGRAM
    _, again = write_into(draft)
    assert not again
    draft.set("external_system_integrations.1.name", "Writer")  # the draft grows: our diagram follows
    text, changed = write_into(draft)
    assert changed and "[Writer]" in draft.get(DIAGRAM)


def test_the_templates_example_diagram_is_replaced(schema) -> None:
    draft = small_draft(schema, {"Reader": ["GET"]})
    draft.set_value(DIAGRAM, target(schema).placeholder + "\n")
    write_into(draft)
    assert "[Reader]" in draft.get(DIAGRAM)


def test_a_hand_drawn_diagram_needs_force(schema) -> None:
    draft = small_draft(schema, {"Reader": ["GET"]})
    write_into(draft)
    mine = "[Refunds] ==> [Reader]\n(drawn by me)"
    draft.set(DIAGRAM, mine)
    with pytest.raises(InputError, match="drawn by hand; --force replaces it"):
        write_into(draft)
    assert draft.get(DIAGRAM) == mine
    write_into(draft, force=True)
    assert "[Reader]" in draft.get(DIAGRAM) and "drawn by me" not in draft.get(DIAGRAM)


def test_cli(schema, tmp_path: Path) -> None:
    path = tmp_path / "refunds.yaml"
    new_draft_file(path, small_draft(schema, {"Reader": ["GET"]})).save()
    shown = subprocess.run([*CLI, "diagram", str(path)], capture_output=True, text=True)
    assert shown.returncode == 0 and "[Reader]" in shown.stdout
    assert read_plain(path)["integration_architecture"]["integration_overview_diagram"] == ""  # printing only
    written = subprocess.run([*CLI, "diagram", str(path), "--write"], capture_output=True, text=True)
    assert written.returncode == 0, written.stderr
    assert "[Reader]" in read_plain(path)["integration_architecture"]["integration_overview_diagram"]
    subprocess.run([*CLI, "set", str(path), f"{DIAGRAM}=[Refunds] --> [Reader]"], check=True, capture_output=True)
    before = path.read_bytes()
    refused = subprocess.run([*CLI, "diagram", str(path), "--write"], capture_output=True, text=True)
    assert refused.returncode == 2
    assert f"{path}: {DIAGRAM} holds a diagram drawn by hand" in refused.stderr
    assert path.read_bytes() == before
    forced = subprocess.run([*CLI, "diagram", str(path), "--write", "--force"], capture_output=True, text=True)
    assert forced.returncode == 0
    assert "[Reader]" in read_plain(path)["integration_architecture"]["integration_overview_diagram"]
    assert (tmp_path / "refunds.yaml.bak").read_bytes() == before  # the hand-drawn one is one step back
