"""Shared fixtures. Every test runs with a clean, deterministic environment."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """No colour or theme settings leak in from the developer's shell, and the user's data folder
    (recent drafts, last section visited) is a fresh temp folder for each test."""
    for name in ("NO_COLOR", "TEXTUAL_THEME", "FORCE_COLOR", "TEXTUAL", "COLUMNS", "LINES"):
        monkeypatch.delenv(name, raising=False)
    data_home = tmp_path_factory.mktemp("xdg-data")
    monkeypatch.setenv("XDG_DATA_HOME", str(data_home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(data_home / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(data_home / "cache"))


@pytest.fixture
def schema():
    from intwizard.core.schema import load_schema

    return load_schema()


@pytest.fixture
def complete_yaml() -> Path:
    return FIXTURES / "complete.yaml"
