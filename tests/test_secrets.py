"""Credentials in a draft are warned about on save and export (masked, naming the field), refused by
``export --strict``, silenced by an allow comment or option; prose and the complete fixture pass."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from cli_support import run
from click.testing import CliRunner

from intwizard.cli import main
from intwizard.core.secrets import ALLOW_MARKER, field_warning, mask, scan, scan_value
from intwizard.core.store import read_plain

# Built by concatenation so secret scanners on this repository do not flag the test itself.
VENDOR = {
    "stripe": ("Stripe", "sk_" + "live_" + "4eC39HqLyjWDarjtT1zdp7dc"),
    "stripe-restricted": ("Stripe", "rk_" + "live_" + "51HxYq2Lz8W3vNp0Ks9TdQ4e"),
    "aws": ("AWS", "AKIA" + "Z7Q3M5N2XK4P9TRW"),
    "github": ("GitHub", "ghp_" + "R8x2Lq9Vb4Nc7Zt1Wm5Ks3Hd6Jf0Pg2Ya8Ue"),
    "slack": ("Slack", "xoxb-" + "263594206564-2343594206574-FGqddMF8t08v8N7Oq4i57vs1"),
    "slack-webhook": ("Slack", "https://hooks.slack.com/services/" + "T024BE7LD/B0F4TQ1MM/Rb9Bt7Hx1yQ2zW3vU4tS5rQ6"),
    "private-key": ("Private Key", "-----BEGIN " + "RSA PRIVATE KEY-----"),
    "jwt": ("JSON Web Token", "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"
            + ".eyJzdWIiOiIxMjM0NTY3ODkwIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"),
    "basic-auth-url": ("Basic Auth", "https://checkout:" + "Xk29vLq7Pz@db.internal.example:5432/ledger"),
    "keyword": ("keyword", "password: " + "Winter2024x"),
}
FIELD = "external_system_integrations.0.purpose"  # not a sensitive field: vendor patterns apply everywhere
AUTH = "external_system_integrations.0.connection_details.authentication"

PROSE = [
    "the restricted secret key is stored in Vault",
    "Secret: stored in Vault, rotated every 90 days",
    "Client-credentials tokens scoped to payments:write, kept in Vault, rotated daily",
    "API key sent in the X-Api-Key header, stored in AWS Secrets Manager",
    "password = ${DB_PASSWORD} from the environment",
    "OAuth 2.0 client credentials via https://auth.paylane.example/oauth2/token",
    "mTLS with SPIFFE ids spiffe://prod.example/ns/payments/sa/checkout-svc",
    "Service mesh certificates, 24 h lifetime, issued by cert-manager",
    "Request id 550e8400-e29b-41d4-a716-446655440000 is logged with each call",
    "https://api.example.com/v1/payments-authorisations/batch2024",
    "HMAC-SHA256 signature over the body; shared key lives in KMS (alias/checkout-webhooks)",
]


def secret_in(name: str) -> str:
    return VENDOR[name][1]


@pytest.fixture
def draft(tmp_path: Path) -> Path:
    path = tmp_path / "spec.yaml"
    result = CliRunner().invoke(main, ["new", str(path), "--no-input", "--set", "meta.feature_name=Checkout",
                                       "--set", "external_system_integrations.0.name=Paylane"])
    assert result.exit_code == 0, result.output
    return path


@pytest.mark.parametrize("name", sorted(VENDOR))
def test_vendor_secret_warned_on_set_and_export_masked(draft: Path, name: str) -> None:
    label, secret = VENDOR[name]
    result = run("set", draft, f"{FIELD}=Calls Paylane with {secret}")
    assert result.exit_code == 0, result.output
    assert FIELD in result.stderr and "warning" in result.stderr
    assert label.lower() in result.stderr.lower()
    assert f"{draft}:" in result.stderr
    core = secret.split("-----")[1] if name == "private-key" else secret.split(": ")[-1]
    assert core not in result.output, "the whole secret must never be printed"

    result = run("export", draft, "-o", "-")
    assert result.exit_code == 0
    assert FIELD in result.stderr and core not in result.stderr


@pytest.mark.parametrize("name", ["stripe", "aws", "jwt"])
def test_strict_export_refuses_and_writes_nothing(draft: Path, name: str) -> None:
    assert run("set", draft, f"{AUTH}={secret_in(name)}").exit_code == 0
    out = draft.with_suffix(".md")
    result = run("export", draft, "--strict")
    assert result.exit_code == 1
    assert not out.exists()
    result = run("export", draft, "--strict", "-o", "-")
    assert result.exit_code == 1 and result.stdout == ""
    assert run("export", draft).exit_code == 0 and out.exists()  # without --strict: warned, written


def test_allow_comment_silences_one_line(draft: Path) -> None:
    assert run("set", draft, f"{AUTH}={secret_in('stripe')}").exit_code == 0
    assert run("set", draft, f"{FIELD}=Backup key {secret_in('aws')}").exit_code == 0
    text = draft.read_text()
    draft.write_text(text.replace(secret_in("stripe"), f"{secret_in('stripe')}  # {ALLOW_MARKER}"))
    result = run("export", draft, "--strict", "-o", "-")
    assert AUTH not in result.stderr  # silenced
    assert FIELD in result.stderr and result.exit_code == 1  # the other one is still reported
    draft.write_text(draft.read_text().replace(secret_in("aws"), f"{secret_in('aws')}  # {ALLOW_MARKER}"))
    result = run("export", draft, "--strict", "-o", "-")
    assert result.exit_code == 0 and "warning" not in result.stderr
    # ...and a save keeps the comments (and stays quiet).
    result = run("set", draft, "meta.author=Ada")
    assert result.exit_code == 0 and "warning" not in result.stderr
    assert draft.read_text().count(ALLOW_MARKER) == 2


def test_allow_comment_on_block_header_covers_the_block(schema, tmp_path: Path) -> None:
    key = secret_in("private-key")
    text = (f"overview:\n  summary: |-  # {ALLOW_MARKER}\n    Example key for the docs:\n    {key}\n"
            f"    MIIEow...\nmeta:\n  author: |-\n    {secret_in('aws')}\n")
    data = {"overview": {"summary": f"Example key for the docs:\n{key}\nMIIEow..."},
            "meta": {"author": secret_in("aws")}}
    found = scan(schema, data, text=text)
    assert [finding.path for finding in found] == ["meta.author"]


def test_same_secret_allowed_in_one_place_only_still_warned(schema) -> None:
    secret = secret_in("stripe")
    text = f"meta:\n  author: {secret}  # {ALLOW_MARKER}\noverview:\n  summary: {secret}\n"
    data = {"meta": {"author": secret}, "overview": {"summary": secret}}
    assert {finding.path for finding in scan(schema, data, text=text)} == {"meta.author", "overview.summary"}


def test_allow_option(draft: Path) -> None:
    assert run("set", draft, f"{AUTH}={secret_in('github')}").exit_code == 0
    result = run("set", draft, "meta.author=Ada", "--allow-secret", AUTH)
    assert result.exit_code == 0 and "warning" not in result.stderr
    # A parent path covers everything below it.
    result = run("export", draft, "--strict", "-o", "-", "--allow-secret", "external_system_integrations.0")
    assert result.exit_code == 0 and "warning" not in result.stderr


def test_complete_fixture_and_prose_raise_nothing(schema, complete_yaml: Path, tmp_path: Path) -> None:
    assert scan(schema, read_plain(complete_yaml)) == []
    copy = tmp_path / "complete.yaml"
    shutil.copy(complete_yaml, copy)
    result = run("export", copy, "--strict", "-o", "-")
    assert result.exit_code == 0 and "warning" not in result.stderr
    for text in PROSE:
        assert scan_value(text, sensitive=True) == [], text


def test_entropy_only_in_sensitive_fields(schema) -> None:
    token = "Bearer 9f2Kq7xLm3Np8Rt5Vw1Yz4Ab6Cd0Ef2Gh"
    hexa = "d41d8cd98f00b204e9800998ecf8427e"
    data = {"external_system_integrations": [{"purpose": f"{token} {hexa}", "connection_details": {
        "authentication": token}, "security_considerations": {"api_security": f"HMAC key {hexa}"}}],
        "integration_security": {"authentication_and_authorization": [{"token_management": token}]}}
    paths = sorted(finding.path for finding in scan(schema, data))
    assert paths == [
        "external_system_integrations.0.connection_details.authentication",
        "external_system_integrations.0.security_considerations.api_security",
        "integration_security.authentication_and_authorization.0.token_management",
    ]


def test_unknown_keys_and_signoff_parts_are_scanned(schema) -> None:
    data = {"notes": {"deep": [secret_in("aws")]},
            "validation_checklist": {"review_and_approval": {"security_review": {"name": secret_in("slack")}}}}
    assert sorted(finding.path for finding in scan(schema, data)) == [
        "notes.deep.0", "validation_checklist.review_and_approval.security_review.name"]


def test_mask_never_reveals_the_secret() -> None:
    for _label, secret in VENDOR.values():
        masked = mask(secret)
        assert secret not in masked and str(len(secret)) in masked
        assert len(masked.split("*")[0]) <= 4
    finding = scan_value("x " + secret_in("stripe"))[0]
    assert finding[0] == "Stripe Access Key"


def test_findings_hide_the_secret_in_repr(schema) -> None:
    found = scan(schema, {"meta": {"author": secret_in("stripe")}})
    assert secret_in("stripe") not in repr(found) and secret_in("stripe") not in found[0].message("d.yaml")


def test_no_network_verification(schema, monkeypatch: pytest.MonkeyPatch) -> None:
    """detect-secrets can verify a key by calling the vendor; intwizard must never send it anywhere."""
    import requests

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("network call")

    monkeypatch.setattr(requests.Session, "request", refuse)
    data = {"meta": {"author": " ".join(secret for _label, secret in VENDOR.values())}}
    assert len(scan(schema, data)) >= len(VENDOR) - 1


def test_huge_line_is_scanned_quickly_and_still_found() -> None:
    text = "x" * 200_000 + " " + secret_in("stripe") + " " + "password: " * 2000
    assert [kind for kind, _secret in scan_value(text)] == ["Stripe Access Key"]


def test_field_warning_for_front_ends(schema) -> None:
    """The one-field check the wizard and the prompts show under a field (masked, or nothing)."""
    auth = schema.node("external_system_integrations.connection_details.authentication")
    purpose = schema.node("external_system_integrations.purpose")
    token = "Bearer 9f2Kq7xLm3Np8Rt5Vw1Yz4Ab6Cd0Ef2Gh"
    warning = field_warning(auth, token)
    assert warning and "9f2Kq7xLm3Np8Rt5Vw1Yz4Ab6Cd0Ef2Gh" not in warning and "chars" in warning
    assert field_warning(purpose, token) is None  # entropy only in sensitive fields
    assert "Stripe" in field_warning(purpose, "key " + secret_in("stripe"))
    assert field_warning(purpose, PROSE[0]) is None
    advantages = schema.node("data_integration_patterns.synchronous_integration.advantages")
    assert "AWS" in field_warning(advantages, ["fine", secret_in("aws")])
