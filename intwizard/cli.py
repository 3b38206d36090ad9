"""The ``intwizard`` command line.

Heavy imports (Textual, questionary) happen inside the commands that need them, so ``export``,
``set``, ``get`` and ``check`` start fast and run where no terminal UI can.
Exit codes: 0 ok, 1 a check failed, 2 usage or input error.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from intwizard.errors import InputError

F = TypeVar("F", bound=Callable[..., Any])
DEFAULT_DRAFT = "integration-points.yaml"
EXIT_CHECK_FAILED = 1
EXIT_INPUT = 2


def fail(message: str) -> None:
    click.echo(f"intwizard: error: {message}", err=True)
    sys.exit(EXIT_INPUT)


def handles_input_errors(command: F) -> F:
    """Turn the user's mistakes into one clear line and exit code 2, never a traceback."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except InputError as exc:
            fail(str(exc))
        except KeyboardInterrupt:
            click.echo("\nintwizard: interrupted", err=True)
            sys.exit(130)

    return wrapper  # type: ignore[return-value]


def _template_option(command: F) -> F:
    return click.option(
        "--template", "template_dir", type=click.Path(path_type=Path, file_okay=False),
        help="Use the template in this folder (see `intwizard template copy`) instead of the built-in one.",
    )(command)


def _allow_secret_option(command: F) -> F:
    return click.option(
        "--allow-secret", "allow_secrets", multiple=True, metavar="PATH",
        help="Do not warn about a credential-looking value at this field path (a known false positive). Repeatable.",
    )(command)


def warn_secrets(schema: Any, data: dict[str, Any], draft: Path, text: Any, allow: tuple[str, ...]) -> list[Any]:
    """Warn on stderr about values that look like credentials (masked); returns what was found."""
    from intwizard.secrets import scan

    found = scan(schema, data, text=text, allow=allow)
    for finding in found:
        click.echo(f"intwizard: warning: {finding.message(draft)}", err=True)
    return found


def load_schema_for(template_dir: Path | None) -> Any:
    from intwizard.schema import SchemaError, load_schema

    if template_dir is not None:
        template_dir = template_dir.resolve()
        if not (template_dir / "schema.yaml").is_file():
            raise SchemaError("no schema.yaml in this folder (make one with `intwizard template copy DIR`)",
                              path=template_dir)
    return load_schema(template_dir)


def warn(message: str) -> None:
    click.echo(f"intwizard: warning: {message}", err=True)


def upgraded(draft_file: Any) -> Any:
    """An opened draft (``open_draft`` upgrades it in memory), with what the upgrade did reported."""
    from intwizard.check_cmd import report_upgrade

    if draft_file.upgrade is not None:
        report_upgrade(draft_file.path, draft_file.upgrade, warn)
    return draft_file


def parse_assignments(assignments: tuple[str, ...]) -> list[tuple[str, str]]:
    pairs = []
    for assignment in assignments:
        key, sep, value = assignment.partition("=")
        if not sep or not key.strip():
            raise InputError(f"{assignment!r} is not KEY=VALUE (e.g. meta.author='Ada Lovelace')")
        pairs.append((key.strip(), value.replace("\\n", "\n")))
    return pairs


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60]


def need_terminal(command: str) -> None:
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise InputError(
            f"`intwizard {command}` needs an interactive terminal. Without one, create or fill a draft with "
            "`intwizard new DRAFT --no-input --set KEY=VALUE ...` and `intwizard set DRAFT KEY=VALUE ...`"
        )


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="intwizard", prog_name="intwizard")
def main() -> None:
    """Write an Integration Points spec as a YAML draft, over as many sittings as it takes,
    and export it as Markdown to commit.

    \b
    Start:    intwizard new                      (full-screen wizard; --plain for prompts)
    Continue: intwizard resume payments.yaml
    Export:   intwizard export payments.yaml     (writes payments.md)
    """


