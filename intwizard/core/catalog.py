"""One map of every integration: ``intwizard catalog DIR``.

Reads every draft under a folder and lists each external system and internal service once, with the
specs (features) that use it and, per use, its criticality, type, authentication and base URL. The
same system is often named differently in different specs ("Paylane", "Paylane Payments API"): uses
are the same system when their base URLs share a host, or their names are equal ignoring case and
spacing. A Mermaid flowchart of features and systems heads the Markdown.

What a field is comes from the schema's ``meaning`` (``base-url``, ``criticality``,
``integration-type``, ``authentication``; for a group without an authentication field, the row naming
it in the table whose column ``covers`` the group, its ``auth-method`` column).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from intwizard.core.schema import Node, Schema
from intwizard.core.values import as_text

#: Hosts that name no system (a local address, the template's examples).
_NO_HOST = frozenset({"", "localhost", "127.0.0.1", "::1", "0.0.0.0", "internal-service", "api.example.com",
                      "example.com"})
#: Folders never searched for drafts.
_SKIP = frozenset({"node_modules", "__pycache__", "site-packages"})


@dataclass(frozen=True)
class Use:
    """One spec's integration with a system."""

    feature: str
    draft: str
    group: str
    name: str
    criticality: str = ""
    type: str = ""
    authentication: str = ""
    base_url: str = ""

    @property
    def host(self) -> str:
        try:
            host = (urlsplit(self.base_url.strip()).hostname or "").casefold()
        except ValueError:
            return ""
        return "" if host in _NO_HOST else host

    @property
    def name_key(self) -> str:
        return " ".join(self.name.split()).casefold()


@dataclass
class System:
    uses: list[Use] = field(default_factory=list)

    @property
    def name(self) -> str:
        """The name most specs use, ignoring case (ties: the longest), spelt as most write it (ties:
        not in capitals)."""
        keys = Counter(use.name_key for use in self.uses)
        key = sorted(keys, key=lambda k: (-keys[k], -len(k), k))[0]
        spellings = Counter(use.name for use in self.uses if use.name_key == key)
        return sorted(spellings, key=lambda n: (-spellings[n], n.isupper(), n))[0]

    @property
    def also_called(self) -> list[str]:
        seen = {" ".join(self.name.split()).casefold()}
        names = []
        for use in self.uses:
            if use.name_key not in seen:
                seen.add(use.name_key)
                names.append(use.name)
        return sorted(names, key=str.casefold)

    @property
    def groups(self) -> list[str]:
        return sorted({use.group for use in self.uses})

    @property
    def hosts(self) -> list[str]:
        return sorted({use.host for use in self.uses if use.host})

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "also_called": self.also_called, "groups": self.groups, "hosts": self.hosts,
                "used_by": [use.__dict__ for use in self.uses]}


def find_drafts(folder: Path) -> list[Path]:
    """Every draft (a YAML file with intwizard's record) under ``folder``, in path order; hidden
    folders (``.git``) and tool folders are skipped."""
    from intwizard.core.store import looks_like_draft

    found = []
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).parts
        if any(part.startswith(".") or part in _SKIP for part in relative[:-1]):
            continue
        if path.suffix.lower() in (".yaml", ".yml") and path.is_file() and looks_like_draft(path):
            found.append(path)
    return found


def _value(item: dict[Any, Any], node: Node | None, group: Node) -> str:
    """An entry's value for a node found anywhere inside the group (a field of a nested section)."""
    if node is None:
        return ""
    value: Any = item
    for part in node.path[len(group.path) + 1:].split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return " ".join(as_text(value).split())


def _auth_rows(schema: Schema, data: dict[str, Any]) -> dict[str, list[tuple[str, str]]]:
    """For each group a covering table names: (text of the naming cell, auth method) per row."""
    found: dict[str, list[tuple[str, str]]] = {}
    for column in schema.walk():
        if not column.covers:
            continue
        table_path = column.path.rsplit(".", 1)[0]
        table = schema.node(table_path)
        method = next((c for c in table.children if c.meaning == "auth-method"), None) if table else None
        if method is None:
            continue
        rows: Any = data
        for part in table_path.split("."):
            rows = rows.get(part) if isinstance(rows, dict) else None
        pairs = [(as_text(row.get(column.key)).casefold(), " ".join(as_text(row.get(method.key)).split()))
                 for row in rows if isinstance(row, dict)] if isinstance(rows, list) else []
        for group in column.covers:
            found.setdefault(group, []).extend(pairs)
    return found


def uses_in(schema: Schema, data: dict[str, Any], draft: str) -> list[Use]:
    """The integrations one draft describes, one :class:`Use` each."""
    title = schema.title_field
    feature = ""
    if title is not None:
        holder: Any = data
        for part in title.path.split(".")[:-1]:
            holder = holder.get(part) if isinstance(holder, dict) else None
        feature = " ".join(as_text(holder.get(title.key) if isinstance(holder, dict) else "").split())
    feature = feature or Path(draft).stem
    auth_rows = _auth_rows(schema, data)
    uses = []
    for group in schema.sections:
        if group.kind != "group" or not group.title_field:
            continue
        meanings = {node.meaning: node for node in group.walk() if node.meaning}
        items = data.get(group.key)
        for item in items if isinstance(items, list) else []:
            if not isinstance(item, dict):
                continue
            name = " ".join(as_text(item.get(group.title_field)).split())
            if not name:
                continue
            authentication = _value(item, meanings.get("authentication"), group)
            if not authentication:
                methods = [m for cell, m in auth_rows.get(group.path, []) if m and name.casefold() in cell]
                authentication = ", ".join(dict.fromkeys(methods))
            uses.append(Use(feature, draft, group.label, name, _value(item, meanings.get("criticality"), group),
                            _value(item, meanings.get("integration-type"), group), authentication,
                            _value(item, meanings.get("base-url"), group)))
    return uses


