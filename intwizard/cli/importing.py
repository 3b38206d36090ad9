"""Commands that bring outside documents into drafts: ``import`` (Markdown), ``import-api`` (and its
alias for OpenAPI, ``import-openapi``) and ``refresh``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from intwizard.cli.base import handles_input_errors, load_schema_for, main, template_option, upgraded, warn_secrets
from intwizard.cli.words import header_hint
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
    write_new_draft(target, draft, hint=header_hint(str(target)))
    warn_secrets(schema, draft.plain(), target, lambda: read_source(target), ())
    for piece in unplaced:
        click.echo(f"intwizard: {document}:{piece.line}: no field for this in {piece.where!r}; "
                   f"kept under intwizard.unmapped: {piece.snippet()}", err=True)
    click.echo(f"Created {target} from {document}. Review it with `intwizard resume {target}`.", err=True)


def refs_under_option(command: Any) -> Any:
    """The repeatable ``--refs-under DIR`` option: a folder besides the spec's own that its ``$ref``s may
    point into (by default only files under the spec's folder are read)."""
    return click.option(
        "--refs-under", "refs_under", multiple=True, metavar="DIR",
        type=click.Path(path_type=Path, file_okay=False, exists=True),
        help="Also let the contract's $refs read files under this folder (default: only under its own folder). "
             "Repeatable.",
    )(command)


def _allow_refs_under(folders: tuple[Path, ...]) -> None:
    from intwizard.importers import openapi_spec

    openapi_spec.EXTRA_REF_ROOTS[:] = list(folders)


def _import_contract(source: Path, draft: Path, name: str, template_dir: Path | None, kind: str | None) -> None:
    from intwizard.core.store import edit_draft
    from intwizard.importers.contract_fill import report
    from intwizard.importers.sources import import_file, read_contract

    schema = load_schema_for(template_dir)
    if not name.strip():
        raise InputError("--integration needs a name")
    read_contract(source, schema, kind)  # validated before the draft is read or touched
    # Filled again into the fresh file if another writer saved meanwhile.
    draft_file, saved, outcome = edit_draft(
        draft, schema, lambda draft_file: import_file(draft_file.draft, draft, source, name.strip(), kind))
    upgraded(draft_file)
    for line in report(outcome):
        click.echo(line, err=True)
    click.echo(f"Saved {draft}" if saved else f"{draft} unchanged", err=True)


@main.command("import-api")
@click.argument("source", metavar="FILE", type=click.Path(path_type=Path, dir_okay=False))
@click.argument("draft", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--integration", "name", required=True, help="The external integration to fill (created if missing).")
@refs_under_option
@template_option
@handles_input_errors
def import_api_command(source: Path, draft: Path, name: str, refs_under: tuple[Path, ...],
                       template_dir: Path | None) -> None:
    """Fill an integration of DRAFT from an API contract FILE: OpenAPI 3.0/3.1 or AsyncAPI 2.6/3.0 (YAML or
    JSON), Protocol Buffers (.proto) or GraphQL SDL (.graphql, .gql); the kind is detected.

    The source is recorded in the draft: `intwizard check --sources` tells when it drifts, `intwizard
    refresh` imports it again. Rows it wrote are updated on re-runs, rows you added or edited are kept.
    """
    _allow_refs_under(refs_under)
    _import_contract(source, draft, name, template_dir, None)


@main.command("import-openapi")
@click.argument("spec", type=click.Path(path_type=Path, dir_okay=False))
@click.argument("draft", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--integration", "name", required=True, help="The external integration to fill (created if missing).")
@refs_under_option
@template_option
@handles_input_errors
def import_openapi_command(spec: Path, draft: Path, name: str, refs_under: tuple[Path, ...],
                           template_dir: Path | None) -> None:
    """Fill an integration of DRAFT from an OpenAPI 3.0/3.1 SPEC (endpoints, base URL, auth, data format).

    The same as `intwizard import-api` for an OpenAPI file. Run it again after the API changes: rows it
    wrote are updated, rows you added or edited are kept.
    """
    _allow_refs_under(refs_under)
    _import_contract(spec, draft, name, template_dir, "openapi")


@main.command("refresh")
@click.argument("draft", type=click.Path(path_type=Path, dir_okay=False))
@template_option
@handles_input_errors
def refresh_command(draft: Path, template_dir: Path | None) -> None:
    """Import again every API contract DRAFT was filled from (`intwizard import-api`) and say what changed.

    Rows and values the imports wrote follow the sources; rows and values you added or edited are
    kept. Every source is read and validated first: if one is missing or invalid, nothing is written.
    """
    from intwizard.core.store import edit_draft
    from intwizard.importers.contract_fill import report
    from intwizard.importers.sources import refresh

    schema = load_schema_for(template_dir)
    # Imported again into the fresh file if another writer saved meanwhile.
    draft_file, saved, result = edit_draft(draft, schema, lambda draft_file: refresh(draft_file.draft, draft))
    upgraded(draft_file)
    if not result.done and not result.orphans:
        click.echo(f"{draft} records no sources; fill an integration with `intwizard import-api FILE {draft} "
                   "--integration NAME` first", err=True)
    for record, outcome in result.done:
        click.echo(f"{record.get('path')} ({record.get('kind')}):", err=True)
        for line in report(outcome):
            click.echo(f"  {line}", err=True)
    for record in result.orphans:
        click.echo(f"{record.get('path')} ({record.get('kind')}): not imported: the draft has no integration "
                   f"{record.get('integration')!r} any more; import it with `intwizard import-api "
                   f"{record.get('path')} {draft} --integration NAME`", err=True)
    click.echo(f"Saved {draft}" if saved else f"{draft} unchanged", err=True)
