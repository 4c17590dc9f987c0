"""Nurse pages through Starlette's TestClient: sign-in, CSRF, sessions, inbox, workflow, headers, escaping."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

import pytest
import sqlalchemy as sa
from starlette.testclient import TestClient

from bot.config import get_settings
from bot.storage.db import get_engine
from bot.storage.escalations import EscalationInput, record_escalation
from bot.storage.models import utcnow
from tests.nurse.nurse_support import NURSE, PASSWORD, seed_conversation


def form_token(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "the form carries a CSRF token"
    return found.group(1)


def sign_in(client: TestClient, password: str = PASSWORD):
    page = client.get("/nurse/login")
    return client.post(
        "/nurse/login", data={"username": NURSE, "password": password, "csrf_token": form_token(page.text)}
    )


def escalate(url: str, conversation: str, text: str = "fever 39", level: str = "urgent", **extra) -> int:
    return record_escalation(
        EscalationInput(
            conversation,
            level,
            extra.pop("reasons", ["fever"]),
            text,
            extra.pop("channel", "rest"),
            "en",
            **extra,
        ),
        url,
    ).id


def audit_rows(url: str) -> list[tuple]:
    with get_engine(url).connect() as connection:
        return connection.execute(
            sa.text("SELECT actor, action, escalation_id FROM hsg_audit_log ORDER BY id")
        ).all()


def test_patient_page_is_served_at_the_root(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 200 and "text/html" in response.headers["content-type"]
    assert response.headers["x-content-type-options"] == "nosniff"
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert f"connect-src 'self' {get_settings().public_base_url};" in csp, "the widget may reach Rasa only"


@pytest.mark.parametrize("path", ["/nurse/", "/nurse/escalations/1", "/nurse/inbox.json", "/nurse"])
def test_nothing_without_signing_in(client: TestClient, path: str) -> None:
    response = client.get(path)
    if path == "/nurse/inbox.json":
        assert response.status_code == 401
    else:
        assert response.status_code in (303, 308)
        assert response.headers["location"].startswith("/nurse")
    for post in ("/nurse/escalations/1/status", "/nurse/logout"):
        assert client.post(post, data={"status": "in_review"}).status_code == 303


def test_sign_in_sets_a_strict_http_only_cookie_and_opens_the_inbox(client: TestClient, db_url: str) -> None:
    response = sign_in(client)
    assert response.status_code == 303 and response.headers["location"] == "/nurse/"
    cookie = [value for value in response.headers.get_list("set-cookie") if value.startswith("hsg_nurse=")][0]
    assert (
        "HttpOnly" in cookie
        and "SameSite=strict" in cookie.replace("Strict", "strict")
        and "Path=/nurse" in cookie
    )
    assert "Secure" not in cookie
    inbox = client.get("/nurse/")
    assert inbox.status_code == 200 and "Signed in as" in inbox.text
    assert (NURSE, "sign_in", None) in audit_rows(db_url) and (NURSE, "view_inbox", None) in audit_rows(
        db_url
    )


def test_secure_cookie_when_configured(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.config import get_settings
    from bot.web.app import create_app

    monkeypatch.setenv("HSG_SECURE_COOKIES", "1")
    get_settings.cache_clear()
    with TestClient(create_app(), base_url="https://testserver", follow_redirects=False) as client:
        response = sign_in(client)
        assert response.status_code == 303
    cookie = [value for value in response.headers.get_list("set-cookie") if value.startswith("hsg_nurse=")][0]
    assert "Secure" in cookie


def test_sign_in_needs_the_form_token_and_the_right_password(client: TestClient, db_url: str) -> None:
    client.get("/nurse/login")
    no_token = client.post(
        "/nurse/login", data={"username": NURSE, "password": PASSWORD, "csrf_token": "forged"}
    )
    assert no_token.status_code == 400
    wrong = sign_in(client, "not-the-password")
    assert wrong.status_code == 401 and "hsg_nurse=" not in wrong.headers.get("set-cookie", "")
    assert client.get("/nurse/").status_code == 303


def test_repeated_failures_lock_the_account(client: TestClient, db_url: str) -> None:
    for _ in range(5):
        assert sign_in(client, "not-the-password").status_code == 401
    assert sign_in(client).status_code == 401, "locked even with the right password"
    with get_engine(db_url).begin() as connection:
        connection.execute(
            sa.text("UPDATE hsg_sign_in_failures SET locked_until = :t"),
            {"t": utcnow() - timedelta(seconds=1)},
        )
    assert sign_in(client).status_code == 303, "the lock ends"
    failures = [row for row in audit_rows(db_url) if row[1] == "sign_in_failed"]
    assert len(failures) == 6


def test_posts_need_the_session_csrf_token(client: TestClient, db_url: str) -> None:
    escalation_id = escalate(db_url, "web-" + uuid.uuid4().hex)
    sign_in(client)
    forged = client.post(
        f"/nurse/escalations/{escalation_id}/status", data={"status": "in_review", "csrf_token": "x"}
    )
    assert forged.status_code == 403
    assert client.post("/nurse/logout", data={"csrf_token": "x"}).status_code == 403
    assert client.get("/nurse/").status_code == 200, "still signed in"


def test_workflow_and_history_on_the_conversation_page(client: TestClient, db_url: str) -> None:
    conversation = "+31687654321"
    seed_conversation(
        db_url,
        conversation,
        [
            ("user", "ik heb koorts 39", None),
            ("bot", "Bel vandaag de kliniek.", {"level": "urgent", "reasons": ["fever"]}),
        ],
    )
    escalation_id = escalate(db_url, conversation, "ik heb koorts 39", channel="twilio_sms")
    sign_in(client)
    inbox = client.get("/nurse/").text
    assert "+••••••••321" in inbox and conversation not in inbox, "phone numbers masked in the list"
    page = client.get(f"/nurse/escalations/{escalation_id}")
    assert page.status_code == 200
    assert conversation in page.text, "the full number on the conversation page"
    assert "Bel vandaag de kliniek." in page.text and "Triage decision" in page.text
    token = form_token(page.text)
    path = f"/nurse/escalations/{escalation_id}/status"
    assert client.post(path, data={"status": "in_review", "csrf_token": token}).status_code == 303
    refused = client.post(path, data={"status": "resolved", "csrf_token": token})
    assert "error=" in refused.headers["location"], "an outcome is needed to resolve"
    client.post(
        path,
        data={
            "status": "resolved",
            "outcome": "called_patient",
            "note": "called, fever down",
            "csrf_token": token,
        },
    )
    page = client.get(f"/nurse/escalations/{escalation_id}").text
    assert "Called the patient" in page and "called, fever down" in page
    assert "in review → resolved" in page and "new → in review" in page
    actions = [(row[1], row[2]) for row in audit_rows(db_url) if row[2] == escalation_id]
    assert actions == [
        ("view_escalation", escalation_id),
        ("view_phone", escalation_id),  # the page shows the full number: that view is recorded
        ("status_change", escalation_id),
        ("status_change", escalation_id),
        ("view_escalation", escalation_id),
        ("view_phone", escalation_id),
    ]


def test_inbox_order_filters_and_json(client: TestClient, db_url: str) -> None:
    ids = {
        "inform": escalate(db_url, "web-a", level="inform_team", reasons=["asthma"]),
        "urgent": escalate(db_url, "web-b", level="urgent", channel="twilio_sms"),
        "emergency": escalate(db_url, "web-c", level="emergency", reasons=["breathing"]),
    }
    sign_in(client)
    data = client.get("/nurse/inbox.json").json()
    assert [item["id"] for item in data["items"]] == [ids["emergency"], ids["urgent"], ids["inform"]]
    assert data["counts"] == {"emergency": 1, "urgent": 1, "inform_team": 1}
    assert "conversation_id" not in data["items"][0]
    sms = client.get("/nurse/inbox.json", params={"channel": "twilio_sms"}).json()
    assert [item["id"] for item in sms["items"]] == [ids["urgent"]]
    today = utcnow().date().isoformat()
    assert client.get("/nurse/inbox.json", params={"date": today}).json()["total"] == 3
    assert client.get("/nurse/inbox.json", params={"date": "2001-01-01"}).json()["total"] == 0
    assert client.get("/nurse/inbox.json", params={"status": "resolved"}).json()["total"] == 0
    page = client.get("/nurse/", params={"level": "emergency"}).text
    assert "web-c" in page and "web-a" not in page


def test_patient_text_is_escaped(client: TestClient, db_url: str) -> None:
    evil = '<script>alert("x")</script><img src=x onerror="alert(1)">'
    conversation = "web-" + uuid.uuid4().hex
    seed_conversation(db_url, conversation, [("user", evil, None)])
    escalation_id = escalate(db_url, conversation, evil)
    sign_in(client)
    for html in (client.get("/nurse/").text, client.get(f"/nurse/escalations/{escalation_id}").text):
        assert "<script>alert" not in html and "<img src=x" not in html
        assert "&lt;script&gt;alert(" in html
        assert not re.search(r"<script>(?!</script>)", html), "no inline script at all"


def test_strict_headers_on_nurse_pages(client: TestClient) -> None:
    for response in (client.get("/nurse/login"), client.get("/nurse/"), client.get("/api/escalations")):
        csp = response.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["x-frame-options"] == "DENY"
    assert "script-src 'self'" in client.get("/nurse/login").headers["content-security-policy"]
    assert client.get("/nurse/static/inbox.js").status_code == 200


def test_sign_out_ends_the_session_for_good(client: TestClient, db_url: str) -> None:
    sign_in(client)
    cookie = client.cookies.get("hsg_nurse")
    page = client.get("/nurse/")
    out = client.post("/nurse/logout", data={"csrf_token": form_token(page.text)})
    assert out.status_code == 303 and "signed_out" in out.headers["location"]
    assert client.get("/nurse/").status_code == 303
    client.cookies.set("hsg_nurse", cookie, path="/nurse")  # a copied cookie is refused as well
    assert client.get("/nurse/").status_code == 303
    assert (NURSE, "sign_out", None) in audit_rows(db_url)


def test_idle_sessions_expire(client: TestClient, db_url: str) -> None:
    sign_in(client)
    assert client.get("/nurse/").status_code == 200
    with get_engine(db_url).begin() as connection:
        connection.execute(
            sa.text("UPDATE hsg_sessions SET last_seen_at = :t"), {"t": utcnow() - timedelta(hours=1)}
        )
    assert client.get("/nurse/").status_code == 303


def test_after_sign_in_only_local_pages(client: TestClient) -> None:
    page = client.get("/nurse/login", params={"next": "https://evil.example/"})
    response = client.post(
        "/nurse/login?next=https%3A%2F%2Fevil.example%2F",
        data={"username": NURSE, "password": PASSWORD, "csrf_token": form_token(page.text)},
    )
    assert response.headers["location"] == "/nurse/"
