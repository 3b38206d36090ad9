"""Before ``resume`` opens a draft that a merge left with conflict markers: each conflict in turn,
named by its field and line, with *keep ours*, *take theirs* or *edit* (both sides in $EDITOR).

Plain questions (questionary, imported when asked), asked before the wizard or the prompts start; the
resolved file is saved atomically (the conflicted one kept as ``DRAFT.bak``), then opened as usual.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click

from intwizard.core.merge import OURS_MARK, SPLIT_MARK, THEIRS_MARK, ConflictMarkersError, Marked, resolve_text

KEEP_OURS, TAKE_THEIRS, EDIT, STOP = "Keep ours", "Take theirs", "Edit (both sides in your editor)", "Stop"
CHOICES = (KEEP_OURS, TAKE_THEIRS, EDIT, STOP)


def _ask_choice(message: str) -> str:
    import questionary

    return questionary.select(message, choices=list(CHOICES), use_shortcuts=True).unsafe_ask()


def _edit(block: Marked) -> list[str] | None:
    """Both sides in the editor, markers and all; what is saved replaces the conflict (None: not saved)."""
    text = "".join([f"{OURS_MARK} ours\n", *block.ours, f"{SPLIT_MARK}\n", *block.theirs, f"{THEIRS_MARK} theirs\n"])
    edited = click.edit(text, extension=".yaml", require_save=True)
    if edited is None:
        return None
    lines = edited.splitlines(keepends=True)
    return [line if line.endswith("\n") else line + "\n" for line in lines
            if not line.startswith((OURS_MARK, SPLIT_MARK, THEIRS_MARK))]


def resolve(path: Path, error: ConflictMarkersError, ask: Callable[[str], str] = _ask_choice,
            edit: Callable[[Marked], list[str] | None] = _edit) -> bool:
    """Ask about each conflict; save the file when all are resolved. False when the user stopped."""
    from intwizard.core.store import atomic_write, decode

    chosen: dict[int, list[str]] = {}
    total = len(error.marked)
    for number, block in enumerate(error.marked):
        click.echo(f"\nMerge conflict {number + 1} of {total}, {path}:{block.line}: "
                   f"{block.label or block.path or 'a part that does not read as YAML'}")
        click.echo("  ours:   " + ("\n          ".join(line.rstrip() for line in block.ours) or "(deleted)"))
        click.echo("  theirs: " + ("\n          ".join(line.rstrip() for line in block.theirs) or "(deleted)"))
        while number not in chosen:
            answer = ask("Which one?")
            if answer == STOP:
                click.echo(f"Stopped; {path} is as it was (the conflict markers are still in it).", err=True)
                return False
            if answer == KEEP_OURS:
                chosen[number] = list(block.ours)
            elif answer == TAKE_THEIRS:
                chosen[number] = list(block.theirs)
            else:
                edited = edit(block)
                if edited is None:
                    click.echo("Not saved in the editor; choose again.")
                else:
                    chosen[number] = edited
    source = decode(path.read_bytes(), path)  # its line ends and byte order mark, to write it back alike
    text = resolve_text(source.text, lambda n, _ours, _theirs: chosen[n])
    atomic_write(path, source.encode(text), backup=True)
    click.echo(f"Resolved {total} conflict{'s' if total != 1 else ''}; saved {path} (the merged one with markers "
               f"is {path.name}.bak)", err=True)
    return True
