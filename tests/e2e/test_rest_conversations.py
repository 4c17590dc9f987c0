"""Conversations over REST with the real Rasa server and action server (no mocks)."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from bot.clinic import get_profile
from bot.dates import format_date, next_open_day
from bot.language import detect_language

pytestmark = pytest.mark.stack


def sender() -> str:
    return "test-" + uuid.uuid4().hex


def texts(replies: list[dict[str, Any]]) -> str:
    return "\n".join(reply.get("text", "") for reply in replies)


def triage_of(replies: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [reply["custom"]["triage"] for reply in replies if (reply.get("custom") or {}).get("triage")]


def topic_of(replies: list[dict[str, Any]]) -> str | None:
    for reply in replies:
        answer = (reply.get("custom") or {}).get("answer")
        if answer:
            return answer["topic"]
    return None


def escalations(stack: Any, conversation_id: str) -> list[dict[str, Any]]:
    engine = sa.create_engine(stack.database_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                sa.text("SELECT level, status, patient_text FROM hsg_escalations WHERE conversation_id = :c"),
                {"c": conversation_id},
            )
            return [dict(row._mapping) for row in rows]
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    ("text", "topic", "lang"),
    [
        ("Can I use a tampon after the HSG?", "after_tampons", "en"),
        ("Mag ik na de HSG een tampon gebruiken?", "after_tampons", "nl"),
        ("how long will the hsg take", "duration", "en"),
        ("Hoelang duurt het onderzoek?", "duration", "nl"),
        ("When do I get the results?", "results", "en"),
        ("Wanneer krijg ik de uitslag?", "results", "nl"),
    ],
)
def test_leaflet_question_gets_a_sourced_answer_in_the_patients_language(
    stack: Any, text: str, topic: str, lang: str
) -> None:
    replies = stack.say(sender(), text)
    assert topic_of(replies) == topic
    answer = next(reply for reply in replies if reply.get("custom", {}).get("answer"))
    assert answer["custom"]["answer"]["sources"]
    assert detect_language(answer["text"]).lang == lang
    assert not triage_of(replies), "a question is not a triage decision"


def test_answers_carry_the_clinics_numbers(stack: Any) -> None:
    replies = stack.say(sender(), "What is the phone number of the clinic?")
    assert get_profile().clinic_phone in texts(replies)


def test_greeting_bot_challenge_and_out_of_scope_are_honest(stack: Any) -> None:
    conversation = sender()
    assert stack.say(conversation, "hello")[0].get("buttons")
    assert "automated" in texts(stack.say(conversation, "am I talking to a real person?")).lower()
    replies = stack.say(conversation, "what's the weather going to be tomorrow in Amsterdam?")
    assert get_profile().clinic_phone in texts(replies)
    assert topic_of(replies) is None


@pytest.mark.parametrize(
    "text", ["", "   ", "👍🙂🙂", "?", "x" * 50_000, "Bonjour, je voudrais un rendez-vous"]
)
def test_odd_messages_get_a_clear_reply(stack: Any, text: str) -> None:
    replies = stack.say(sender(), text)
    assert replies and all(reply.get("text") for reply in replies)
    assert not triage_of(replies)


def test_switches_language_when_asked(stack: Any) -> None:
    conversation = sender()
    stack.say(conversation, "Hoelang duurt het onderzoek?")
    replies = stack.say(conversation, "in English please")
    assert detect_language(texts(replies)).lang == "en"
    replies = stack.say(conversation, "graag in het Nederlands")
    assert detect_language(texts(replies)).lang == "nl"


def test_cycle_dates_from_the_first_day_of_the_period(stack: Any) -> None:
    period = date.today() - timedelta(days=2)
    replies = stack.say(
        sender(),
        f"My period started on {period.day} {format_date(period, 'en').split()[-1]}, "
        "when can I have the HSG?",
    )
    profile = get_profile().context("en")
    window_start = period + timedelta(days=profile["cycle_first_day"] - 1)
    # the first day offered is the first day of the window the clinic is open (it failed on a Wednesday,
    # when the window opened on a Saturday)
    assert format_date(next_open_day(window_start, profile["open_days"]), "en") in texts(replies)


def test_cycle_dates_asks_for_the_date_and_accepts_it_in_dutch(stack: Any) -> None:
    conversation = sender()
    first = stack.say(conversation, "Wanneer moet ik bellen om de HSG te plannen als ik ongesteld word?")
    assert first
    replies = stack.say(conversation, "mijn menstruatie begon gisteren, wanneer kan de HSG?")
    context = get_profile().context("nl")
    window_start = date.today() - timedelta(days=1) + timedelta(days=context["cycle_first_day"] - 1)
    # the first day of the window the clinic is open (a window starting on a Saturday offers Monday)
    first_offered = next_open_day(window_start, context["open_days"])
    assert format_date(first_offered, "nl") in texts(replies)


def test_fever_is_urgent_with_the_clinics_numbers_and_is_escalated_once(stack: Any) -> None:
    conversation = sender()
    replies = stack.say(conversation, "I had my HSG yesterday and now I have a fever of 38.9")
    decisions = triage_of(replies)
    assert decisions and decisions[0]["level"] == "urgent" and decisions[0]["reasons"]
    assert get_profile().clinic_phone in texts(replies)
    stack.say(conversation, "I have a fever of 38.9")  # the same again: no second escalation
    rows = escalations(stack, conversation)
    assert len(rows) == 1 and rows[0]["level"] == "urgent" and rows[0]["status"] == "new"


def test_emergency_advice_comes_first_in_dutch(stack: Any) -> None:
    conversation = sender()
    replies = stack.say(conversation, "ik krijg moeilijk adem en mijn lippen zwellen op na de hsg")
    assert triage_of(replies[:1]) and triage_of(replies[:1])[0]["level"] == "emergency"
    assert get_profile().emergency_number in replies[0]["text"]
    assert detect_language(replies[0]["text"]).lang == "nl"
    assert escalations(stack, conversation)[0]["level"] == "emergency"


def test_self_care_is_not_escalated(stack: Any) -> None:
    conversation = sender()
    replies = stack.say(
        conversation, "just a bit of cramping and spotting since the hsg this morning, no fever"
    )
    decisions = triage_of(replies)
    if not decisions:
        # Cramps of unknown severity could be more than self-care: the one missing detail is asked first.
        assert "?" in texts(replies)
        decisions = triage_of(stack.say(conversation, "mild, the paracetamol helps"))
    assert [decision["level"] for decision in decisions] == ["self_care"]
    assert escalations(stack, conversation) == []


def test_missing_duration_is_asked_and_a_leaflet_question_in_between_comes_back(stack: Any) -> None:
    conversation = sender()
    first = stack.say(conversation, "I'm still bleeding after the HSG")
    assert "?" in texts(first)
    middle = stack.say(conversation, "can I take a bath?")
    assert topic_of(middle) == "after_bath"
    assert texts(middle).rstrip().endswith("?"), "the pending question is asked again"
    final = stack.say(conversation, "for 5 days now")
    assert triage_of(final) and triage_of(final)[0]["level"] == "urgent"
    assert escalations(stack, conversation)[0]["level"] == "urgent"


def test_worse_report_raises_the_existing_escalation(stack: Any) -> None:
    conversation = sender()
    stack.say(conversation, "I'm on warfarin, my HSG is next week")
    stack.say(conversation, "now I also can't breathe properly and my tongue is swelling")
    rows = escalations(stack, conversation)
    assert len(rows) == 1 and rows[0]["level"] == "emergency"
