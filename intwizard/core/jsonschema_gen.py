"""A JSON Schema (draft 2020-12) of the draft format, generated from the template's schema.

Editors (yaml-language-server) use it to complete keys and choices and to flag wrong types while a
draft is edited by hand. It says what *shape* a draft may have; whether the spec is complete is
``intwizard check``'s business, so nothing here is ``required``. Values are as lenient as intwizard:
YAML reads ``8080`` or ``yes`` as a number or boolean, and a text field keeps them as text.
"""

from __future__ import annotations

from typing import Any

from intwizard.core.draft import META_KEY
from intwizard.core.schema import NOT_APPLICABLE, Node, Schema

DIALECT = "https://json-schema.org/draft/2020-12/schema"
#: What YAML may hand a text field; intwizard reads all of them as text (``null`` is unanswered).
TEXT_TYPES = ["string", "number", "boolean", "null"]
#: One line (surrounding blank lines aside), as ``values.problem`` wants it.
ONE_LINE = r"^\s*[^\n]*\s*$"
URL = r"^\s*$|^\s*[A-Za-z][A-Za-z0-9+.-]*://[^\s/?#]+[^\s]*\s*$"
DATE = r"^\s*$|^\d{4}-\d{2}-\d{2}$"
#: A "not applicable" answer, which any field, table or section may have instead of its value.
NOT_APPLICABLE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "title": "Not applicable",
    "properties": {NOT_APPLICABLE: {"type": ["string", "null"], "description": "Why it does not apply"}},
    "required": [NOT_APPLICABLE],
    "additionalProperties": False,
}


_ALIGN = {"enum": ["left", "center", "right"]}
#: What `intwizard import` kept aside (no field had room for it), written back where it was found.
UNMAPPED_SCHEMA: dict[str, Any] = {
    "title": "Kept from an imported document",
    "description": "Text of the imported document no template field had room for; the export writes each "
                   "piece back where it was found. Edit or delete a piece freely.",
    "type": "array",
    "items": {
        "type": "object",
        "properties": {
            "where": {"type": "string", "description": "The headings it was under"},
            "line": {"type": "integer", "description": "Its line in the imported document"},
            "text": {"type": ["string", "null"], "description": "The text, as the document had it"},
            "path": {"type": ["string", "null"],
                     "description": "The section, entry, table or row it was in (dotted path)"},
            "after": {"type": ["string", "null"],
                      "description": "The field (or table column) it followed there; empty: at the start"},
            "join": {"enum": ["", "line", "item", "nested", "column", "cell", None],
                     "description": "line: a line of the paragraph before it; item: an item of the list before "
                                    "it; nested: held inside the list item of the field it followed; column: the "
                                    "header of a table column the template has not; cell: a cell of that column"},
            "column": {"type": ["string", "null"], "description": "A cell's column (its header)"},
            "removed": {"type": "string", "description": "Its place while the row or integration it was in is "
                                                         "deleted (the export writes it at the end of its section)"},
            "align": {**_ALIGN, "description": "A column's alignment"},
        },
    },
}
#: How the imported document wrote a field the template writes otherwise, by the field's dotted path.
LAYOUT_SCHEMA: dict[str, Any] = {
    "title": "Layout kept from an imported document",
    "description": "By a field's dotted path: the fence language of a code block (language: jsonc) or the "
                   "column alignment of a table (align: {method: center}), as the imported document had them.",
    "type": "object",
    "additionalProperties": {
        "type": "object",
        "properties": {
            "language": {"type": "string", "description": "The code block's fence language"},
            "align": {"type": "object", "additionalProperties": _ALIGN,
                      "description": "Column key: left, center or right"},
            "columns": {"type": "array", "items": {"type": "string"},
                        "description": "The table's column keys in the document's order; a template column it "
                                       "leaves out stays out of the export while its cells are empty"},
        },
        "additionalProperties": False,
    },
}


def _described(node: Node, schema: dict[str, Any]) -> dict[str, Any]:
    described = {"title": node.label, **schema}
    if node.help:
        described["description"] = node.help
    return described


