"""An OpenAPI spec as a :class:`~intwizard.importers.contract.Contract`, merged into the draft.

The merge itself is the same for every kind of contract (:mod:`~intwizard.importers.contract_fill`);
this module turns a resolved OpenAPI spec into the contract's shape and keeps the names callers of
``fill`` used before contracts of other kinds existed.
"""

from __future__ import annotations

from typing import Any

from intwizard.core.draft import Draft
from intwizard.core.schema import Node
from intwizard.importers.contract import OPENAPI, Contract, Row
from intwizard.importers.contract_fill import RECORD_KEY, Outcome, Targets, report, source_name, targets
from intwizard.importers.contract_fill import fill as fill_contract
from intwizard.importers.openapi_access import authentication, base_url
from intwizard.importers.openapi_operations import data_format, operations
from intwizard.importers.openapi_spec import Locator, deref

__all__ = ["RECORD_KEY", "Outcome", "Targets", "contract", "fill", "report", "source_name", "targets"]


def contract(spec: dict[str, Any], node: Node | None, locator: Locator | None = None) -> Contract:
    """What a resolved spec says, in the contract's shape (``node``: the authentication field)."""
    found = operations(spec)
    info = deref(spec.get("info")) or {}
    rows = [Row(op.method, op.path, op.purpose, op.request, op.response,
                locator.line(["paths", op.path, op.method.lower()]) if locator else 0) for op in found]
    lines = {"base-url": locator.line(["servers"]), "authentication": locator.line(["components", "securitySchemes"])
             } if locator else {}
    return Contract(OPENAPI, f"{info.get('title', '')} {info.get('version', '')}".strip(), rows,
                    base_url=base_url(spec), authentication=authentication(spec, node),
                    data_format=data_format(found), lines=lines)


def fill(draft: Draft, spec: dict[str, Any], name: str, source: str, source_digest: str = "") -> Outcome:
    """Put what the spec says into the integration called ``name`` (created if missing)."""
    t = targets(draft.schema)
    return fill_contract(draft, contract(spec, t.values.get("authentication")), name, source, source_digest)
