"""Outreach tests: a migrated database, a nurse account, the fake Twilio API on loopback, a clinic
profile with a WhatsApp template and an on-call number, and a web app client."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from starlette.testclient import TestClient

from bot.config import PROJECT_ROOT, get_settings
from bot.storage import nurses
from bot.storage.db import upgrade
from bot.web import security
from tests.nurse.nurse_support import NURSE, PASSWORD
from tests.storage.storage_dbs import postgres_schema_url
from tests.support.fake_twilio import FakeTwilio

ACCOUNT_SID = "AC" + "2" * 32
AUTH_TOKEN = "outreach-test-token-not-a-secret"
OUR_NUMBER = "+15005550006"
ON_CALL = "+31600000999"
TEMPLATE_SID = {"en": "HX" + "e" * 32, "nl": "HX" + "d" * 32}


@pytest.fixture
def fake() -> Iterator[FakeTwilio]:
    with FakeTwilio() as running:
        yield running


def _profile(tmp_path: Path) -> Path:
    raw = yaml.safe_load((PROJECT_ROOT / "profiles" / "demo.yml").read_text(encoding="utf-8"))
    raw["phones"]["on_call"] = ON_CALL
    raw["checkins"]["whatsapp_template"]["content_sid"] = TEMPLATE_SID
    path = tmp_path / "profile.yml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path


def _environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, fake: FakeTwilio, url: str) -> None:
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("HSG_VAR_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("HSG_SECRET_KEY", "outreach-tests-secret")
    monkeypatch.setenv("CLINIC_PROFILE", str(_profile(tmp_path)))
    monkeypatch.setenv("TWILIO_ACCOUNT_SID", ACCOUNT_SID)
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", AUTH_TOKEN)
    monkeypatch.setenv("TWILIO_NUMBER", OUR_NUMBER)
    monkeypatch.setenv("TWILIO_API_BASE", fake.base_url)
    monkeypatch.setenv("PUBLIC_BASE_URL", "http://assistant.example.org")  # http: cookies without Secure
    monkeypatch.setenv("HSG_OUTREACH_EVERY_S", "0")  # tests drive the scheduler with their own clock
    get_settings.cache_clear()
    security.secret_key.cache_clear()
    upgrade(url)
    nurses.set_password(NURSE, PASSWORD, url)


@pytest.fixture
def db_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake: FakeTwilio) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'outreach.db'}"
    _environment(monkeypatch, tmp_path, fake, url)
    yield url
    get_settings.cache_clear()
    security.secret_key.cache_clear()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def any_db_url(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake: FakeTwilio
) -> Iterator[str]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'outreach.db'}"
        _environment(monkeypatch, tmp_path, fake, url)
        yield url
    else:
        with postgres_schema_url() as url:
            _environment(monkeypatch, tmp_path, fake, url)
            yield url
    get_settings.cache_clear()
    security.secret_key.cache_clear()


@pytest.fixture
def client(db_url: str) -> Iterator[TestClient]:
    from bot.web.app import create_app

    with TestClient(create_app(), follow_redirects=False) as test_client:
        yield test_client


AUTH = (NURSE, PASSWORD)
