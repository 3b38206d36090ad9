"""Credentials pasted into a draft: find them, name the field, never print them whole.

Detection is detect-secrets' own: its vendor plugins (AWS, Stripe, GitHub, Slack, private keys,
JWTs, passwords inside URLs) and its keyword plugin run on every line of every text value. Its
entropy plugins flag ordinary words too, so they run only on fields the schema marks
``sensitive: true`` (authentication and connection fields), on long tokens that mix letters and digits.
Only ``analyze_string`` is called: detect-secrets' ``verify`` would send the secret to the vendor.
Its regexes are first run over all the values at once from a cache (:mod:`intwizard.core.secret_patterns`);
detect-secrets itself is imported only when one matches, or when a sensitive field holds a long
token of letters and digits for the entropy plugins to judge.

A known false positive is silenced by ``# intwizard: allow-secret`` on the value's line in the YAML
(for a ``|`` block: on the key's line), or by naming its path (``allow=``, ``--allow-secret``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from typing import Any, NamedTuple

from intwizard.core import secret_patterns
from intwizard.core.schema import Node, Schema
from intwizard.core.secret_patterns import Patterns, multiline

ALLOW_MARKER = "intwizard: allow-secret"
#: Entropy (bits per character) above which a long token in a sensitive field looks random.
BASE64_LIMIT = 4.0
HEX_LIMIT = 3.0
MIN_BASE64_TOKEN = 20
MIN_HEX_TOKEN = 32
#: A value line longer than this is scanned in pieces (the keyword regexes backtrack on huge lines).
_CHUNK = 4096

# Patterns left to ``re`` to compile (and keep) on first use: a ``set`` of a value holding no needle of
# detect-secrets' regexes (secret_patterns) uses none of them, and compiling them cost its start 0.5 ms.
_ALLOW = r"(?i)#\s*" + re.escape(ALLOW_MARKER)
_BLOCK_HEADER = r"^\s*(?:-\s+)*(?:[^#]*:\s+)?[|>][-+0-9]*\s*(?:#.*)?$"
_BASE64_TOKEN = rf"[A-Za-z0-9+/=_\-]{{{MIN_BASE64_TOKEN},}}"
_HEX_TOKEN = rf"(?<![A-Za-z0-9])[0-9a-fA-F]{{{MIN_HEX_TOKEN},}}(?![A-Za-z0-9])"
_KEYWORD_TOKEN = r"[^\s,;]+"


class SecretFinding(NamedTuple):
    """A value that looks like a credential: where it is and what kind, with the secret masked.
    (A named tuple, not a frozen dataclass: making a dataclass costs every ``set`` 0.7 ms at import.)"""

    path: str
    """Draft path with list indexes, e.g. ``external_system_integrations.0.connection_details.base_url``."""
    kind: str
    masked: str
    secret: str = ""
    """The raw match, for locating it in the file; never printed."""
    line: int = 0
    """Line in the YAML file (1-based) where the secret is, when it could be found."""

    def message(self, file: object = None) -> str:
        """``file:line: path: looks like a <kind> (<masked>) ...``."""
        where = f"{file}:{self.line}: " if file and self.line else (f"{file}: " if file else "")
        return (f"{where}{self.path}: looks like a {self.kind} ({self.masked}); keep credentials out of the spec, "
                f"or add `# {ALLOW_MARKER}` to that line if it is not one")

    def __repr__(self) -> str:  # the raw secret stays out of logs and test output
        return f"SecretFinding(path={self.path!r}, kind={self.kind!r}, masked={self.masked!r}, line={self.line})"


def mask(secret: str) -> str:
    """The first few characters and the length: enough to recognise, too little to use."""
    shown = min(4, len(secret) // 4)
    return f"{secret[:shown]}{'*' * min(8, len(secret) - shown)}… {len(secret)} chars"


@lru_cache(maxsize=1)
def _vendor_plugins() -> tuple[Any, ...]:
    from detect_secrets.plugins.aws import AWSKeyDetector
    from detect_secrets.plugins.basic_auth import BasicAuthDetector
    from detect_secrets.plugins.github_token import GitHubTokenDetector
    from detect_secrets.plugins.jwt import JwtTokenDetector
    from detect_secrets.plugins.private_key import PrivateKeyDetector
    from detect_secrets.plugins.slack import SlackDetector
    from detect_secrets.plugins.stripe import StripeDetector

    return (AWSKeyDetector(), StripeDetector(), GitHubTokenDetector(), SlackDetector(), PrivateKeyDetector(),
            JwtTokenDetector(), BasicAuthDetector())


@lru_cache(maxsize=1)
def _keyword() -> tuple[Any, dict[Any, Any]]:
    from detect_secrets.plugins.keyword import CONFIG_DENYLIST_REGEX_TO_GROUP, KeywordDetector

    return KeywordDetector(), CONFIG_DENYLIST_REGEX_TO_GROUP


@lru_cache(maxsize=1)
def _entropy() -> tuple[Any, Any]:
    from detect_secrets.plugins.high_entropy_strings import Base64HighEntropyString, HexHighEntropyString

    return Base64HighEntropyString(limit=BASE64_LIMIT), HexHighEntropyString(limit=HEX_LIMIT)


def _looks_like_value(token: str) -> bool:
    """A keyword's value that is a credential, not prose: ``password: hunter2`` yes,
    ``Secret: stored in Vault`` no (a word without digits), ``${TOKEN}``/``<token>`` no."""
    from detect_secrets.filters.heuristic import is_prefixed_with_dollar_sign, is_templated_secret

    token = token.strip("`'\".()[]")
    if len(token) < 6 or is_templated_secret(token) or is_prefixed_with_dollar_sign(token):
        return False
    return any(char.isdigit() for char in token) and any(char.isalpha() for char in token)


def _random_token(token: str, plugin: Any, limit: float) -> bool:
    if not _mixed(token):
        return False
    from detect_secrets.filters.heuristic import is_potential_uuid, is_sequential_string

    if is_sequential_string(token) or is_potential_uuid(token):
        return False
    return bool(plugin.calculate_shannon_entropy(token) > limit)


def _whole_match(plugin: Any, secret: str, line: str) -> str:
    """The whole match when a plugin's regex captured only a prefix (GitHub's ``(ghp|gho|...)_``)."""
    if len(secret) >= 8:
        return secret
    for regex in plugin.denylist:
        for match in regex.finditer(line):
            if secret in match.group(0):
                return str(match.group(0))
    return secret


def _base64_tokens(line: str) -> Iterator[str]:
    """Long base64-alphabet tokens; a URL path is judged segment by segment (a padded ``=`` token whole)."""
    for token in re.findall(_BASE64_TOKEN, line):
        if "/" in token and not token.endswith("=") and "+" not in token:
            yield from (part for part in token.split("/") if len(part) >= MIN_BASE64_TOKEN)
        else:
            yield token


def _lines(text: str) -> Iterator[str]:
    for line in text.splitlines():
        for start in range(0, max(len(line), 1), _CHUNK):
            yield line[max(0, start - 100): start + _CHUNK]  # overlap: a match across a cut is still seen


def _build_patterns() -> Patterns:
    return Patterns(tuple(multiline(plugin.denylist) for plugin in _vendor_plugins()), multiline(_keyword()[1]))


@lru_cache(maxsize=1)
def _needles() -> secret_patterns.Needles | None:
    return secret_patterns.load_needles()


@lru_cache(maxsize=1)
def _patterns() -> Patterns:
    """The vendor plugins' and the keyword plugin's regexes, from the user's cache when it has them."""
    return secret_patterns.load(_build_patterns)


