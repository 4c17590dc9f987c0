"""Closing the loop on the real stack: a nurse answers an SMS patient, a check-in goes out on `send`,
her answer is triaged by the real Rasa server, STOP ends it; status callbacks; hand-over over REST.

Signed Twilio webhooks go to the real Rasa server; Twilio's Messages API is the fake on loopback.
"""

from __future__ import annotations

import random
import subprocess
import sys
import uuid
from datetime import date, datetime, timedelta, timezone
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest

from tests.conftest import ROOT
from tests.support.fake_twilio import twilio_signature

pytestmark = pytest.mark.stack

WEBHOOK = "/webhooks/twilio/webhook"
STATUS = "/webhooks/twilio/status"
NURSE = ("nurse-loop", "a long password for the loop tests")


@pytest.fixture(scope="module")
def nurse(stack: Any) -> tuple[str, str]:
    subprocess.run(
        [sys.executable, "-m", "bot", "nurse", "add", NURSE[0]],
        input=NURSE[1] + "\n",
        text=True,
        cwd=ROOT,
        env=stack.env,
        check=True,
        capture_output=True,
    )
    return NURSE


def new_number() -> str:
    return "+3162" + "".join(random.choices("0123456789", k=7))


def signed_post(stack: Any, path: str, fields: list[tuple[str, str]], signed: bool = True) -> httpx.Response:
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if signed:
        public = stack.env["PUBLIC_BASE_URL"].rstrip("/") + path
        headers["X-Twilio-Signature"] = twilio_signature(stack.env["TWILIO_AUTH_TOKEN"], public, fields)
    return httpx.post(stack.rasa_url + path, content=urlencode(fields), headers=headers, timeout=90)


def text_in(stack: Any, sender: str, body: str) -> httpx.Response:
    fields = [
        ("MessageSid", "SM" + uuid.uuid4().hex),
        ("AccountSid", stack.env["TWILIO_ACCOUNT_SID"]),
        ("From", sender),
        ("To", stack.env["TWILIO_NUMBER"]),
        ("Body", body),
    ]
    response = signed_post(stack, WEBHOOK, fields)
    assert response.status_code == 200, response.text
    return response


def bodies(stack: Any, recipient: str) -> list[str]:
    return [message.get("Body", "") for message in stack.fake_twilio.messages_to(recipient)]


def escalation_with(stack: Any, nurse: tuple[str, str], patient_text: str) -> dict[str, Any]:
    items = httpx.get(f"{stack.web_url}/api/escalations", auth=nurse, params={"per_page": 200}, timeout=10)
    found = [item for item in items.json()["items"] if item["patient_text"] == patient_text]
    assert len(found) == 1, [item["patient_text"] for item in items.json()["items"]]
    return found[0]


def test_nurse_answers_an_sms_patient_from_the_inbox(stack: Any, nurse: tuple[str, str]) -> None:
    patient = new_number()
    words = "Since this morning I have a fever of 39.3 and a smelly discharge"
    text_in(stack, patient, words)
    escalation = escalation_with(stack, nurse, words)
    assert escalation["level"] == "urgent" and escalation["channel"] == "twilio_sms"
    url = f"{stack.web_url}/api/escalations/{escalation['id']}/messages"
    assert httpx.post(url, json={"text": "hi"}, timeout=10).status_code == 401
    assert httpx.post(url, json={"text": ""}, auth=nurse, timeout=10).status_code == 400
    assert httpx.post(url, json={"text": "x" * 1601}, auth=nurse, timeout=10).status_code == 400
    missing = f"{stack.web_url}/api/escalations/999999/messages"
    assert httpx.post(missing, json={"text": "hi"}, auth=nurse, timeout=10).status_code == 404
    message = "This is nurse Anna from the clinic. Please call us now on 020 555 0100 about the fever."
    sent = httpx.post(url, json={"text": message}, auth=nurse, timeout=30)
    assert sent.status_code == 201, sent.text
    assert message in bodies(stack, patient)
    detail = httpx.get(f"{stack.web_url}/api/escalations/{escalation['id']}", auth=nurse, timeout=10).json()
    turns = detail["transcript"]
    assert [turn["kind"] for turn in turns][-1] == "nurse" and turns[-1]["text"] == message
    assert turns[0]["kind"] == "user" and words in turns[0]["text"]
    assert any(entry["action"] == "nurse_message" for entry in detail["audit"])

    # While she is in review, the assistant steps back on an ordinary question...
    text_in(stack, patient, "How long does the HSG take?")
    assert "nurse" in bodies(stack, patient)[-1].lower()
    # ...and resolving hands the conversation back.
    resolve = {"status": "resolved", "outcome": "called_patient"}
    status_url = f"{stack.web_url}/api/escalations/{escalation['id']}/status"
    assert httpx.post(status_url, json=resolve, auth=nurse, timeout=10).status_code == 200
    text_in(stack, patient, "How long does the HSG take?")
    assert "minutes" in bodies(stack, patient)[-1]


