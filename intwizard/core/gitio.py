"""The few git calls intwizard makes (``diff --rev``, ``diff --since-signoff``, ``setup-git``).

git is run as a program (it is on every machine that has the repository); its failures become one
clear :class:`~intwizard.errors.InputError` each.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from intwizard.errors import InputError


def git(*args: str, cwd: Path, check: bool = True) -> subprocess.CompletedProcess[bytes]:
    """Run ``git ARGS`` in ``cwd``; a missing git or (with ``check``) a failing call is an InputError."""
    if shutil.which("git") is None:
        raise InputError("git is not installed (or not on PATH)")
    result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    if check and result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise InputError(f"git {args[0]}: {message[-1] if message else 'failed'}", path=cwd)
    return result


def show(path: Path, rev: str) -> bytes | None:
    """The file's bytes at revision ``rev`` (None when the revision does not have the file)."""
    folder = path.resolve().parent
    if git("rev-parse", "--is-inside-work-tree", cwd=folder, check=False).returncode != 0:
        raise InputError("not in a git repository (--rev and --since-signoff read the file's git history)",
                         path=path)
    if git("rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}", cwd=folder, check=False).returncode != 0:
        raise InputError(f"unknown git revision {rev!r}", path=path)
    result = git("show", f"{rev}:./{path.name}", cwd=folder, check=False)
    return result.stdout if result.returncode == 0 else None


def history(path: Path, limit: int = 200) -> list[str]:
    """The commits that changed the file, newest first (at most ``limit``)."""
    folder = path.resolve().parent
    result = git("log", f"--max-count={limit}", "--format=%H", "--", path.name, cwd=folder, check=False)
    if result.returncode != 0:
        return []
    return result.stdout.decode("ascii", "replace").split()
