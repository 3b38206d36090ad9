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

from intwizard.cli.base import EXIT_CHECK_FAILED, handles_input_errors, load_schema_for, main, template_option, warn
from intwizard.errors import InputError


def _data_of(raw: bytes, where: Path, schema: Any) -> dict[str, Any]:
    """A draft's plain data from its bytes (a file or a git blob), upgraded in memory."""
    from intwizard.core.migrations import upgrade
    from intwizard.core.store import decode
    from intwizard.core.yamlio import check_structure, load_plain_text

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
    from intwizard.core.merge import ConflictMarkersError
    from intwizard.core.store import read_file

    try:
        read_file(path)  # the same checks and messages as every other command (size, folder, missing)
    except ConflictMarkersError as exc:
        raise exc.labelled(schema) from None
    return _data_of(path.read_bytes(), path, schema)


def _at_revision(path: Path, rev: str, schema: Any) -> dict[str, Any]:
    from intwizard.core.gitio import show

    raw = show(path, rev)
    if raw is None:
        warn(f"{path} is not in {rev}: every answer counts as added")
        return {}
    return _data_of(raw, Path(f"{rev}:{path}"), schema)


@main.command("diff")
@click.argument("old", metavar="OLD|DRAFT", type=click.Path(path_type=Path, dir_okay=False))
@click.argument("new", metavar="[NEW]", required=False, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--rev", metavar="REV", help="Compare DRAFT with its version at this git revision (default: HEAD).")
@click.option("--since-signoff", "role", metavar="ROLE",
              help="Compare DRAFT with the version this sign-off role approved (found in the git history).")
@click.option("--format", "output_format", type=click.Choice(["text", "markdown", "json"]), default="text",
              show_default=True, help="markdown: for a pull-request comment.")
@click.option("--textconv", is_flag=True,
              help="Print one draft, one labelled answer per line (git's diff driver; see `intwizard setup-git`).")
@template_option
@handles_input_errors
def diff_command(old: Path, new: Path | None, rev: str | None, role: str | None, output_format: str,
                 textconv: bool, template_dir: Path | None) -> None:
    """What changed, by section and field label: OLD NEW, or DRAFT against a git revision.

    \b
    intwizard diff old.yaml new.yaml
    intwizard diff spec.yaml                 (the uncommitted change: against HEAD)
    intwizard diff spec.yaml --rev main
    Exit 0 when nothing changed, 1 when something did, 2 on bad input.
    """
    from intwizard.core import spec_diff

    schema = load_schema_for(template_dir)
    if textconv:
        if new is not None or rev or role:
            raise InputError("--textconv takes one FILE and no other option")
        _textconv(old, schema)
        return
    if new is not None and (rev or role):
        raise InputError("give OLD and NEW, or one DRAFT with --rev or --since-signoff, not both")
    if rev and role:
        raise InputError("--rev and --since-signoff both say what to compare with; give one")
    if new is not None:
        before, after, old_name, new_name = _read(old, schema), _read(new, schema), str(old), str(new)
    else:
        after = _read(old, schema)
        if role:
            from intwizard.core.signoffs import approved_revision

            signed_at = approved_revision(schema, old, role, after, lambda raw, where: _data_of(raw, where, schema))
            if signed_at is None:
                click.echo(f"{old}: nothing changed since {role} signed", err=True)
                return
            rev = signed_at
        rev = rev or "HEAD"
        before = _at_revision(old, rev, schema)
        old_name = f"{old} as {role} signed it ({rev[:12]})" if role else f"{old} at {rev}"
        new_name = str(old)
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
    from intwizard.cli.check import looks_like_draft
    from intwizard.core import spec_diff

    raw = path.read_bytes() if path.is_file() else b""
    if not looks_like_draft(path):  # other YAML files (CI configs...) under the same *.yaml pattern
        sys.stdout.write(raw.decode("utf-8", "replace"))
        return
    try:
        data = _data_of(raw, path, schema)
    except InputError as exc:
        warn(f"{exc}; shown as plain text")
        sys.stdout.write(raw.decode("utf-8", "replace"))
        return
    sys.stdout.write(spec_diff.canonical(schema, data))


@main.command("merge-driver")
@click.argument("base", metavar="%O", type=click.Path(path_type=Path, dir_okay=False))
@click.argument("ours", metavar="%A", type=click.Path(path_type=Path, dir_okay=False))
@click.argument("theirs", metavar="%B", type=click.Path(path_type=Path, dir_okay=False))
@click.argument("name", metavar="[%P]", required=False)
@template_option
@handles_input_errors
def merge_driver(base: Path, ours: Path, theirs: Path, name: str | None, template_dir: Path | None) -> None:
    """git's merge driver for drafts: merge %B into %A (base %O) by structure; %P names the file.

    Changes to different fields, rows or integrations merge cleanly; a value changed differently on
    both sides gets conflict markers around its lines only (exit 1). Files that are not drafts, or do
    not read as YAML, are merged by lines as git would (`git merge-file`). Set up with `intwizard setup-git`.
    """
    from intwizard.cli.check import looks_like_draft
    from intwizard.core.merge import merge_drafts
    from intwizard.core.store import atomic_write

    label = name or str(ours)
    if not all(looks_like_draft(path) for path in (ours, theirs)) or not base.is_file():
        sys.exit(_merge_by_lines(base, ours, theirs, label))
    schema = load_schema_for(template_dir)
    try:
        result = merge_drafts(schema, base, ours, theirs)
    except InputError as exc:
        warn(f"{label}: {exc}; merging by lines instead")
        sys.exit(_merge_by_lines(base, ours, theirs, label))
    atomic_write(ours, result.encoded(), backup=False, lock=False)  # git holds the merge; no lock file in the tree
    if not result.marked:
        click.echo(f"intwizard: merged {label}", err=True)
        return
    shown = [conflict for conflict in result.conflicts]
    click.echo(f"intwizard: {label}: {len(shown)} conflict{'s' if len(shown) != 1 else ''} "
               "(markers around each value; `intwizard check` lists them, `intwizard resume` resolves them):",
               err=True)
    for conflict in shown:
        click.echo(f"  {conflict.label}", err=True)
    sys.exit(EXIT_CHECK_FAILED)


def _merge_by_lines(base: Path, ours: Path, theirs: Path, label: str) -> int:
    """What git does without a driver: a line merge with markers; 1 when it left conflicts."""
    from intwizard.core.gitio import git

    result = git("merge-file", "-L", "ours", "-L", "base", "-L", "theirs", str(ours), str(base), str(theirs),
                 cwd=Path.cwd(), check=False)
    if result.returncode < 0 or result.returncode > 127:
        raise InputError(f"git merge-file failed: {result.stderr.decode('utf-8', 'replace').strip()}", path=label)
    return EXIT_CHECK_FAILED if result.returncode else 0


#: What ``setup-git`` writes to .gitattributes: drafts are YAML; the drivers pass other YAML files to
#: git's own line diff and merge, so the patterns can be broad.
ATTRIBUTES = ("*.yaml diff=intwizard merge=intwizard", "*.yml diff=intwizard merge=intwizard")


def _command() -> str:
    """How git should start this intwizard: ``intwizard`` when that is this installation on PATH,
    else this Python with ``-m intwizard``."""
    import shlex
    import shutil

    found = shutil.which("intwizard")
    if found and Path(found).resolve().parent == Path(sys.executable).resolve().parent:
        return "intwizard"
    return f"{shlex.quote(sys.executable)} -m intwizard"


@main.command("setup-git")
@click.option("--global", "global_", is_flag=True,
              help="For every repository of this user: the global git config and attributes file.")
@handles_input_errors
def setup_git(global_: bool) -> None:
    """Make git diff and merge drafts by structure: .gitattributes lines and git config.

    \b
    Writes to .gitattributes (with --global: git's global attributes file):
      *.yaml diff=intwizard merge=intwizard     (and *.yml)
    and sets in git config (with --global: ~/.gitconfig):
      diff.intwizard.textconv, diff.intwizard.cachetextconv, merge.intwizard.name, merge.intwizard.driver
    """
    from intwizard.core.gitio import git

    here = Path.cwd()
    command = _command()
    scope = ["--global"] if global_ else []
    if global_:
        configured = git("config", "--global", "--get", "core.attributesFile", cwd=here, check=False)
        value = configured.stdout.decode("utf-8", "replace").strip()
        attributes = Path(value).expanduser() if value else _default_global_attributes()
    else:
        top = git("rev-parse", "--show-toplevel", cwd=here, check=False)
        if top.returncode != 0:
            raise InputError("not in a git repository; run it inside one, or use --global", path=here)
        attributes = Path(top.stdout.decode("utf-8", "replace").strip()) / ".gitattributes"
    settings = {
        "diff.intwizard.textconv": f"{command} diff --textconv",
        # git keeps each blob's rendering (in refs/notes/textconv/intwizard): `git log -p` runs it once per version
        "diff.intwizard.cachetextconv": "true",
        "merge.intwizard.name": "intwizard: merge Integration Points drafts by structure",
        "merge.intwizard.driver": f"{command} merge-driver %O %A %B %P",
    }
    for key, value in settings.items():
        git("config", *scope, key, value, cwd=here)
        click.echo(f"git config{' --global' if global_ else ''} {key} {value!r}")
    written = _add_lines(attributes, ATTRIBUTES)
    for line in ATTRIBUTES:
        click.echo(f"{attributes}: {line}" + ("" if line in written else " (already there)"))


def _default_global_attributes() -> Path:
    import os

    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "git" / "attributes"


def _add_lines(path: Path, lines: tuple[str, ...]) -> list[str]:
    """Append the lines the file lacks (keeping everything in it); returns those written."""
    from intwizard.core.store import atomic_write

    try:
        current = path.read_text(encoding="utf-8") if path.exists() else ""
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read: {exc}", path=path) from None
    present = {line.strip() for line in current.splitlines()}
    missing = [line for line in lines if line not in present]
    if missing:
        text = current + ("" if not current or current.endswith("\n") else "\n") + "\n".join(missing) + "\n"
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, text.encode("utf-8"), backup=False, lock=False)
    return missing


