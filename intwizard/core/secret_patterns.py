"""detect-secrets' own regexes, kept in the user's cache folder so a clean draft is scanned without
importing detect-secrets (a fifth of a second, mostly ``requests``, which it imports for vendor
verification we never call).

The cache holds the denylist regexes of the vendor plugins :mod:`intwizard.core.secrets` runs and of the
keyword plugin, exactly as detect-secrets compiles them, with ``re.MULTILINE`` added so ``^``/``$``
hold at every line of a joined text. It is keyed by the size and modification time of the plugin
files, so upgrading detect-secrets rebuilds it. Only when one of these regexes matches does
:mod:`intwizard.core.secrets` import the plugins to find out what matched.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from intwizard.core import user_cache

#: The plugin modules whose regexes are cached (a change in any of them rebuilds the cache).
PLUGIN_FILES = ("aws", "basic_auth", "github_token", "jwt", "private_key", "slack", "stripe", "keyword")
FORMAT = 1


@dataclass(frozen=True)
class Patterns:
    """Each vendor plugin's regexes (in the order :func:`intwizard.core.secrets._vendor_plugins` lists
    them) and the keyword plugin's, all multi-line."""

    vendors: tuple[tuple[re.Pattern[str], ...], ...]
    keyword: tuple[re.Pattern[str], ...]


def multiline(regexes: Iterable[re.Pattern[str]]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(regex.pattern, regex.flags | re.MULTILINE) for regex in regexes)


def _plugin_key() -> str | None:
    """Where detect-secrets is installed and the size and time of its plugin files (stat only, no import)."""
    spec = importlib.util.find_spec("detect_secrets")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations))) / "plugins"
    parts: list[object] = [folder, FORMAT]
    try:
        for name in PLUGIN_FILES:
            info = (folder / f"{name}.py").stat()
            parts += [name, info.st_size, info.st_mtime_ns]
    except OSError:
        return None
    return user_cache.key_of(*parts)


def _encode(patterns: Patterns) -> str:
    def pairs(regexes: Iterable[re.Pattern[str]]) -> list[list[str | int]]:
        return [[regex.pattern, int(regex.flags)] for regex in regexes]

    return json.dumps({"vendors": [pairs(regexes) for regexes in patterns.vendors],
                       "keyword": pairs(patterns.keyword)})


def _decode(text: str) -> Patterns:
    raw = json.loads(text)

    def compiled(pairs: list[list[Any]]) -> tuple[re.Pattern[str], ...]:
        # re.UNICODE is implied for str patterns and cannot be combined with re.ASCII
        return tuple(re.compile(pattern, re.RegexFlag(flags)) for pattern, flags in pairs)

    return Patterns(tuple(compiled(pairs) for pairs in raw["vendors"]), compiled(raw["keyword"]))


def load(build: Callable[[], Patterns]) -> Patterns:
    """The cached patterns, or ``build()`` (which imports detect-secrets) stored for next time.
    A cache that cannot be read or written is skipped: the scan is the same, only slower."""
    key = _plugin_key()
    if key is None:
        return build()
    name = f"secret-patterns-{key}.json"
    cached = user_cache.read(name)
    if cached is not None:
        with contextlib.suppress(ValueError, KeyError, TypeError, re.error):
            return _decode(cached.decode("utf-8"))
    patterns = build()
    user_cache.write(name, _encode(patterns).encode("utf-8"))
    return patterns
