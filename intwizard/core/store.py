"""Reading and writing draft files: round-trip load, atomic save, backups, conflict detection.

A save never leaves a half-written draft: the new text goes to a temp file in the same folder, is
fsynced, gets the old file's mode, and replaces the draft with one rename. The previous version stays
beside it as ``<draft>.bak``. Line endings (CRLF) and a UTF-8 byte order mark are kept.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import stat
import sys
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple, TypeVar, cast

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from intwizard.core.draft import Draft
from intwizard.core.schema import Schema
from intwizard.core.yamlio import (
    block_text,
    check_structure,
    dump_roundtrip,
    guess_indent,
    load_plain_text,
    load_roundtrip_text,
    roundtrip_yaml,
)
from intwizard.errors import ConflictError, EmptyDraftError, InputError

BOM = "\ufeff"
TEMP_SUFFIX = ".intwizard-tmp"
BACKUP_SUFFIX = ".bak"
#: A real spec is a few hundred kilobytes; a bigger file is almost surely the wrong one, and parsing
#: it would take minutes.
MAX_DRAFT_BYTES = 8 * 1024 * 1024


class SaveError(InputError):
    """The draft could not be written (permissions, a full disk); the file on disk is unchanged."""


class FileText(NamedTuple):
    """A text file as read: its text with ``\\n`` line ends, and how to write it back the same way."""

    text: str
    newline: str = "\n"
    bom: bool = False
    data: bytes = b""
    """The file's bytes as read or last written: the conflict check compares them with the file's
    (exact, and cheaper than hashing both: hashlib's OpenSSL costs every start 3 ms to load)."""
    raw: str | None = None
    """The text exactly as in the file (each line with its own ending), without the byte order mark."""

    @property
    def own(self) -> str:
        """The text with its own line ends (what the span editor edits and a save writes)."""
        return self.raw if self.raw is not None else self.text

    def encode(self, text: str) -> bytes:
        """``text`` (``\\n`` line ends) as the file's bytes: its line end, its byte order mark."""
        if self.newline != "\n":
            text = text.replace("\n", self.newline)
        return self.encode_own(text)

    def encode_own(self, text: str) -> bytes:
        """``text`` with its own line ends as the file's bytes (with its byte order mark)."""
        return ((BOM if self.bom else "") + text).encode("utf-8")


def decode(data: bytes, path: Path, what: str = "a YAML draft") -> FileText:
    """Bytes of a draft (or ``what`` else) as text, or a clear error for binary and non-UTF-8 files."""
    if b"\x00" in data[:8192]:
        raise InputError(f"this is a binary file, not {what}", path=path)
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
    return _file_text(text, bom, data)


def _file_text(raw: str, bom: bool, data: bytes) -> FileText:
    newline = "\r\n" if "\r\n" in raw.split("\n", 1)[0] + "\n" and "\r\n" in raw else "\n"
    text = raw.replace("\r\n", "\n") if "\r\n" in raw else raw
    return FileText(text=text, newline=newline, bom=bom, data=data, raw=raw)


def file_kind(mode: int) -> str:
    """What a non-regular file is, in words for a message."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _too_big(size: str, what: str) -> str:
    return (f"the file is {size}; {what} is at most {MAX_DRAFT_BYTES // (1024 * 1024)} MB. "
            "Is this the right file?")


@contextmanager
def _readable(path: Path) -> Iterator[None]:
    """The operating system's refusals to stat or open ``path`` as the user's error, in words."""
    try:
        yield
    except FileNotFoundError:
        raise InputError("no such file", path=path) from None
    except NotADirectoryError:
        raise InputError("no such file (a part of the path is not a folder)", path=path) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", path=path) from None


def check_regular(path: Path, what: str = "a draft") -> None:
    """Refuse, without opening it, a path that is not a regular file of at most MAX_DRAFT_BYTES."""
    with _readable(path):
        info = os.stat(path)
    if not stat.S_ISREG(info.st_mode):
        raise InputError(f"is {file_kind(info.st_mode)}, not a regular file; {what} is a file", path=path)
    if info.st_size > MAX_DRAFT_BYTES:
        raise InputError(_too_big(f"{info.st_size / (1024 * 1024):.0f} MB", what), path=path)


def read_bytes(path: Path, what: str = "a draft") -> bytes:
    """The bytes of a regular file, at most MAX_DRAFT_BYTES of them.

    Only regular files are read (a FIFO would wait forever for a writer, ``/dev/zero`` never ends),
    and the limit counts the bytes actually read, not the size the file system reports.
    """
    check_regular(path, what)
    with _readable(path):
        # O_NONBLOCK: if the path was swapped for a FIFO since the stat, opening it must not wait.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    with os.fdopen(fd, "rb") as handle:
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                raise InputError(f"is {file_kind(info.st_mode)}, not a regular file; {what} is a file", path=path)
            data = handle.read(MAX_DRAFT_BYTES + 1)
        except OSError as exc:
            raise InputError(f"cannot read: {exc.strerror or exc}", path=path) from None
    if len(data) > MAX_DRAFT_BYTES:
        raise InputError(_too_big(f"over {MAX_DRAFT_BYTES // (1024 * 1024)} MB", what), path=path)
    return data


def read_file(path: Path, what: str = "a YAML draft") -> FileText:
    """A draft's text (or, with ``what``, another document's: messages then name that)."""
    data = read_bytes(path, "a draft" if what == "a YAML draft" else what)
    file_text = decode(data, path, what)
    if b"\n<<<<<<<" in data or data.startswith(b"<<<<<<<"):
        from intwizard.core.merge import refuse_markers

        refuse_markers(path, file_text.text)  # each conflict named with its line, not a YAML error
    return file_text


def _check_top(data: Any, path: Path, index: Any = None) -> None:
    """Refuse what is not a draft's data. ``index``: the span editor's index of the text it was read
    from, which knows when the structure checks cannot fail (no aliases, shallow, not too many nodes)."""
    if data is None:
        raise EmptyDraftError("the file is empty", path=path)
    if not isinstance(data, dict):
        found = "list" if isinstance(data, list) else "text" if isinstance(data, str) else type(data).__name__
        raise InputError(f"a draft is a YAML mapping (key: value), but this file holds a {found}",
                         path=path, line=1, column=1)
    from intwizard.core.yamlio import MAX_DEPTH, MAX_VALUES

    if index is not None and not index.anchors and index.depth <= MAX_DEPTH and index.nodes <= MAX_VALUES:
        return  # a tree of plain values (tags were refused while reading it) within the limits
    check_structure(data, path)


def read_plain(path: Path) -> dict[str, Any]:
    """The draft's data as plain dicts and lists, for commands that only read (export, check, get)."""
    file_text = read_file(path)
    data = load_plain_text(file_text.text, path)
    _check_top(data, path)
    return cast(dict[str, Any], data)  # a mapping: _check_top refused anything else


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
    read: Any = field(default=None, repr=False)
    """The plain data the file's text holds (as read or last written): a save compares the tree with
    it and the span editor changes only what differs. None: unknown, the whole document is written."""
    plain_tree: bool = field(default=False, repr=False)
    """The tree was built from plain data (no comments in it): the whole-document fallback reads the
    file round-trip first and carries the changes over."""
    _pending_read: Any = field(default=None, repr=False)
    index: Any = field(default=None, repr=False)
    """The span editor's positions index of the file's text, when known (saves no parse)."""
    _pending_index: Any = field(default=None, repr=False)
    retired: list[Any] | None = field(default=None, repr=False)
    """Where the process ends right after this draft's save (a command line's ``set``): what a save
    replaces (the old positions index and data) goes here rather than being freed, which costs a
    1.4 MB draft 20 ms, to end with the process. None: freed at once, as a long session needs."""

    @property
    def exists(self) -> bool:
        return self._exists

    # -- saving ---------------------------------------------------------------------------------

    def conflict(self) -> bool:
        """True if the file on disk is no longer what this draft was read from or last wrote."""
        if not self._exists:
            return self.path.exists()
        if not os.path.exists(self.path):
            return False  # deleted meanwhile: writing it again loses nothing
        try:
            return read_bytes(self.path) != self.source.data
        except InputError:
            return False  # unreadable or no longer a regular file: the write reports the real problem

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
            from intwizard.core.signoffs import record

            record(self.draft, today)  # a new sign-off remembers what it approved
        from intwizard.core import spanedit
        from intwizard.core.tracked import plain_of

        with spanedit.no_cycle_collection():
            # The parts of the tree unchanged since read are the data read itself (the same objects):
            # the comparison below skips them at once.
            wanted = plain_of(self.draft.data)
        self._pending_read = wanted
        if self._exists and self.read is not None:
            try:
                with spanedit.no_cycle_collection():
                    text, self._pending_index = spanedit.rewrite_indexed(
                        self.source.own, self.read, wanted, index=self.index, indent=self.indent)
            except spanedit.Unplaceable as exc:
                spanedit.note_fallback(str(exc), self.path)
            else:
                return None if text == self.source.own else text
        from intwizard.core.yamlio import to_plain

        # (a copy of its own: containers built from it must not meet one object twice, see plain_of)
        return self._render_whole(to_plain(self.draft.data))

    def _render_whole(self, wanted: Any) -> str | None:
        """The whole-document path: ruamel's dump merged line by line onto the file's text."""
        yaml = roundtrip_yaml(*self.indent)
        tree = self.draft.data
        if self._exists and self.plain_tree:
            # The tree has no comments: carry the changes over to the file read round-trip.
            tree = load_roundtrip_text(self.source.text, self.path, roundtrip_yaml(*self.indent))
            if self.baseline is None:
                self.baseline = dump_roundtrip(tree, yaml)
            tree = _sync(tree, wanted)
        updated = dump_roundtrip(tree, yaml)
        self._pending_dump = updated
        if not self._exists:
            return updated
        if self.baseline is None:
            fresh = load_roundtrip_text(self.source.text, self.path, roundtrip_yaml(*self.indent))
            self.baseline = dump_roundtrip(fresh, yaml)
        if updated == self.baseline:
            return None
        from intwizard.core.textmerge import merge

        merged = merge(self.source.text, self.baseline, updated)
        return merged.replace("\n", self.source.newline) if self.source.newline != "\n" else merged

    def write(self, text: str, *, force: bool = False) -> None:
        """Write ``text`` atomically; refuse if the file changed on disk, unless ``force``.

        The check and the write happen under the file's lock, so no other intwizard process can
        write in between (its edit would be lost while both said "Saved")."""
        data = self.source.encode_own(text)
        if len(data) > MAX_DRAFT_BYTES:
            raise SaveError(f"the draft would be {len(data) / (1024 * 1024):.1f} MB, and intwizard opens drafts of at "
                            f"most {MAX_DRAFT_BYTES // (1024 * 1024)} MB; nothing was written (split it into "
                            "several specs?)", path=self.path)
        with file_lock(self.path):
            if not force and self.conflict():
                raise ConflictError(
                    "the file changed on disk since it was opened; reload it, overwrite it, or save as another file",
                    path=self.path,
                )
            atomic_write(self.path, data, backup=self._exists)
        if self.retired is not None:
            self.retired.append((self.index, self.read, self.baseline))
        self.source = _file_text(text, self.source.bom, data)
        # The data now dumps to what ``render`` produced before merging; unknown, it is recomputed.
        self.baseline, self._pending_dump = self._pending_dump, None
        self.read, self._pending_read = self._pending_read, None
        self.index, self._pending_index = self._pending_index, None
        self._exists = True
        self.draft.changed = False

    def prepare(self) -> None:
        """Read the positions of the file's text now, in a pause, when the last save left them unknown
        (it proved its edit by reading only the changed entries): the next save then needs no parse."""
        if not self._exists or self.read is None or self.index is not None or self.view_only:
            return
        from intwizard.core import spanedit

        try:
            with spanedit.no_cycle_collection():
                self.index = spanedit.build_index(self.source.own)
        except Exception:  # the next save reads it itself (and says what is wrong)
            self.index = None

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
    return draft_from_text(path, schema, read_file(path), baseline=baseline, comments=comments)


