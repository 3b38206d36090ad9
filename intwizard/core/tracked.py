"""Round-trip containers that know whether their data changed since the file was read.

A draft opened from plain data (``store._open_view``) gets its tree in these containers, each holding
the plain data it was made from (``_plain``) and the container it was made inside (``_parent``). Every
method that may change a container's items (all of the classes' methods but those in
:data:`READ_ONLY`, wrapped here by enumerating the classes, so a method a newer ruamel adds is
wrapped too) first forgets the plain data of the container and of every container it was made
inside. A save then takes the unchanged parts of the tree as the very objects it read
(:func:`plain_of`), so turning the tree into plain data and comparing it with the data read costs
what the edit touched, not the whole draft.

Why that is exact: a container still holding ``_plain`` had no change of its own, and no change in
any container below it reached through the links it was made with (each such change forgot the plain
data all the way up). Any other link below it (a container put there, or one moved) was made by
changing a container on the way, which forgot it too. Forgetting is never undone, so a container
without ``_plain`` has none above it either, and marking stops at the first such one. What is not
one of these containers (a plain dict, a CommentedMap made elsewhere) is always walked.
"""

from __future__ import annotations

import functools
import types
import weakref
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.representer import RoundTripRepresenter

#: Methods of CommentedMap and CommentedSeq (and their bases) that never change the container's
#: items. Every other method is wrapped to mark the container changed; the tests check each of
#: these leaves the items as they were.
READ_ONLY = frozenset({
    "__add__", "__contains__", "__copy__", "__deepcopy__", "__delattr__", "__dir__", "__eq__", "__format__",
    "__ge__", "__getattribute__", "__getitem__", "__getsingleitem__", "__getstate__", "__gt__", "__hash__",
    "__iter__", "__le__", "__len__", "__lt__", "__mul__", "__ne__", "__or__", "__reduce__", "__reduce_ex__",
    "__repr__", "__reversed__", "__rmul__", "__ror__", "__setattr__", "__sizeof__", "__str__",
    "_items", "_keys", "_unmerged_contains", "_yaml_get_column", "_yaml_get_columnX", "_yaml_get_pre_comment",
    "copy", "copy_attributes", "count", "get", "index", "items", "keys", "mlget", "non_merged_items", "values",
    "yaml_anchor",
})

#: Attribute kinds that are not methods of an instance (class methods, static methods, classes).
_NOT_INSTANCE_METHODS = (classmethod, staticmethod, type, types.ClassMethodDescriptorType,
                         types.BuiltinFunctionType, property)


def _changed(container: Any) -> None:
    """Forget the plain data of ``container`` and of the containers it was made inside."""
    while container is not None and container._plain is not None:
        container._plain = None
        parent = container._parent
        container = parent() if parent is not None else None


def _marking(method: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(method)
    def marked(self: Any, *args: Any, **kwargs: Any) -> Any:
        _changed(self)
        return method(self, *args, **kwargs)

    return marked


def _without_tracking(state: Any) -> Any:
    """A pickled or copied container's state without its plain data and parent: a copy is a new
    container, always walked."""
    if isinstance(state, dict):
        return {key: value for key, value in state.items() if key not in ("_plain", "_parent")}
    if isinstance(state, tuple) and len(state) == 2:
        return (_without_tracking(state[0]), state[1])
    return state


class TrackedMap(CommentedMap):
    """A CommentedMap that knows whether its items changed since it was read (see the module)."""

    _plain: dict[str, Any] | None = None
    """The plain data of its items as read; None once anything in it may have changed."""
    _parent: Any = None
    """A weak reference to the container it was read inside (None: the top, or made afterwards); weak,
    so the tree holds no reference cycles and is freed as soon as it is dropped."""

    def __getstate__(self) -> Any:
        return _without_tracking(super().__getstate__())


class TrackedSeq(CommentedSeq):
    """A CommentedSeq that knows whether its items changed since it was read (see the module)."""

    _plain: list[Any] | None = None
    _parent: Any = None

    def __getstate__(self) -> Any:
        return _without_tracking(super().__getstate__())


def wrapped_methods(cls: type) -> list[str]:
    """The names of ``cls``'s instance methods that are not :data:`READ_ONLY` (wrapped to mark)."""
    names = []
    for name in dir(cls):
        if name in READ_ONLY:
            continue
        # The attribute as the class defines it (what inspect.getattr_static finds; inspect itself
        # costs every start 10 ms to import).
        attribute = next(klass.__dict__[name] for klass in cls.__mro__ if name in klass.__dict__)
        if isinstance(attribute, _NOT_INSTANCE_METHODS) or not callable(attribute):
            continue
        names.append(name)
    return names


def _wrap(cls: type, base: type) -> None:
    for name in wrapped_methods(base):
        if name not in cls.__dict__:
            setattr(cls, name, _marking(getattr(base, name)))


_wrap(TrackedMap, CommentedMap)
_wrap(TrackedSeq, CommentedSeq)
# ruamel finds a representer by the exact class: these dump as the containers they extend.
RoundTripRepresenter.add_representer(TrackedMap, RoundTripRepresenter.represent_dict)
RoundTripRepresenter.add_representer(TrackedSeq, RoundTripRepresenter.represent_list)

_new_map = TrackedMap.__new__
_new_seq = TrackedSeq.__new__
_set_item = OrderedDict.__setitem__
_extend = list.extend
_weak = weakref.ref


def new_map(parent: Any) -> TrackedMap:
    """An empty map made inside ``parent`` (filled by :func:`fill_map`), without calling its methods."""
    mapping: TrackedMap = _new_map(TrackedMap)
    mapping._ok = set()  # (what CommentedMap.__init__ sets)
    mapping._ref = []
    if parent is not None:
        mapping._parent = _weak(parent)
    return mapping


def new_seq(parent: Any) -> TrackedSeq:
    sequence: TrackedSeq = _new_seq(TrackedSeq)
    if parent is not None:
        sequence._parent = _weak(parent)
    return sequence


def fill_map(mapping: TrackedMap, keys: list[Any], values: list[Any]) -> None:
    """Put the items a fresh map was read with in it (through the ordered dict: a draft has tens of
    thousands of keys, and CommentedMap's own ``__setitem__`` is a Python call each)."""
    for key, value in zip(keys, values, strict=True):
        _set_item(mapping, key, value)
    mapping._ok |= set(keys)


def fill_seq(sequence: TrackedSeq, values: list[Any]) -> None:
    _extend(sequence, values)


def plain_of(value: Any) -> Any:
    """``yamlio.to_plain(value)``, the unchanged containers' parts being the plain data they were
    read from (the same objects, so comparing them with the data read is at once done).

    Unlike ``to_plain``, the result may hold one container twice (where the tree does: a container
    put in two places); the span editor's renderings copy what they write, but whatever builds
    containers from it must take ``to_plain``'s copy instead (as ``DraftFile._render_whole`` does)."""
    if isinstance(value, dict):
        if isinstance(value, TrackedMap) and value._plain is not None:
            return value._plain
        items = OrderedDict.items(value) if isinstance(value, OrderedDict) else value.items()
        return {str(key): plain_of(item) for key, item in items}
    if isinstance(value, list):
        if isinstance(value, TrackedSeq) and value._plain is not None:
            return value._plain
        return [plain_of(item) for item in value]
    if isinstance(value, str):
        return str(value)
    return value
