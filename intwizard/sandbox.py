"""The Jinja sandbox export renders in, tightened for templates that come from anywhere.

Jinja's ``ImmutableSandboxedEnvironment`` already blocks ``__class__``, ``__subclasses__``,
``__globals__`` and the like, and methods that modify lists and dicts. It does not know our
objects: ``schema.path`` is a ``pathlib.Path``, whose ``read_text``/``write_text`` would let a template
read or write any file. And arithmetic such as ``"x" * 10**10`` or ``9**9**9`` would allocate gigabytes
or run for hours before the output cap sees anything. Here both are refused, and ``range`` draws on
a budget per render, so nested loops cannot spin for hours.
"""

from __future__ import annotations

import contextvars
import types
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import PurePath
from typing import Any

from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

#: Largest string or list a template may build with ``*`` or ``+`` (characters or items).
MAX_BUILT = 16 * 1024 * 1024
#: Largest power a template may compute, in bits.
MAX_POWER_BITS = 64 * 1024
#: How many numbers all the ``range()`` calls of one render may produce together.
RANGE_BUDGET = 1_000_000

_range_left: contextvars.ContextVar[list[int] | None] = contextvars.ContextVar("range_left", default=None)


def _size(value: Any) -> int | None:
    return len(value) if isinstance(value, str | list | tuple) else None


class Sandbox(ImmutableSandboxedEnvironment):
    """An immutable sandbox without file system access, with bounded arithmetic and loops."""

    intercepted_binops = frozenset({"*", "**", "+"})

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.globals["range"] = budgeted_range

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if isinstance(obj, PurePath | types.ModuleType) or isinstance(value, PurePath | types.ModuleType):
            return False
        return super().is_safe_attribute(obj, attr, value)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "*":
            for sequence, times in ((left, right), (right, left)):
                if _size(sequence) is not None and isinstance(times, int) and _size(sequence) * times > MAX_BUILT:
                    raise SecurityError(f"the template builds a value over {MAX_BUILT:,} long with '*'")
        elif operator == "+":
            if _size(left) is not None and _size(right) is not None and _size(left) + _size(right) > MAX_BUILT:
                raise SecurityError(f"the template builds a value over {MAX_BUILT:,} long with '+'")
        elif operator == "**" and isinstance(left, int) and isinstance(right, int) \
                and max(abs(left), 2).bit_length() * abs(right) > MAX_POWER_BITS:
            raise SecurityError("the template computes a power too large to be a number in a document")
        return super().call_binop(context, operator, left, right)


def budgeted_range(*args: int) -> range:
    """``range`` for templates: each call's length is charged to the render's budget."""
    numbers = range(*args)
    left = _range_left.get()
    if left is not None:
        left[0] -= len(numbers)
        if left[0] < 0:
            raise SecurityError(f"the template's loops ran past {RANGE_BUDGET:,} steps of range()")
    elif len(numbers) > RANGE_BUDGET:
        raise SecurityError(f"range() over {RANGE_BUDGET:,} numbers")
    return numbers


@contextmanager
def render_budget() -> Iterator[None]:
    """A fresh ``range`` budget for one render."""
    token = _range_left.set([RANGE_BUDGET])
    try:
        yield
    finally:
        _range_left.reset(token)
