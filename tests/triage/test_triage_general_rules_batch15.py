"""General rules added after the fifteenth independent batch (issue 8), each tested with wording of our
own, never a batch sentence."""

from __future__ import annotations

from datetime import date

import pytest

from bot.dates import parse_date, parse_hsg_date
from bot.triage import analyze
from tests.support.triage_turns import EVENING, level


@pytest.mark.parametrize(
    "text",
    [
        "hsg was 2day, some cramping but paracetamol sorted it",
        "test 2day n a bit sore after, is that ok",
    ],
)
def test_texting_2day_is_today_not_two_days(text: str) -> None:
    outcome = analyze(text, "en", now=EVENING)
    assert outcome.level == "self_care"
    assert outcome.state.facts.get("pain_hours", 0) < 24


def test_texting_day_words_are_dates() -> None:
    today = date(2026, 11, 24)
    assert parse_date("my hsg is 2moro", today, "future") == date(2026, 11, 25)
    assert parse_date("had it 2day", today) == today


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Sinds vrijdag, toen het onderzoek was, heb ik steeds wat bloedverlies.", "nl"),
        ("Al vanaf donderdag, de dag van de foto, heb ik bruin bloedverlies. Mag dat?", "nl"),
    ],
)
def test_dutch_inversion_after_a_fronted_phrase_is_a_statement(text: str, lang: str) -> None:
    assert level(text, lang) == "urgent"  # bleeding for more than three days


def test_dutch_inversion_at_the_start_of_a_sentence_still_asks() -> None:
    # "heb ik koorts als ..." asks; nothing is reported
    assert level("heb ik koorts als ik 37,8 meet?", "nl") is None


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Er kwam wat waterig vocht na de foto. Het wordt alleen elke dag meer in plaats van minder.", "nl"),
        ("Ik had wat afscheiding na het onderzoek. Maar het wordt méér, niet minder.", "nl"),
        ("some watery stuff came out after the test. but it is more each day, not less", "en"),
    ],
)
def test_discharge_that_increases_in_the_next_sentence_is_urgent(text: str, lang: str) -> None:
    assert level(text, lang) == "urgent"


def test_a_sentence_opening_with_it_does_not_reach_back_to_pain_for_discharge() -> None:
    # "it is getting worse" after cramps stays about the cramps (worse pain is urgent anyway)
    outcome = analyze("cramps since the test this morning. it is getting worse", "en", now=EVENING)
    assert outcome.state.facts.get("pain_worsening")
    assert not outcome.state.facts.get("discharge_increasing")


def test_the_hsg_date_is_read_from_the_clause_naming_it() -> None:
    today = date(2026, 11, 24)  # a Tuesday
    text = "I hurt my knee at the gym yesterday. The test itself was on Thursday and that went fine."
    assert parse_hsg_date(text, today, "past") == date(2026, 11, 19)
    assert parse_hsg_date("period started yesterday, the hsg is next friday", today, "nearest") == date(
        2026, 11, 27
    )
    assert parse_hsg_date("it was yesterday", today, "past") == date(2026, 11, 23)
