"""Errors the user can fix: each names the file (and line and column where they exist)."""

from __future__ import annotations

from pathlib import Path


class InputError(Exception):
    """Bad input from the user: a file, a key, a value. The CLI prints it and exits with code 2."""

    def __init__(
        self, message: str, *, path: Path | str | None = None, line: int = 0, column: int = 0
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = Path(path) if path is not None else None
        self.line = line
        self.column = column

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = str(self.path)
            if self.line:
                where += f":{self.line}"
                if self.column:
                    where += f":{self.column}"
            where += ": "
        return where + self.message


class EmptyDraftError(InputError):
    """The file holds no YAML at all (the CLI adds how to create a draft)."""


class ConflictError(InputError):
    """The draft changed on disk since it was loaded; saving would overwrite someone's edits."""