@main.command()
@click.argument("folder", metavar="DIR", type=click.Path(path_type=Path, file_okay=False, exists=True))
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False, allow_dash=True),
              help="Write the catalogue to this file (default: standard output).")
@click.option("--format", "output_format", type=click.Choice(["markdown", "json"]), default="markdown",
              show_default=True)
@template_option
@handles_input_errors
def catalog(folder: Path, output: Path | None, output_format: str, template_dir: Path | None) -> None:
    """Every external system and internal service the drafts under DIR use, each once, with its users.

    Systems named differently in different specs are matched by their base URL's host or by name
    (ignoring case). The Markdown starts with a Mermaid map of specs and systems that GitHub renders.
    A draft that cannot be read is named on stderr and skipped (exit 2 after writing the rest).
    """
    from intwizard.cli.check import read_draft
    from intwizard.core import catalog as catalogue
    from intwizard.core.store import atomic_write

    schema = load_schema_for(template_dir)
    built = catalogue.build(schema, folder, lambda path: read_draft(path, schema, warn), warn)
    if not built.drafts and not built.skipped:
        warn(f"no drafts under {folder} (YAML files with an `intwizard:` record)")
    text = built.as_json() if output_format == "json" else catalogue.markdown(built)
    if output is None or str(output) == "-":
        sys.stdout.write(text)
    else:
        atomic_write(output, text.encode("utf-8"), backup=False, lock=False)
        click.echo(f"Wrote {output} ({len(built.systems)} systems from {len(built.drafts)} drafts)", err=True)
    if built.skipped:
        sys.exit(2)
