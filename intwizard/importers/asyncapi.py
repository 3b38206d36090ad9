"""Fill an integration from an AsyncAPI 2.6 or 3.0 document (YAML or JSON).

The document is validated against the official AsyncAPI JSON Schemas (shipped with intwizard in
``asyncapi_schemas/``, Apache-2.0, from the ``@asyncapi/specs`` package), its first errors reported
with their line; ``$ref``s are resolved from local files only (a remote ref is refused, nothing is
fetched), within the limits drafts have (nesting depth, alias expansion). Then it is summarised:

- one endpoint row per operation: ``PUBLISH``/``SUBSCRIBE`` (2.6) or ``SEND``/``RECEIVE`` (3.0), the
  channel address, the summary (or the description's first line), the message name and a sketch of
  its payload, and the reply (3.0) where there is one;
- the base URL from the first server (``protocol://host``, variables replaced by their defaults) and
  the integration type from its protocol (Kafka, AMQP, MQTT ...);
- the authentication from the security schemes the servers use (all defined if none says);
- the main message's payload as the data format, and its headers and payload as the message structure.
"""

from __future__ import annotations

import json
from functools import lru_cache
from itertools import islice
from pathlib import Path
from typing import Any

from intwizard.core.schema import Node
from intwizard.errors import InputError
from intwizard.importers.contract import ASYNCAPI, Contract, Row
from intwizard.importers.openapi_access import scheme_word
from intwizard.importers.openapi_shapes import sketch
from intwizard.importers.openapi_spec import (
    MAX_ERRORS,
    Locator,
    deref,
    invalid,
    parse_document,
    plain,
    ref_name,
    remote_refs,
    resolve_refs,
)

SCHEMA_DIR = Path(__file__).with_name("asyncapi_schemas")
#: AsyncAPI versions read, and the JSON Schema each is validated with.
#: The bundles "without $id" (refs are JSON pointers within the file): the same rules, validated about
#: five times faster than the bundles whose definitions are found by their $id.
VERSIONS = {"2.6": "2.6.0-without-$id.json", "3.0": "3.0.0-without-$id.json"}

#: AsyncAPI's protocol ids in the words people use for them (the integration type).
PROTOCOLS = {"kafka": "Kafka", "kafka-secure": "Kafka", "amqp": "AMQP", "amqps": "AMQP", "amqp1": "AMQP 1.0",
             "mqtt": "MQTT", "secure-mqtt": "MQTT", "mqtt5": "MQTT 5", "nats": "NATS", "jms": "JMS",
             "sns": "Amazon SNS", "sqs": "Amazon SQS", "stomp": "STOMP", "stomps": "STOMP", "redis": "Redis",
             "pulsar": "Pulsar", "solace": "Solace", "ibmmq": "IBM MQ", "googlepubsub": "Google Cloud Pub/Sub",
             "mercure": "Mercure", "anypointmq": "Anypoint MQ", "ws": "WebSocket", "wss": "WebSocket",
             "http": "HTTP", "https": "HTTP"}
#: Security scheme types in the words a spec author would use (matched to the field's options).
_SCHEME_WORDS = {"apiKey": "API Key", "httpApiKey": "API Key", "oauth2": "OAuth 2.0",
                 "openIdConnect": "OpenID Connect", "userPassword": "User and password", "X509": "X.509 certificate",
                 "symmetricEncryption": "Symmetric encryption", "asymmetricEncryption": "Asymmetric encryption",
                 "plain": "SASL PLAIN", "scramSha256": "SASL SCRAM-SHA-256", "scramSha512": "SASL SCRAM-SHA-512",
                 "gssapi": "SASL GSSAPI (Kerberos)"}


def _first_line(text: Any, limit: int = 120) -> str:
    line = next((part.strip() for part in str(text or "").splitlines() if part.strip()), "")
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


@lru_cache(maxsize=2)
def _validator(file: str) -> Any:
    import jsonschema

    schema = json.loads((SCHEMA_DIR / file).read_text(encoding="utf-8"))
    return jsonschema.validators.validator_for(schema)(schema)


def _deepest(error: Any) -> Any:
    """The most telling error under a ``oneOf``/``anyOf`` failure: the one deepest into the document
    (``'publish' is not one of ['send', 'receive']`` rather than "not valid under any of the given
    schemas"), not counting the branch that wanted a ``$ref`` there."""
    leaves = []
    pending = [error]
    while pending:
        current = pending.pop()
        if current.context:
            pending.extend(current.context)
        elif not (current.validator == "required" and "'$ref'" in current.message):
            leaves.append(current)
    return max(leaves, key=lambda leaf: len(leaf.absolute_path), default=error)