def _object(properties: dict[str, Any], closed: bool) -> dict[str, Any]:
    return {"type": ["object", "null"], "properties": properties, "additionalProperties": not closed}


def _scalar(node: Node, in_table: bool = False) -> dict[str, Any]:
    if node.kind == "date":
        return {"type": ["string", "null"], "pattern": DATE}
    if node.kind == "choice" and not node.free_text:
        return {"enum": [*node.options, "", None]}
    out: dict[str, Any] = {"type": TEXT_TYPES}
    if node.kind == "choice":
        out["examples"] = list(node.options)
    if node.kind == "line" and (node.validate == "url" or not in_table):  # a cell may hold several lines
        out["pattern"] = URL if node.validate == "url" else ONE_LINE
    if node.kind == "code" and node.validate == "json":
        out["contentMediaType"] = "application/json"
    if node.default is not None:
        out["default"] = node.default
    return out


def _or_not_applicable(node: Node, out: dict[str, Any]) -> dict[str, Any]:
    if node.example is not None:
        out["examples"] = [node.example]
    # if/then/else rather than anyOf: a wrong value is still reported as the field's own error.
    return {"if": {"type": "object", "required": [NOT_APPLICABLE]}, "then": NOT_APPLICABLE_SCHEMA, "else": out}


def node_schema(node: Node, closed: bool = True, in_table: bool = False) -> dict[str, Any]:
    """The JSON Schema of one node's value in a draft."""
    kind = node.kind
    if node.is_scalar:
        return _described(node, _or_not_applicable(node, _scalar(node, in_table)))
    if kind == "list":
        out: dict[str, Any] = {"type": ["array", "null"], "items": {"type": TEXT_TYPES}}
    elif kind == "section":
        out = _object({child.key: node_schema(child, closed) for child in node.children}, closed)
        out["properties"][NOT_APPLICABLE] = NOT_APPLICABLE_SCHEMA["properties"][NOT_APPLICABLE]
    elif kind in ("group", "table"):
        item = _object({child.key: node_schema(child, closed, kind == "table") for child in node.children}, closed)
        item["type"] = "object"
        out = {"type": ["array", "null"], "items": item}
    elif kind == "checklist":
        out = _object({item.key: {"title": item.label, "type": ["boolean", "null"]} for item in node.children},
                      closed)
    elif kind == "signoff":
        parts = {part.key: node_schema(part, closed) for part in node.children}
        out = _object({role.key: {"title": role.label, **_object(parts, closed)} for role in node.roles}, closed)
    else:  # pragma: no cover - schema.py admits no other kind
        raise ValueError(f"unknown kind {kind!r}")
    if node.default is not None:
        out["default"] = node.default
    return _described(node, out if kind == "section" else _or_not_applicable(node, out))


def json_schema(schema: Schema, *, allow_unknown_keys: bool = False) -> dict[str, Any]:
    """The whole draft format. Unknown keys are flagged (intwizard keeps them, but in an editor they
    are usually typos) unless ``allow_unknown_keys``."""
    closed = not allow_unknown_keys
    properties: dict[str, Any] = {
        META_KEY: {
            "title": "intwizard's record",
            "description": "Which template and version the draft was made with; intwizard keeps it up to date.",
            "type": "object",
            "properties": {
                "format": {"type": "integer"},
                "template": {"type": "string", "examples": [schema.name]},
                "template_version": {"type": "integer", "examples": [schema.version]},
                "unmapped": UNMAPPED_SCHEMA,
                "layout": LAYOUT_SCHEMA,
            },
        },
    }
    properties.update({section.key: node_schema(section, closed) for section in schema.sections})
    return {
        "$schema": DIALECT,
        "$id": f"urn:intwizard:template:{schema.name}:{schema.version}",
        "title": f"{schema.document_title} draft",
        "description": f"An intwizard draft of the {schema.name!r} template, version {schema.version}. "
                       "Generated by `intwizard schema`.",
        "type": "object",
        "properties": properties,
        "additionalProperties": not closed,
    }
