"""The tracked tree (``intwizard.core.tracked``): a save takes the parts of the tree unchanged since the
file was read as the data read, so a change made any way at all must never be missed."""

from __future__ import annotations

import contextlib
import copy
import inspect
import pickle
import random
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from intwizard.core import spanedit, tracked
from intwizard.core.store import open_draft
from intwizard.core.tracked import READ_ONLY, TrackedMap, TrackedSeq, plain_of, wrapped_methods
from intwizard.core.yamlio import to_plain

FIXTURES = Path(__file__).parent / "fixtures"

NESTED = """\
top:
  a: 1
  inner:
    k: v
    deeper: [1, 2, {x: y}]
  other: {p: q}
side:
  - one
  - {two: 2}
"""

#: Every method of the base classes that changes a container's items, with arguments that do.
MAP_CHANGES: dict[str, tuple[Any, ...]] = {
    "__setitem__": ("k", "new"), "__delitem__": ("k",), "__ior__": ({"n": 1},), "pop": ("k",), "popitem": (),
    "clear": (), "update": ({"k": "u"},), "setdefault": ("fresh", 1), "move_to_end": ("k", False),
    "insert": (0, "first", 1), "update_key_value": ("k",), "__init__": ({"z": 1},),
}
SEQ_CHANGES: dict[str, tuple[Any, ...]] = {
    "__setitem__": (0, 9), "__delitem__": (0,), "__iadd__": ([7],), "__imul__": (2,), "append": (5,),
    "extend": ([5, 6],), "insert": (0, 0), "pop": (), "remove": (1,), "clear": (), "sort": (str, True), "reverse": (),
    "__setsingleitem__": (0, 9), "__delsingleitem__": (0,), "__init__": ([3],),
}


def read(text: str) -> tuple[Any, Any]:
    _index, data, tree = spanedit.parse_tree(text)
    return data, tree


def test_the_tree_holds_the_data_read_and_each_container_its_part() -> None:
    data, tree = read(NESTED)
    assert isinstance(tree, TrackedMap) and isinstance(tree["side"], TrackedSeq)
    assert to_plain(tree) == data
    assert tree._plain is data and tree["top"]["inner"]._plain is data["top"]["inner"]
    assert plain_of(tree) is data  # nothing changed: the data read itself


def test_every_method_not_known_read_only_is_wrapped() -> None:
    for tracked_class, base in ((TrackedMap, CommentedMap), (TrackedSeq, CommentedSeq)):
        for name in dir(base):
            attribute = inspect.getattr_static(base, name)
            if name in READ_ONLY or not callable(attribute) or isinstance(attribute, tracked._NOT_INSTANCE_METHODS):
                continue
            own = tracked_class.__dict__.get(name)
            assert own is not None and hasattr(own, "__wrapped__"), f"{base.__name__}.{name} is not tracked"
        assert set(wrapped_methods(base)) >= set(MAP_CHANGES if base is CommentedMap else SEQ_CHANGES)


@pytest.mark.parametrize("kind", ["map", "seq"])
def test_the_read_only_methods_change_nothing(kind: str) -> None:
    """Each method counted read-only, called every way the candidates allow, leaves the items."""
    candidates: list[tuple[Any, ...]] = [(), ("k",), (0,), (1,), ("k", None), ({},), ([],), (2,), ({"k": 1},),
                                         ([1],), (CommentedMap(),), (CommentedSeq(),), ({}, ), (0, 1)]
    for name in sorted(READ_ONLY):
        data, tree = read("k: v\nn: [1, 2]\n" if kind == "map" else "- 1\n- k\n- [2]\n")
        container = tree
        method = getattr(container, name, None)
        if method is None:
            continue
        for arguments in candidates:
            with contextlib.suppress(Exception):
                method(*arguments)
            assert to_plain(container) == data, f"{name}{arguments} changed the items"
            assert container._plain is data, f"{name}{arguments} marked a container changed"


