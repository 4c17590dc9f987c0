"""SMS and WhatsApp end to end: signed webhooks to the real Rasa server, replies at the fake Twilio API.

Uses the session `stack` fixture (tests/conftest.py): the Rasa server runs with TWILIO_API_BASE
pointing at `stack.fake_twilio` and PUBLIC_BASE_URL at its own loopback address.
"""

from __future__ import annotations

import random
import uuid
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
import sqlalchemy as sa

from bot.clinic import get_profile
from bot.language import detect_language
from bot.phone.sms_format import MAX_BODY_CHARS, format_for_phone, utf16_len
from tests.support.fake_twilio import twilio_signature

pytestmark = pytest.mark.stack

WEBHOOK = "/webhooks/twilio/webhook"


def new_number() -> str:
    return "+3161" + "".join(random.choices("0123456789", k=7))


def web_id(number: str, prefix: str = "web") -> str:
    """A REST conversation id for the same test (REST ids cannot hold `+` or `:`)."""
    return f"{prefix}-{number.lstrip('+')}"


def conversation(address: str) -> str:
    """The conversation id of a Twilio `From` address."""
    return address if address.startswith("whatsapp:") else "sms:" + address


def post(
    stack: Any, sender: str, body: str, signed: bool = True, token: str | None = None, sid: str | None = None
) -> httpx.Response:
    fields = [
        ("MessageSid", sid or "SM" + uuid.uuid4().hex),
        ("AccountSid", stack.env["TWILIO_ACCOUNT_SID"]),
        ("From", sender),
        ("To", stack.env["TWILIO_NUMBER"]),
        ("Body", body),
        ("NumMedia", "0"),
    ]
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if signed:
        public = stack.env["PUBLIC_BASE_URL"].rstrip("/") + WEBHOOK
        headers["X-Twilio-Signature"] = twilio_signature(
            token or stack.env["TWILIO_AUTH_TOKEN"], public, fields
        )
    return httpx.post(stack.rasa_url + WEBHOOK, content=urlencode(fields), headers=headers, timeout=90)


def bodies_to(stack: Any, recipient: str, count: int = 1) -> list[str]:
    return [message["Body"] for message in stack.fake_twilio.wait_for(recipient, count, timeout=60)]


def conversation_events(stack: Any, sender: str) -> int:
    engine = sa.create_engine(stack.database_url)
    try:
        with engine.connect() as connection:
            tables = sa.inspect(connection).get_table_names()
            if "events" not in tables:
                return 0
            return connection.execute(
                sa.text("SELECT count(*) FROM events WHERE sender_id = :s"), {"s": sender}
            ).scalar_one()
    finally:
        engine.dispose()


def escalations(stack: Any, conversation_id: str) -> list[dict[str, Any]]:
    """Escalations stored for a conversation, through bot.storage's model."""
    from sqlalchemy.orm import Session

    from bot.storage.models import Escalation

    engine = sa.create_engine(stack.database_url)
    try:
        with Session(engine) as session:
            rows = session.query(Escalation).filter(Escalation.conversation_id == conversation_id).all()
            return [
                {"level": row.level, "channel": getattr(row, "channel", None), "status": row.status}
                for row in rows
            ]
    finally:
        engine.dispose()


def test_fixture_wires_the_fake_twilio(stack: Any) -> None:
    assert stack.fake_twilio is not None, "tests/support/fake_twilio.py must be importable"
    assert stack.env["TWILIO_API_BASE"] == stack.fake_twilio.base_url


def test_signed_sms_question_is_answered_by_sms(stack: Any) -> None:
    patient = new_number()
    question = "How long does the HSG take?"
    response = post(stack, patient, question)
    assert response.status_code == 200, response.text
    sent = bodies_to(stack, patient)
    # The same question over REST, formatted for a phone, is exactly what the patient got by SMS.
    expected = format_for_phone(stack.say(web_id(patient), question)).bodies
    assert sent == expected
    assert all(utf16_len(body) <= MAX_BODY_CHARS for body in sent)
    messages = stack.fake_twilio.messages_to(patient)
    assert {message["From"] for message in messages} == {stack.env["TWILIO_NUMBER"]}


def test_whatsapp_in_dutch_is_answered_on_whatsapp_in_dutch(stack: Any) -> None:
    patient = "whatsapp:" + new_number()
    assert post(stack, patient, "Hoelang duurt het onderzoek?").status_code == 200
    sent = bodies_to(stack, patient)
    assert detect_language(" ".join(sent)).lang == "nl"
    messages = stack.fake_twilio.messages_to(patient)
    assert {message["From"] for message in messages} == {"whatsapp:" + stack.env["TWILIO_NUMBER"]}


def test_unsigned_or_wrongly_signed_requests_touch_no_conversation(stack: Any) -> None:
    patient = new_number()
    assert post(stack, patient, "I have a fever of 39", signed=False).status_code == 403
    assert post(stack, patient, "I have a fever of 39", token="guessed-token").status_code == 403
    assert stack.fake_twilio.messages_to(patient) == []
    assert conversation_events(stack, conversation(patient)) == 0
    assert conversation_events(stack, patient) == 0
    assert escalations(stack, conversation(patient)) == []


def test_numbered_choice_picks_the_button(stack: Any) -> None:
    patient = new_number()
    post(stack, patient, "hello")
    [greeting] = bodies_to(stack, patient)
    rest = stack.say(web_id(patient), "hello")
    buttons = next(reply["buttons"] for reply in rest if reply.get("buttons"))
    assert f"1. {buttons[0]['title']}" in greeting
    assert f"2. {buttons[1]['title']}" in greeting
    post(stack, patient, "2")
    after = bodies_to(stack, patient, 2)[1:]
    expected = format_for_phone(stack.say(web_id(patient, "web2"), buttons[1]["payload"])).bodies
    assert after == expected


def test_red_flag_by_sms_gives_the_advice_first_and_is_escalated(stack: Any) -> None:
    patient = new_number()
    response = post(stack, patient, "I had my HSG yesterday and now I have a fever of 39.2 and chills")
    assert response.status_code == 200
    sent = bodies_to(stack, patient)
    assert get_profile().clinic_phone in sent[0], "the urgent advice with the number to call comes first"
    [row] = escalations(stack, conversation(patient))
    assert row["level"] == "urgent"
    if row["channel"] is not None:
        assert row["channel"] == "twilio_sms"


def test_emergency_by_whatsapp_with_the_action_server_down(stack: Any) -> None:
    patient = "whatsapp:" + new_number()
    stack.stop_service("action")
    try:
        response = post(stack, patient, "help I can't breathe and my lips are swelling after the HSG")
        assert response.status_code == 200
        sent = bodies_to(stack, patient)
    finally:
        stack.start_service("action")
    assert get_profile().emergency_number in sent[0], "the safety net's emergency advice comes first"
    rows = escalations(stack, patient)
    assert rows and rows[0]["level"] == "emergency"
    if rows[0]["channel"] is not None:
        assert rows[0]["channel"] == "twilio_whatsapp"