def _mixed(token: str) -> bool:
    return any(char.isdigit() for char in token) and any(char.isalpha() for char in token)


def _entropy_candidates(text: str) -> bool:
    """Whether a sensitive text has a long token of letters and digits the entropy plugins would judge."""
    return any(_mixed(token) for token in re.findall(_HEX_TOKEN, text)) or \
        any(_mixed(token) for token in _base64_tokens(text))


def _plugins_to_run(texts: list[str]) -> tuple[tuple[Any, ...], bool]:
    """The plugins whose own regexes match somewhere in all the texts at once (scanning every line
    with every plugin is most of an export's time on a typical draft), and whether the keyword one
    does. When nothing matches, detect-secrets is not even imported."""
    everything = "\n".join(texts)
    needles = _needles()
    if needles is not None and not needles.may_match(everything):
        return (), False  # nothing any regex needs is there: none is even compiled
    patterns = _patterns()
    matching = [index for index, regexes in enumerate(patterns.vendors) if any(r.search(everything) for r in regexes)]
    keywords = any(regex.search(everything) for regex in patterns.keyword)
    plugins = _vendor_plugins() if matching else ()
    return tuple(plugins[index] for index in matching), keywords


def scan_value(text: str, *, sensitive: bool = False, plugins: tuple[Any, ...] | None = None,
               keywords: bool | None = None) -> list[tuple[str, str]]:
    """``(kind, raw secret)`` for each credential in one field's text, line by line. ``plugins`` and
    ``keywords`` narrow which detectors run; left out, the text's own regex matches decide."""
    if plugins is None or keywords is None:
        matching, any_keyword = _plugins_to_run([text])
        plugins = matching if plugins is None else plugins
        keywords = any_keyword if keywords is None else keywords
    if not (plugins or keywords or (sensitive and _entropy_candidates(text))):
        return []
    found: dict[str, str] = {}
    for line in _lines(text):
        for plugin in plugins:
            for secret in plugin.analyze_string(line):
                found.setdefault(_whole_match(plugin, secret, line), plugin.secret_type)
        if keywords:
            keyword, keyword_regexes = _keyword()
            for candidate in keyword.analyze_string(line, denylist_regex_to_group=keyword_regexes):
                token = next(iter(re.findall(_KEYWORD_TOKEN, candidate)), "")
                if _looks_like_value(token) and not any(token in secret or secret in token for secret in found):
                    found.setdefault(token.strip("`'\".()[]"), "password or key after a keyword")
        if sensitive:
            hex_tokens = [token for token in re.findall(_HEX_TOKEN, line) if _mixed(token)]
            base64_tokens = [token for token in _base64_tokens(line) if _mixed(token)]
            if not (hex_tokens or base64_tokens):
                continue
            base64, hexa = _entropy()
            for token in hex_tokens:
                if _random_token(token, hexa, HEX_LIMIT) and not any(token in secret for secret in found):
                    found.setdefault(token, "random-looking hex string")
            for token in base64_tokens:
                if _random_token(token, base64, BASE64_LIMIT) and not any(token in s or s in token for s in found):
                    found.setdefault(token, "random-looking key or token")
    return [(kind, secret) for secret, kind in found.items()]


