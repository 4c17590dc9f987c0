"""Fixtures for the nurse web app tests: an isolated database and var/, a nurse account, a client."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from bot.config import get_settings
from bot.storage import nurses
from bot.storage.db import upgrade
from bot.web import security
from tests.nurse.nurse_support import NURSE, PASSWORD


@pytest.fixture
def db_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'nurse.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("HSG_VAR_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("HSG_SECRET_KEY", "nurse-tests-secret")
    get_settings.cache_clear()
    security.secret_key.cache_clear()
    upgrade(url)
    nurses.set_password(NURSE, PASSWORD, url)
    yield url
    get_settings.cache_clear()
    security.secret_key.cache_clear()


@pytest.fixture
def client(db_url: str) -> Iterator[TestClient]:
    from bot.web.app import create_app

    with TestClient(create_app(), follow_redirects=False) as test_client:
        yield test_client
