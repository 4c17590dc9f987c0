"""Security review findings about the web app: sign-in limits before hashing, fixed error texts,
masked phone numbers in the API list, Secure cookies and HSTS behind https."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

import pytest
from starlette.testclient import TestClient

from bot.config import get_settings
from bot.storage import nurses
from bot.storage.escalations import EscalationInput, record_escalation
from bot.web import auth
from tests.nurse.nurse_support import NURSE, PASSWORD
from tests.nurse.test_nurse_pages import form_token, sign_in


def escalate(url: str, conversation: str, channel: str = "rest") -> int:
    return record_escalation(
        EscalationInput(
            conversation, "urgent", ["fever"], "fever 39", channel, "en", occurred_at=datetime.utcnow()
        ),
        url,
    ).id


@pytest.fixture
def counted_hashing(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every argon2 verification the web app makes (a wrong or unknown password alike)."""
    calls: list[str] = []
    real_verify = nurses._verify

    def verify(digest: str, password: str) -> bool:  # unknown names go through it too (_burn)
        calls.append(password)
        return real_verify(digest, password)

    monkeypatch.setattr(nurses, "_verify", verify)
    monkeypatch.setattr(auth, "FAILURE_DELAY_S", 0.0)
    return calls


def test_an_address_that_keeps_failing_is_refused_before_any_hashing(
    client: TestClient, counted_hashing: list[str]
) -> None:
    statuses = [
        client.get("/api/escalations", auth=(f"user{i}", "guess")).status_code
        for i in range(auth.ADDRESS_FAILURES + 5)
    ]
    assert statuses[: auth.ADDRESS_FAILURES] == [401] * auth.ADDRESS_FAILURES
    assert set(statuses[auth.ADDRESS_FAILURES :]) == {429}
    assert len(counted_hashing) == auth.ADDRESS_FAILURES, "refused attempts cost no argon2 work"
    page = client.get("/nurse/login")
    refused = client.post(
        "/nurse/login", data={"username": NURSE, "password": PASSWORD, "csrf_token": form_token(page.text)}
    )
    assert refused.status_code == 429


def test_a_burst_of_concurrent_attempts_cannot_pass_the_address_limit(
    client: TestClient, counted_hashing: list[str]
) -> None:
    def attempt(i: int) -> int:
        return client.get("/api/escalations", auth=(f"burst{i}", "guess")).status_code

    with ThreadPoolExecutor(max_workers=16) as pool:
        statuses = list(pool.map(attempt, range(60)))
    assert statuses.count(401) <= auth.ADDRESS_FAILURES
    assert len(counted_hashing) <= auth.ADDRESS_FAILURES


def test_the_right_password_is_never_slowed_by_the_address_limit(client: TestClient) -> None:
    for _ in range(auth.ADDRESS_FAILURES + 5):
        assert client.get("/api/escalations", auth=(NURSE, PASSWORD)).status_code == 200


def test_the_escalation_page_shows_only_fixed_error_texts(client: TestClient, db_url: str) -> None:
    escalation_id = escalate(db_url, "web-" + uuid.uuid4().hex)
    sign_in(client)
    page = client.get(f"/nurse/escalations/{escalation_id}", params={"error": "Call 0900-SCAM now"})
    assert page.status_code == 200 and "SCAM" not in page.text
    known = client.get(f"/nurse/escalations/{escalation_id}", params={"error": "outcome"})
    assert "Choose an outcome" in known.text


def test_the_api_list_masks_phone_numbers_and_the_detail_shows_them(client: TestClient, db_url: str) -> None:
    number = "+3161" + uuid.uuid4().int.__str__()[:7]
    escalation_id = escalate(db_url, "sms:" + number, "twilio_sms")
    listing = client.get("/api/escalations", auth=(NURSE, PASSWORD)).json()
    assert number[-7:] not in str(listing)
    [item] = [item for item in listing["items"] if item["id"] == escalation_id]
    assert item["conversation_id"].startswith("sms:+") and item["conversation_id"].endswith(number[-3:])
    detail = client.get(f"/api/escalations/{escalation_id}", auth=(NURSE, PASSWORD)).json()
    assert detail["conversation_id"] == "sms:" + number


def test_https_public_address_gives_secure_cookies_and_hsts(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.web.app import create_app

    monkeypatch.delenv("HSG_SECURE_COOKIES", raising=False)
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://assistant.example.org")
    get_settings.cache_clear()
    with TestClient(create_app(), base_url="https://testserver", follow_redirects=False) as client:
        response = sign_in(client)
        assert response.status_code == 303
        assert response.headers["strict-transport-security"].startswith("max-age=")
        assert client.get("/").headers["strict-transport-security"]
    cookie = [value for value in response.headers.get_list("set-cookie") if value.startswith("hsg_nurse=")][0]
    assert "Secure" in cookie


def test_plain_http_sends_no_hsts(client: TestClient) -> None:
    assert "strict-transport-security" not in client.get("/").headers