def draft_from_text(path: Path, schema: Schema, source: FileText, *, baseline: bool = False,
                    comments: bool = True, indent: tuple[int, int, int] | None = None) -> DraftFile:
    """The draft ``source`` holds, opened for editing like :func:`open_draft` (for a caller that has
    the file's text already: the wizard's save process)."""
    indent = indent or guess_indent(source.text)
    draft_file = _open_view(path, schema, source, indent, view_only=not comments)
    if draft_file is not None and (not comments or draft_file.upgrade is None or not draft_file.upgrade.changed):
        return draft_file
    from intwizard.core.yamlio import to_plain

    data = load_roundtrip_text(source.text, path, roundtrip_yaml(*indent))
    _check_top(data, path)
    draft_file = DraftFile(path=path, draft=Draft(data, schema), source=source, indent=indent,
                           read=to_plain(data))
    if baseline:
        draft_file.baseline = dump_roundtrip(data, roundtrip_yaml(*indent))
    draft_file = _upgraded(draft_file)
    if draft_file.upgrade is not None and draft_file.upgrade.changed:
        # Keys moved by a migration keep their comments through ruamel's round-trip tree: the first
        # save of an upgraded draft writes the whole document (later saves are span edits again).
        from intwizard.core import spanedit

        spanedit.note_fallback("a migration moved keys", path)
        draft_file.read = None
    return draft_file