def field_warning(node: Node, value: Any) -> str | None:
    """What a front end shows under one field holding a credential (masked), or None.

    For the wizard's and the prompts' fields: ``flag(problem(node, value) or field_warning(node, value))``.
    """
    texts = [value] if isinstance(value, str) else [item for item in value if isinstance(item, str)] \
        if isinstance(value, list) else []
    for text in texts:
        for kind, secret in scan_value(text, sensitive=node.sensitive):
            return f"looks like a {kind} ({mask(secret)}); keep credentials out of the spec"
    return None


def _values(node: Node | None, value: Any, path: str, sensitive: bool) -> Iterator[tuple[str, str, bool]]:
    """Every text value under ``value`` as ``(path, text, sensitive)``, guided by the schema
    where it knows the key (unknown keys are scanned too: they are kept and exported as written)."""
    sensitive = sensitive or (node is not None and node.sensitive)
    if isinstance(value, str):
        yield path, value, sensitive
    elif isinstance(value, dict):
        children = () if node is None else (node.children if node.kind != "signoff" else node.roles)
        for key, child_value in value.items():
            child = next((candidate for candidate in children if candidate.key == str(key)), None)
            if child is not None and child.kind == "role":
                child = node  # a role's parts are the sign-off's fields
            yield from _values(child, child_value, f"{path}.{key}" if path else str(key), sensitive)
    elif isinstance(value, list):
        item_node = node if node is not None and node.kind in ("group", "table") else None
        for index, item in enumerate(value):
            if item_node is not None:
                # A group's or table's entry is a mapping of its children: walk it as a section.
                yield from _values(_entry(item_node), item, f"{path}.{index}", sensitive)
            else:
                yield from _values(None, item, f"{path}.{index}", sensitive)


