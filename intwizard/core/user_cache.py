"""Files kept in the user's cache folder (XDG's; platformdirs' on other systems) to make the next
start quicker: the parsed template schema, detect-secrets' regexes, compiled Jinja templates. Each is
keyed by what it was made from, and anything unreadable is simply made again: a cache can cost time,
never correctness."""

from __future__ import annotations

import contextlib
import hashlib
import os
import sys
from pathlib import Path


def folder() -> Path:
    if os.name == "posix" and sys.platform != "darwin":
        # The XDG base directory rule, which is what platformdirs applies on Linux and the BSDs (a test
        # holds them equal): importing platformdirs would cost every command 8 ms, a tenth of a `set`.
        base = os.environ.get("XDG_CACHE_HOME", "").strip()
        if not os.path.isabs(base):
            base = os.path.expanduser("~/.cache")
        return Path(base) / "intwizard"
    import platformdirs

    return Path(platformdirs.user_cache_dir("intwizard"))


def key_of(*parts: object) -> str:
    return hashlib.sha256("\x00".join(str(part) for part in parts).encode("utf-8", "surrogatepass")).hexdigest()[:20]


def read(name: str) -> bytes | None:
    try:
        return (folder() / name).read_bytes()
    except OSError:
        return None


def write(name: str, data: bytes) -> None:
    """Write whole or not at all (two processes may write the same entry at once); failures are ignored."""
    with contextlib.suppress(OSError):
        path = folder() / name
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        temporary.write_bytes(data)
        os.replace(temporary, path)
