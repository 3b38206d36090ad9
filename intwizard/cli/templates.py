"""Commands about the template itself rather than a draft: ``schema`` and ``template copy``."""

from __future__ import annotations

from pathlib import Path

import click

from intwizard.cli.base import handles_input_errors, load_schema_for, main, template_option


@main.command("schema")
@click.option("--allow-unknown-keys", is_flag=True,
              help="Accept keys the template does not know (intwizard keeps them) instead of flagging them.")
@template_option
@handles_input_errors
def schema_command(allow_unknown_keys: bool, template_dir: Path | None) -> None:
    """Print the JSON Schema (draft 2020-12) of drafts, for editors (yaml-language-server)."""
    import json

    from intwizard.core.jsonschema_gen import json_schema

    schema = load_schema_for(template_dir)
    click.echo(json.dumps(json_schema(schema, allow_unknown_keys=allow_unknown_keys), indent=2, ensure_ascii=False))


@main.group()
def template() -> None:
    """Work with templates (the schema and the Markdown layout a draft follows)."""


@template.command("copy")
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False))
@template_option
@handles_input_errors
def template_copy(folder: Path, template_dir: Path | None) -> None:
    """Copy the built-in template (or --template) into FOLDER to edit; then use it with --template FOLDER."""
    from intwizard.core.templates import copy_template

    source = load_schema_for(template_dir).path.parent
    for path in copy_template(folder, source):
        click.echo(f"Wrote {path}", err=True)
    click.echo(f"Edit {folder / 'schema.yaml'} (labels, help, choices) and {folder / 'document.md.j2'} (layout);\n"
               f"use it with `intwizard new --template {folder}` (also resume, export, check).", err=True)