T = TypeVar("T")


def edit_draft(path: Path, schema: Schema, change: Callable[[DraftFile], T], *,
               today: dt.date | None = None, retired: list[Any] | None = None) -> tuple[DraftFile, bool, T]:
    """Open the draft, make ``change`` to it and save: (the file, whether it was written, what
    ``change`` returned). For commands whose edit is a set of paths (``set``, ``import-openapi``,
    ``diagram --write``).

    The file is read and changed first without the lock (a bad draft or a bad change is refused
    with nothing left behind, not even a lock file). The write happens under the file's lock; if the
    file changed since it was read (another intwizard, an editor), the change is made again to the
    fresh file, still under the lock, so both edits stay. ``change`` may run twice: it must not print.
    ``retired``: see ``DraftFile.retired``.
    """
    draft_file = open_draft(path, schema, baseline=True)
    draft_file.retired = retired
    result = change(draft_file)
    text = draft_file.render(today)
    with file_lock(path):
        if not draft_file.conflict():
            if text is not None:
                draft_file.write(text)
            return draft_file, text is not None, result
        draft_file = open_draft(path, schema, baseline=True)
        draft_file.retired = retired
        result = change(draft_file)
        return draft_file, draft_file.save(today=today), result


def _upgraded(draft_file: DraftFile) -> DraftFile:
    # Every way of opening a draft (CLI, wizard, picker, reload) brings an older one up to the
    # template's version in memory; it is written in the new format only when saved.
    from intwizard.core.migrations import upgrade_draft

    draft_file.upgrade = upgrade_draft(draft_file.draft)
    return draft_file