@pytest.mark.parametrize("name", sorted(MAP_CHANGES))
def test_each_change_of_a_mapping_marks_it_and_what_holds_it(name: str) -> None:
    data, tree = read(NESTED)
    inner = tree["top"]["inner"]
    getattr(inner, name)(*MAP_CHANGES[name])
    assert inner._plain is None and tree["top"]._plain is None and tree._plain is None
    assert tree["top"]["other"]._plain is data["top"]["other"]  # what it does not hold stays as read
    assert tree["side"]._plain is data["side"]
    assert plain_of(tree) == to_plain(tree)


@pytest.mark.parametrize("name", sorted(SEQ_CHANGES))
def test_each_change_of_a_list_marks_it_and_what_holds_it(name: str) -> None:
    data, tree = read(NESTED)
    deeper = tree["top"]["inner"]["deeper"]
    getattr(deeper, name)(*SEQ_CHANGES[name])
    assert deeper._plain is None and tree["top"]["inner"]._plain is None and tree._plain is None
    assert tree["top"]["other"]._plain is data["top"]["other"]
    assert plain_of(tree) == to_plain(tree)


def test_operators_and_slices_are_changes_too() -> None:
    _data, tree = read(NESTED)
    deeper = tree["top"]["inner"]["deeper"]
    deeper[1:2] = ["a", "b"]
    assert tree._plain is None and plain_of(tree) == to_plain(tree)
    _data, tree = read(NESTED)
    side = tree["side"]
    side += ["three"]
    del tree["side"][0:1]
    assert plain_of(tree) == to_plain(tree) and to_plain(tree)["side"] == [{"two": 2}, "three"]
    _data, tree = read(NESTED)
    tree["top"]["other"] |= {"r": "s"}
    assert plain_of(tree)["top"]["other"] == {"p": "q", "r": "s"}


def test_a_container_moved_and_changed_where_it_went_is_seen() -> None:
    _data, tree = read(NESTED)
    other = tree["top"].pop("other")  # out of one place...
    tree["side"][1]["moved"] = other  # ...into another
    other["p"] = "changed after the move"
    assert plain_of(tree) == to_plain(tree)
    assert plain_of(tree)["side"][1]["moved"] == {"p": "changed after the move"}


def test_a_container_shared_by_two_places_then_changed_is_seen_in_both() -> None:
    _data, tree = read(NESTED)
    inner = tree["top"]["inner"]
    tree["side"].append(inner)  # the same container twice
    inner["deeper"][2]["x"] = "z"
    plain = plain_of(tree)
    assert plain == to_plain(tree)
    assert plain["top"]["inner"]["deeper"][2] == {"x": "z"} == plain["side"][2]["deeper"][2]


def test_copies_and_pickles_are_new_containers_walked_at_each_save() -> None:
    data, tree = read(NESTED)
    for made in (copy.copy(tree["top"]), copy.deepcopy(tree["top"]), pickle.loads(pickle.dumps(tree["top"])),
                 tree["top"].copy(), copy.copy(tree["side"]), pickle.loads(pickle.dumps(tree["side"]))):
        assert made._plain is None
        assert to_plain(made) == to_plain(tree[("top" if isinstance(made, dict) else "side")])
    assert tree._plain is data  # copying is no change of the original


def test_keys_that_are_not_text_keep_to_plains_reading(tmp_path: Path, schema) -> None:
    """``to_plain`` writes every key as text (YAML reads ``200:`` as a number), so the data read is not
    what a save compares: such text gets no tracked tree, and the draft a tree walked at each save."""
    text = "codes:\n  200: ok\n  404: missing\nplain: {a: b}\n"
    assert spanedit.parse_tree(text)[2] is None
    path = tmp_path / "spec.yaml"
    path.write_text((FIXTURES / "complete.yaml").read_text(encoding="utf-8") + "extra:\n  200: ok\n",
                    encoding="utf-8")
    draft_file = open_draft(path, schema)
    assert not isinstance(draft_file.draft.data, TrackedMap)
    draft_file.draft.set("meta.author", "Kim")
    assert draft_file.save()
    assert open_draft(path, schema).draft.get("meta.author") == "Kim"


