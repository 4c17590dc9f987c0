"""The JSON API with HTTP Basic auth: list (newest first, paginated, filtered), one escalation, status."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa
from starlette.testclient import TestClient

from bot.storage.db import get_engine
from bot.storage.escalations import EscalationInput, record_escalation
from tests.nurse.nurse_support import NURSE, PASSWORD, seed_conversation

AUTH = (NURSE, PASSWORD)


def escalate(url: str, conversation: str, level: str = "urgent", minutes_ago: int = 0, **extra) -> int:
    return record_escalation(
        EscalationInput(
            conversation_id=conversation,
            level=level,
            reasons=extra.pop("reasons", ["fever"]),
            patient_text=extra.pop("patient_text", "fever 38.7 since this morning"),
            channel=extra.pop("channel", "rest"),
            language="en",
            occurred_at=datetime.utcnow() - timedelta(minutes=minutes_ago),
            **extra,
        ),
        url,
    ).id


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/escalations"),
        ("GET", "/api/escalations/1"),
        ("POST", "/api/escalations/1/status"),
        ("GET", "/api/anything"),
    ],
)
@pytest.mark.parametrize("auth", [None, (NURSE, "wrong-password"), ("nobody", PASSWORD)], ids=str)
def test_api_refuses_without_valid_credentials(client: TestClient, method: str, path: str, auth) -> None:
    response = client.request(method, path, auth=auth, json={"status": "in_review"})
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Basic")
    assert "items" not in response.text


def test_api_session_cookie_is_not_enough(client: TestClient) -> None:
    from tests.nurse.test_nurse_pages import sign_in

    sign_in(client)
    assert client.get("/api/escalations").status_code == 401


def test_list_is_newest_first_paginated_with_the_interface_fields(client: TestClient, db_url: str) -> None:
    ids = [
        escalate(db_url, f"web-{n}", level, minutes_ago=60 - n)
        for n, level in enumerate(["inform_team", "emergency", "urgent", "urgent", "emergency"])
    ]
    response = client.get("/api/escalations", params={"per_page": 2}, auth=AUTH)
    assert response.status_code == 200
    body = response.json()
    assert body["total"] == 5 and body["page"] == 1 and body["per_page"] == 2
    assert [item["id"] for item in body["items"]] == ids[::-1][:2]
    first = body["items"][0]
    for key in ("id", "conversation_id", "level", "reasons", "status", "created_at"):
        assert key in first
    assert first["conversation_id"] == "web-4" and first["level"] == "emergency"
    assert first["reasons"] == ["fever"] and first["status"] == "new"
    assert first["created_at"].endswith("Z")
    page3 = client.get("/api/escalations", params={"per_page": 2, "page": 3}, auth=AUTH).json()
    assert [item["id"] for item in page3["items"]] == [ids[0]]
    urgent = client.get("/api/escalations", params={"level": "urgent"}, auth=AUTH).json()
    assert {item["level"] for item in urgent["items"]} == {"urgent"} and urgent["total"] == 2


def test_list_includes_resolved_ones_with_masked_phone_ids(client: TestClient, db_url: str) -> None:
    phone = "whatsapp:+31612345678"
    escalation_id = escalate(db_url, phone, channel="twilio_whatsapp")
    client.post(
        f"/api/escalations/{escalation_id}/status",
        json={"status": "resolved", "outcome": "called_patient"},
        auth=AUTH,
    )
    items = client.get("/api/escalations", auth=AUTH).json()["items"]
    assert items[0]["status"] == "resolved"
    # The list masks phone numbers (security review); the full id is in the audited detail view.
    assert items[0]["conversation_id"] == items[0]["conversation_display"] == "whatsapp:+••••••••678"
    detail = client.get(f"/api/escalations/{escalation_id}", auth=AUTH).json()
    assert detail["conversation_id"] == phone


def test_one_escalation_with_transcript_and_the_workflow(client: TestClient, db_url: str) -> None:
    conversation = "web-" + uuid.uuid4().hex
    seed_conversation(
        db_url,
        conversation,
        [
            ("user", "I had my HSG yesterday", None),
            ("bot", "Thanks. How are you feeling?", None),
            ("user", "I have a fever of 38.9", None),
            ("bot", "Please call the clinic today.", {"level": "urgent", "reasons": ["fever"]}),
        ],
    )
    escalation_id = escalate(db_url, conversation)
    detail = client.get(f"/api/escalations/{escalation_id}", auth=AUTH).json()
    assert [(turn["kind"], turn["text"]) for turn in detail["transcript"]] == [
        ("user", "I had my HSG yesterday"),
        ("bot", "Thanks. How are you feeling?"),
        ("user", "I have a fever of 38.9"),
        ("bot", "Please call the clinic today."),
    ]
    assert detail["transcript"][3]["triage"] == {"level": "urgent", "reasons": ["fever"]}
    assert detail["transcript"][1]["triage"] is None
    assert [report["action"] for report in detail["reports"]] == ["created"]

    status = f"/api/escalations/{escalation_id}/status"
    assert (
        client.post(
            status,
            content="status=in_review",
            auth=AUTH,
            headers={"content-type": "application/x-www-form-urlencoded"},
        ).status_code
        == 415
    )
    reviewed = client.post(status, json={"status": "in_review"}, auth=AUTH)
    assert reviewed.status_code == 200 and reviewed.json()["assigned_to"] == NURSE
    assert client.post(status, json={"status": "resolved"}, auth=AUTH).status_code == 409  # outcome needed
    resolved = client.post(
        status, json={"status": "resolved", "outcome": "called_patient", "note": "ok now"}, auth=AUTH
    )
    assert resolved.status_code == 200
    assert (resolved.json()["status"], resolved.json()["outcome"], resolved.json()["note"]) == (
        "resolved",
        "called_patient",
        "ok now",
    )
    assert client.post(status, json={"status": "in_review"}, auth=AUTH).status_code == 409
    assert client.get("/api/escalations/999999", auth=AUTH).status_code == 404

    audit = client.get(f"/api/escalations/{escalation_id}", auth=AUTH).json()["audit"]
    assert [(entry["actor"], entry["action"]) for entry in audit] == [
        (NURSE, "view_escalation"),
        (NURSE, "status_change"),
        (NURSE, "status_change"),
        (NURSE, "view_escalation"),
    ]
    assert audit[2]["detail"]["after"] == "resolved"


def test_api_calls_are_audited(client: TestClient, db_url: str) -> None:
    client.get("/api/escalations", auth=AUTH)
    client.get("/api/escalations", auth=(NURSE, "wrong-password"))
    with get_engine(db_url).connect() as connection:
        rows = connection.execute(sa.text("SELECT actor, action FROM hsg_audit_log ORDER BY id")).all()
    assert (NURSE, "api_list") in rows and (NURSE, "sign_in_failed") in rows
