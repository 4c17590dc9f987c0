"""Fixtures for storage tests: each test gets its own var/ folder and a migrated database."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.config import get_settings
from bot.storage.db import upgrade
from tests.storage.storage_dbs import postgres_schema_url, sqlite_url


@pytest.fixture
def var_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "var"
    monkeypatch.setenv("HSG_VAR_DIR", str(folder))
    monkeypatch.setenv("DATABASE_URL", sqlite_url(tmp_path))
    get_settings.cache_clear()
    yield folder
    get_settings.cache_clear()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def empty_url(request: pytest.FixtureRequest, tmp_path: Path, var_dir: Path) -> Iterator[str]:
    """An empty database of each kind (not migrated)."""
    if request.param == "sqlite":
        yield sqlite_url(tmp_path)
    else:
        with postgres_schema_url() as url:
            yield url


@pytest.fixture
def url(empty_url: str) -> str:
    upgrade(empty_url)
    return empty_url
