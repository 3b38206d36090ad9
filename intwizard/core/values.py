"""What a value of each schema kind may be: parse typed text into a value, and say what is wrong.

One implementation for every consumer: ``intwizard set``, the wizard's fields, the prompts and
``intwizard check`` all call :func:`problem` and :func:`parse`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlsplit

from intwizard.core.schema import NOT_APPLICABLE, Node

_TRUE = frozenset({"true", "yes", "y", "x", "1", "done", "on"})
_FALSE = frozenset({"false", "no", "n", "", "0", "off"})
_URL_SCHEMES = frozenset({"http", "https", "ws", "wss", "grpc", "grpcs", "amqp", "amqps", "kafka",
                          "sftp", "ftp", "ftps", "s3", "gs", "redis", "rediss", "postgres",
                          "postgresql", "mysql", "mongodb", "tcp", "nats", "mqtt", "mqtts"})


class ValueProblem(ValueError):
    """A typed value the field cannot take; the message says why in the user's terms."""


def as_text(value: Any) -> str:
    """A stored value as the text a person typed (dates as YYYY-MM-DD, nothing as '')."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if not (value.hour or value.minute or value.second) else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def as_mapping(value: Any) -> dict[Any, Any]:
    """``value`` if it is a mapping, else an empty one (a hand-edited draft can hold anything anywhere)."""
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list[Any]:
    """``value`` if it is a list, else an empty one."""
    return value if isinstance(value, list) else []


def is_blank(value: Any) -> bool:
    """No answer yet: nothing, an empty or all-space string, an empty list or mapping."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list | tuple | dict):
        return len(value) == 0
    return False


def not_applicable(value: Any) -> str | None:
    """The reason of a "not applicable" answer (``{not_applicable: reason}``), or None if it is none."""
    if isinstance(value, dict) and NOT_APPLICABLE in value:
        return as_text(value[NOT_APPLICABLE]).strip()
    return None


def mark_not_applicable(reason: str) -> dict[str, str]:
    """The draft's form of a "not applicable" answer."""
    return {NOT_APPLICABLE: reason.strip()}


def same_as_example(node: Node, value: Any) -> bool:
    """The value is still the template's example (or its hint typed out), compared line by line."""
    if is_blank(value):
        return False
    candidates = [node.example] if node.example is not None else []
    if node.hint and node.kind in ("line", "text"):
        candidates.append(node.hint)
    return any(_comparable(value) == _comparable(candidate) for candidate in candidates)


def _comparable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _comparable(v) for k, v in value.items() if not is_blank(v)}
    if isinstance(value, list | tuple):
        return [_comparable(item) for item in value]
    return [line.rstrip() for line in as_text(value).strip().splitlines()]


def example_text(node: Node) -> str:
    """What an empty field shows greyed out while it is edited: the template's example (a table's
    aside), else its bracketed placeholder."""
    if isinstance(node.example, str):
        return node.example
    if isinstance(node.example, list) and all(isinstance(item, str) for item in node.example):
        return "\n".join(node.example)  # a list's example, one item per line as it is typed
    return node.placeholder


def parse_bool(text: str) -> bool:
    lowered = text.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ValueProblem(f"expected yes or no, got {text!r}")


def parse_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise ValueProblem(f"{text!r} is not a date (use YYYY-MM-DD)") from None


def url_problem(text: str) -> str | None:
    try:
        parts = urlsplit(text.strip())
    except ValueError as exc:  # urllib: "Invalid IPv6 URL" for an unclosed ``[`` (``http://[``)
        return f"{text!r} is not a URL ({exc})"
    if " " in text.strip():
        return "a URL has no spaces"
    if not parts.scheme or not parts.netloc:
        return f"{text!r} is not a URL (e.g. https://api.example.com/v1)"
    if parts.scheme.lower() not in _URL_SCHEMES:
        return f"unknown URL scheme {parts.scheme!r}"
    return None


def json_problem(text: str) -> str | None:
    import json  # here: only a JSON field's value needs it, and its import costs every `set` 1.5 ms

    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        return f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
    return None


def choice_match(node: Node, text: str) -> str | None:
    """The option ``text`` names, matched without regard to case; None if it names none."""
    wanted = text.strip().casefold()
    return next((option for option in node.options if option.casefold() == wanted), None)


def problem(node: Node, value: Any, in_table: bool = False) -> str | None:
    """What is wrong with a stored value of this field, or None. Blank values are not wrong here
    (missing answers are the checks' business). A table cell (a column's node, or ``in_table``) may
    hold several lines: the export writes them with ``<br>`` and the import reads them back."""
    if is_blank(value):
        return None
    if isinstance(value, dict) and NOT_APPLICABLE in value:
        reason = value[NOT_APPLICABLE]
        if reason is not None and not isinstance(reason, str | int | float):
            return f"{NOT_APPLICABLE}: the reason must be text"
        if node.kind not in ("section", "checklist", "signoff", "role") and len(value) > 1:
            return f"{NOT_APPLICABLE} stands alone: remove the other keys or the mark"
        return None
    kind = node.kind
    if kind in ("line", "text", "code", "choice") and not isinstance(value, str):
        if isinstance(value, bool | int | float | dt.date):
            value = as_text(value)  # YAML read 8080 or 2024-01-01: fine as text
        else:
            return f"expected text, found a {type(value).__name__}"
    if kind == "line":
        if "\n" in value.strip() and not (in_table or node.cell):
            return "one line only"
        if node.validate == "url":
            return url_problem(value)
        return None
    if kind == "code" and node.validate == "json":
        return json_problem(value)
    if kind == "choice":
        if node.free_text or choice_match(node, value) == value:
            return None
        return f"{value!r} is not one of: {', '.join(node.options)}"
    if kind == "date":
        if isinstance(value, dt.date):
            return None
        try:
            parse_date(str(value))
        except ValueProblem as exc:
            return str(exc)
        return None
    if kind == "check" and not isinstance(value, bool):
        return f"expected true or false, found {as_text(value)!r}"
    if kind in ("table", "group", "list") and not isinstance(value, list):
        return f"expected a list, found a {type(value).__name__}"
    if kind in ("section", "checklist", "signoff", "role") and not isinstance(value, dict):
        return f"expected a mapping, found a {type(value).__name__}"
    return None


def parse(node: Node, text: str) -> Any:
    """Turn typed text into the value to store, or raise :class:`ValueProblem` saying why not.

    Used where a wrong value must be refused (``intwizard set``); the wizard instead keeps what was
    typed and shows :func:`problem`.
    """
    if node.kind == "check":
        return parse_bool(text)
    if node.kind == "date":
        return parse_date(text) if text.strip() else ""
    if node.kind == "choice" and text.strip():
        matched = choice_match(node, text)
        if matched is not None:
            return matched
        if not node.free_text:
            raise ValueProblem(f"{text!r} is not one of: {', '.join(node.options)}")
    if not node.is_scalar:
        raise ValueProblem(f"{node.label} is a {node.kind}: set its parts (e.g. {node.path}.0...)")
    found = problem(node, text)
    if found:
        raise ValueProblem(found)
    return text
