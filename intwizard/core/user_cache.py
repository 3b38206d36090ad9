"""Files kept in the user's cache folder (XDG's; platformdirs' on other systems) to make the next
start quicker: the parsed template schema, detect-secrets' regexes, compiled Jinja templates. Each
entry is named after what it was made from and records all of it, checked when read: anything that
differs or cannot be read is simply made again. A cache can cost time, never correctness."""

from __future__ import annotations

import contextlib
import os
import sys
import zlib
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


def _source(parts: tuple[object, ...]) -> bytes:
    return "\x00".join(str(part) for part in parts).encode("utf-8", "surrogatepass")


def _name(kind: str, source: bytes) -> str:
    # CRC-32 and length name the entry, not a SHA: hashlib's OpenSSL costs every start 3 ms to load,
    # and the name need not be unique, since an entry records its whole source and is checked.
    return f"{kind}-{zlib.crc32(source):08x}{len(source):x}.pickle"


def _header(source: bytes) -> bytes:
    return len(source).to_bytes(8, "big") + source


def read(kind: str, *parts: object) -> bytes | None:
    """The entry of ``kind`` made from ``parts`` (as given to :func:`write`), or None."""
    source = _source(parts)
    try:
        data = (folder() / _name(kind, source)).read_bytes()
    except OSError:
        return None
    header = _header(source)
    return data[len(header):] if data.startswith(header) else None


def write(kind: str, data: bytes, *parts: object) -> None:
    """Store ``data`` as the entry of ``kind`` made from ``parts``. Written whole or not at all (two
    processes may write the same entry at once); failures are ignored."""
    source = _source(parts)
    with contextlib.suppress(OSError):
        path = folder() / _name(kind, source)
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        temporary.write_bytes(_header(source) + data)
        os.replace(temporary, path)
