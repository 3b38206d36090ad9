"""Commands for a spec that lives in a team's repository: ``diff``, ``merge-driver``, ``setup-git``,
``catalog``.

They read drafts structurally (by the schema's sections, labels and identities) where git sees lines.
None of them imports the terminal UI libraries.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from intwizard.cli_base import EXIT_CHECK_FAILED, handles_input_errors, load_schema_for, main, template_option, warn
from intwizard.errors import InputError


def _data_of(raw: bytes, where: Path, schema: Any) -> dict[str, Any]:
    """A draft's plain data from its bytes (a file or a git blob), upgraded in memory."""
    from intwizard.migrations import upgrade
    from intwizard.store import decode
    from intwizard.yamlio import check_structure, load_plain_text

    text = decode(raw, where).text
    data = load_plain_text(text, where)
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise InputError("a draft is a YAML mapping (key: value)", path=where, line=1, column=1)
    check_structure(data, where)
    result = upgrade(data, schema)
    for message in result.warnings:
        warn(f"{where}: {message}")
    return data


def _read(path: Path, schema: Any) -> dict[str, Any]:
    from intwizard.store import read_file

    read_file(path)  # the same checks and messages as every other command (size, folder, missing)
    return _data_of(path.read_bytes(), path, schema)


def _at_revision(path: Path, rev: str, schema: Any) -> dict[str, Any]:
    from intwizard.gitio import show

    raw = show(path, rev)
    if raw is None:
        warn(f"{path} is not in {rev}: every answer counts as added")
        return {}
    return _data_of(raw, Path(f"{rev}:{path}"), schema)


@main.command("diff")
@click.argument("old", metavar="OLD|DRAFT", type=click.Path(path_type=Path, dir_okay=False))
@click.argument("new", metavar="[NEW]", required=False, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--rev", metavar="REV", help="Compare DRAFT with its version at this git revision (default: HEAD).")
@click.option("--format", "output_format", type=click.Choice(["text", "markdown", "json"]), default="text",
              show_default=True, help="markdown: for a pull-request comment.")
@click.option("--textconv", is_flag=True,
              help="Print one draft, one labelled answer per line (git's diff driver; see `intwizard setup-git`).")
@template_option
@handles_input_errors
def diff_command(old: Path, new: Path | None, rev: str | None, output_format: str,
                 textconv: bool, template_dir: Path | None) -> None:
    """What changed, by section and field label: OLD NEW, or DRAFT against a git revision.

    \b
    intwizard diff old.yaml new.yaml
    intwizard diff spec.yaml                 (the uncommitted change: against HEAD)
    intwizard diff spec.yaml --rev main
    Exit 0 when nothing changed, 1 when something did, 2 on bad input.
    """
    from intwizard import spec_diff

    schema = load_schema_for(template_dir)
    if textconv:
        if new is not None or rev:
            raise InputError("--textconv takes one FILE and no other option")
        _textconv(old, schema)
        return
    if new is not None and rev:
        raise InputError("give OLD and NEW, or one DRAFT with --rev, not both")
    if new is not None:
        before, after, old_name, new_name = _read(old, schema), _read(new, schema), str(old), str(new)
    else:
        after = _read(old, schema)
        rev = rev or "HEAD"
        before = _at_revision(old, rev, schema)
        old_name, new_name = f"{old} at {rev}", str(old)
    changes = spec_diff.diff(schema, before, after)
    if output_format == "json":
        click.echo(spec_diff.format_json(changes, old_name, new_name), nl=False)
    elif output_format == "markdown":
        click.echo(spec_diff.format_markdown(changes, f"Changes from {old_name} to {new_name}"), nl=False)
    else:
        click.echo(spec_diff.format_text(changes), nl=False)
    if changes:
        sys.exit(EXIT_CHECK_FAILED)


def _textconv(path: Path, schema: Any) -> None:
    """git shows what this prints; a file that does not read as a draft is shown as it is."""
    from intwizard import spec_diff

    raw = path.read_bytes() if path.is_file() else b""
    try:
        data = _data_of(raw, path, schema)
    except InputError as exc:
        warn(f"{exc}; shown as plain text")
        sys.stdout.write(raw.decode("utf-8", "replace"))
        return
    sys.stdout.write(spec_diff.canonical(schema, data))
