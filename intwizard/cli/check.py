"""The repo-facing side of the CLI: ``intwizard check``, ``export --check`` and reading drafts for them.

Kept apart from ``cli.py`` so the commands there stay a thin layer of click options.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from intwizard.core.checks import ERROR, WARNING, Finding, findings
from intwizard.core.schema import Schema
from intwizard.core.store import looks_like_draft
from intwizard.errors import InputError


def drafts_among(paths: tuple[Path, ...], *, markdown: bool = False) -> tuple[Path, ...]:
    """The drafts among files a pre-commit hook was given, each once, in order.

    With ``markdown``, an exported ``X.md`` stands for the draft ``X.yaml`` (or ``X.yml``) beside it,
    so a Markdown file edited by hand is compared with its draft too."""
    chosen: dict[Path, None] = {}
    for path in paths:
        if path.suffix.lower() in (".md", ".markdown"):
            if not markdown:
                continue
            path = next((candidate for candidate in (path.with_suffix(".yaml"), path.with_suffix(".yml"))
                         if candidate.is_file()), path)
            if path.suffix.lower() not in (".yaml", ".yml"):
                continue
        if looks_like_draft(path):
            chosen.setdefault(path, None)
    return tuple(chosen)


def read_draft(path: Path, schema: Schema, warn: Callable[[str], None]) -> dict[str, Any]:
    """A draft's plain data, upgraded in memory to the schema's template version (nothing written)."""
    from intwizard.core.migrations import upgrade
    from intwizard.core.store import read_plain

    try:
        data = read_plain(path)
    except InputError as exc:
        from intwizard.core.merge import ConflictMarkersError  # only here: the merge module costs every check 20 ms

        if isinstance(exc, ConflictMarkersError):
            raise exc.labelled(schema) from None
        raise
    report_upgrade(path, upgrade(data, schema), warn)
    return data


def report_upgrade(path: Path, result: Any, warn: Callable[[str], None]) -> None:
    for message in result.warnings:
        warn(f"{path}: {message}")
    for note in getattr(result, "bookkeeping", ()):
        warn(f"{path}: intwizard's records upgraded in memory ({note}); written in the new format when next saved")
    if result.to_version is not None and result.to_version != result.from_version:
        moved = "; ".join(result.notes) or "no keys moved"
        warn(f"{path}: made with template version {result.from_version}, upgraded to {result.to_version} in "
             f"memory ({moved}); it is written in the new format when next saved")


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def summary(found: list[Finding]) -> tuple[int, int]:
    return (sum(1 for f in found if f.severity == ERROR), sum(1 for f in found if f.severity == WARNING))


def format_text(path: Path, schema: Schema, found: list[Finding]) -> str:
    """Findings grouped under their section's label, in template order."""
    errors, warnings = summary(found)
    if not found:
        return f"{path}: nothing to fix\n"
    lines = [f"{path}: {_plural(errors, 'error')}, {_plural(warnings, 'warning')}"]
    current: str | None = None
    for finding in found:
        if finding.section != current:
            current = finding.section
            section = schema.section(current)
            lines += ["", section.label if section else "Other"]
        lines.append(f"  {finding.severity:<8} {finding.path}: {finding.message}")
    return "\n".join(lines) + "\n"


def as_json(path: Path, schema: Schema, found: list[Finding]) -> dict[str, Any]:
    errors, warnings = summary(found)
    rows = []
    for finding in found:
        section = schema.section(finding.section)
        rows.append({**finding.as_dict(), "section_label": section.label if section else ""})
    return {"draft": str(path), "template": schema.name, "template_version": schema.version,
            "errors": errors, "warnings": warnings, "blocking": errors > 0, "findings": rows}


def check_draft(path: Path, schema: Schema, warn: Callable[[str], None]) -> list[Finding]:
    return findings(schema, read_draft(path, schema, warn))


def export_diff(target: Path, text: str, draft: Path) -> str | None:
    """A unified diff from ``target`` as it is to what ``draft`` renders to, or None when they match.

    CRLF line ends (a Windows checkout) do not count as a difference."""
    if not target.exists():
        return f"{target} does not exist; run `intwizard export {draft} -o {target}`\n"
    try:
        current = target.read_bytes().decode("utf-8").replace("\r\n", "\n").removeprefix("\ufeff")
    except UnicodeDecodeError:
        raise InputError("not UTF-8 text", path=target) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", path=target) from None
    if current == text:
        return None
    diff = difflib.unified_diff(current.splitlines(keepends=True), text.splitlines(keepends=True),
                                fromfile=str(target), tofile=f"{target} (exported from {draft})")
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in diff)


# -- check --sources ------------------------------------------------------------------------------------


def check_sources(path: Path, schema: Schema, warn: Callable[[str], None]) -> list[Any]:
    """Every source the draft records, re-read and compared with it (:func:`intwizard.importers.sources.drift`)."""
    from intwizard.importers.sources import drift

    return drift(path, read_draft(path, schema, warn), schema)


def format_sources_text(path: Path, states: list[Any]) -> str:
    """Drift by integration and source; one line when every source matches."""
    drifted = [state for state in states if state.drifts]
    if not states:
        return f"{path}: no recorded sources (import one with `intwizard import-api FILE {path} --integration NAME`)\n"
    if not drifted:
        return f"{path}: {_plural(len(states), 'source')}, all match the spec\n"
    count = sum(len(state.drifts) for state in drifted)
    lines = [f"{path}: {_plural(count, 'drift')} in {_plural(len(drifted), 'source')} "
             f"(run `intwizard refresh {path}` to take them in)"]
    for state in drifted:
        lines += ["", f"{state.integration} ({state.source}, {state.kind})"]
        for found in state.drifts:
            at = f"{state.source}:{found.line}: " if found.line else ""
            lines.append(f"  error    {at}{found.message}".replace("\n", "\n           "))
    return "\n".join(lines) + "\n"


def sources_json(path: Path, states: list[Any]) -> dict[str, Any]:
    drifts = [found.as_dict() for state in states for found in state.drifts]
    return {"draft": str(path), "sources": [{"integration": s.integration, "path": s.source, "kind": s.kind,
                                             "matches": not s.drifts} for s in states],
            "errors": len(drifts), "blocking": bool(drifts), "drift": drifts}
