"""Reading and writing draft files: round-trip load, atomic save, backups, conflict detection.

A save never leaves a half-written draft: the new text goes to a temp file in the same folder, is
fsynced, gets the old file's mode, and replaces the draft with one rename. The previous version stays
beside it as ``<draft>.bak``. Line endings (CRLF) and a UTF-8 byte order mark are kept.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import stat
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from intwizard.draft import Draft
from intwizard.errors import ConflictError, InputError
from intwizard.schema import Schema
from intwizard.textmerge import merge
from intwizard.yamlio import (
    check_structure,
    dump_roundtrip,
    guess_indent,
    load_plain_text,
    load_roundtrip_text,
    roundtrip_yaml,
)

BOM = "\ufeff"
TEMP_SUFFIX = ".intwizard-tmp"
BACKUP_SUFFIX = ".bak"
#: A real spec is a few hundred kilobytes; a bigger file is almost surely the wrong one, and parsing
#: it would take minutes.
MAX_DRAFT_BYTES = 8 * 1024 * 1024


class SaveError(InputError):
    """The draft could not be written (permissions, a full disk); the file on disk is unchanged."""


@dataclass
class FileText:
    """A text file as read: its text with ``\\n`` line ends, and how to write it back the same way."""

    text: str
    newline: str = "\n"
    bom: bool = False
    digest: str = ""

    def encode(self, text: str) -> bytes:
        if self.newline != "\n":
            text = text.replace("\n", self.newline)
        return ((BOM if self.bom else "") + text).encode("utf-8")


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def decode(data: bytes, path: Path) -> FileText:
    """Bytes of a draft as text, or a clear error for binary and non-UTF-8 files."""
    if b"\x00" in data[:8192]:
        raise InputError("this is a binary file, not a YAML draft", path=path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InputError(
            f"not UTF-8 text (byte 0x{data[exc.start]:02x}); save the file as UTF-8",
            path=path, line=line, column=column,
        ) from None
    bom = text.startswith(BOM)
    if bom:
        text = text[1:]
    newline = "\r\n" if "\r\n" in text.split("\n", 1)[0] + "\n" and "\r\n" in text else "\n"
    if "\r\n" in text:
        text = text.replace("\r\n", "\n")
    return FileText(text=text, newline=newline, bom=bom, digest=digest(data))


def read_file(path: Path) -> FileText:
    try:
        if path.stat().st_size > MAX_DRAFT_BYTES:
            raise InputError(f"the file is {path.stat().st_size / (1024 * 1024):.0f} MB; a draft is at most "
                             f"{MAX_DRAFT_BYTES // (1024 * 1024)} MB. Is this the right file?", path=path)
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError("no such file", path=path) from None
    except IsADirectoryError:
        raise InputError("is a folder, not a draft file", path=path) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", path=path) from None
    file_text = decode(data, path)
    if b"\n<<<<<<<" in data or data.startswith(b"<<<<<<<"):
        from intwizard.merge import refuse_markers

        refuse_markers(path, file_text.text)  # each conflict named with its line, not a YAML error
    return file_text


def _check_top(data: Any, path: Path) -> None:
    if data is None:
        raise InputError("the file is empty; create a draft with `intwizard new`", path=path)
    if not isinstance(data, dict):
        found = "list" if isinstance(data, list) else "text" if isinstance(data, str) else type(data).__name__
        raise InputError(f"a draft is a YAML mapping (key: value), but this file holds a {found}",
                         path=path, line=1, column=1)
    check_structure(data, path)


def read_plain(path: Path) -> dict[str, Any]:
    """The draft's data as plain dicts and lists, for commands that only read (export, check, get)."""
    file_text = read_file(path)
    data = load_plain_text(file_text.text, path)
    _check_top(data, path)
    return data


