"""``intwizard template copy``: a template folder to customise (schema and Markdown layout)."""

from __future__ import annotations

import shutil
from pathlib import Path

from intwizard.errors import InputError

#: What makes a template: the schema, the Jinja document, and upgrades for older drafts if any.
TEMPLATE_FILES = ("schema.yaml", "document.md.j2", "migrations.yaml")


def copy_template(folder: Path, source: Path) -> list[Path]:
    """Copy the template in ``source`` into ``folder`` (new or empty); returns the files written.

    Never overwrites: a folder that already holds files is refused, so an edited template is safe."""
    if folder.exists() and not folder.is_dir():
        raise InputError("exists and is not a folder", path=folder)
    if folder.is_dir() and any(folder.iterdir()):
        raise InputError("the folder is not empty; copy into a new or empty folder", path=folder)
    written = []
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for name in TEMPLATE_FILES:
            if (source / name).is_file():
                written.append(Path(shutil.copyfile(source / name, folder / name)))
    except OSError as exc:
        raise InputError(f"cannot copy the template: {exc.strerror or exc}", path=folder) from None
    return written