def _open_view(path: Path, schema: Schema, source: FileText, indent: tuple[int, int, int], *,
               view_only: bool = True) -> DraftFile | None:
    """The draft in ruamel containers built from plain data, or None to read it round-trip.

    Saves change the file through the span editor, which needs no comments in the tree; only its
    whole-document fallback reads the file round-trip (see ``DraftFile._render_whole``)."""
    if "<<" in source.text:
        return None  # merge keys: the plain reader copies merged keys in, the round-trip one does not
    index = tree = None
    try:
        from intwizard.core import spanedit

        # One pass of libyaml's events gives the data, the positions the first save needs and the
        # tree (whose unchanged parts a save takes as the data read: see ``tracked``).
        index, data, tree = spanedit.parse_tree(source.own)
    except Exception:
        try:
            data = load_plain_text(source.text, path)
        except InputError:
            return None  # the round-trip reader's own message, with line and column
    try:
        _check_top(data, path, index)
    except InputError:
        return None
    if tree is None:  # anchors or aliases (or read by ruamel): a container used twice is refused
        from intwizard.core.spanedit import no_cycle_collection

        with no_cycle_collection():
            tree = _tree(data, set())
        if tree is None:
            return None
    draft_file = _upgraded(DraftFile(path=path, draft=Draft(tree, schema), source=source, indent=indent,
                                     view_only=view_only, read=data, plain_tree=True, index=index))
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
        mapping = CommentedMap()
        # CommentedMap(converted) sets key by key through its own __setitem__ (a draft has tens of
        # thousands of keys); a fresh map needs only the ordered dict's and the record of own keys.
        for key, child in converted:
            _set_item(mapping, key, child)
        mapping._ok |= set(value)
        return mapping
    return CommentedSeq(child for _key, child in converted)


