"""Generated drafts for the benchmarks: a typical spec and a large one, built from the schema."""

from __future__ import annotations

from pathlib import Path

from intwizard.core.draft import Draft
from intwizard.core.schema import Node, load_schema
from intwizard.core.store import new_draft_file


def _fill(draft: Draft, node: Node, path: str, label: str) -> None:
    """Give every line and text field of a group entry a realistic-length value."""
    for child in node.children:
        child_path = f"{path}.{child.key}"
        if child.kind == "section":
            _fill(draft, child, child_path, label)
        elif child.kind in ("line", "text"):
            value = f"{label} https://{label.lower().replace(' ', '-')}.example/v1" if child.validate == "url" \
                else f"{child.label} for {label}, described in a sentence"
            draft.set_value(child_path, value)
        elif child.kind == "choice":
            draft.set_value(child_path, child.options[0])


def generate(path: Path, integrations: int, endpoints: int) -> Path:
    """A draft with ``integrations`` external integrations of ``endpoints`` endpoints each."""
    schema = load_schema()
    draft = Draft.new(schema)
    draft.set("meta.feature_name", f"Benchmark {integrations}x{endpoints}")
    group = schema.section("external_system_integrations")
    table = next(node for node in group.walk() if node.kind == "table")
    for index in range(integrations):
        base = f"external_system_integrations.{index}"
        draft.set(f"{base}.name", f"System {index}")
        _fill(draft, group, base, f"System {index}")
        for row in range(endpoints):
            for column in table.children:
                value = column.options[row % len(column.options)] if column.options else \
                    f"/r{index}/{row}" if column.format == "code" else f"{column.key[:4]} {row}"
                draft.set_value(f"{base}.{table.key}.{row}.{column.key}", value)
    path.unlink(missing_ok=True)
    new_draft_file(path, draft).save()
    return path
