"""Check-ins after the HSG with a controllable clock and the fake Twilio API: enrolment, due times,
late ones skipped, template vs free text by WhatsApp's window, opt-out, two workers sending once."""

from __future__ import annotations

import json
import threading
from datetime import date, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from starlette.testclient import TestClient

from bot.outreach import checkins, keywords
from bot.outreach.plan import CheckInPlan, due_times, plan_from_profile, too_late
from bot.phone.twilio_send import TwilioSender
from bot.storage.db import get_engine, write_session
from bot.storage.outreach_models import CheckInSend
from tests.nurse.nurse_support import create_events_table
from tests.outreach.conftest import AUTH, TEMPLATE_SID
from tests.support.fake_twilio import FakeTwilio

HSG = date(2026, 11, 20)
AMSTERDAM = CheckInPlan(days=(1, 3), hour=10, timezone="Europe/Amsterdam")


def patient_wrote(url: str, sender: str, at: datetime) -> None:
    """A user event in Rasa's tracker store, as the Twilio channel leaves it, at a chosen moment."""
    create_events_table(url)
    data = {"event": "user", "timestamp": at.timestamp(), "text": "…", "input_channel": "twilio"}
    with get_engine(url).begin() as connection:
        connection.execute(
            sa.text("INSERT INTO events (sender_id, type_name, timestamp, data) VALUES (:s, 'user', :t, :d)"),
            {"s": sender, "t": at.timestamp(), "d": json.dumps(data)},
        )


def enrol(
    phone: str, channel: str = "sms", hsg: date = HSG, now: datetime | None = None, lang: str = "en"
) -> int:
    body = {"phone": phone, "channel": channel, "hsg_date": hsg.isoformat(), "language": lang}
    return checkins.enrol(body, "nurse.test", now or datetime(2026, 11, 20, 15, 0))["id"]


def test_due_times_follow_the_clinic_days_hour_and_time_zone() -> None:
    assert due_times(HSG, AMSTERDAM) == [(1, datetime(2026, 11, 21, 9, 0)), (3, datetime(2026, 11, 23, 9, 0))]
    summer = due_times(date(2026, 7, 1), AMSTERDAM)  # CEST: 10:00 local is 08:00 UTC
    assert summer[0] == (1, datetime(2026, 7, 2, 8, 0))
    assert plan_from_profile({"phones": {}}).days == (1, 3)
    assert plan_from_profile({"checkins": {"days": [2, 7], "hour": 18}}).days == (2, 7)
    assert too_late(datetime(2026, 11, 21, 9), datetime(2026, 11, 22, 9, 1))
    assert not too_late(datetime(2026, 11, 21, 9), datetime(2026, 11, 22, 8, 59))


def test_enrolment_api_needs_a_nurse_and_valid_fields(client: TestClient) -> None:
    body = {"phone": "+31612345678", "channel": "sms", "hsg_date": date.today().isoformat(), "language": "nl"}
    assert client.post("/api/checkins", json=body).status_code == 401
    created = client.post("/api/checkins", json=body, auth=AUTH)
    assert created.status_code == 201, created.text
    item = created.json()
    assert item["id"] and item["channel"] == "sms" and item["language"] == "nl"
    assert [send["day"] for send in item["schedule"]] == [1, 3]
    assert client.get(f"/api/checkins/{item['id']}", auth=AUTH).json()["phone"] == "+31612345678"
    for wrong in (
        {"phone": "0612345678"},
        {"channel": "email"},
        {"hsg_date": "20-11-2026"},
        {"language": "de"},
    ):
        assert client.post("/api/checkins", json={**body, **wrong}, auth=AUTH).status_code == 400, wrong


def test_scheduler_sends_each_check_in_once_when_due(db_url: str, fake: FakeTwilio) -> None:
    phone = "+31611111111"
    enrol(phone)
    day1 = datetime(2026, 11, 21, 9, 0)
    assert checkins.run_due(now=day1 - timedelta(minutes=1)) == []
    assert fake.messages_to(phone) == []
    sent = checkins.run_due(now=day1 + timedelta(minutes=5))
    assert [outcome.reason for outcome in sent] == ["sent"]
    assert checkins.run_due(now=day1 + timedelta(minutes=6)) == []  # a restart or a second pass: once
    [message] = fake.messages_to(phone)
    assert "yesterday" in message["Body"] and "1 fine" in message["Body"] and "STOP" in message["Body"]
    assert message["StatusCallback"] == "http://assistant.example.org/webhooks/twilio/status"
    checkins.run_due(now=datetime(2026, 11, 23, 9, 30))
    assert "3 days ago" in fake.messages_to(phone)[1]["Body"]


def test_a_check_in_overdue_by_more_than_a_day_is_skipped(db_url: str, fake: FakeTwilio) -> None:
    phone = "+31622222222"
    checkin_id = enrol(phone)
    # The scheduler was down from before day 1 until the evening of day 2.
    checkins.run_due(now=datetime(2026, 11, 22, 19, 0))
    assert fake.messages_to(phone) == []
    statuses = {send["day"]: (send["status"], send["note"]) for send in checkins.get(checkin_id)["schedule"]}
    assert statuses == {1: ("skipped", "too_late"), 3: ("due", None)}
    # Enrolled late: the days already past by more than a day are skipped from the start.
    late = enrol("+31622222223", now=datetime(2026, 11, 23, 12, 0))
    assert [send["status"] for send in checkins.get(late)["schedule"]] == ["skipped", "due"]


