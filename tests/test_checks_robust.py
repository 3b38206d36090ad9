"""Checks never crash, whatever shape a hand-edited draft has: every oddity is a finding."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from intwizard.core.checks import findings, statuses
from intwizard.core.schema import load_schema
from intwizard.core.store import read_plain

SCHEMA = load_schema()
SECTION_KEYS = [section.key for section in SCHEMA.sections]
COMPLETE = read_plain(Path(__file__).parent / "fixtures" / "complete.yaml")
KEYS = sorted({node.key for node in SCHEMA.walk()} | {"intwizard", "template_version", "x"})

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=12),
                    st.dates(min_value=dt.date(2000, 1, 1)), st.sampled_from(["SEV-1", "SEV-2", "[Name]", ""]))
shapes = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(KEYS), inner, max_size=4)), max_leaves=25)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from([*SECTION_KEYS, "intwizard", "notes"]), shapes, max_size=6))
def test_any_shape_gives_findings_not_a_crash(data: dict) -> None:
    found = findings(SCHEMA, data)
    assert all(f.severity in ("error", "warning") and f.message for f in found)
    assert set(statuses(SCHEMA, data)) == set(SECTION_KEYS)



def _paths(value: Any, prefix: tuple = ()) -> list[tuple]:
    found = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*prefix, index))
    return found


PATHS = _paths(COMPLETE)


def _replace(data: Any, path: tuple, value: Any) -> None:
    parent = data
    for part in path[:-1]:
        try:
            parent = parent[part]
        except (KeyError, IndexError, TypeError):
            return
    if isinstance(parent, dict) or (isinstance(parent, list) and isinstance(path[-1], int) and path[-1] < len(parent)):
        parent[path[-1]] = value


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(PATHS), shapes), min_size=1, max_size=3))
def test_a_complete_draft_with_any_part_replaced_gives_findings_not_a_crash(changes: list) -> None:
    data = copy.deepcopy(COMPLETE)
    for path, value in changes:
        _replace(data, path, value)  # a path an earlier change replaced may no longer exist: skipped
    found = findings(SCHEMA, data)
    assert all(f.severity in ("error", "warning") and f.message for f in found)
    statuses(SCHEMA, data)
