"""General rules added after the twenty-fourth independent batch (issue 8: mixed and changing messages),
each tested with wording of our own, never a batch sentence. EVENING is a Tuesday (24 November 2026)."""

from __future__ import annotations

import pytest

from bot.triage.durations import duration_hours
from tests.support.triage_turns import EVENING, conversation, level


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("the cramps haven't fully gone since the hsg", "en"),
        ("the ache has not completely gone away", "en"),
        ("de buikpijn is nog niet helemaal weg", "nl"),
    ],
)
def test_an_adverb_between_not_and_gone_keeps_the_pain_going(text: str, lang: str) -> None:
    assert level(text, lang) is not None  # a report of pain (it was read as pain that had passed)


def test_pain_not_fully_gone_for_more_than_a_day_is_urgent() -> None:
    assert level("hsg yesterday morning, the belly pain still hasn't properly gone, 30 hours now") == "urgent"


def test_dutch_it_after_its_verb_names_the_symptom_of_the_question_before() -> None:
    levels = conversation(
        [
            "Mag de afscheiding na een HSG een beetje gekleurd zijn?",
            "Vandaag is het groenig. HSG was vrijdag.",
        ],
        lang="nl",
    )
    assert levels[-1] == "urgent"


@pytest.mark.parametrize(
    "text",
    [
        "felt faint on the table, they let me rest, then I felt fine and went home",
        "a bit woozy after the test but I feel normal now",
    ],
)
def test_light_headedness_that_a_later_clause_says_passed_is_self_care(text: str) -> None:
    assert level(text) == "self_care"


@pytest.mark.parametrize(
    "text",
    ["dizzy since the hsg, feel normal otherwise", "woozy since this morning, feel normal apart from that"],
)
def test_dizziness_that_goes_on_stays_urgent_whatever_else_is_normal(text: str) -> None:
    assert level(text) == "urgent"


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("When will I hear the results? The HSG was last month. Back then I had a day of cramps.", "en"),
        ("Komt de uitslag nog? Mijn HSG was afgelopen maand. Destijds had ik een dag buikpijn.", "nl"),
    ],
)
def test_after_effects_told_of_a_time_a_month_back_are_over(text: str, lang: str) -> None:
    assert level(text, lang) is None


def test_a_fever_last_month_that_is_over_is_not_a_fever_now() -> None:
    assert level("I had a temperature last month with the flu, all good now") is None


@pytest.mark.parametrize(("text", "hours"), [("for a month", 720), ("sinds vorige maand", 720)])
def test_months_count_as_durations(text: str, hours: float) -> None:
    assert duration_hours(text, EVENING) == hours


def test_bleeding_since_last_month_is_more_than_three_days() -> None:
    assert level("spotting since last month, every day a little") == "urgent"


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("My periods go on for six days. Is the test possible while I'm still spotting?", "en"),
        ("Mijn regels duren altijd lang. Kan de foto als ik nog wat bloed?", "nl"),
    ],
)
def test_how_her_periods_go_is_a_habit_not_a_duration_now(text: str, lang: str) -> None:
    assert level(text, lang) != "urgent"


def test_a_question_about_whether_a_finding_will_still_be_there_is_not_a_report() -> None:
    assert level("will the clear discharge still be there on Friday? we are flying") is None
    assert level("is the spotting still going to be there at the weekend?") is None
