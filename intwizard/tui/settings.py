"""The author's wizard settings (the theme chosen in the palette), kept in the user's config folder.

Like the recent list (:mod:`intwizard.tui.recent`) this is the author's, not the spec's, so it never
goes into the draft. A missing or damaged file means the defaults; writing touches the disk, so the
wizard calls :func:`remember_theme` from a thread worker.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from platformdirs import user_config_dir

from intwizard.core.store import atomic_write


def settings_file() -> Path:
    return Path(user_config_dir("intwizard", appauthor=False)) / "settings.json"


def _read() -> dict[str, Any]:
    try:
        data = json.loads(settings_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def saved_theme() -> str | None:
    theme = _read().get("theme")
    return theme if isinstance(theme, str) and theme else None


def remember_theme(theme: str) -> None:
    data = _read()
    if data.get("theme") == theme:
        return
    data["theme"] = theme
    target = settings_file()
    target.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(target, json.dumps(data, indent=1).encode("utf-8"), backup=False)
