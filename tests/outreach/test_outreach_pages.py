"""Nurse pages for outreach: reply form, full number with tel: link (audited), check-in enrolment and
the check-in list with failures visible, and the alert controls on the inbox."""

from __future__ import annotations

from datetime import date

from starlette.testclient import TestClient

from bot.outreach import checkins
from tests.nurse.test_nurse_pages import form_token, sign_in
from tests.outreach.conftest import AUTH
from tests.outreach.test_outreach_nurse_reply import escalate
from tests.support.fake_twilio import FakeTwilio


def test_escalation_page_shows_the_number_and_sends_a_reply(client: TestClient, fake: FakeTwilio) -> None:
    escalation = escalate("sms:+31612349001", "twilio_sms")
    assert sign_in(client).status_code == 303
    page = client.get(f"/nurse/escalations/{escalation}")
    assert page.status_code == 200
    assert 'href="tel:+31612349001"' in page.text and 'id="reply-text"' in page.text
    token = form_token(page.text)
    url = f"/nurse/escalations/{escalation}/messages"
    assert client.post(url, data={"text": "hi", "csrf_token": "forged"}).status_code == 403
    sent = client.post(url, data={"text": "Please call us back today.", "csrf_token": token})
    assert sent.status_code == 303 and "notice=sent" in sent.headers["location"]
    assert fake.messages_to("+31612349001")[0]["Body"] == "Please call us back today."
    page = client.get(f"/nurse/escalations/{escalation}")
    assert "Please call us back today." in page.text and "Nurse nurse.anna (sent)" in page.text
    empty = client.post(url, data={"text": " ", "csrf_token": token})
    assert "Write a message first." in client.get(empty.headers["location"]).text
    audit = client.get(f"/api/escalations/{escalation}", auth=AUTH).json()["audit"]
    assert [entry["action"] for entry in audit].count("view_phone") >= 2


def test_web_chat_escalation_has_no_phone(client: TestClient) -> None:
    escalation = escalate("web-" + "d" * 32, "rest")
    sign_in(client)
    page = client.get(f"/nurse/escalations/{escalation}")
    assert 'href="tel:' not in page.text and "chat window" in page.text


def test_enrol_from_the_page_and_see_a_failed_check_in(client: TestClient, fake: FakeTwilio) -> None:
    sign_in(client)
    page = client.get("/nurse/checkins")
    assert page.status_code == 200 and 'id="enrol-phone"' in page.text
    token = form_token(page.text)
    form = {
        "phone": "+31 6 1234 9002",
        "channel": "sms",
        "hsg_date": date.today().isoformat(),
        "language": "nl",
    }
    no_consent = client.post("/nurse/checkins", data={**form, "csrf_token": token})
    assert "only with her consent" in client.get(no_consent.headers["location"]).text
    assert "<b>forged" not in client.get("/nurse/checkins?error=%3Cb%3Eforged").text  # codes only
    done = client.post("/nurse/checkins", data={**form, "consent": "yes", "csrf_token": token})
    assert done.headers["location"].endswith("notice=enrolled")
    [enrolment] = [item for item in checkins_list() if item["phone"] == "+31612349002"]
    fake.fail_next.append(400)
    failed = client.post(f"/nurse/checkins/{enrolment['id']}/send", data={"csrf_token": token})
    assert "Twilio did not accept the check-in." in client.get(failed.headers["location"]).text
    listing = client.get("/nurse/checkins").text
    assert "send-failed" in listing
    assert "+31612349002" not in listing and "002" in listing  # the list is masked, like the inbox
    inbox = client.get("/nurse/")
    assert 'id="failed-checkins"' in inbox.text and 'id="enable-alerts"' in inbox.text
    assert client.get("/nurse/static/alerts.js").status_code == 200


def checkins_list() -> list[dict]:
    from bot.storage import checkins as stored
    from bot.storage.db import read_session

    with read_session() as session:
        return stored.recent(session)


def test_send_after_stop_sends_nothing(client: TestClient, fake: FakeTwilio) -> None:
    from bot.outreach.keywords import handle_keyword

    body = {"phone": "+31612349003", "channel": "sms", "hsg_date": date.today().isoformat(), "language": "en"}
    checkin_id = client.post("/api/checkins", json=body, auth=AUTH).json()["id"]
    handle_keyword("+31612349003", "UNSUBSCRIBE")
    reply = client.post(f"/api/checkins/{checkin_id}/send", auth=AUTH)
    assert reply.status_code == 200 and reply.json() == {
        "sent": False,
        "reason": "opted_out",
        "send_id": None,
        "kind": None,
    }
    assert fake.messages_to("+31612349003") == []
    assert client.post("/api/checkins/99999/send", auth=AUTH).status_code == 404
    assert client.post(f"/api/checkins/{checkin_id}/send").status_code == 401
    assert checkins.get(checkin_id)["opted_out"] is True
