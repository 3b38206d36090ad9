"""Commands that write a draft: ``new``, ``resume`` (the wizard or plain prompts) and ``set``.

Textual and questionary are imported inside the interactive branches only, so ``new --no-input``
and ``set`` run without them (and without a terminal).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from intwizard.cli.base import (
    DEFAULT_DRAFT,
    allow_secret_option,
    handles_input_errors,
    load_schema_for,
    main,
    need_terminal,
    parse_assignments,
    slug,
    template_option,
    upgraded,
    warn_secrets,
)
from intwizard.cli.entry import keep_until_exit, kept_until_exit
from intwizard.cli.words import header_hint
from intwizard.errors import InputError

if TYPE_CHECKING:
    from intwizard.core.schema import Schema


def not_applicable_option(command: Any) -> Any:
    return click.option(
        "--not-applicable", "not_applicable", multiple=True, nargs=2, metavar="PATH REASON",
        help="Answer a field, table or section \"not applicable\", e.g. --not-applicable "
             "integration_security.compliance_requirements.pci_dss 'no card data is stored'. Repeatable.")(command)


@main.command()
@click.argument("draft", required=False, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--no-input", is_flag=True, help="Create the draft without asking anything (use --set to fill it).")
@click.option("--set", "assignments", multiple=True, metavar="KEY=VALUE",
              help="Fill a field, e.g. --set meta.feature_name='Checkout'. Repeatable.")
@not_applicable_option
@click.option("--plain", is_flag=True, help="Ask question by question instead of the full-screen wizard.")
@template_option
@handles_input_errors
def new(draft: Path | None, no_input: bool, assignments: tuple[str, ...], not_applicable: tuple[tuple[str, str], ...],
        plain: bool, template_dir: Path | None) -> None:
    """Start a new draft (DRAFT defaults to a name from the feature name, else integration-points.yaml)."""
    from intwizard.core.draft import Draft
    from intwizard.core.store import new_draft_file

    schema = load_schema_for(template_dir)
    pairs = parse_assignments(assignments)
    document = Draft.new(schema)
    for key, value in pairs:
        document.set(key, value)
    for key, reason in not_applicable:
        document.set_not_applicable(key, reason)
    if draft is None:
        draft = Path(f"{slug(document.title)}.yaml" if slug(document.title) else DEFAULT_DRAFT)
    if draft.exists():
        raise InputError("already exists; continue it with `intwizard resume` or choose another name", path=draft)
    if not no_input:
        need_terminal("new --plain" if plain else "new")
    document.set_header(header_hint(str(draft)))
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
@template_option
@handles_input_errors
def resume(draft: Path | None, plain: bool, walk_all: bool, template_dir: Path | None) -> None:
    """Continue a draft where you left off (without DRAFT: pick a recent or local one)."""
    from intwizard.core.store import open_draft

    need_terminal("resume --plain" if plain else "resume")
    schema = load_schema_for(template_dir)
    if draft is None and plain:
        raise InputError("`resume --plain` needs the DRAFT to continue")
    if draft is not None:
        _resolve_merge_conflicts(draft, schema)
    if plain:
        assert draft is not None  # refused above
        from intwizard.prompts import run_prompts
        from intwizard.tui.recovery import recovery_path

        if recovery_path(draft).is_file():
            click.echo(f"Note: {recovery_path(draft)} holds edits rescued when the wizard stopped on an error; "
                       f"`intwizard resume {draft}` (the wizard) offers to put them back.", err=True)
        run_prompts(upgraded(open_draft(draft, schema)), walk_all=walk_all)
        return
    from intwizard.tui.app import run_wizard

    run_wizard(upgraded(open_draft(draft, schema, comments=False)) if draft is not None else None, schema=schema)


@main.command("set")
@click.argument("draft", type=click.Path(path_type=Path, dir_okay=False))
@click.argument("assignments", nargs=-1, metavar="KEY=VALUE...")
@not_applicable_option
@allow_secret_option
@template_option
@handles_input_errors
def set_command(draft: Path, assignments: tuple[str, ...], not_applicable: tuple[tuple[str, str], ...],
                allow_secrets: tuple[str, ...], template_dir: Path | None) -> None:
    """Set fields of DRAFT by dotted path, e.g. external_system_integrations.0.name=Stripe.

    All or nothing: if one KEY or VALUE is wrong, nothing is written. Use \\n for a line break.
    `--not-applicable PATH REASON` answers a field, table or section "not applicable" (repeatable).
    """
    if not assignments and not not_applicable:
        raise click.UsageError("give KEY=VALUE assignments or --not-applicable PATH REASON")
    from intwizard.core.draft import ShapeError
    from intwizard.core.store import edit_draft

    schema = load_schema_for(template_dir)
    pairs = parse_assignments(assignments)

    def change(draft_file: Any) -> None:
        for key, value in pairs:
            try:
                draft_file.draft.set(key, value)
            except ShapeError as exc:
                exc.path = draft  # the file holds something unexpected there: say which file
                raise
        for key, reason in not_applicable:
            try:
                draft_file.draft.set_not_applicable(key, reason)
            except ShapeError as exc:
                exc.path = draft
                raise

    from intwizard.core.spanedit import no_cycle_collection

    # Made again to the fresh file if another writer saved meanwhile: "Saved" means it stayed. What
    # the command read is not taken apart before the process ends (see cli.entry).
    kept = kept_until_exit()
    with no_cycle_collection(stay_off=kept is not None):
        draft_file, saved, _ = edit_draft(draft, schema, change, retired=kept)
        upgraded(draft_file)
        if saved:
            click.echo(f"Saved {draft}", err=True)
        else:
            click.echo(f"{draft} unchanged", err=True)
        # Only what this command wrote: the rest of the draft was warned about when it was written.
        warn_secrets(schema, draft_file.draft.data, draft, draft_file.source.text, allow_secrets,
                     paths=[key for key, _value in pairs] + [key for key, _reason in not_applicable])
        keep_until_exit(draft_file)


def _resolve_merge_conflicts(draft: Path, schema: Schema) -> None:
    """A draft a merge left with conflict markers: offer keep ours / take theirs / edit for each
    conflict first (stopping leaves the file as it is and exits with the list of conflicts)."""
    from intwizard.core.merge import ConflictMarkersError
    from intwizard.core.store import read_file

    try:
        read_file(draft)
    except ConflictMarkersError as exc:
        from intwizard.prompts.conflicts import resolve

        labelled = exc.labelled(schema)
        if not resolve(draft, labelled):
            raise labelled from None
    except InputError:
        pass  # opening it says what is wrong, as for any draft
