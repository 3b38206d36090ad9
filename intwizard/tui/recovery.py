"""The recovery file: what the wizard had not yet saved when something unexpected went wrong.

Written beside the draft as ``<draft>.recovery`` (``spec.yaml`` -> ``spec.yaml.recovery``: not a
``.yaml``, so no hook or glob takes it for a draft). It holds:

* ``edits``: the edits not yet on disk, as the wizard's ops (plain values). Replayed on the draft
  they were made to (``base_sha256`` of its text matches), they restore exactly what the author
  typed, and the draft's comments and layout stay as they are.
* ``document``: the whole draft as it was in the wizard (plain values, no comments): if the draft
  changed since, nothing is replayed, and this is there to copy from by hand.
* ``error``: what went wrong (the traceback, for a bug report).

``intwizard resume`` (the wizard) offers to restore it; ``resume --plain`` says it is there. Plain
YAML (the safe dumper: fast, and never the round-trip dump), core modules only.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from io import StringIO
from pathlib import Path
from typing import Any

from intwizard.core.store import atomic_write
from intwizard.core.yamlio import safe_yaml
from intwizard.errors import InputError
from intwizard.tui.session import Op

SUFFIX = ".recovery"
HEADER = ("# intwizard recovery file: edits to {name} that were not saved when the wizard stopped on an\n"
          "# unexpected error. `intwizard resume {name}` offers to put them back; delete this file to drop them.\n")


def recovery_path(draft: Path) -> Path:
    return draft.with_name(draft.name + SUFFIX)


def text_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class Recovery:
    path: Path
    written: str
    error: str
    base_sha256: str
    """Digest of the draft's text the edits were made to ('' for a draft not yet on disk)."""
    edits: list[Op] = field(default_factory=list)
    document: Any = None

    def fits(self, text: str | None) -> bool:
        """The edits were made to this text (None: the draft is not on disk)."""
        return self.base_sha256 == ("" if text is None else text_digest(text))

    @property
    def summary(self) -> str:
        first = self.error.strip().splitlines()[-1] if self.error.strip() else "unknown error"
        return f"{len(self.edits)} unsaved edit{'s' if len(self.edits) != 1 else ''} from {self.written} ({first})"


def _op_record(op: Op) -> dict[str, Any]:
    record: dict[str, Any] = {"op": op.name, "path": op.path}
    if op.value is not None:
        record["value"] = op.value
    if op.index:
        record["index"] = op.index
    if op.offset:
        record["offset"] = op.offset
    return record


def write_recovery(draft: Path, base_text: str | None, edits: list[Op], document: Any, error: str,
                   now: dt.datetime | None = None) -> Path:
    """Write the recovery file beside ``draft``; returns its path. Raises OSError/InputError when it
    cannot be written (the caller says so)."""
    target = recovery_path(draft)
    data = {
        "recovery_of": draft.name,
        "written": (now or dt.datetime.now()).strftime("%Y-%m-%d %H:%M:%S"),
        "base_sha256": "" if base_text is None else text_digest(base_text),
        "edits": [_op_record(op) for op in edits],
        "document": document,
        "error": error.rstrip("\n").split("\n"),  # one line per item: readable, unlike one escaped string
    }
    stream = StringIO()
    stream.write(HEADER.format(name=draft.name))
    yaml = safe_yaml()
    yaml.default_flow_style = False  # read by people too: block style, keys in the order above
    yaml.sort_base_mapping_type_on_output = False  # type: ignore[assignment]  # ruamel declares it None
    yaml.width = 100
    yaml.dump(data, stream)
    atomic_write(target, stream.getvalue().encode("utf-8"), backup=False)
    return target


def read_recovery(draft: Path) -> Recovery | None:
    """The recovery file beside ``draft``, or None when there is none. A damaged one raises InputError."""
    target = recovery_path(draft)
    try:
        text = target.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise InputError(f"cannot read it: {exc.strerror or exc}", path=target) from None
    try:
        data = safe_yaml().load(text)
    except Exception as exc:  # any YAML error: the file is damaged, say so rather than stop
        raise InputError(f"not a readable recovery file ({exc.__class__.__name__})", path=target) from None
    if not isinstance(data, dict) or not isinstance(data.get("edits"), list):
        raise InputError("not an intwizard recovery file", path=target)
    edits = []
    for record in data["edits"]:
        if not isinstance(record, dict) or not isinstance(record.get("op"), str):
            raise InputError("an edit in it is damaged", path=target)
        edits.append(Op(record["op"], str(record.get("path", "")), record.get("value"),
                        int(record.get("index") or 0), int(record.get("offset") or 0)))
    error = data.get("error", "")
    error = "\n".join(str(line) for line in error) if isinstance(error, list) else str(error)
    return Recovery(target, str(data.get("written", "")), error,
                    str(data.get("base_sha256", "")), edits, data.get("document"))


def drop_recovery(draft: Path) -> None:
    """Remove the recovery file (its edits were restored and saved, or the author discarded them)."""
    recovery_path(draft).unlink(missing_ok=True)
