"""Conversational state: a pending question is answered in any form; levels never go down."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from bot.triage import TriageState, analyze
from bot.vocabulary import level_rank

NOW = datetime(2026, 11, 23, 14, 0)  # a Monday


def roundtrip(state: TriageState) -> TriageState:
    """As the triage action stores it: JSON in a Rasa slot."""
    return TriageState.from_dict(json.loads(json.dumps(state.to_dict())))


@pytest.mark.parametrize(
    ("answer", "level"),
    [
        ("4 days", "urgent"),
        ("since thursday", "urgent"),
        ("al 5 dagen", "urgent"),
        ("5", "urgent"),
        ("2 days", "self_care"),
        ("sinds gisteren", "self_care"),
    ],
)
def test_duration_answer_is_merged(answer: str, level: str) -> None:
    first = analyze("light bleeding after the hsg", "en", now=NOW)
    assert first.level == "self_care" and first.ask == "duration"
    second = analyze(answer, "en", state=roundtrip(first.state), now=NOW)
    assert second.is_report and second.level == level
    assert second.state.pending_ask != "duration"


@pytest.mark.parametrize(
    ("answer", "level"),
    [
        ("it's heavy", "urgent"),
        ("vrij veel", "urgent"),
        ("soaking a pad every hour", "emergency"),
        ("just a little", "self_care"),
        ("spotting", "self_care"),
    ],
)
def test_heaviness_answer_is_merged(answer: str, level: str) -> None:
    first = analyze("I'm bleeding since the hsg", "en", now=NOW)
    assert first.ask == "heaviness"
    second = analyze(answer, "en", state=roundtrip(first.state), now=NOW)
    assert second.level == level
    if level != "self_care":
        assert not any("Light bleeding" in reason for reason in second.reasons), second.reasons


def test_temperature_answer_raises_the_level() -> None:
    first = analyze("I feel hot after the hsg", "en", now=NOW)
    assert first.ask == "temperature"
    second = analyze("39", "en", state=roundtrip(first.state), now=NOW)
    assert second.level == "urgent" and any("39.0" in reason for reason in second.reasons)


def test_new_symptoms_in_the_answer_are_merged() -> None:
    first = analyze("some spotting after the hsg", "en", now=NOW)
    second = analyze("2 days, and now I have a fever", "en", state=roundtrip(first.state), now=NOW)
    assert second.level == "urgent"


def test_level_never_goes_down_in_a_conversation() -> None:
    first = analyze("I have a fever of 38.7 after the hsg", "en", now=NOW)
    second = analyze("just a bit of spotting now, 1 day", "en", state=roundtrip(first.state), now=NOW)
    assert level_rank(second.level) >= level_rank(first.level)


def test_unrelated_message_keeps_the_pending_question() -> None:
    first = analyze("bleeding after the hsg", "en", now=NOW)
    second = analyze("when do I get my results?", "en", state=roundtrip(first.state), now=NOW)
    assert not second.is_report and second.level is None
    assert second.state.pending_ask == first.ask


def test_a_question_is_not_asked_twice_and_emergencies_ask_nothing() -> None:
    state = None
    asked = []
    for text in ["bleeding after the hsg", "no idea", "hmm", "ok"]:
        outcome = analyze(text, "en", state=state, now=NOW)
        state = roundtrip(outcome.state)
        if outcome.ask:
            asked.append(outcome.ask)
    assert len(asked) == len(set(asked))
    assert analyze("I can't breathe and I'm bleeding", "en", now=NOW).ask is None


def test_malformed_state_is_an_empty_state() -> None:
    assert TriageState.from_dict({"facts": "junk", "asked": 3}) == TriageState()
    assert TriageState.from_dict(None) == TriageState()
