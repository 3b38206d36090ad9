"""The parsed template schema is kept in the user's cache folder: the next start skips parsing and
checking it. The cache follows the schema's text, and a damaged cache is simply built again."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from intwizard.core import schema as schema_module
from intwizard.core.schema import builtin_template_dir, load_schema


def fresh_load(folder: Path | None = None):
    return load_schema.__wrapped__(folder)  # past the in-process lru_cache


def cache_files() -> list[Path]:
    from intwizard.core import user_cache

    return sorted(user_cache.folder().glob("schema-*.pickle"))


@pytest.fixture
def template(tmp_path: Path) -> Path:
    folder = tmp_path / "template"
    shutil.copytree(builtin_template_dir(), folder)
    return folder


def test_the_second_load_comes_from_the_cache(template: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    built = fresh_load(template)
    assert len(cache_files()) == 1

    def no_parsing(*args: object, **kwargs: object) -> None:
        raise AssertionError("the schema was parsed again")

    import intwizard.core.yamlio

    monkeypatch.setattr(intwizard.core.yamlio, "load_plain_text", no_parsing)
    cached = fresh_load(template)
    assert cached == built and cached is not built
    assert cached.path == template / "schema.yaml"


def test_an_edited_schema_is_read_again(template: Path) -> None:
    fresh_load(template)
    schema_file = template / "schema.yaml"
    schema_file.write_text(schema_file.read_text().replace("label: Document Information", "label: About"))
    assert fresh_load(template).sections[0].label == "About"
    assert len(cache_files()) == 2


def test_a_damaged_cache_is_built_again(template: Path) -> None:
    built = fresh_load(template)
    [cached] = cache_files()
    cached.write_bytes(b"not a pickle")
    assert fresh_load(template) == built
    assert cached.read_bytes() != b"not a pickle"


def test_a_schema_error_is_never_cached(template: Path) -> None:
    schema_file = template / "schema.yaml"
    schema_file.write_text(schema_file.read_text().replace("sections:", "sectionz:", 1))
    for _ in range(2):
        with pytest.raises(schema_module.SchemaError):
            fresh_load(template)
    assert cache_files() == []


def test_an_entry_recorded_from_another_source_is_not_used(template: Path) -> None:
    """Entries are named by CRC-32, which two sources can share: each records its whole source, and an
    entry whose record differs (another schema text under the same name) is built again, not trusted."""
    built = fresh_load(template)
    [cached] = cache_files()
    data = cached.read_bytes()
    size = int.from_bytes(data[:8], "big")
    source = data[8:8 + size]
    assert b"Document Information" in source  # the record holds the schema's text
    forged = source.replace(b"Document Information", b"Document Informatioz")
    cached.write_bytes(len(forged).to_bytes(8, "big") + forged + data[8 + size:])
    assert fresh_load(template) == built
    assert cached.read_bytes() == data  # written again from the real source


def test_user_cache_entries_hold_what_they_were_made_from(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from intwizard.core import user_cache

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    user_cache.write("kind", b"payload", "a", 1)
    assert user_cache.read("kind", "a", 1) == b"payload"
    assert user_cache.read("kind", "a", 2) is None
    assert user_cache.read("other", "a", 1) is None