def read_asyncapi(path: Path, text: str, data: Any = None) -> tuple[dict[str, Any], str]:
    """The document as plain data and its version (``2.6`` or ``3.0``), validated (``data``: the document
    already parsed, else ``text`` is)."""
    data = parse_document(text, path) if data is None else data
    if not isinstance(data, dict):
        raise InputError("not an AsyncAPI document (expected a mapping at the top)", path=path, line=1)
    version = str(data.get("asyncapi", ""))
    short = ".".join(version.split(".")[:2])
    if short not in VERSIONS:
        raise InputError(f"AsyncAPI {version or '(no version)'} is not supported (2.6 and 3.0 are)", path=path,
                         line=1)
    data = plain(data)
    remote = next(remote_refs(data), None)
    if remote is not None:
        raise InputError(f"remote $ref {remote!r} is not fetched; save it next to the document and refer to the "
                         "file", path=path)
    errors = [_deepest(error) for error in islice(_validator(VERSIONS[short]).iter_errors(data), MAX_ERRORS)]
    if errors:
        raise invalid(f"AsyncAPI {short}", errors, text, path)
    return data, short


def _merged_message(message: Any) -> dict[str, Any]:
    """A message with its traits applied (a trait's headers and other fields fill what the message lacks)."""
    body = deref(message)
    if not isinstance(body, dict):
        return {}
    merged = dict(body)
    for trait in deref(body.get("traits")) or ():
        trait = deref(trait)
        if isinstance(trait, dict):
            for key, value in trait.items():
                merged.setdefault(key, value)
    return merged


def _messages(value: Any, container: bool) -> list[tuple[str, dict[str, Any]]]:
    """(name, message) for a 2.6 ``message`` (one, or ``oneOf``; ``container`` false) or a 3.0 ``messages``
    list or map (``container`` true)."""
    body = deref(value)
    if container:
        items = list(body.values()) if isinstance(body, dict) else list(body) if isinstance(body, list) else []
    elif isinstance(body, dict) and isinstance(deref(body.get("oneOf")), list):
        items = list(deref(body["oneOf"]))
    else:
        items = [value] if isinstance(body, dict) else []
    found = []
    for item in items:
        message = _merged_message(item)
        if message:
            name = str(message.get("name") or ref_name(item) or message.get("title") or "message")
            found.append((name, message))
    return found


def _payload(message: dict[str, Any]) -> Any:
    payload = message.get("payload")
    body = deref(payload)
    if isinstance(body, dict) and "schema" in body and "schemaFormat" in body:
        return body["schema"]  # a 3.0 multi-format schema
    return payload


def _message_text(messages: list[tuple[str, dict[str, Any]]]) -> str:
    parts = []
    for name, message in messages:
        payload = _payload(message)
        shape = sketch(payload) if payload is not None else None
        parts.append(f"{name} {json.dumps(shape, ensure_ascii=False)}" if isinstance(shape, dict | list) else name)
    return " or ".join(parts)


class _Operation:
    def __init__(self, method: str, address: str, purpose: str, messages: list[tuple[str, dict[str, Any]]],
                 response: str, keys: list[str]) -> None:
        self.method, self.address, self.purpose, self.messages = method, address, purpose, messages
        self.response, self.keys = response, keys


def _operations_26(spec: dict[str, Any]) -> list[_Operation]:
    found = []
    for address, channel in (deref(spec.get("channels")) or {}).items():
        channel = deref(channel)
        if not isinstance(channel, dict):
            continue
        for action in ("publish", "subscribe"):
            operation = deref(channel.get(action))
            if not isinstance(operation, dict):
                continue
            messages = _messages(operation.get("message"), False)
            purpose = _first_line(operation.get("summary")) or _first_line(operation.get("description")) \
                or _first_line(channel.get("description")) \
                or next((_first_line(m.get("summary")) for _, m in messages if m.get("summary")), "") \
                or str(operation.get("operationId") or "")
            found.append(_Operation(action.upper(), str(address), purpose, messages, "",
                                    ["channels", str(address), action]))
    return found


def _address(channel: Any) -> str:
    body = deref(channel)
    if not isinstance(body, dict):
        return ""
    address = body.get("address")
    return str(address) if address else ref_name(channel)


