"""A nurse answers the patient where she is: SMS/WhatsApp through the fake Twilio, the web widget by
fetch; in the transcript and the audit log; the assistant steps back while the nurse reviews; the
on-call phone is alerted without patient data."""

from __future__ import annotations

from typing import Any

from starlette.testclient import TestClient

from bot.outreach import alerts, handover, keywords
from bot.rasa_server.outreach_hooks import widget_messages
from bot.storage.db import write_session
from bot.storage.escalations import EscalationInput, record_escalation
from bot.storage.inbox import change_status
from tests.nurse.nurse_support import NURSE
from tests.outreach.conftest import AUTH, ON_CALL
from tests.support.fake_twilio import FakeTwilio


def escalate(
    conversation: str, channel: str, level: str = "urgent", text: str = "fever of 39 and pain"
) -> int:
    return record_escalation(
        EscalationInput(
            conversation_id=conversation,
            level=level,
            reasons=["fever"],
            patient_text=text,
            channel=channel,
            language="en",
        )
    ).id


def test_nurse_answers_an_sms_patient(client: TestClient, fake: FakeTwilio) -> None:
    escalation = escalate("sms:+31612340001", "twilio_sms")
    text = "Hello, this is nurse Anna. Please call us on 020 555 0100 so we can talk about the fever."
    reply = client.post(f"/api/escalations/{escalation}/messages", json={"text": text}, auth=AUTH)
    assert reply.status_code == 201, reply.text
    assert reply.json()["status"] == "sent" and reply.json()["channel"] == "twilio_sms"
    [sent] = fake.messages_to("+31612340001")
    assert sent["Body"] == text and sent["From"] == "+15005550006"
    detail = client.get(f"/api/escalations/{escalation}", auth=AUTH).json()
    nurse_turns = [turn for turn in detail["transcript"] if turn["kind"] == "nurse"]
    assert nurse_turns == [
        {
            "kind": "nurse",
            "text": text,
            "at": nurse_turns[0]["at"],
            "triage": None,
            "channel": "twilio_sms",
            "nurse": NURSE,
            "delivery": "sent",
        }
    ]
    actions = [entry["action"] for entry in detail["audit"]]
    assert "nurse_message" in actions and "status_change" in actions
    assert detail["status"] == "in_review" and detail["assigned_to"] == NURSE
    page = client.get(f"/nurse/escalations/{escalation}")
    assert page.status_code in (302, 303)  # the page needs a signed-in nurse


def test_whatsapp_patient_is_answered_on_whatsapp(client: TestClient, fake: FakeTwilio) -> None:
    escalation = escalate("whatsapp:+31612340002", "twilio_whatsapp")
    assert (
        client.post(f"/api/escalations/{escalation}/messages", json={"text": "Hi"}, auth=AUTH).status_code
        == 201
    )
    [sent] = fake.messages_to("whatsapp:+31612340002")
    assert sent["From"] == "whatsapp:+15005550006"


def test_message_api_refuses_what_it_cannot_send(client: TestClient, fake: FakeTwilio) -> None:
    escalation = escalate("sms:+31612340003", "twilio_sms")
    url = f"/api/escalations/{escalation}/messages"
    assert client.post(url, json={"text": "hello"}).status_code == 401
    assert client.post(url, json={"text": "hello"}, auth=(NURSE, "wrong password!")).status_code == 401
    assert client.post(url, json={"text": "   "}, auth=AUTH).status_code == 400
    assert client.post(url, json={}, auth=AUTH).status_code == 400
    assert client.post(url, json={"text": "x" * 1601}, auth=AUTH).status_code == 400
    assert client.post(url, json={"text": "x" * 1600}, auth=AUTH).status_code == 201
    assert client.post("/api/escalations/999999/messages", json={"text": "hi"}, auth=AUTH).status_code == 404
    keywords.handle_keyword("+31612340003", "STOP")
    refused = client.post(url, json={"text": "hello"}, auth=AUTH)
    assert refused.status_code == 409 and "STOP" in refused.json()["error"]
    assert len(fake.messages_to("+31612340003")) == 1


def test_twilio_refusal_is_reported_and_kept(client: TestClient, fake: FakeTwilio) -> None:
    escalation = escalate("sms:+31612340004", "twilio_sms")
    fake.fail_next.append(400)
    reply = client.post(f"/api/escalations/{escalation}/messages", json={"text": "hello"}, auth=AUTH)
    assert reply.status_code == 502 and reply.json()["status"] == "failed"
    turns = client.get(f"/api/escalations/{escalation}", auth=AUTH).json()["transcript"]
    assert [turn["delivery"] for turn in turns if turn["kind"] == "nurse"] == ["failed"]