@dataclass
class DraftFile:
    """A draft opened for editing, remembering the text it came from so a save changes only edits."""

    path: Path
    draft: Draft
    source: FileText
    indent: tuple[int, int, int] = (2, 4, 2)
    baseline: str | None = None
    """ruamel's dump of the data as last read or written (computed on the first save)."""
    _exists: bool = field(default=True, repr=False)
    _pending_dump: str | None = field(default=None, repr=False)
    upgrade: Any = None
    """What opening it did to bring an older draft up to the template's version (a migrations.Upgrade)."""
    view_only: bool = False
    """The tree was built from plain data (``open_draft(comments=False)``): it has no comments or
    styles, so it is never dumped over the author's file; the wizard saves through its own copy."""
    plain: dict[str, Any] | None = field(default=None, repr=False)
    """For a view-only read: that plain data, equal to the tree as opened (None if opening changed
    the tree, e.g. an upgrade). Read-only: the wizard's checks and preview start from it."""

    @property
    def exists(self) -> bool:
        return self._exists

    # -- saving ---------------------------------------------------------------------------------

    def conflict(self) -> bool:
        """True if the file on disk is no longer what this draft was read from or last wrote."""
        if not self._exists:
            return self.path.exists()
        try:
            return digest(self.path.read_bytes()) != self.source.digest
        except FileNotFoundError:
            return False  # deleted meanwhile: writing it again loses nothing
        except OSError:
            return False  # unreadable: the write will report the real problem

    def render(self, today: dt.date | None = None) -> str | None:
        """The text to write, or None when nothing changed. Slow on big drafts: call it off the UI thread."""
        if self.view_only:
            raise RuntimeError("a draft opened with comments=False is never saved from its own tree")
        if self._exists and not self.draft.changed:
            return None
        if self.draft.changed:
            updated_field = self.draft.schema.auto_field("updated")
            if updated_field is not None:
                changed = self.draft.changed
                self.draft.set_value(updated_field.path, today or dt.date.today())
                self.draft.changed = changed
            from intwizard.signoffs import record

            record(self.draft, today)  # a new sign-off remembers what it approved
        yaml = roundtrip_yaml(*self.indent)
        updated = dump_roundtrip(self.draft.data, yaml)
        self._pending_dump = updated
        if not self._exists:
            return updated
        if self.baseline is None:
            fresh = load_roundtrip_text(self.source.text, self.path, roundtrip_yaml(*self.indent))
            self.baseline = dump_roundtrip(fresh, yaml)
        if updated == self.baseline:
            return None
        return merge(self.source.text, self.baseline, updated)

    def write(self, text: str, *, force: bool = False) -> None:
        """Write ``text`` atomically; refuse if the file changed on disk, unless ``force``."""
        if not force and self.conflict():
            raise ConflictError(
                "the file changed on disk since it was opened; reload it, overwrite it, or save as another file",
                path=self.path,
            )
        data = self.source.encode(text)
        atomic_write(self.path, data, backup=self._exists)
        self.source = FileText(text=text, newline=self.source.newline, bom=self.source.bom, digest=digest(data))
        # The data now dumps to what ``render`` produced before merging; unknown, it is recomputed.
        self.baseline, self._pending_dump = self._pending_dump, None
        self._exists = True
        self.draft.changed = False

    def save(self, *, force: bool = False, today: dt.date | None = None) -> bool:
        """Render and write if anything changed. Returns whether the file was written."""
        text = self.render(today)
        if text is None:
            return False
        self.write(text, force=force)
        return True


def open_draft(path: Path, schema: Schema, *, baseline: bool = False, comments: bool = True) -> DraftFile:
    """Read a draft for editing (round-trip, keeping comments and formatting).

    ``baseline=True`` dumps the data as read right away, for a caller about to edit and save: the
    first save then needs no second parse of the file (on a 1 MB draft that saves ~15 s).

    ``comments=False`` is for the wizard, which never saves from this tree (its save process reads
    the file's text round-trip itself): the tree is built from the C loader's plain data, ten times
    faster than the round-trip parse, which was a fifth of the wizard's start. A file that does not
    read that way, or whose plain data could differ from its round-trip reading (merge keys, one
    list or mapping shared by anchors), is read round-trip instead, so errors and edits are the same.
    """
    source = read_file(path)
    indent = guess_indent(source.text)
    if not comments:
        draft_file = _open_view(path, schema, source, indent)
        if draft_file is not None:
            return draft_file
    data = load_roundtrip_text(source.text, path, roundtrip_yaml(*indent))
    _check_top(data, path)
    draft_file = DraftFile(path=path, draft=Draft(data, schema), source=source, indent=indent)
    if baseline:
        draft_file.baseline = dump_roundtrip(data, roundtrip_yaml(*indent))
    return _upgraded(draft_file)


