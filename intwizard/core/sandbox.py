"""The Jinja sandbox export renders in, tightened for templates that come from anywhere.

Jinja's ``ImmutableSandboxedEnvironment`` already blocks ``__class__``, ``__subclasses__``,
``__globals__`` and the like, and methods that modify lists and dicts. It does not know our
objects: ``schema.path`` is a ``pathlib.Path``, whose ``read_text``/``write_text`` would let a template
read or write any file. And arithmetic such as ``"x" * 10**10`` or ``9**9**9`` would allocate gigabytes
or run for hours before the output cap sees anything. Here both are refused, and ``range`` draws on
a budget per render, so nested loops cannot spin for hours.

What the sandbox cannot see (loops over long strings, macro fan-out, ``~`` and filters such as
``center`` or ``join`` building huge text) is bounded from outside: a template that is not the
built-in one renders in a child process with CPU-time and memory limits (``render.render``). The
loader serves only regular files inside the template folder, after resolving symlinks.
"""

from __future__ import annotations

import contextvars
import os
import stat
import types
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path, PurePath
from typing import Any

from jinja2 import BaseLoader, TemplateNotFound
from jinja2.exceptions import SecurityError
from jinja2.loaders import split_template_path
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import generate_lorem_ipsum

#: Largest string or list a template may build with ``*`` or ``+`` (characters or items).
MAX_BUILT = 16 * 1024 * 1024
#: Largest power a template may compute, in bits.
MAX_POWER_BITS = 64 * 1024
#: How many numbers all the ``range()`` calls of one render may produce together.
RANGE_BUDGET = 1_000_000
#: Largest template file the loader reads.
MAX_TEMPLATE_BYTES = 1024 * 1024
#: ``lipsum()``'s most paragraphs and words per paragraph.
MAX_LIPSUM = 100

_range_left: contextvars.ContextVar[list[int] | None] = contextvars.ContextVar("range_left", default=None)


def _size(value: Any) -> int | None:
    return len(value) if isinstance(value, str | list | tuple) else None


class Sandbox(ImmutableSandboxedEnvironment):
    """An immutable sandbox without file system access, with bounded arithmetic and loops."""

    intercepted_binops = frozenset({"*", "**", "+"})

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.globals["range"] = budgeted_range
        self.globals["lipsum"] = bounded_lipsum

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if isinstance(obj, PurePath | types.ModuleType) or isinstance(value, PurePath | types.ModuleType):
            return False
        return super().is_safe_attribute(obj, attr, value)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "*":
            for sequence, times in ((left, right), (right, left)):
                size = _size(sequence)
                if size is not None and isinstance(times, int) and size * times > MAX_BUILT:
                    raise SecurityError(f"the template builds a value over {MAX_BUILT:,} long with '*'")
        elif operator == "+":
            left_size, right_size = _size(left), _size(right)
            if left_size is not None and right_size is not None and left_size + right_size > MAX_BUILT:
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


def bounded_lipsum(n: int = 5, html: bool = True, min: int = 20, max: int = 100) -> str:
    """Jinja's ``lipsum`` with its sizes checked: a clear error rather than a ValueError from
    ``random`` or gigabytes of filler."""
    sizes = {"n": n, "min": min, "max": max}
    for name, value in sizes.items():
        if not isinstance(value, int) or isinstance(value, bool) or not 0 < value <= MAX_LIPSUM:
            raise SecurityError(f"lipsum({name}={value!r}): give a whole number from 1 to {MAX_LIPSUM}")
    if min > max:
        raise SecurityError(f"lipsum(min={min}, max={max}): min is more than max")
    return str(generate_lorem_ipsum(n=n, html=html, min=min, max=max))


class TemplateLoader(BaseLoader):
    """Loads templates from one folder: only regular files inside it once symlinks are resolved (a
    link to ``/etc/passwd`` or ``../secrets`` is not served), read with a size bound and never
    waiting on a FIFO."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(os.path.realpath(folder))

    def get_source(self, environment: Any, template: str) -> tuple[str, str, Callable[[], bool]]:
        path = self.folder.joinpath(*split_template_path(template))
        real = Path(os.path.realpath(path))
        if not real.is_relative_to(self.folder):
            raise SecurityError(f"the template {template!r} is outside the template folder (through a link); "
                                "not read")
        try:
            info = os.stat(real)
        except OSError:
            raise TemplateNotFound(template) from None
        if not stat.S_ISREG(info.st_mode):
            raise SecurityError(f"the template {template!r} is not a regular file; not read")
        try:
            fd = os.open(real, os.O_RDONLY | os.O_NONBLOCK)
            with os.fdopen(fd, "rb") as handle:
                if not stat.S_ISREG(os.fstat(fd).st_mode):
                    raise SecurityError(f"the template {template!r} is not a regular file; not read")
                data = handle.read(MAX_TEMPLATE_BYTES + 1)
        except OSError:
            raise TemplateNotFound(template) from None
        if len(data) > MAX_TEMPLATE_BYTES:
            raise SecurityError(f"the template {template!r} is over {MAX_TEMPLATE_BYTES // 1024} KB; not read")
        try:
            source = data.decode("utf-8")
        except UnicodeDecodeError:
            raise SecurityError(f"the template {template!r} is not UTF-8 text") from None
        mtime = info.st_mtime_ns

        def uptodate() -> bool:
            try:
                return os.stat(real).st_mtime_ns == mtime
            except OSError:
                return False

        return source, str(path), uptodate

    def list_templates(self) -> list[str]:
        return sorted(str(entry.relative_to(self.folder)) for entry in self.folder.rglob("*") if entry.is_file())