_set_item = OrderedDict.__setitem__


def _sync(tree: Any, wanted: Any) -> Any:
    """``tree`` (round-trip containers) changed in place to hold ``wanted``; returns the new value."""
    if isinstance(tree, dict) and isinstance(wanted, dict):
        for key in [key for key in tree if key not in wanted]:
            del tree[key]
        for position, (key, value) in enumerate(wanted.items()):
            if key in tree:
                tree[key] = _sync(tree[key], value)
            else:
                new = _tree(value, set()) if isinstance(value, dict | list) else value
                cast(CommentedMap, tree).insert(position, key, new)
        return tree
    if isinstance(tree, list) and isinstance(wanted, list) and len(tree) == len(wanted):
        for index, value in enumerate(wanted):
            tree[index] = _sync(tree[index], value)
        return tree
    from intwizard.core.spanedit import same

    if same(tree, wanted):
        return tree
    return _tree(wanted, set()) if isinstance(wanted, dict | list) else block_text(wanted)


def new_draft_file(path: Path, draft: Draft) -> DraftFile:
    """A draft not yet on disk; its first save creates the file (refusing to replace one)."""
    return DraftFile(path=path, draft=draft, source=FileText(text=""), _exists=False)


# -- locks and atomic writes ----------------------------------------------------------------------

#: How long a writer waits for another intwizard process saving the same file before giving up.
LOCK_WAIT_SECONDS = 10.0
#: A wait shorter than this (another save's rename) goes unmentioned.
LOCK_QUIET_SECONDS = 1.0
LOCK_SUFFIX = ".lock"


def real_path(path: Path) -> Path:
    """The file a save really writes: symlinks resolved (a dangling one: the file it names)."""
    return Path(os.path.realpath(path))


def lock_path(path: Path) -> Path:
    """The lock file beside the (real) file: ``.NAME.lock``."""
    target = real_path(path)
    return target.with_name(f".{target.name}{LOCK_SUFFIX}")


def _tell_waiting(message: str) -> None:
    print(f"intwizard: {message}", file=sys.stderr, flush=True)


@contextmanager
def file_lock(path: Path, *, wait: float | None = None,
              notice: Callable[[str], None] | None = _tell_waiting) -> Iterator[None]:
    """Hold the per-file lock of ``path`` (a ``filelock`` lock file beside it) for a read-check-write.

    Reentrant within a process. Another intwizard process holding it is waited for, at most
    ``wait`` seconds (LOCK_WAIT_SECONDS), saying so through ``notice``; then a ConflictError. Where no
    lock file can be created (a read-only folder) the save cannot create its temp file either, so it
    goes on unlocked and reports that problem itself.
    """
    where = lock_path(path)
    if not where.parent.is_dir():
        # filelock creates missing folders: a vanished one (an unmounted share) would come back empty
        # and the save "succeed" into it. Unlocked, the save fails and says so.
        yield
        return
    held = _held_here()
    if str(where) in held:  # this thread holds it already (through the quick way below)
        held[str(where)][1] += 1
        try:
            yield
        finally:
            held[str(where)][1] -= 1
        return
    fd = _lock_at_once(where)
    if fd is not None:
        held[str(where)] = [fd, 1]
        try:
            yield
        finally:
            del held[str(where)]
            os.close(fd)  # releases the flock; the lock file stays, as filelock leaves it
        return
    from filelock import FileLock, Timeout  # here: its import (asyncio, sqlite3) costs a save 60 ms

    lock = FileLock(where, is_singleton=True, poll_interval=0.02)
    limit = LOCK_WAIT_SECONDS if wait is None else wait
    try:
        try:
            lock.acquire(timeout=min(LOCK_QUIET_SECONDS, limit))
        except Timeout:
            if notice is not None:
                notice(f"waiting for another intwizard saving {path} (up to {limit:.0f} s)...")
            lock.acquire(timeout=max(0.0, limit - LOCK_QUIET_SECONDS))
    except Timeout:
        raise ConflictError(f"another intwizard process kept this file locked for {limit:.0f} s; nothing was "
                            "written, try again", path=path) from None
    except OSError:
        yield
        return
    try:
        yield
    finally:
        lock.release()


