"""Commands that read a draft and render or report on it: ``export``, ``get``, ``check``, ``diagram``.

These run in scripts, CI and pre-commit hooks, so they never import the terminal UI libraries
(tests/test_import_hygiene.py). ``diagram --write`` is the one that saves: the diagram it draws.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from intwizard.cli.base import (
    EXIT_CHECK_FAILED,
    allow_secret_option,
    echo,
    for_terminal,
    handles_input_errors,
    load_schema_for,
    main,
    template_option,
    warn,
    warn_secrets,
)
from intwizard.errors import InputError


@main.command()
@click.argument("drafts", metavar="DRAFT...", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False, allow_dash=True),
              help="Where to write the Markdown (default: DRAFT with .md; - for standard output).")
@click.option("--strict", is_flag=True, help="Refuse to export (exit 1) if a value looks like a credential.")
@click.option("--check", "check_only", is_flag=True,
              help="Write nothing; exit 1 and print a diff if the Markdown is not what DRAFT exports to.")
@click.option("--skip-non-drafts", is_flag=True,
              help="For pre-commit: skip files that are not intwizard drafts; a .md file stands for the draft "
                   "beside it (same name, .yaml or .yml).")
@allow_secret_option
@template_option
@handles_input_errors
def export(drafts: tuple[Path, ...], output: Path | None, strict: bool, check_only: bool, skip_non_drafts: bool,
           allow_secrets: tuple[str, ...], template_dir: Path | None) -> None:
    """Render DRAFT as the Markdown spec to commit (several DRAFTs: each beside its draft)."""
    from intwizard.cli.check import drafts_among

    if skip_non_drafts:
        drafts = drafts_among(drafts, markdown=True)
    if output is not None and len(drafts) > 1:
        raise InputError("-o works with one DRAFT; without it each draft is exported beside itself")
    if check_only and output is not None and str(output) == "-":
        raise InputError("--check compares with a file; give -o FILE, not -o -")
    schema = load_schema_for(template_dir)
    stale = False
    for draft in drafts:
        stale |= _export_one(schema, draft, output, strict, check_only, allow_secrets)
    if stale:
        sys.exit(EXIT_CHECK_FAILED)


def _export_one(schema: Any, draft: Path, output: Path | None, strict: bool, check_only: bool,
                allow_secrets: tuple[str, ...]) -> bool:
    """Export (or with ``check_only`` compare) one draft; True when its Markdown is out of date."""
    from intwizard.cli.check import export_diff, read_draft
    from intwizard.core.render import render
    from intwizard.core.store import read_file, write_output

    data = read_draft(draft, schema, warn)
    text = render(schema, data)
    if warn_secrets(schema, data, draft, lambda: read_file(draft).text, allow_secrets) and strict:
        click.echo("intwizard: --strict: nothing exported; remove the credentials first", err=True)
        sys.exit(EXIT_CHECK_FAILED)
    if output is not None and str(output) == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return False
    target = output or draft.with_suffix(".md")
    if target.resolve() == draft.resolve():
        raise InputError("the output would overwrite the draft itself; choose another -o", path=target)
    if check_only:
        diff = export_diff(target, text, draft)
        if diff is not None:
            click.echo(diff, nl=False)
            click.echo(f"intwizard: {target} is out of date; run `intwizard export {draft} -o {target}`", err=True)
        return diff is not None
    write_output(target, text.encode("utf-8"))
    click.echo(f"Wrote {target}", err=True)
    return False


@main.command()
@click.argument("draft", type=click.Path(path_type=Path, dir_okay=False))
@click.argument("key")
@template_option
@handles_input_errors
def get(draft: Path, key: str, template_dir: Path | None) -> None:
    """Print one field of DRAFT (a part of it as YAML)."""
    from intwizard.cli.check import read_draft
    from intwizard.core.draft import resolve
    from intwizard.core.values import as_text

    schema = load_schema_for(template_dir)
    resolve(schema, key)
    value: Any = read_draft(draft, schema, warn)
    for part in key.split("."):
        if isinstance(value, dict):
            value = value.get(part)
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            value = None
    if isinstance(value, dict | list):
        from io import StringIO

        from intwizard.core.yamlio import roundtrip_yaml

        stream = StringIO()
        roundtrip_yaml(2, 2, 0).dump(value, stream)
        echo(stream.getvalue(), nl=False)
    elif value is not None:
        echo(as_text(value))


@main.command()
@click.argument("drafts", metavar="DRAFT...", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--skip-non-drafts", is_flag=True, help="For pre-commit: skip files that are not intwizard drafts.")
@click.option("--sources", "sources", is_flag=True,
              help="Only compare the contracts the draft was imported from with it (drift); exit 1 on any.")
@template_option
@handles_input_errors
def check(drafts: tuple[Path, ...], output_format: str, skip_non_drafts: bool, sources: bool,
          template_dir: Path | None) -> None:
    """List what is missing or wrong in DRAFT, by section: exit 0 when nothing blocks, 1 otherwise.

    Errors block (required fields, invalid values, SEV-1/SEV-2 rules...); warnings (unknown keys,
    template examples left as they are) do not. With --sources: re-read every API contract the draft
    was filled from (`intwizard import-api`) and report only drift, writing nothing.
    """
    import json

    from intwizard.cli.check import as_json, check_draft, drafts_among, format_text

    schema = load_schema_for(template_dir)
    if sources:
        from intwizard.cli.check import check_sources, format_sources_text, sources_json

        drift_reports, drifted = [], False
        for draft in drafts_among(drafts) if skip_non_drafts else drafts:
            states = check_sources(draft, schema, warn)
            drifted |= any(state.drifts for state in states)
            if output_format == "json":
                drift_reports.append(sources_json(draft, states))
            else:
                echo(format_sources_text(draft, states), nl=False)
        if output_format == "json":
            click.echo(json.dumps({"blocking": drifted, "drafts": drift_reports}, indent=2, ensure_ascii=False))
        if drifted:
            sys.exit(EXIT_CHECK_FAILED)
        return
    reports = []
    blocking = False
    for draft in drafts_among(drafts) if skip_non_drafts else drafts:
        found = check_draft(draft, schema, warn)
        blocking |= any(finding.blocking for finding in found)
        if output_format == "json":
            reports.append(as_json(draft, schema, found))
        else:
            echo(format_text(draft, schema, found), nl=False)
    if output_format == "json":
        click.echo(for_terminal(json.dumps({"blocking": blocking, "drafts": reports}, indent=2, ensure_ascii=False),
                                json_style=True))
    if blocking:
        sys.exit(EXIT_CHECK_FAILED)


@main.command()
@click.argument("draft", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--write", is_flag=True, help="Put the diagram into the draft's Integration Overview Diagram.")
@click.option("--force", is_flag=True, help="With --write: replace a diagram drawn by hand.")
@click.option("--format", "output_format", type=click.Choice(["ascii", "mermaid"]), default="ascii",
              show_default=True, help="mermaid: a flowchart GitHub renders (--write puts it in as a ```mermaid block).")
@template_option
@handles_input_errors
def diagram(draft: Path, write: bool, force: bool, output_format: str, template_dir: Path | None) -> None:
    """Draw the Integration Overview Diagram (ASCII or Mermaid) from DRAFT's integrations; print it or --write it."""
    from intwizard.core.diagram import draw, write_into

    schema = load_schema_for(template_dir)
    if not write:
        from intwizard.cli.check import read_draft

        data = read_draft(draft, schema, warn)
        if output_format == "mermaid":
            from intwizard.core.diagram_mermaid import draw as draw_mermaid

            click.echo(draw_mermaid(schema, data), nl=False)
        else:
            click.echo(draw(schema, data))
        return
    from intwizard.core.store import edit_draft

    # Drawn again into the fresh file if another writer saved meanwhile.
    _file, saved, (text, _) = edit_draft(
        draft, schema, lambda draft_file: write_into(draft_file.draft, force=force, where=draft, kind=output_format))
    click.echo(text)
    click.echo(f"Saved the diagram into {draft}" if saved else f"{draft} unchanged (same diagram)", err=True)
