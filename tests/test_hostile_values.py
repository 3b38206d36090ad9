"""Wrong but recoverable values written by hand (a SEV level outside the list, a date that is not a
date, a URL that is not one...) are kept exactly as written by every command, flagged by ``check``,
and never coerced or dropped."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_support import run

from intwizard.core.checks import findings
from intwizard.core.store import read_plain

COMPLETE = (Path(__file__).parent / "fixtures" / "complete.yaml").read_text()

#: (line in the complete fixture, the same line written wrong by hand, the path check flags)
WRONG = [
    ("  sev_level: SEV-2\n", "  sev_level: SEV-9\n", "meta.sev_level"),
    ("  created: 2026-10-05\n", "  created: last Tuesday\n", "meta.created"),
    ("  review_status: UNDER_REVIEW\n", "  review_status: in review\n", "meta.review_status"),
    ("      base_url: https://api.paylane.example/v2\n", "      base_url: api.paylane.example\n",
     "external_system_integrations.0.connection_details.base_url"),
    ("    criticality: CRITICAL\n", "    criticality: 9000\n", "external_system_integrations.0.criticality"),
    ("    all_external_integrations_documented: true\n", "    all_external_integrations_documented: maybe\n",
     "validation_checklist.integration_completeness.all_external_integrations_documented"),
]


@pytest.fixture
def draft(tmp_path: Path) -> Path:
    text = COMPLETE
    for right, wrong, _path in WRONG:
        assert text.count(right) == 1, right
        text = text.replace(right, wrong)
    path = tmp_path / "spec.yaml"
    path.write_text(text)
    return path


def test_check_flags_each_wrong_value(draft: Path, schema) -> None:
    flagged = {finding.path for finding in findings(schema, read_plain(draft)) if finding.rule == "invalid"}
    assert {path for _right, _wrong, path in WRONG} <= flagged
    result = run("check", draft)
    assert result.exit_code == 1
    for _right, _wrong, path in WRONG:
        assert path in result.output or path.rsplit(".", 1)[-1] in result.output


def test_set_elsewhere_keeps_them_as_written(draft: Path) -> None:
    before = draft.read_text().splitlines(keepends=True)
    result = run("set", draft, "meta.author=Grace Hopper", "external_system_integrations.0.purpose=Pay")
    assert result.exit_code == 0, result.output
    after = draft.read_text().splitlines(keepends=True)
    for _right, wrong, _path in WRONG:
        assert wrong in after, f"{wrong!r} was changed"
    changed = [line for line in after if line not in before]
    assert [line.split(":")[0].strip() for line in changed] == ["last_updated", "author", "purpose"]


def test_export_and_get_show_them_as_written(draft: Path) -> None:
    result = run("export", draft, "-o", "-")
    assert result.exit_code == 0, result.output
    for text in ("SEV-9", "last Tuesday", "in review", "api.paylane.example", "9000"):
        assert text in result.stdout
    assert run("get", draft, "meta.sev_level").stdout == "SEV-9\n"
    assert run("get", draft, "meta.created").stdout == "last Tuesday\n"
    assert read_plain(draft)["meta"]["created"] == "last Tuesday"  # a string, not coerced


def test_typing_a_wrong_value_is_refused_and_the_file_untouched(draft: Path) -> None:
    before = draft.read_bytes()
    for assignment in ("meta.sev_level=SEV-9", "meta.created=last Tuesday",
                       "external_system_integrations.0.connection_details.base_url=not a url"):
        result = run("set", draft, "meta.author=Grace", assignment)  # all or nothing
        assert result.exit_code == 2 and "Traceback" not in result.output
        assert draft.read_bytes() == before


@pytest.mark.parametrize("text", ["http://[", "http://[::1", "https://[fe80::1/x"])
def test_a_half_typed_ipv6_url_is_a_problem_not_an_exception(text: str, schema) -> None:
    from intwizard.core.values import problem

    node = schema.node("external_system_integrations.connection_details.base_url")
    assert node.validate == "url"
    found = problem(node, text)
    assert found and "is not a URL" in found and "IPv6" in found