_HELD = threading.local()


def _held_here() -> dict[str, list[int]]:
    """Lock files this thread holds through :func:`_lock_at_once`: path -> [descriptor, depth]."""
    held = getattr(_HELD, "locks", None)
    if held is None:
        held = _HELD.locks = {}
    return cast(dict[str, list[int]], held)


def _lock_at_once(where: Path) -> int | None:
    """The lock taken without waiting, the way filelock's UnixFileLock takes it (an exclusive
    ``flock`` on the same lock file, opened without following a link), so either excludes the other;
    None when it is held elsewhere or this system locks otherwise (then filelock waits for it).

    Why not filelock itself: importing it (asyncio, sqlite3) costs ~60 ms, half of what ``intwizard
    set`` on a typical draft may take in all; the uncontended lock needs one ``open`` and one ``flock``.
    Waiting, reporting the wait and the time-out, and every other system stay filelock's."""
    if os.name != "posix":
        return None
    try:
        import fcntl
    except ImportError:  # pragma: no cover - every POSIX Python has it
        return None
    try:
        fd = os.open(where, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o666)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:  # held by another (process or thread), or no flock here: filelock decides
        os.close(fd)
        return None
    return fd


def _temp_prefix(path: Path) -> str:
    return f".{path.name}."


def _temp_name(path: Path) -> Path:
    """The one temp file a save of ``path`` uses (under the lock, so one name is enough: a folder that
    keeps failed temp files, e.g. append-only, collects at most this one)."""
    return path.with_name(f"{_temp_prefix(path)}new{TEMP_SUFFIX}")


def _backup_temp(path: Path) -> Path:
    return path.with_name(f"{_temp_prefix(path)}bak{TEMP_SUFFIX}")


def clean_stale_temps(path: Path) -> list[Path]:
    """Remove temp files a crashed save left beside ``path``; returns what was removed.

    Takes the file's lock: every save holds it while its temp files exist, so what is found then
    belongs to nobody (a save in another process is never robbed of its temp file)."""
    with file_lock(path, notice=None):
        return _clean_stale_temps(real_path(path))


def _clean_stale_temps(path: Path) -> list[Path]:
    removed: list[Path] = []
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


def _default_mode() -> int:
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


