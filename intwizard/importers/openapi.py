"""Fill an external integration from an OpenAPI 3.0/3.1 description (YAML or JSON).

The spec is validated with openapi-spec-validator (its first errors reported with their line), its
``$ref``s resolved with jsonref (local files only: nothing is fetched from the network), and then
summarised: one endpoint row per operation, the base URL from ``servers``, the authentication from
``securitySchemes`` and a JSON sketch of the main request and response bodies.

Which fields receive them is read from the schema's ``meaning`` attributes. The source and what it
said are recorded under ``intwizard.sources`` (as for every kind of contract), so running it again
updates those rows and values, keeps the ones the user added or edited, and adds no duplicates.

This module is the entry point; the work is done in one module per step:

- :mod:`~intwizard.importers.openapi_spec`: reading, validating and resolving the spec;
- :mod:`~intwizard.importers.openapi_shapes`: a body schema's short name and JSON sketch;
- :mod:`~intwizard.importers.openapi_operations`: operations as endpoint rows, the main exchange's format;
- :mod:`~intwizard.importers.openapi_access`: the base URL and the authentication;
- :mod:`~intwizard.importers.openapi_fill`: merging into the draft's integration, and the report.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from intwizard.core.schema import Node
from intwizard.importers.contract import Contract

# Re-exported: these names were importable from here before the split, and callers may rely on them.
from intwizard.importers.openapi_access import authentication, base_url
from intwizard.importers.openapi_fill import RECORD_KEY, Outcome, Targets, contract, fill, report, source_name, targets
from intwizard.importers.openapi_operations import METHODS, Operation, data_format, operations
from intwizard.importers.openapi_shapes import describe, sketch
from intwizard.importers.openapi_spec import MAX_ERRORS, Locator, load, read_spec, resolve_refs, validate

__all__ = [
    "MAX_ERRORS",
    "METHODS",
    "RECORD_KEY",
    "Operation",
    "Outcome",
    "Targets",
    "authentication",
    "base_url",
    "contract",
    "contract_of",
    "data_format",
    "describe",
    "fill",
    "load",
    "operations",
    "read_spec",
    "report",
    "resolve_refs",
    "sketch",
    "source_name",
    "targets",
    "validate",
]


def contract_of(path: Path, node: Node | None, parsed: tuple[Any, str] | None = None) -> Contract:
    """Read, validate and resolve an OpenAPI file, as a contract (``node``: the authentication field;
    ``parsed``: the document's data and text when they were read already)."""
    spec, text = read_spec(path, parsed)
    validate(spec, text, path)
    return contract(resolve_refs(spec, path), node, Locator(text, path))