def test_web_patient_gets_the_message_through_her_own_widget_only(
    client: TestClient, fake: FakeTwilio
) -> None:
    mine, other = "web-" + "a" * 32, "web-" + "b" * 32
    escalation = escalate(mine, "rest")
    reply = client.post(f"/api/escalations/{escalation}/messages", json={"text": "Nurse here."}, auth=AUTH)
    assert reply.status_code == 201 and reply.json()["status"] == "pending"
    assert fake.messages == []
    assert widget_messages(other) == []
    assert widget_messages("short") is None and widget_messages("sms:+31612340001") is None
    [message] = widget_messages(mine)
    assert message["text"] == "Nurse here."
    assert widget_messages(mine) == []  # handed out once
    turns = client.get(f"/api/escalations/{escalation}", auth=AUTH).json()["transcript"]
    assert [turn["delivery"] for turn in turns if turn["kind"] == "nurse"] == ["delivered"]


def faq_reply() -> dict[str, Any]:
    return {"text": "You can use a pad after the HSG."}


def red_flag_reply() -> dict[str, Any]:
    return {
        "text": "Call 112 now.",
        "custom": {"triage": {"level": "emergency", "reasons": ["heavy_bleeding"]}},
    }


def test_assistant_steps_back_while_a_nurse_reviews(db_url: str) -> None:
    conversation = "sms:+31612340005"
    escalation = escalate(conversation, "twilio_sms")
    assert handover.hand_over(conversation, [faq_reply()], "en") == [faq_reply()]  # new: not yet
    with write_session() as session:
        change_status(session, escalation, "in_review", NURSE)
    stepped_back = handover.hand_over("+31612340005", [faq_reply()], "en")  # the bare SMS sender too
    assert len(stepped_back) == 1 and "nurse" in stepped_back[0]["text"]
    assert faq_reply() not in stepped_back
    with_flag = handover.hand_over(conversation, [red_flag_reply(), faq_reply()], "nl")
    assert with_flag[0] == red_flag_reply() and "verpleegkundige" in with_flag[1]["text"]
    with write_session() as session:
        change_status(session, escalation, "resolved", NURSE, outcome="called_patient")
    assert handover.hand_over(conversation, [faq_reply()], "en") == [faq_reply()]  # handed back


def test_on_call_phone_gets_one_alert_without_patient_data(db_url: str, fake: FakeTwilio) -> None:
    escalate("sms:+31612340006", "twilio_sms", "urgent", text="my secret words")
    escalate("web-" + "c" * 32, "rest", "inform_team")
    assert alerts.run_alerts() == 1
    [sms] = fake.messages_to(ON_CALL)
    assert sms["Body"].startswith("HSG assistant: 1 new urgent escalation.")
    assert "secret" not in sms["Body"] and "31612340006" not in sms["Body"]
    assert alerts.run_alerts() == 0  # once
    escalate("sms:+31612340006", "twilio_sms", "emergency")  # raised: a new, worse alert
    assert alerts.run_alerts() == 1
    assert "1 new emergency escalation" in fake.messages_to(ON_CALL)[1]["Body"]


def test_retention_removes_old_nurse_messages_and_check_ins(client: TestClient, fake: FakeTwilio) -> None:
    from datetime import datetime, timedelta

    import sqlalchemy as sa

    from bot.outreach import checkins
    from bot.storage.db import read_session
    from bot.storage.outreach_models import CheckIn, NurseMessage
    from bot.storage.retention import apply_retention

    escalation = escalate("sms:+31612340007", "twilio_sms")
    client.post(f"/api/escalations/{escalation}/messages", json={"text": "hello"}, auth=AUTH)
    with write_session() as session:
        change_status(session, escalation, "resolved", NURSE, outcome="called_patient")
    body = {"phone": "+31612340007", "channel": "sms", "hsg_date": "2026-11-20", "language": "en"}
    checkins.enrol(body, NURSE, now=datetime(2026, 11, 20, 12))
    apply_retention(30, now=datetime.utcnow() + timedelta(days=31))  # the escalation's FK must not block it
    with read_session() as session:
        assert session.execute(sa.select(sa.func.count(NurseMessage.id))).scalar_one() == 0
        assert session.execute(sa.select(sa.func.count(CheckIn.id))).scalar_one() == 0