def _operations_30(spec: dict[str, Any]) -> list[_Operation]:
    found = []
    for key, operation in (deref(spec.get("operations")) or {}).items():
        operation = deref(operation)
        if not isinstance(operation, dict):
            continue
        channel = operation.get("channel")
        chosen = operation.get("messages")
        messages = _messages(chosen if chosen else (deref(channel) or {}).get("messages"), True)
        channel_body = deref(channel) or {}
        purpose = _first_line(operation.get("summary")) or _first_line(operation.get("description")) \
            or _first_line(operation.get("title")) or _first_line(channel_body.get("description")) \
            or next((_first_line(m.get("summary")) for _, m in messages if m.get("summary")), "") or str(key)
        response = ""
        reply = deref(operation.get("reply"))
        if isinstance(reply, dict):
            reply_messages = _messages(reply.get("messages") or (deref(reply.get("channel")) or {}).get("messages"),
                                       True)
            response = _message_text(reply_messages)
            if not response and reply.get("channel") is not None:
                response = f"reply on {_address(reply.get('channel'))}"
        action = str(operation.get("action", "")).upper()
        found.append(_Operation(action, _address(channel), purpose, messages, response, ["operations", str(key)]))
    return found


def _servers(spec: dict[str, Any]) -> list[dict[str, Any]]:
    servers = deref(spec.get("servers")) or {}
    return [deref(s) for s in servers.values() if isinstance(deref(s), dict)] if isinstance(servers, dict) else []


def _with_defaults(text: str, variables: Any) -> str:
    for name, variable in (deref(variables) or {}).items():
        variable = deref(variable)
        default = variable.get("default", "") if isinstance(variable, dict) else ""
        text = text.replace("{" + str(name) + "}", str(default))
    return text


def base_url(spec: dict[str, Any], version: str) -> str:
    """The first server as ``protocol://host[/path]``, its variables replaced by their defaults."""
    servers = _servers(spec)
    if not servers:
        return ""
    server = servers[0]
    protocol = str(server.get("protocol", "")).strip()
    if version == "2.6":
        url = str(server.get("url", ""))
    else:
        url = str(server.get("host", "")) + str(server.get("pathname", "") or "")
    url = _with_defaults(url, server.get("variables"))
    if "://" not in url and protocol:
        url = f"{protocol}://{url}"
    return url


def authentication(spec: dict[str, Any], version: str, node: Node | None) -> str:
    """The security schemes the servers use (every scheme defined when no server names one)."""
    defined = deref((deref(spec.get("components")) or {}).get("securitySchemes")) or {}
    used: list[dict[str, Any]] = []
    for server in _servers(spec):
        for requirement in deref(server.get("security")) or ():
            if version == "2.6":
                for name in deref(requirement) or {}:
                    scheme = deref(defined.get(name))
                    if isinstance(scheme, dict):
                        used.append(scheme)
            elif isinstance(deref(requirement), dict):
                used.append(deref(requirement))
    if not used:
        used = [deref(s) for s in defined.values() if isinstance(deref(s), dict)]
    words: list[str] = []
    for scheme in used:
        word = scheme_word(scheme, node, _SCHEME_WORDS)
        if word and word not in words:
            words.append(word)
    return ", ".join(words)


def _structure(message: dict[str, Any]) -> str:
    headers = message.get("headers")
    if headers is None:
        return ""
    shape: dict[str, Any] = {"header": sketch(headers)}
    payload = _payload(message)
    if payload is not None:
        shape["payload"] = sketch(payload)
    return json.dumps(shape, indent=2, ensure_ascii=False)


def load_asyncapi(path: Path, text: str, node: Node | None, parsed: Any = None) -> Contract:
    """Read, validate and summarise an AsyncAPI file (``node``: the authentication field; ``parsed``: its
    data when it was parsed already)."""
    data, version = read_asyncapi(path, text, parsed)
    spec = resolve_refs(data, path)
    found = _operations_26(spec) if version == "2.6" else _operations_30(spec)
    locator = Locator(text, path)
    rows = [Row(op.method, op.address, op.purpose, _message_text(op.messages), op.response, locator.line(op.keys))
            for op in found]
    main = next((m for op in found for _, m in op.messages), None)
    data_format = ""
    if main is not None and _payload(main) is not None:
        data_format = json.dumps(sketch(_payload(main)), indent=2, ensure_ascii=False)
    servers = _servers(spec)
    protocol = str(servers[0].get("protocol", "")).lower() if servers else ""
    info = deref(spec.get("info")) or {}
    notes = [] if found else ["the AsyncAPI file has no operations: no endpoint rows"]
    return Contract(ASYNCAPI, f"{info.get('title', '')} {info.get('version', '')}".strip(), rows,
                    base_url=base_url(spec, version), authentication=authentication(spec, version, node),
                    data_format=data_format, message_structure=_structure(main) if main else "",
                    type_value=PROTOCOLS.get(protocol, ""), notes=notes,
                    lines={"base-url": locator.line(["servers"]),
                           "authentication": locator.line(["components", "securitySchemes"])})