@main.command()
@click.argument("draft", required=False, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--no-input", is_flag=True, help="Create the draft without asking anything (use --set to fill it).")
@click.option("--set", "assignments", multiple=True, metavar="KEY=VALUE",
              help="Fill a field, e.g. --set meta.feature_name='Checkout'. Repeatable.")
@click.option("--plain", is_flag=True, help="Ask question by question instead of the full-screen wizard.")
@_template_option
@handles_input_errors
def new(draft: Path | None, no_input: bool, assignments: tuple[str, ...], plain: bool,
        template_dir: Path | None) -> None:
    """Start a new draft (DRAFT defaults to a name from the feature name, else integration-points.yaml)."""
    from intwizard.draft import Draft
    from intwizard.store import new_draft_file

    schema = load_schema_for(template_dir)
    pairs = parse_assignments(assignments)
    document = Draft.new(schema)
    for key, value in pairs:
        document.set(key, value)
    if draft is None:
        draft = Path(f"{slug(document.title)}.yaml" if slug(document.title) else DEFAULT_DRAFT)
    if draft.exists():
        raise InputError("already exists; continue it with `intwizard resume` or choose another name", path=draft)
    if not no_input:
        need_terminal("new --plain" if plain else "new")
    document.set_header(str(draft))
    draft_file = new_draft_file(draft, document)
    if no_input:
        draft_file.save()
        warn_secrets(schema, document.plain(), draft, draft_file.source.text, ())
        click.echo(f"Created {draft}. Fill it with `intwizard set {draft} KEY=VALUE` or `intwizard resume {draft}`.",
                   err=True)
        return
    if plain:
        from intwizard.prompts import run_prompts

        run_prompts(draft_file, walk_all=True)
        return
    from intwizard.tui.app import run_wizard

    run_wizard(draft_file)


@main.command()
@click.argument("draft", required=False, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--plain", is_flag=True, help="Ask question by question instead of the full-screen wizard.")
@click.option("--all", "walk_all", is_flag=True, help="With --plain: ask every question, current answers as defaults.")
@_template_option
@handles_input_errors
def resume(draft: Path | None, plain: bool, walk_all: bool, template_dir: Path | None) -> None:
    """Continue a draft where you left off (without DRAFT: pick a recent or local one)."""
    from intwizard.store import open_draft

    need_terminal("resume --plain" if plain else "resume")
    schema = load_schema_for(template_dir)
    if draft is None and plain:
        raise InputError("`resume --plain` needs the DRAFT to continue")
    if plain:
        from intwizard.prompts import run_prompts

        run_prompts(upgraded(open_draft(draft, schema)), walk_all=walk_all)
        return
    from intwizard.tui.app import run_wizard

    run_wizard(upgraded(open_draft(draft, schema, comments=False)) if draft is not None else None, schema=schema)


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
@_allow_secret_option
@_template_option
@handles_input_errors
def export(drafts: tuple[Path, ...], output: Path | None, strict: bool, check_only: bool, skip_non_drafts: bool,
           allow_secrets: tuple[str, ...], template_dir: Path | None) -> None:
    """Render DRAFT as the Markdown spec to commit (several DRAFTs: each beside its draft)."""
    from intwizard.check_cmd import drafts_among

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
    from intwizard.check_cmd import export_diff, read_draft
    from intwizard.render import render
    from intwizard.store import atomic_write, read_file

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
    atomic_write(target, text.encode("utf-8"), backup=False)
    click.echo(f"Wrote {target}", err=True)
    return False


@main.command("set")
@click.argument("draft", type=click.Path(path_type=Path, dir_okay=False))
@click.argument("assignments", nargs=-1, required=True, metavar="KEY=VALUE...")
@_allow_secret_option
@_template_option
@handles_input_errors
def set_command(draft: Path, assignments: tuple[str, ...], allow_secrets: tuple[str, ...],
                template_dir: Path | None) -> None:
    """Set fields of DRAFT by dotted path, e.g. external_system_integrations.0.name=Stripe.

    All or nothing: if one KEY or VALUE is wrong, nothing is written. Use \\n for a line break.
    """
    from intwizard.draft import ShapeError
    from intwizard.store import open_draft

    schema = load_schema_for(template_dir)
    pairs = parse_assignments(assignments)
    draft_file = upgraded(open_draft(draft, schema, baseline=True))
    for key, value in pairs:
        try:
            draft_file.draft.set(key, value)
        except ShapeError as exc:
            exc.path = draft  # the file holds something unexpected there: say which file
            raise
    if draft_file.save():
        click.echo(f"Saved {draft}", err=True)
    else:
        click.echo(f"{draft} unchanged", err=True)
    warn_secrets(schema, draft_file.draft.plain(), draft, draft_file.source.text, allow_secrets)


@main.command()
@click.argument("draft", type=click.Path(path_type=Path, dir_okay=False))
@click.argument("key")
@_template_option
@handles_input_errors
def get(draft: Path, key: str, template_dir: Path | None) -> None:
    """Print one field of DRAFT (a part of it as YAML)."""
    from intwizard.check_cmd import read_draft
    from intwizard.draft import resolve
    from intwizard.values import as_text

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

        from intwizard.yamlio import roundtrip_yaml

        stream = StringIO()
        roundtrip_yaml(2, 2, 0).dump(value, stream)
        click.echo(stream.getvalue(), nl=False)
    elif value is not None:
        click.echo(as_text(value))


@main.command("import")
@click.argument("document", type=click.Path(path_type=Path, dir_okay=False))
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              help="The draft to create (default: DOCUMENT with .yaml). Never overwritten.")
@_template_option
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
@_template_option
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


@main.command()
@click.argument("draft", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--write", is_flag=True, help="Put the diagram into the draft's Integration Overview Diagram.")
@click.option("--force", is_flag=True, help="With --write: replace a diagram drawn by hand.")
@_template_option
@handles_input_errors
def diagram(draft: Path, write: bool, force: bool, template_dir: Path | None) -> None:
    """Draw the Integration Overview Diagram (ASCII) from DRAFT's integrations; print it or --write it."""
    from intwizard.diagram import draw, write_into

    schema = load_schema_for(template_dir)
    if not write:
        from intwizard.store import read_plain

        click.echo(draw(schema, read_plain(draft)))
        return
    from intwizard.store import open_draft

    draft_file = open_draft(draft, schema)
    text, _ = write_into(draft_file.draft, force=force, where=draft)
    click.echo(text)
    click.echo(f"Saved the diagram into {draft}" if draft_file.save() else f"{draft} unchanged (same diagram)",
               err=True)


@main.command()
@click.argument("drafts", metavar="DRAFT...", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--skip-non-drafts", is_flag=True, help="For pre-commit: skip files that are not intwizard drafts.")
@_template_option
@handles_input_errors
def check(drafts: tuple[Path, ...], output_format: str, skip_non_drafts: bool, template_dir: Path | None) -> None:
    """List what is missing or wrong in DRAFT, by section: exit 0 when nothing blocks, 1 otherwise.

    Errors block (required fields, invalid values, SEV-1/SEV-2 rules...); warnings (unknown keys,
    template examples left as they are) do not.
    """
    import json

    from intwizard.check_cmd import as_json, check_draft, drafts_among, format_text

    schema = load_schema_for(template_dir)
    reports = []
    blocking = False
    for draft in drafts_among(drafts) if skip_non_drafts else drafts:
        found = check_draft(draft, schema, warn)
        blocking |= any(finding.blocking for finding in found)
        if output_format == "json":
            reports.append(as_json(draft, schema, found))
        else:
            click.echo(format_text(draft, schema, found), nl=False)
    if output_format == "json":
        click.echo(json.dumps({"blocking": blocking, "drafts": reports}, indent=2, ensure_ascii=False))
    if blocking:
        sys.exit(EXIT_CHECK_FAILED)


@main.command("schema")
@click.option("--allow-unknown-keys", is_flag=True,
              help="Accept keys the template does not know (intwizard keeps them) instead of flagging them.")
@_template_option
@handles_input_errors
def schema_command(allow_unknown_keys: bool, template_dir: Path | None) -> None:
    """Print the JSON Schema (draft 2020-12) of drafts, for editors (yaml-language-server)."""
    import json

    from intwizard.jsonschema_gen import json_schema

    schema = load_schema_for(template_dir)
    click.echo(json.dumps(json_schema(schema, allow_unknown_keys=allow_unknown_keys), indent=2, ensure_ascii=False))


@main.group()
def template() -> None:
    """Work with templates (the schema and the Markdown layout a draft follows)."""


@template.command("copy")
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False))
@_template_option
@handles_input_errors
def template_copy(folder: Path, template_dir: Path | None) -> None:
    """Copy the built-in template (or --template) into FOLDER to edit; then use it with --template FOLDER."""
    from intwizard.templates_cmd import copy_template

    source = load_schema_for(template_dir).path.parent
    for path in copy_template(folder, source):
        click.echo(f"Wrote {path}", err=True)
    click.echo(f"Edit {folder / 'schema.yaml'} (labels, help, choices) and {folder / 'document.md.j2'} (layout);\n"
               f"use it with `intwizard new --template {folder}` (also resume, export, check).", err=True)


if __name__ == "__main__":  # pragma: no cover
    main()
