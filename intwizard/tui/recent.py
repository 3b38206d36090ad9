"""Recently opened drafts, the last section visited in each and the integration open in each group,
kept in the user's data folder.

This is the author's bookkeeping, not the spec's, so it never goes into the draft (which is
committed and shared). Everything here touches the disk: the wizard calls it from thread workers.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from platformdirs import user_data_dir

from intwizard.core.store import atomic_write

LIMIT = 20
#: Bytes of a YAML file read to tell an intwizard draft from other YAML files.
SNIFF_BYTES = 4096


@dataclass(frozen=True)
class RecentDraft:
    path: Path
    section: str = ""


def state_file() -> Path:
    return Path(user_data_dir("intwizard", appauthor=False)) / "recent.json"


def _read() -> list[dict[str, Any]]:
    try:
        data = json.loads(state_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []  # missing or damaged: start a fresh list rather than fail the wizard
    entries = data.get("drafts") if isinstance(data, dict) else None
    return [e for e in entries or [] if isinstance(e, dict) and isinstance(e.get("path"), str)]


def _write(entries: list[dict[str, Any]]) -> None:
    target = state_file()
    target.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(target, json.dumps({"drafts": entries[:LIMIT]}, indent=1).encode("utf-8"), backup=False)


def remember(path: Path, section: str = "", opened: dict[str, int] | None = None) -> None:
    """Put ``path`` first in the recent list, with the section the author is on and, per group,
    the entry (integration) open in it."""
    key = str(path.resolve())
    entries = _read()
    old = next((e for e in entries if e["path"] == key), {})
    entries = [e for e in entries if e["path"] != key]
    record: dict[str, Any] = {"path": key, "section": section or old.get("section", "")}
    kept = opened if opened is not None else old.get("opened")
    if isinstance(kept, dict) and kept:
        record["opened"] = kept
    entries.insert(0, record)
    _write(entries)


def last_section(path: Path) -> str:
    key = str(path.resolve())
    return next((e.get("section", "") for e in _read() if e["path"] == key), "")


def last_opened(path: Path) -> dict[str, int]:
    """Per group, the entry that was open in it when the author left ``path`` (the integration
    last edited)."""
    key = str(path.resolve())
    found = next((e.get("opened") for e in _read() if e["path"] == key), None)
    if not isinstance(found, dict):
        return {}
    return {str(group): index for group, index in found.items() if isinstance(index, int) and index >= 0}


def recent_drafts() -> list[RecentDraft]:
    """Recent drafts that still exist, most recent first."""
    return [RecentDraft(Path(e["path"]), e.get("section", "")) for e in _read() if Path(e["path"]).is_file()]


def looks_like_draft(path: Path) -> bool:
    """A YAML file with intwizard's bookkeeping key near the top."""
    if not path.is_file():
        return False  # a FIFO named *.yaml would block the picker forever
    try:
        with os.fdopen(os.open(path, os.O_RDONLY | os.O_NONBLOCK), "rb") as handle:
            head = handle.read(SNIFF_BYTES)
    except OSError:
        return False
    return b"\nintwizard:" in b"\n" + head


def drafts_in(folder: Path) -> list[Path]:
    """Drafts in ``folder`` (not below it), by name."""
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return []
    return [folder / name for name in names
            if name.endswith((".yaml", ".yml")) and looks_like_draft(folder / name)]
