"""General rules added after the twenty-third independent batch (issue 8: time and numbers) and the
triage side of NLU batch 16, each tested with wording of our own, never a batch sentence. EVENING is a
Tuesday (24 November 2026)."""

from __future__ import annotations

from datetime import date

import pytest

from bot.triage import analyze
from bot.triage.durations import duration_hours, hsg_date_from_text, temperature_c
from tests.support.triage_turns import EVENING, conversation, level


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("temp a little under 38", 37.9),
        ("nog net geen 38 graden", 37.9),
        ("bijna 38 graden", 37.9),
        ("almost 39 degrees", 38.9),  # a bound under 39 is still a fever
        ("boven de 38 graden", 38.0),
        ("just below 100.4 F", 38.0),  # 100.3 F rounds to 37.9 C, under the line
    ],
)
def test_a_bound_said_below_a_number_is_a_reading_just_under_it(text: str, expected: float) -> None:
    found = temperature_c(text, context=True)
    assert found is not None
    if "100.4" in text:
        assert found < 38
    else:
        assert found == expected


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("checked after the hsg, thermometer says a little under 38", "en"),
        ("net onder de 38 graden na de hsg", "nl"),
    ],
)
def test_a_reading_under_the_fever_line_is_self_care_not_urgent(text: str, lang: str) -> None:
    assert level(text, lang) == "self_care"


def test_a_raised_reading_with_chills_stays_urgent() -> None:
    assert level("37.7 after the hsg and I keep shivering") == "urgent"


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("thermometer shows 37.3 since the hsg, otherwise ok", "en"),
        ("sinds het onderzoek 37,6 gemeten, verder niks", "nl"),
    ],
)
def test_a_raised_reading_she_took_gets_the_self_care_advice(text: str, lang: str) -> None:
    outcome = analyze(text, lang, now=EVENING)
    assert outcome.level == "self_care"
    assert "temperature_under_38" in outcome.rule_ids


@pytest.mark.parametrize(
    "text",
    [
        "thermometer shows 36.5 after the hsg, all good?",  # a normal reading reports nothing
        "from what number is it a fever, is 37.6 already one?",  # a threshold question, not hers
    ],
)
def test_a_normal_reading_or_a_threshold_question_decides_nothing(text: str) -> None:
    assert level(text) is None


@pytest.mark.parametrize(("text", "lang"), [("is 37.4 a fever?", "en"), ("telt 37,4 al als koorts?", "nl")])
def test_asking_whether_her_low_reading_is_a_fever_is_not_a_fever(text: str, lang: str) -> None:
    assert level(text, lang) != "urgent"


def test_asking_about_a_reading_over_the_line_is_a_fever() -> None:
    assert level("is 38.4 a fever?") == "urgent"


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("right after the hsg I was woozy for a couple of minutes, fine now", "en"),
        ("ik was na de foto twee minuten wat draaierig", "nl"),
    ],
)
def test_a_spell_of_minutes_told_in_the_past_has_passed(text: str, lang: str) -> None:
    assert level(text, lang) == "self_care"


@pytest.mark.parametrize(
    "text",
    ["I have been light-headed for 20 minutes since the hsg", "was dizzy for two minutes and still dizzy"],
)
def test_dizziness_that_goes_on_stays_urgent(text: str) -> None:
    assert level(text) == "urgent"


@pytest.mark.parametrize(
    ("text", "hours"),
    [
        ("spotting for three and a half days", 84),
        ("al drie en een halve dag", 84),
        ("for a day and a half", 36),
        ("sinds anderhalve dag", 36),
    ],
)
def test_half_units_count(text: str, hours: float) -> None:
    assert duration_hours(text, EVENING) == hours


def test_three_and_a_half_days_of_spotting_is_more_than_three_days() -> None:
    assert level("spotting since the hsg, three and a half days now") == "urgent"


def test_have_got_is_having_not_the_past() -> None:
    assert hsg_date_from_text("i've got the hsg booked on thursday", EVENING) == date(2026, 11, 26)
    assert hsg_date_from_text("i got my hsg on thursday", EVENING) == date(2026, 11, 19)


def test_a_calming_tablet_for_an_hsg_booked_later_this_week_goes_to_the_team() -> None:
    levels = conversation(["I've got the HSG booked on Thursday.", "the GP gave me diazepam for it"])
    assert levels[-1] == "inform_team"


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("the bleeding went up each day since the hsg, now a full pad", "en"),
        ("het bloedverlies is sinds gisteren toegenomen", "nl"),
    ],
)
def test_bleeding_that_rose_is_urgent(text: str, lang: str) -> None:
    assert level(text, lang) == "urgent"


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("I'm terrified of the pain, is the HSG done under anaesthetic?", "en"),
        ("ik ben zo bang voor de pijn, mag mijn man mee?", "nl"),
        ("I am dreading it, will it hurt a lot?", "en"),
        ("ik zie er enorm tegenop, hoe lang duurt het?", "nl"),
    ],
)
def test_a_fear_of_the_procedure_is_answered_not_triaged(text: str, lang: str) -> None:
    outcome = analyze(text, lang, now=EVENING)
    assert outcome.level is None
    assert outcome.ask is None  # no red-flag check on a fear either


def test_a_fear_said_after_the_hsg_with_pain_that_worsens_is_still_triaged() -> None:
    assert level("had the hsg this morning and I'm scared of the pain, it keeps getting worse") == "urgent"


@pytest.mark.parametrize(
    "text",
    [
        "Money is tight this month. Is the HSG covered by insurance?",
        "I prefer not to wear pads. How soon can I go back to tampons?",
        "My gynaecologist saw a small cyst on my ovary. Is that a problem for the HSG?",
    ],
)
def test_words_of_money_pads_or_a_clinicians_finding_do_not_get_the_red_flag_check(text: str) -> None:
    outcome = analyze(text, "en", now=EVENING)
    assert outcome.level is None
    assert outcome.ask is None