def test_text_with_anchors_gets_no_tree() -> None:
    _index, _data, tree = spanedit.parse_tree("a: &x {k: v}\nb: *x\n")
    assert tree is None  # the caller refuses the shared container (store._tree)


def test_random_changes_anywhere_are_always_seen() -> None:
    """Random edits, by random methods, at random places (moves included): the tree as a save takes
    it is exactly ``to_plain`` of the tree."""
    rng = random.Random(15)
    text = (FIXTURES / "complete.yaml").read_text(encoding="utf-8")
    for _round in range(60):
        _data, tree = read(text)
        for _edit in range(rng.randint(1, 6)):
            containers = _containers(tree)
            target = rng.choice(containers)
            _random_change(rng, target, containers)
            assert plain_of(tree) == to_plain(tree)
            assert spanedit.same(plain_of(tree), to_plain(tree))


def _containers(value: Any) -> list[Any]:
    found = []
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            found.append(item)
            stack.extend(item.values())
        elif isinstance(item, list):
            found.append(item)
            stack.extend(item)
    return found


def _random_change(rng: random.Random, target: Any, containers: list[Any]) -> None:
    other = rng.choice(containers)
    if other is target or _inside(target, other):
        other = "a value"
    if isinstance(target, dict):
        key = rng.choice([*target, "new"]) if target else "new"
        choice = rng.randrange(6)
        if choice == 0:
            target[key] = rng.choice(["text", 3, None, other])
        elif choice == 1 and key in target:
            del target[key]
        elif choice == 2:
            target.update({key: "updated"})
        elif choice == 3 and target:
            target.pop(key, None)
        elif choice == 4:
            target.insert(0, "ins", other)
        else:
            target.setdefault("sd", "x")
    else:
        choice = rng.randrange(6)
        if choice == 0 and target:
            target[rng.randrange(len(target))] = rng.choice(["text", 7, other])
        elif choice == 1:
            target.append(other)
        elif choice == 2 and target:
            del target[rng.randrange(len(target))]
        elif choice == 3:
            target.insert(0, "first")
        elif choice == 4 and len(target) > 1:
            target.reverse()
        else:
            target.extend(["x"])


def _inside(container: Any, candidate: Any) -> bool:
    """Whether ``container`` is ``candidate`` or inside it (putting it there would make a cycle)."""
    return any(found is container for found in _containers(candidate))


# -- through the draft file ---------------------------------------------------------------------------


def test_a_direct_change_deep_in_the_tree_reaches_the_file(tmp_path: Path, schema) -> None:
    path = tmp_path / "spec.yaml"
    path.write_bytes((FIXTURES / "complete.yaml").read_bytes())
    draft_file = open_draft(path, schema)
    assert isinstance(draft_file.draft.data, TrackedMap)
    entry = draft_file.draft.data["external_system_integrations"][0]
    key = next(key for key, value in entry.items() if isinstance(value, str))
    entry[key] = "Changed past every Draft method"
    draft_file.draft.changed = True  # (a save writes only a draft told it changed)
    assert draft_file.save()
    again = open_draft(path, schema)
    assert again.draft.data["external_system_integrations"][0][key] == "Changed past every Draft method"
    assert to_plain(again.draft.data) == to_plain(draft_file.draft.data)


def test_saves_one_after_another_each_reach_the_file(tmp_path: Path, schema) -> None:
    """The wizard's save process saves one DraftFile many times: what it read after a save is the data
    it wrote, and each next change is seen."""
    path = tmp_path / "spec.yaml"
    path.write_bytes((FIXTURES / "complete.yaml").read_bytes())
    draft_file = open_draft(path, schema)
    integrations = draft_file.draft.data["external_system_integrations"]
    for number in range(4):
        draft_file.draft.set("meta.author", f"Author {number}")
        if number == 2:
            integrations.append(copy.deepcopy(integrations[0]))  # a list grown past the Draft's methods
        if number == 3:
            del integrations[-1]
        assert draft_file.save()
        assert draft_file.read == to_plain(draft_file.draft.data)
        assert to_plain(open_draft(path, schema).draft.data) == to_plain(draft_file.draft.data)
