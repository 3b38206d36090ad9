"""What intwizard says about its own commands, for the front ends: the core's errors and files do not
name commands (a core module cannot know how it is run), so the words are added here.

No click, textual or questionary here: the CLI, the prompts and the wizard all use it.
"""

from __future__ import annotations

from intwizard.errors import EmptyDraftError, InputError


def header_hint(file_name: str) -> str:
    """The line under a new draft's header comment: how to pick the file up again."""
    return f"Resume: intwizard resume {file_name}    Export: intwizard export {file_name}"


def worded(exc: InputError) -> str:
    """An error as the CLI prints it: the core's message, plus the command that fixes it where one does."""
    if isinstance(exc, EmptyDraftError):
        return f"{exc}; create a draft with `intwizard new`"
    return str(exc)