def test_check_in_reply_escalates_and_stop_ends_it(stack: Any, nurse: tuple[str, str]) -> None:
    patient = new_number()
    # "yesterday" on the clinic's calendar, as the check-in counts it (UTC 23:30 is already tomorrow in
    # Amsterdam)
    from bot.outreach.checkins import current_plan

    clinic_today = datetime.now(timezone.utc).astimezone(current_plan().zone).date()
    yesterday = (clinic_today - timedelta(days=1)).isoformat()
    body = {"phone": patient, "channel": "sms", "hsg_date": yesterday, "language": "en"}
    assert httpx.post(f"{stack.web_url}/api/checkins", json=body, timeout=10).status_code == 401
    created = httpx.post(f"{stack.web_url}/api/checkins", json=body, auth=nurse, timeout=10)
    assert created.status_code == 201, created.text
    checkin_id = created.json()["id"]
    send_url = f"{stack.web_url}/api/checkins/{checkin_id}/send"
    sent = httpx.post(send_url, auth=nurse, timeout=30)
    assert sent.status_code == 200 and sent.json()["sent"] is True, sent.text
    [question] = bodies(stack, patient)
    assert "yesterday" in question and "1 fine" in question

    words = "soaking a pad every hour and feeling faint"
    text_in(stack, patient, words)
    assert escalation_with(stack, nurse, words)["level"] == "emergency"
    assert "112" in bodies(stack, patient)[1]  # the emergency advice came back by SMS

    text_in(stack, patient, "STOP")
    confirmation = bodies(stack, patient)[-1]
    assert "START" in confirmation
    count = len(bodies(stack, patient))
    text_in(stack, patient, "STOP")  # confirmed once only
    stopped = httpx.post(send_url, auth=nurse, timeout=30)
    assert stopped.status_code == 200 and stopped.json() == {
        "sent": False,
        "reason": "opted_out",
        "send_id": None,
        "kind": None,
    }
    assert len(bodies(stack, patient)) == count


def test_numbered_answer_is_triaged_as_words(stack: Any, nurse: tuple[str, str]) -> None:
    patient = new_number()
    body = {"phone": patient, "channel": "sms", "hsg_date": date.today().isoformat(), "language": "en"}
    checkin_id = httpx.post(f"{stack.web_url}/api/checkins", json=body, auth=nurse, timeout=10).json()["id"]
    assert httpx.post(f"{stack.web_url}/api/checkins/{checkin_id}/send", auth=nurse, timeout=30).json()[
        "sent"
    ]
    text_in(stack, patient, "4")
    reply = " ".join(bodies(stack, patient)[1:]).lower()
    assert "temperature" in reply or "fever" in reply, reply


def test_signed_status_callback_marks_a_check_in_failed(stack: Any, nurse: tuple[str, str]) -> None:
    patient = new_number()
    body = {"phone": patient, "channel": "sms", "hsg_date": date.today().isoformat(), "language": "nl"}
    checkin_id = httpx.post(f"{stack.web_url}/api/checkins", json=body, auth=nurse, timeout=10).json()["id"]
    httpx.post(f"{stack.web_url}/api/checkins/{checkin_id}/send", auth=nurse, timeout=30)
    [message] = stack.fake_twilio.messages_to(patient)
    assert message["StatusCallback"] == stack.env["PUBLIC_BASE_URL"] + STATUS
    fields = [("MessageSid", message["_sid"]), ("MessageStatus", "undelivered"), ("ErrorCode", "30003")]
    assert signed_post(stack, STATUS, fields, signed=False).status_code == 403
    assert signed_post(stack, STATUS, fields).status_code == 200
    schedule = httpx.get(f"{stack.web_url}/api/checkins/{checkin_id}", auth=nurse, timeout=10).json()[
        "schedule"
    ]
    assert schedule[0]["status"] == "failed" and schedule[0]["error_code"] == "30003"