def _upgraded(draft_file: DraftFile) -> DraftFile:
    # Every way of opening a draft (CLI, wizard, picker, reload) brings an older one up to the
    # template's version in memory; it is written in the new format only when saved.
    from intwizard.migrations import upgrade_draft

    draft_file.upgrade = upgrade_draft(draft_file.draft)
    return draft_file


def _open_view(path: Path, schema: Schema, source: FileText, indent: tuple[int, int, int]) -> DraftFile | None:
    """The draft in ruamel containers built from plain data, or None to read it round-trip."""
    if "<<" in source.text:
        return None  # merge keys: the plain reader copies merged keys in, the round-trip one does not
    try:
        data = load_plain_text(source.text, path)
        _check_top(data, path)
    except InputError:
        return None  # the round-trip reader's own message, with line and column
    tree = _tree(data, set())
    if tree is None:
        return None
    draft_file = _upgraded(DraftFile(path=path, draft=Draft(tree, schema), source=source, indent=indent,
                                     view_only=True))
    upgrade = draft_file.upgrade
    draft_file.plain = None if draft_file.draft.changed or (upgrade is not None and upgrade.changed) else data
    return draft_file


def _tree(value: Any, seen: set[int]) -> Any:
    """Fresh ruamel containers for plain data; None when a container appears twice (a YAML alias:
    the round-trip tree shares it, so an edit there shows in both places)."""
    if not isinstance(value, dict | list):
        return value
    if id(value) in seen:
        return None
    seen.add(id(value))
    items = value.items() if isinstance(value, dict) else enumerate(value)
    converted = []
    for key, item in items:
        child = _tree(item, seen)
        if child is None and item is not None:
            return None
        converted.append((key, child))
    if isinstance(value, dict):
        return CommentedMap(converted)
    return CommentedSeq(child for _key, child in converted)


def new_draft_file(path: Path, draft: Draft) -> DraftFile:
    """A draft not yet on disk; its first save creates the file (refusing to replace one)."""
    return DraftFile(path=path, draft=draft, source=FileText(text=""), _exists=False)


# -- atomic writes ----------------------------------------------------------------------------------


def _temp_prefix(path: Path) -> str:
    return f".{path.name}."


def clean_stale_temps(path: Path) -> list[Path]:
    """Remove temp files a crashed save left beside ``path``; returns what was removed."""
    removed = []
    prefix = _temp_prefix(path)
    try:
        entries = list(path.parent.iterdir())
    except OSError:
        return removed
    for entry in entries:
        if entry.name.startswith(prefix) and entry.name.endswith(TEMP_SUFFIX):
            try:
                entry.unlink()
                removed.append(entry)
            except OSError:
                pass
    return removed


def _file_mode(path: Path) -> int:
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _write_temp(path: Path, data: bytes, mode: int) -> Path:
    fd, name = tempfile.mkstemp(prefix=_temp_prefix(path), suffix=TEMP_SUFFIX, dir=path.parent)
    temp = Path(name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, mode)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return temp


def atomic_write(path: Path, data: bytes, *, backup: bool = True) -> None:
    """Replace ``path`` with ``data`` in one rename, keeping its mode and the old version as ``.bak``."""
    clean_stale_temps(path)
    mode = _file_mode(path)
    try:
        temp = _write_temp(path, data, mode)
        try:
            if backup and path.exists():
                _keep_backup(path)
            os.replace(temp, path)
        except BaseException:
            temp.unlink(missing_ok=True)
            raise
        _fsync_dir(path.parent)
    except OSError as exc:
        raise SaveError(f"cannot save: {exc.strerror or exc}; the file on disk is unchanged", path=path) from None


def _keep_backup(path: Path) -> None:
    """Point ``<draft>.bak`` at the current version (a hard link: no copy, and atomic)."""
    backup = path.with_name(path.name + BACKUP_SUFFIX)
    link = path.with_name(f"{_temp_prefix(path)}bak{TEMP_SUFFIX}")
    link.unlink(missing_ok=True)
    try:
        try:
            os.link(path, link)
        except OSError:
            link.write_bytes(path.read_bytes())  # file systems without hard links
        os.replace(link, backup)
    except BaseException:
        link.unlink(missing_ok=True)
        raise