def test_whatsapp_uses_the_template_outside_the_24_hour_window(db_url: str, fake: FakeTwilio) -> None:
    phone = "+31633333333"
    checkin_id = enrol(phone, channel="whatsapp", lang="nl")
    checkins.run_due(now=datetime(2026, 11, 21, 9, 5))
    [template] = fake.messages_to("whatsapp:" + phone)
    assert template["ContentSid"] == TEMPLATE_SID["nl"] and "Body" not in template
    variables = json.loads(template["ContentVariables"])
    assert variables["2"] == "1" and "Demoziekenhuis" in variables["1"]
    assert template["From"] == "whatsapp:+15005550006"
    # She wrote on WhatsApp a few hours before day 3: inside the window, free text in her language.
    patient_wrote(db_url, "whatsapp:" + phone, datetime.now(timezone.utc) - timedelta(hours=3))
    outcome = checkins.send_next(checkin_id, "nurse.test", now=datetime.utcnow())
    assert outcome.kind == "text"
    free = fake.messages_to("whatsapp:" + phone)[1]
    assert "ContentSid" not in free and "Antwoord met een cijfer" in free["Body"]


def test_stop_is_confirmed_once_and_nothing_is_sent_after_it(db_url: str, fake: FakeTwilio) -> None:
    phone = "+31644444444"
    checkin_id = enrol(phone)
    first = keywords.handle_keyword(phone, "STOP")
    assert first is not None and len(first.texts) == 1 and "START" in first.texts[0]
    again = keywords.handle_keyword("sms:" + phone, " stop. ")
    assert again is not None and again.texts == []  # confirmed once only
    assert keywords.handle_keyword(phone, "please stop the pain") is None
    assert checkins.send_next(checkin_id, "nurse.test").reason == "opted_out"
    assert checkins.run_due(now=datetime(2026, 11, 21, 9, 5))[0].reason == "opted_out"
    assert fake.messages_to(phone) == []
    back = keywords.handle_keyword(phone, "START")
    assert back is not None and "STOP" in back.texts[0]
    assert checkins.send_next(checkin_id, "nurse.test").sent  # day 3, sent now on request
    assert len(fake.messages_to(phone)) == 1


def test_numbered_answer_maps_to_words_triage_reads(db_url: str, fake: FakeTwilio) -> None:
    phone = "+31655555555"
    checkin_id = enrol(phone, lang="nl")
    assert keywords.checkin_answer(phone, "2") is None  # nothing sent yet: a bare number is left alone
    assert checkins.send_next(checkin_id, "nurse.test").sent
    assert keywords.checkin_answer(phone, "2") == "Ik heb bloedverlies"
    assert keywords.checkin_answer("sms:" + phone, " 4. ") == "Ik heb koorts of voel me niet lekker"
    assert keywords.checkin_answer(phone, "7") is None
    patient_wrote(db_url, phone, datetime.now(timezone.utc) + timedelta(seconds=5))
    assert keywords.checkin_answer(phone, "2") is None  # she wrote since: "2" is about something else


def test_status_callback_marks_a_failed_check_in(db_url: str, fake: FakeTwilio) -> None:
    from bot.outreach.nurse_reply import record_status

    phone = "+31666666666"
    checkin_id = enrol(phone)
    checkins.send_next(checkin_id, "nurse.test")
    sid = fake.messages_to(phone)[0]["_sid"]
    assert record_status(sid, "failed", "30003") == "checkin"
    day1 = checkins.get(checkin_id)["schedule"][0]
    assert day1["status"] == "failed" and day1["error_code"] == "30003"
    assert record_status("SM" + "0" * 32, "delivered", None) == "unknown"


def test_twilio_refusing_a_check_in_is_recorded_as_failed(db_url: str, fake: FakeTwilio) -> None:
    checkin_id = enrol("+31677777777")
    fake.fail_next.append(400)
    assert checkins.send_next(checkin_id, "nurse.test").reason == "failed"
    assert checkins.get(checkin_id)["schedule"][0]["status"] == "failed"


def test_two_workers_send_each_check_in_once(any_db_url: str, fake: FakeTwilio) -> None:
    phones = [f"+3168888{index:04d}" for index in range(6)]
    for phone in phones:
        enrol(phone)
    now = datetime(2026, 11, 21, 9, 5)
    start = threading.Barrier(2)
    results: dict[str, list] = {}

    def worker(name: str) -> None:
        sender = TwilioSender.from_settings(__import__("bot.config").config.get_settings())
        start.wait()
        results[name] = checkins.run_due(now=now, sender=sender, worker=name)

    threads = [threading.Thread(target=worker, args=(name,)) for name in ("worker-a", "worker-b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    for phone in phones:
        assert len(fake.messages_to(phone)) == 1, phone
    assert sum(outcome.sent for outcomes in results.values() for outcome in outcomes) == len(phones)
    with write_session() as session:
        claimed_by = {row.claimed_by for row in session.query(CheckInSend).filter(CheckInSend.day == 1)}
    assert claimed_by <= {"worker-a", "worker-b"}


@pytest.mark.parametrize("word", ["STOP", "Stopp", "UNSUBSCRIBE", "afmelden"])
def test_every_opt_out_word_is_a_stop(word: str) -> None:
    assert keywords.keyword_of(word) == "stop"
