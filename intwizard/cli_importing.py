"""Commands that bring outside documents into drafts: ``import`` (Markdown) and ``import-openapi``."""

from __future__ import annotations

from pathlib import Path

import click

from intwizard.cli_base import handles_input_errors, load_schema_for, main, template_option, upgraded, warn_secrets
from intwizard.errors import InputError


@main.command("import")
@click.argument("document", type=click.Path(path_type=Path, dir_okay=False))
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              help="The draft to create (default: DOCUMENT with .yaml). Never overwritten.")
@template_option
@handles_input_errors
def import_command(document: Path, output: Path | None, template_dir: Path | None) -> None:
    """Create a draft from a Markdown spec that follows the template (hand-written or exported)."""
    from intwizard.importers import read_source, write_new_draft
    from intwizard.importers.markdown import import_markdown

    schema = load_schema_for(template_dir)
    target = output or document.with_suffix(".yaml")
    if target.resolve() == document.resolve():
        raise InputError("the draft would overwrite the document itself; choose another -o", path=target)
    draft, unplaced = import_markdown(schema, read_source(document))
    write_new_draft(target, draft)
    warn_secrets(schema, draft.plain(), target, lambda: read_source(target), ())
    for piece in unplaced:
        click.echo(f"intwizard: {document}:{piece.line}: no field for this in {piece.where!r}; "
                   f"kept under intwizard.unmapped: {piece.snippet()}", err=True)
    click.echo(f"Created {target} from {document}. Review it with `intwizard resume {target}`.", err=True)


@main.command("import-openapi")
@click.argument("spec", type=click.Path(path_type=Path, dir_okay=False))
@click.argument("draft", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--integration", "name", required=True, help="The external integration to fill (created if missing).")
@template_option
@handles_input_errors
def import_openapi_command(spec: Path, draft: Path, name: str, template_dir: Path | None) -> None:
    """Fill an integration of DRAFT from an OpenAPI 3.0/3.1 SPEC (endpoints, base URL, auth, data format).

    Run it again after the API changes: rows it wrote are updated, rows you added or edited are kept.
    """
    from intwizard.importers.openapi import fill, load, report, source_name
    from intwizard.store import open_draft

    schema = load_schema_for(template_dir)
    if not name.strip():
        raise InputError("--integration needs a name")
    api = load(spec)  # validated before the draft is touched
    draft_file = upgraded(open_draft(draft, schema, baseline=True))
    outcome = fill(draft_file.draft, api, name.strip(), source_name(spec, draft))
    saved = draft_file.save()
    for line in report(outcome):
        click.echo(line, err=True)
    click.echo(f"Saved {draft}" if saved else f"{draft} unchanged", err=True)
