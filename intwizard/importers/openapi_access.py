"""Where the API lives and how callers authenticate: the base URL and the security schemes in use.

The schemes are named in the words a spec author would use, then matched to the authentication
field's own options (from the schema) when it has them.
"""

from __future__ import annotations

from typing import Any

from intwizard.core.schema import Node
from intwizard.core.values import choice_match
from intwizard.importers.openapi_operations import all_operations
from intwizard.importers.openapi_spec import deref

#: OpenAPI's security scheme types in the words a spec author would use (matched to the field's options).
_SCHEME_WORDS = {"apiKey": "API Key", "oauth2": "OAuth 2.0", "openIdConnect": "OpenID Connect",
                 "mutualTLS": "Mutual TLS"}
_HTTP_SCHEME_WORDS = {"basic": "Basic Auth", "bearer": "Bearer token", "digest": "Digest Auth"}


def base_url(spec: dict[str, Any]) -> str:
    """The first server's URL with its variables replaced by their defaults ('' without servers)."""
    servers = deref(spec.get("servers")) or []
    if not servers or not isinstance(deref(servers[0]), dict):
        return ""
    server = deref(servers[0])
    url = str(server.get("url", ""))
    for name, variable in (deref(server.get("variables")) or {}).items():
        default = deref(variable).get("default", "") if isinstance(deref(variable), dict) else ""
        url = url.replace("{" + str(name) + "}", str(default))
    return url


def authentication(spec: dict[str, Any], node: Node | None) -> str:
    """The security schemes the API uses (all it defines if it says none), in the field's words."""
    schemes = deref(deref(spec.get("components") or {}).get("securitySchemes")) or {}
    used: list[str] = []
    requirements = list(deref(spec.get("security")) or [])
    for operation in all_operations(spec):
        requirements += list(deref(operation.get("security")) or [])
    for requirement in requirements:
        used += [str(name) for name in (deref(requirement) or {}) if str(name) not in used]
    names = used or [str(name) for name in schemes]
    words: list[str] = []
    for name in names:
        scheme = deref(schemes.get(name))
        if not isinstance(scheme, dict):
            continue
        word = scheme_word(scheme, node)
        if word and word not in words:
            words.append(word)
    return ", ".join(words)


def scheme_word(scheme: dict[str, Any], node: Node | None, kinds: dict[str, str] | None = None) -> str:
    """A security scheme in the author's words (``kinds``: the scheme types' words, OpenAPI's by
    default), matched to the field's options where ``node`` has them."""
    kind = str(scheme.get("type", ""))
    if kind == "http":
        http = str(scheme.get("scheme", "")).lower()
        word = _HTTP_SCHEME_WORDS.get(http, f"HTTP {http}".strip())
        if http == "bearer" and scheme.get("bearerFormat"):
            word += f" ({scheme['bearerFormat']})"
    else:
        word = (_SCHEME_WORDS if kinds is None else kinds).get(kind, kind)
    return (choice_match(node, word) or word) if node is not None else word
