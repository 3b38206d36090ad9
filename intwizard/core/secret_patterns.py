"""detect-secrets' own regexes, kept in the user's cache folder so a clean draft is scanned without
importing detect-secrets (a fifth of a second, mostly ``requests``, which it imports for vendor
verification we never call).

The cache holds the denylist regexes of the vendor plugins :mod:`intwizard.core.secrets` runs and of the
keyword plugin, exactly as detect-secrets compiles them, with ``re.MULTILINE`` added so ``^``/``$``
hold at every line of a joined text. It is keyed by the size and modification time of the plugin
files, so upgrading detect-secrets rebuilds it. It is a pickle of plain lists, like the schema's cache
(pickle is loaded for that anyway; json would cost every ``set`` 1.5 ms to import). Only when one of
these regexes matches does :mod:`intwizard.core.secrets` import the plugins to find out what matched.
"""

from __future__ import annotations

import contextlib
import importlib.machinery
import pickle
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, NamedTuple

from intwizard.core import user_cache

#: The plugin modules whose regexes are cached (a change in any of them rebuilds the cache).
PLUGIN_FILES = ("aws", "basic_auth", "github_token", "jwt", "private_key", "slack", "stripe", "keyword")
FORMAT = 3
#: The cache entries' name (``secret-patterns-*.pickle`` in the user's cache folder).
CACHE_KIND = "secret-patterns"


class Patterns(NamedTuple):
    """Each vendor plugin's regexes (in the order :func:`intwizard.core.secrets._vendor_plugins` lists
    them) and the keyword plugin's, all multi-line. (Named tuples here, not frozen dataclasses: making
    a dataclass costs every ``set`` and ``export`` half a millisecond at import.)"""

    vendors: tuple[tuple[re.Pattern[str], ...], ...]
    keyword: tuple[re.Pattern[str], ...]


def multiline(regexes: Iterable[re.Pattern[str]]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(regex.pattern, regex.flags | re.MULTILINE) for regex in regexes)


def _plugin_stamp() -> tuple[object, ...] | None:
    """Where detect-secrets is installed and the size and time of its plugin files (stat only, no import).
    Found on ``sys.path`` by the path finder, which the interpreter has loaded already (importlib.util
    would cost every ``set`` 0.5 ms to import); installed any other way, it is imported, only slower."""
    spec = importlib.machinery.PathFinder.find_spec("detect_secrets")
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
    return tuple(parts)


def _encode(patterns: Patterns) -> bytes:
    def pairs(regexes: Iterable[re.Pattern[str]]) -> list[list[str | int]]:
        return [[regex.pattern, int(regex.flags)] for regex in regexes]

    every = [*(regex for regexes in patterns.vendors for regex in regexes), *patterns.keyword]
    return pickle.dumps({"vendors": [pairs(regexes) for regexes in patterns.vendors],
                         "keyword": pairs(patterns.keyword),
                         "needles": [needles_of(regex) for regex in every]})


# -- needles: what a regex cannot match without -----------------------------------------------------
#
# Compiling the regexes is most of what scanning one short value costs (``intwizard set``). Each
# regex (detect-secrets' own) needs one of a few literal texts to match at all ("AKIA", "k_live_",
# "BEGIN RSA PRIVATE KEY", the keyword plugin's "password" ...); found when the cache is made, they let
# a value holding none of them be passed without compiling anything. A regex whose needles cannot be
# told (anything this reading does not understand) always counts as possibly matching.


def needles_of(regex: re.Pattern[str]) -> list[Any] | None:
    """``[ignore_case, [needle, ...]]``: one of the needles is in every text the regex matches (lower
    case when it ignores case); None when they cannot be told."""
    try:
        # CPython's own regex parser: private and absent from typeshed, hence the ignore; any change
        # in it lands in the except below, and the regex is then simply always run.
        from re import _parser  # type: ignore[attr-defined]

        parsed = _parser.parse(regex.pattern, regex.flags)
        found = _sequence(list(parsed), _parser)
    except Exception:
        return None
    if not found:
        return None
    ignore_case = bool(parsed.state.flags & re.IGNORECASE)
    return [ignore_case, sorted({needle.lower() if ignore_case else needle for needle in found})]