def systems(uses: list[Use]) -> list[System]:
    """Uses grouped into systems: the same host or the same name (ignoring case) is the same system."""
    parent = list(range(len(uses)))

    def root(index: int) -> int:
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    first: dict[tuple[str, str], int] = {}
    for index, use in enumerate(uses):
        for key in (("host", use.host), ("name", use.name_key)):
            if not key[1]:
                continue
            if key in first:
                parent[root(index)] = root(first[key])
            else:
                first[key] = index
    grouped: dict[int, System] = {}
    for index, use in enumerate(uses):
        grouped.setdefault(root(index), System()).uses.append(use)
    return sorted(grouped.values(), key=lambda system: (system.groups, system.name.casefold()))


@dataclass
class Catalog:
    folder: str
    drafts: list[str]
    systems: list[System]
    skipped: list[str] = field(default_factory=list)

    def as_json(self) -> str:
        return json.dumps({"folder": self.folder, "drafts": self.drafts, "skipped": self.skipped,
                           "systems": [system.as_dict() for system in self.systems]},
                          indent=2, ensure_ascii=False) + "\n"


def build(schema: Schema, folder: Path, read: Callable[[Path], dict[str, Any]],
          warn: Callable[[str], None]) -> Catalog:
    """The catalogue of every draft under ``folder``; a draft that cannot be read is named and skipped."""
    from intwizard.errors import InputError

    drafts = find_drafts(folder)
    uses: list[Use] = []
    read_ok, skipped = [], []
    for path in drafts:
        shown = path.relative_to(folder).as_posix()
        try:
            data = read(path)
        except InputError as exc:
            warn(f"skipped: {exc}")
            skipped.append(shown)
            continue
        read_ok.append(shown)
        uses += uses_in(schema, data, shown)
    return Catalog(str(folder), read_ok, systems(uses), skipped)


def mermaid(catalog: Catalog) -> str:
    """Features on the left, the systems they use on the right, an arrow per use labelled with its type."""
    from intwizard.core.diagram_mermaid import edge, label, node

    features = {use.draft: use.feature for system in catalog.systems for use in system.uses}
    number_of = {draft: index for index, draft in enumerate(features, 1)}
    out = ["flowchart LR"]
    if features:
        out.append('  subgraph specs["Specs"]')
        out += [f"    {node(f'f{number_of[draft]}', name)}" for draft, name in features.items()]
        out.append("  end")
    by_group: dict[str, list[int]] = {}
    for index, system in enumerate(catalog.systems, 1):
        by_group.setdefault(" / ".join(system.groups), []).append(index)
    for number, (group, indexes) in enumerate(by_group.items(), 1):
        out.append(f'  subgraph k{number}["{label(group)}"]')
        out += [f"    {node(f's{i}', catalog.systems[i - 1].name)}" for i in indexes]
        out.append("  end")
    for index, system in enumerate(catalog.systems, 1):
        done = set()
        for use in system.uses:
            key = (use.draft, use.type)
            if key in done:
                continue
            done.add(key)
            out.append(f"  {edge(f'f{number_of[use.draft]}', f's{index}', use.type, 'right')}")
    return "\n".join(out) + "\n"


def markdown(catalog: Catalog) -> str:
    """The catalogue as Markdown: the map, then one section per system with a row per spec using it."""
    from intwizard.core.markdown import cell, code_span, inline

    count = len(catalog.systems)
    out = ["# Integration Catalogue", "",
           f"{count} system{'s' if count != 1 else ''} used by {len(catalog.drafts)} "
           f"spec{'s' if len(catalog.drafts) != 1 else ''} under {code_span(catalog.folder)}.", ""]
    if catalog.skipped:
        out += [f"Not read (see `intwizard check`): {', '.join(code_span(s) for s in catalog.skipped)}.", ""]
    out += ["```mermaid", mermaid(catalog).rstrip("\n"), "```", ""]
    for system in catalog.systems:
        out += [f"## {inline(system.name)}", ""]
        facts = [" / ".join(system.groups)]
        if system.also_called:
            facts.append("also called " + ", ".join(inline(name) for name in system.also_called))
        if system.hosts:
            facts.append("host " + ", ".join(code_span(host) for host in system.hosts))
        out += ["; ".join(facts), ""]
        out += ["| Spec | Draft | Criticality | Type | Authentication | Base URL |",
                "| --- | --- | --- | --- | --- | --- |"]
        for use in system.uses:
            out.append("| " + " | ".join([cell(use.feature), cell(use.draft, "code"), cell(use.criticality),
                                          cell(use.type), cell(use.authentication), cell(use.base_url, "code")])
                       + " |")
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"