def _under(node: Node | None, value: Any, parts: list[str], sensitive: bool
           ) -> tuple[Node | None, Any, bool] | None:
    """What :func:`_values` walks at ``parts`` below ``value`` (its node, value and sensitivity), by
    the same rules; None when the data has nothing there."""
    for part in parts:
        sensitive = sensitive or (node is not None and node.sensitive)
        if isinstance(value, dict):
            key = next((key for key in value if str(key) == part), None)
            if key is None:
                return None
            children = () if node is None else (node.children if node.kind != "signoff" else node.roles)
            child = next((candidate for candidate in children if candidate.key == part), None)
            if child is not None and child.kind == "role":
                child = node
            node, value = child, value[key]
        elif isinstance(value, list):
            if not part.isdigit() or int(part) >= len(value):
                return None
            item_node = node if node is not None and node.kind in ("group", "table") else None
            node, value = (_entry(item_node) if item_node is not None else None), value[int(part)]
        else:
            return None
    return node, value, sensitive


def _values_at(schema: Schema, data: dict[str, Any], paths: Iterable[str]) -> Iterator[tuple[str, str, bool]]:
    """:func:`_values` of the values at ``paths`` only (each once, a path inside another skipped)."""
    wanted = sorted({path.strip(".") for path in paths if path.strip(".")})
    kept = [path for index, path in enumerate(wanted)
            if not any(path.startswith(other + ".") for other in wanted[:index])]
    for path in kept:
        found = _under(_root(schema), data, path.split("."), False)
        if found is not None:
            yield from _values(found[0], found[1], path, found[2])


def _entry(node: Node) -> Node:
    return node._replace(kind="section", sensitive=False)


def _root(schema: Schema) -> Node:
    return Node(key="", label="", kind="section", path="", children=schema.sections)


def allowed_lines(text: str) -> set[int]:
    """0-based lines where a secret is allowed: a line with the marker, and the lines of a ``|`` or
    ``>`` block whose header line carries it."""
    lines = text.split("\n")
    allowed: set[int] = set()
    for number, line in enumerate(lines):
        if not re.search(_ALLOW, line):
            continue
        allowed.add(number)
        if re.match(_BLOCK_HEADER, line):
            indent = len(line) - len(line.lstrip(" "))
            for following in range(number + 1, len(lines)):
                body = lines[following]
                if body.strip() and len(body) - len(body.lstrip(" ")) <= indent:
                    break
                allowed.add(following)
    return allowed


TextSource = str | Callable[[], str] | None


def scan(schema: Schema, data: dict[str, Any], *, text: TextSource = None,
         allow: Iterable[str] = (), paths: Iterable[str] | None = None) -> list[SecretFinding]:
    """Credentials in a draft's data, minus those allowed by path or by a marker comment in ``text``
    (the YAML file's text, or a function reading it: only called when something was found).
    ``paths`` limits the scan to the values at those dotted paths (what a ``set`` changed)."""
    allow = tuple(path.strip(".") for path in allow)
    walked = _values(_root(schema), data, "", False) if paths is None else _values_at(schema, data, paths)
    values = [(path, value, sensitive) for path, value, sensitive in walked
              if not any(path == allowed or path.startswith(allowed + ".") for allowed in allow)]
    plugins, keywords = _plugins_to_run([value for _path, value, _sensitive in values])
    hits: list[tuple[str, str, str]] = []
    for path, value, sensitive in values:
        if not (plugins or keywords or (sensitive and _entropy_candidates(value))):
            continue
        for kind, secret in scan_value(value, sensitive=sensitive, plugins=plugins, keywords=keywords):
            hits.append((path, kind, secret))
    if not hits:
        return []
    source = text() if callable(text) else text
    lines = source.split("\n") if source else []
    permitted = allowed_lines(source) if source else set()
    findings = []
    for path, kind, secret in hits:
        where = [number for number, line in enumerate(lines) if secret in line]
        if where and all(number in permitted for number in where):
            continue
        findings.append(SecretFinding(path=path, kind=kind, masked=mask(secret), secret=secret,
                                      line=where[0] + 1 if where else 0))
    return findings