def _sequence(items: list[Any], parser: Any) -> list[str] | None:
    """Needles of a sequence of parsed items: the best of each item's (a literal run, a group, a
    branch, a repeat of at least once); None when no item has any."""
    constants = parser.__dict__
    literal, subpattern, branch = constants["LITERAL"], constants["SUBPATTERN"], constants["BRANCH"]
    repeats = {constants[name] for name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT") if name in constants}
    candidates: list[list[str]] = []
    run: list[str] = []
    for op, argument in items:
        if op is literal:
            run.append(chr(argument))
            continue
        if run:
            candidates.append(["".join(run)])
            run = []
        found: list[str] | None = None
        if op is subpattern:
            _group, add_flags, del_flags, inner = argument
            if not add_flags and not del_flags:  # (?i:...) inside would change what matches
                found = _sequence(list(inner), parser)
        elif op is branch:
            options = [_sequence(list(option), parser) for option in argument[1]]
            if all(options):
                found = [needle for option in options for needle in option or ()]
        elif op in repeats:
            low, _high, inner = argument
            if low >= 1:
                found = _sequence(list(inner), parser)
        if found:
            candidates.append(found)
    if run:
        candidates.append(["".join(run)])
    candidates = [candidate for candidate in candidates if all(candidate)]
    if not candidates:
        return None
    return max(candidates, key=lambda candidate: min(len(needle) for needle in candidate))


class Needles(NamedTuple):
    """The needles of every cached regex, in order (None: that regex's are unknown)."""

    each: tuple[tuple[bool, tuple[str, ...]] | None, ...]

    def may_match(self, text: str) -> bool:
        """False only when no regex can match ``text`` (none of its needles is in it)."""
        if any(entry is None for entry in self.each) or not text.isascii():
            return True  # outside ASCII, ignoring case is more than lower-casing (K, ſ): let them run
        lowered = text.lower()
        for entry in self.each:
            assert entry is not None
            ignore_case, needles = entry
            hay = lowered if ignore_case else text
            if any(needle in hay for needle in needles):
                return True
        return False


def load_needles() -> Needles | None:
    """The cached regexes' needles, without compiling any regex; None when the cache has none (then
    the regexes are loaded, which writes them)."""
    stamp = _plugin_stamp()
    if stamp is None:
        return None
    cached = user_cache.read(CACHE_KIND, *stamp)
    if cached is None:
        return None
    try:
        raw = _unpickled(cached)
        each = tuple(None if entry is None else (bool(entry[0]), tuple(str(needle) for needle in entry[1]))
                     for entry in raw["needles"])
        count = sum(len(regexes) for regexes in raw["vendors"]) + len(raw["keyword"])
    except (ValueError, KeyError, TypeError, IndexError):
        return None
    if len(each) != count or not each:
        return None
    return Needles(each)


def _unpickled(data: bytes) -> Any:
    """The cache's plain lists (the user's own cache folder, written by :func:`load`); any damage to
    the file raises ValueError."""
    try:
        return pickle.loads(data)
    except Exception as exc:  # a truncated or foreign file: whatever pickle raises
        raise ValueError("unreadable cache") from exc


def _decode(data: bytes) -> Patterns:
    raw = _unpickled(data)

    def compiled(pairs: list[list[Any]]) -> tuple[re.Pattern[str], ...]:
        # re.UNICODE is implied for str patterns and cannot be combined with re.ASCII
        return tuple(re.compile(pattern, re.RegexFlag(flags)) for pattern, flags in pairs)

    return Patterns(tuple(compiled(pairs) for pairs in raw["vendors"]), compiled(raw["keyword"]))


def load(build: Callable[[], Patterns]) -> Patterns:
    """The cached patterns, or ``build()`` (which imports detect-secrets) stored for next time.
    A cache that cannot be read or written is skipped: the scan is the same, only slower."""
    stamp = _plugin_stamp()
    if stamp is None:
        return build()
    cached = user_cache.read(CACHE_KIND, *stamp)
    if cached is not None:
        with contextlib.suppress(ValueError, KeyError, TypeError, re.error):
            return _decode(cached)
    patterns = build()
    user_cache.write(CACHE_KIND, _encode(patterns), *stamp)
    return patterns
