"""The ``intwizard`` click group and what every command shares: options, error handling, warnings.

The command modules (``cli_drafting``, ``cli_reading``, ``cli_importing``, ``cli_templates``) attach
their commands to ``main`` here; ``intwizard.cli`` imports them all. Only click and the small
``errors`` module load at import, so ``--help`` stays fast and free of the terminal UI libraries.
Exit codes: 0 ok, 1 a check failed, 2 usage or input error.
"""

from __future__ import annotations

import importlib
import re
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar, cast

import click

from intwizard.cli.words import worded
from intwizard.errors import InputError

F = TypeVar("F", bound=Callable[..., Any])
DEFAULT_DRAFT = "integration-points.yaml"
EXIT_CHECK_FAILED = 1
EXIT_INPUT = 2


class LazyGroup(click.Group):
    """The group, whose command modules load only when one of their commands runs (``intwizard set``
    need not import what ``diff``, ``import`` or ``catalog`` are made of); ``--help`` loads them all.
    ``lazy`` maps each command's name to the module defining it (kept whole by tests/test_cli.py)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy: dict[str, str] = {}

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands:
            if cmd_name in self.lazy:
                importlib.import_module(self.lazy[cmd_name])
            else:
                self.load_all()  # a mistyped name: "did you mean" chooses among every command
        return super().get_command(ctx, cmd_name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        self.load_all()
        return super().list_commands(ctx)

    def load_all(self) -> None:
        for module in dict.fromkeys(self.lazy.values()):
            importlib.import_module(module)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="intwizard", prog_name="intwizard")
def main() -> None:
    """Write an Integration Points spec as a YAML draft, over as many sittings as it takes,
    and export it as Markdown to commit.

    \b
    Start:    intwizard new                      (full-screen wizard; --plain for prompts)
    Continue: intwizard resume payments.yaml
    Export:   intwizard export payments.yaml     (writes payments.md)
    """


#: What a terminal would act on rather than show: control characters (line breaks and tabs aside), the
#: invisible bidirectional controls that reorder what is shown (U+202E...), and lone surrogates (a
#: non-UTF-8 byte of an argument, which Python keeps as U+DC80..U+DCFF). Left to ``re`` to compile
#: (and keep) on first use: most commands print no user value, and compiling it costs every start 1 ms.
_UNSAFE = "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"


def _escape(char: str, json_style: bool) -> str:
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF and not json_style:
        return f"\\x{code - 0xDC00:02x}"  # the byte the argument had
    return f"\\u{code:04x}" if json_style or code > 0xFF else f"\\x{code:02x}"


def for_terminal(text: str, *, json_style: bool = False) -> str:
    """``text`` with what a terminal would act on shown as escapes (``\\x1b``, ``\\u202e``); with
    ``json_style``, as JSON's own ``\\u`` escapes, so JSON output stays valid."""
    return re.sub(_UNSAFE, lambda match: _escape(match.group(), json_style), text)


def echo(text: str, *, err: bool = False, nl: bool = True) -> None:
    """click.echo of text holding user values, escaped for the terminal."""
    click.echo(for_terminal(text), err=err, nl=nl)


def fail(message: str) -> None:
    """Print one error line and exit with the input-error code."""
    echo(f"intwizard: error: {message}", err=True)
    sys.exit(EXIT_INPUT)


def warn(message: str) -> None:
    """Print one warning line on stderr."""
    echo(f"intwizard: warning: {message}", err=True)