def _write_new(temp: Path, data: bytes, info: os.stat_result | None) -> None:
    """Create ``temp`` (never following a link, never reusing a file) with ``data``, the old file's
    mode and, where the process may, its owner and group."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(temp, flags, 0o600)
    except FileExistsError:
        raise SaveError(f"cannot save: {temp.name} is left from an earlier failed save and cannot be removed "
                        "(is the folder append-only?); the file on disk is unchanged", path=temp) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if info is not None and (info.st_uid != os.geteuid() or info.st_gid != os.getegid()):
                with contextlib.suppress(OSError):
                    os.fchown(handle.fileno(), info.st_uid, info.st_gid)
            os.fchmod(handle.fileno(), stat.S_IMODE(info.st_mode) if info is not None else _default_mode())
            os.fsync(handle.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise


def atomic_write(path: Path, data: bytes, *, backup: bool = True, lock: bool = True) -> None:
    """Replace ``path`` with ``data`` in one rename, keeping its mode and the old version as ``.bak``.

    Through a symlink the link's target is written (in its own folder, ``.bak`` beside it). A file
    with other hard links is written in place after a backup copy, so every name keeps seeing it.
    The backup changes only when the save succeeds. ``lock=False`` is for generated files (an
    export): no lock file beside them, a temp file of a unique name, and no cleaning of others'.
    """
    target = real_path(path)
    try:
        if lock:
            with file_lock(path):
                _clean_stale_temps(target)
                _atomic_write(target, data, backup, _temp_name(target))
        else:
            import tempfile

            fd, name = tempfile.mkstemp(prefix=_temp_prefix(target), suffix=TEMP_SUFFIX, dir=target.parent)
            os.close(fd)
            os.unlink(name)  # only the unique name: _write_new creates it exclusively
            _atomic_write(target, data, backup, Path(name))
    except OSError as exc:
        raise SaveError(f"cannot save: {exc.strerror or exc}; the file on disk is unchanged", path=path) from None


def _atomic_write(target: Path, data: bytes, backup: bool, temp: Path) -> None:
    try:
        info: os.stat_result | None = os.stat(target)
    except FileNotFoundError:
        info = None
    if info is not None and not stat.S_ISREG(info.st_mode):
        raise SaveError(f"is {file_kind(info.st_mode)}, not a regular file; nothing was written", path=target)
    if info is not None and _other_links(target, info):
        _write_in_place(target, data, info, backup)
        return
    _write_new(temp, data, info)
    kept = None
    try:
        if backup and info is not None:
            kept = _backup_temp(target)
            with contextlib.suppress(FileNotFoundError):
                kept.unlink()
            try:
                os.link(target, kept)  # the current version under a second name: no copy
            except OSError:
                _write_new(kept, target.read_bytes(), info)  # file systems without hard links
        os.replace(temp, target)
    except BaseException:
        for leftover in (temp, kept):
            if leftover is not None:
                with contextlib.suppress(OSError):
                    leftover.unlink()
        raise
    if kept is not None:
        os.replace(kept, target.with_name(target.name + BACKUP_SUFFIX))  # only now: the save stayed
    _fsync_dir(target.parent)


def _other_links(target: Path, info: os.stat_result) -> bool:
    """Whether names other than the draft and its own ``.bak`` (a save killed midway links them)
    point at this file."""
    links = info.st_nlink
    for mine in (target.with_name(target.name + BACKUP_SUFFIX), _backup_temp(target)):
        try:
            if os.path.samestat(os.stat(mine), info):
                links -= 1
        except OSError:
            pass
    return links > 1


def _write_in_place(target: Path, data: bytes, info: os.stat_result, backup: bool) -> None:
    """Overwrite a hard-linked file through its own inode, the old bytes kept as ``.bak`` (a copy)."""
    old = target.read_bytes()
    kept = _backup_temp(target)
    if backup:
        with contextlib.suppress(FileNotFoundError):
            kept.unlink()
        _write_new(kept, old, info)
    try:
        fd = os.open(target, os.O_RDWR)
        with os.fdopen(fd, "r+b") as handle:
            with contextlib.suppress(OSError, AttributeError):
                os.posix_fallocate(handle.fileno(), 0, len(data))  # a full disk fails here, before any change
            try:
                handle.write(data)
                handle.truncate(len(data))
                handle.flush()
                os.fsync(handle.fileno())
            except BaseException:
                handle.seek(0)
                handle.write(old)
                handle.truncate(len(old))
                handle.flush()
                raise
    except BaseException:
        with contextlib.suppress(OSError):
            kept.unlink()
        raise
    if backup:
        os.replace(kept, target.with_name(target.name + BACKUP_SUFFIX))
        _fsync_dir(target.parent)


def write_output(path: Path, data: bytes) -> None:
    """Write an export: a character device or FIFO (``/dev/stdout``, a pipe) is written into, a
    symlink's target is replaced atomically, a folder is refused."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise SaveError(f"cannot write: {exc.strerror or exc}", path=path) from None
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise SaveError("is a folder; give a file name with -o", path=path)
    if info is not None and (stat.S_ISCHR(info.st_mode) or stat.S_ISFIFO(info.st_mode)):
        try:
            fd = os.open(path, os.O_WRONLY | getattr(os, "O_NOCTTY", 0))
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
        except OSError as exc:
            raise SaveError(f"cannot write: {exc.strerror or exc}", path=path) from None
        return
    atomic_write(path, data, backup=False, lock=False)


_DRAFT_MARK = re.compile(r"^intwizard\s*:", re.MULTILINE)


def looks_like_draft(path: Path) -> bool:
    """Whether a YAML file is an intwizard draft (it has the top-level ``intwizard:`` record).

    Read as text, so a draft with a YAML mistake still counts as a draft (and gets its error)."""
    if not path.is_file():
        return True  # a FIFO or device is not read here (it could wait or never end): the command says what it is
    try:
        with path.open("rb") as handle:
            head = handle.read(1 << 20).decode("utf-8", errors="replace").removeprefix("\ufeff")
    except OSError:
        return True  # let the command report why it cannot be read
    return _DRAFT_MARK.search(head) is not None