def _is_utf8(text: str) -> bool:
    """Whether ``text`` holds no lone surrogate (the only code points UTF-8 cannot encode)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _refuse_non_utf8(kwargs: dict[str, Any]) -> None:
    """Refuse an argument that is not UTF-8 (a byte like 0xff in a value or file name): saved, it would
    make a draft no command reads again; as a file name, nothing could print it."""
    context = click.get_current_context(silent=True)
    params = {param.name: param for param in context.command.params} if context is not None else {}
    for name, value in kwargs.items():
        for item in value if isinstance(value, tuple | list) else (value,):
            if isinstance(item, str | Path) and not _is_utf8(str(item)):
                param = params.get(name)
                label = (param.opts[0] if isinstance(param, click.Option) else
                         (param.human_readable_name if param is not None else name))
                raise InputError(f"{label} '{for_terminal(str(item))}' is not UTF-8 text; intwizard takes UTF-8 "
                                 "values and file names")


def handles_input_errors(command: F) -> F:
    """Turn the user's mistakes into one clear line and exit code 2, never a traceback."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            _refuse_non_utf8(kwargs)
            return command(*args, **kwargs)
        except InputError as exc:
            fail(worded(exc))
        except KeyboardInterrupt:
            click.echo("\nintwizard: interrupted", err=True)
            sys.exit(130)

    return cast(F, wrapper)


def template_option(command: F) -> F:
    """The ``--template DIR`` option, passed to the command as ``template_dir``."""
    return click.option(
        "--template", "template_dir", type=click.Path(path_type=Path, file_okay=False),
        help="Use the template in this folder (see `intwizard template copy`) instead of the built-in one.",
    )(command)


def allow_secret_option(command: F) -> F:
    """The repeatable ``--allow-secret PATH`` option, passed to the command as ``allow_secrets``."""
    return click.option(
        "--allow-secret", "allow_secrets", multiple=True, metavar="PATH",
        help="Do not warn about a credential-looking value at this field path (a known false positive). Repeatable.",
    )(command)


def load_schema_for(template_dir: Path | None) -> Any:
    """The schema of ``--template`` if given (it must hold a schema.yaml), else the built-in one."""
    from intwizard.core.schema import SchemaError, load_schema

    if template_dir is not None:
        template_dir = template_dir.resolve()
        if not (template_dir / "schema.yaml").is_file():
            raise SchemaError("no schema.yaml in this folder (make one with `intwizard template copy DIR`)",
                              path=template_dir)
    return load_schema(template_dir)


def warn_secrets(schema: Any, data: dict[str, Any], draft: Path, text: Any, allow: tuple[str, ...], *,
                 paths: tuple[str, ...] | list[str] | None = None) -> list[Any]:
    """Warn on stderr about values that look like credentials (masked); returns what was found.
    ``paths``: only the values at these dotted paths (what the command changed)."""
    from intwizard.core.secrets import scan

    found = scan(schema, data, text=text, allow=allow, paths=paths)
    for finding in found:
        click.echo(f"intwizard: warning: {finding.message(draft)}", err=True)
    return found


def upgraded(draft_file: Any) -> Any:
    """An opened draft (``open_draft`` upgrades it in memory), with what the upgrade did reported."""
    upgrade = draft_file.upgrade
    if upgrade is not None and (upgrade.warnings or upgrade.changed):  # else there is nothing to report
        from intwizard.cli.check import report_upgrade

        report_upgrade(draft_file.path, draft_file.upgrade, warn)
    return draft_file


def parse_assignments(assignments: tuple[str, ...]) -> list[tuple[str, str]]:
    """``KEY=VALUE`` arguments as (key, value) pairs; ``\\n`` in a value becomes a line break."""
    pairs = []
    for assignment in assignments:
        key, sep, value = assignment.partition("=")
        if not sep or not key.strip():
            raise InputError(f"{assignment!r} is not KEY=VALUE (e.g. meta.author='Ada Lovelace')")
        pairs.append((key.strip(), value.replace("\\n", "\n")))
    return pairs


def slug(text: str) -> str:
    """A file-name-safe form of ``text`` (lowercase, dashes, at most 60 characters)."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60]


def need_terminal(command: str) -> None:
    """Refuse, with the non-interactive way to do it, when ``command`` has no terminal to talk to."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise InputError(
            f"`intwizard {command}` needs an interactive terminal. Without one, create or fill a draft with "
            "`intwizard new DRAFT --no-input --set KEY=VALUE ...` and `intwizard set DRAFT KEY=VALUE ...`"
        )
