"""General rules added after the twenty-first and twenty-second independent batches (issue 8), each
tested with wording of our own, never a batch sentence. EVENING is a Tuesday (24 November 2026)."""

from __future__ import annotations

import pytest

from bot.dates import parse_hsg_date
from bot.triage import analyze
from bot.triage.durations import phase_from_text
from tests.support.triage_turns import EVENING, conversation, level


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("my appt's on thursday and I've had 38.4 since this morning", "en"),
        ("test's tomorrow, running a temp of 38.1", "en"),
        ("temp 101 since lunch, hsg sched for friday", "en"),
    ],
)
def test_an_hsg_ahead_in_shortened_words_makes_a_fever_one_to_tell_the_team(text: str, lang: str) -> None:
    outcome = analyze(text, lang, now=EVENING)
    assert outcome.phase == "before"
    assert outcome.level == "inform_team"


def test_a_possessive_hsg_is_not_read_as_a_time() -> None:
    assert phase_from_text("the hsg's results are not back yet") is None


@pytest.mark.parametrize(
    "text",
    [
        "did a test this morning and the test was faint, so maybe pregnant",
        "the line is faint but it's there, my hsg is next week",
    ],
)
def test_a_faint_pregnancy_test_is_a_possible_pregnancy_not_fainting(text: str) -> None:
    outcome = analyze(text, "en", now=EVENING)
    assert "fainting" not in outcome.rule_ids
    assert outcome.level == "inform_team"


def test_a_faint_pregnancy_test_does_not_say_the_hsg_is_done() -> None:
    assert phase_from_text("my test was faint this morning") is None
    assert phase_from_text("the test was this morning, cramps since") == "after"


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("I may be pregnant? hsg is on friday", "en"),
        ("could be pregnant?? period should have come", "en"),
    ],
)
def test_a_hedged_possible_pregnancy_with_a_question_mark_is_still_told(text: str, lang: str) -> None:
    assert level(text, lang) == "inform_team"


@pytest.mark.parametrize(
    "text",
    [
        "what if I might be pregnant by then?",
        "could I be pregnant without knowing it?",
        "might be an infection?",
    ],
)
def test_a_question_about_pregnancy_or_a_worry_stays_a_question(text: str) -> None:
    assert level(text) is None


def test_having_had_sex_said_with_did_is_a_possible_pregnancy_before_the_hsg() -> None:
    assert level("we did have sex last weekend and my hsg is booked for thursday") == "inform_team"
    # ... and keeping to the advice is not
    assert level("the clinic told us not to have sex, so we haven't. hsg is on thursday") is None


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("took two ibuprofens at six and the pain is not going away, hsg was this morning", "en"),
        ("twee paracetamols genomen maar de pijn gaat gewoon niet weg, hsg was vanochtend", "nl"),
        ("kruik en paracetamol, de kramp gaat er niet af. het onderzoek was vanmorgen", "nl"),
    ],
)
def test_pain_that_painkillers_do_not_shift(text: str, lang: str) -> None:
    assert "pain_not_relieved" in analyze(text, lang, now=EVENING).rule_ids


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("a bit of blood after the hsg, started with a liner and now I need a pad instead", "en"),
        ("since the hsg some spotting, I went from panty liners to night pads today", "en"),
        ("na de hsg wat bloed, ik ben van inlegkruisjes naar maandverband gegaan", "nl"),
        ("bleeding since the hsg and the liners aren't enough anymore", "en"),
        ("spotting after monday's hsg, today I switched the panty liners for proper pads", "en"),
        ("bloedverlies na de hsg, ik heb mijn inlegkruisje vervangen door maandverband", "nl"),
        ("spotting since monday's hsg, more than yesterday", "en"),
        ("bloedverlies na het onderzoek, vandaag weer meer", "nl"),
    ],
)
def test_bleeding_stepping_up_is_an_increasing_bleeding(text: str, lang: str) -> None:
    assert level(text, lang) == "urgent"


def test_pads_and_liners_named_without_a_step_up_are_not_an_increase() -> None:
    assert level("a little spotting after the hsg, I packed liners and pads for the week") == "self_care"


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("since the hsg the discharge doesn't smell fresh", "en"),
        ("afscheiding na het onderzoek en er hangt een vieze lucht", "nl"),
        ("na de hsg afscheiding, het ruikt gewoon niet fris meer", "nl"),
    ],
)
def test_a_bad_smell_said_by_what_it_is_not(text: str, lang: str) -> None:
    assert "offensive_discharge" in analyze(text, lang, now=EVENING).rule_ids


def test_air_as_breath_is_still_breathlessness() -> None:
    assert level("ik krijg geen lucht meer", "nl") == "emergency"


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("ik heb al jaren terugkerende infecties van mijn eileiders", "nl"),
        ("I keep getting pelvic infections, for years now; is that a problem for next week's hsg?", "en"),
    ],
)
def test_recurring_pelvic_infections_are_told_to_the_team(text: str, lang: str) -> None:
    assert level(text, lang) == "inform_team"


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("In February I had flu with a fever of 39.5 but I've been fine since. HSG next week.", "en"),
        ("had a temperature of 40 a couple of years back with covid, nothing since", "en"),
        ("vorig jaar had ik 39 graden koorts door griep, nu helemaal gezond. hsg volgende week", "nl"),
    ],
)
def test_a_fever_long_over_is_not_a_fever_now(text: str, lang: str) -> None:
    assert level(text, lang) is None


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("I had a fever in March and now again 38.6", "en"),
        ("in september had ik 39 graden en nu weer 38,5", "nl"),
    ],
)
def test_a_fever_now_counts_whatever_came_before(text: str, lang: str) -> None:
    assert level(text, lang) in ("urgent", "inform_team")


def test_a_long_day_is_not_a_duration() -> None:
    # "what a day": an exclamation, not cramps lasting a day
    assert level("what a day. had the hsg at ten, some cramps now but it's settling") == "self_care"
    assert level("wat een dag zeg. hsg om 10 uur gehad, nu wat krampjes", "nl") == "self_care"


def test_cramps_that_calmed_down_a_lot_are_not_severe() -> None:
    outcome = analyze("hsg at eight, crampy this evening but it has calmed down a lot", "en", now=EVENING)
    assert "severe_pain" not in outcome.rule_ids
    assert outcome.level == "self_care"


def test_clear_fluid_soaking_the_underwear_is_the_contrast_leaving() -> None:
    text = "after the hsg water came gushing out and soaked my knickers, completely clear, the dye I guess"
    assert level(text) == "self_care"


@pytest.mark.parametrize(
    "text",
    [
        "clear fluid at first and now I'm soaking a pad every hour",
        "it was clear this morning, now blood is soaking my underwear",
    ],
)
def test_soaking_stays_a_bleeding_when_pads_or_blood_are_named(text: str) -> None:
    assert level(text) == "emergency"


def test_cramps_like_a_period_in_dutch_are_not_bleeding() -> None:
    outcome = analyze("na de hsg krampen, net als wanneer ik ongesteld ben", "nl", now=EVENING)
    assert "light_bleeding" not in outcome.rule_ids


def test_an_easing_answer_to_how_long_gives_the_advice_now() -> None:
    assert conversation(["had the hsg this morning", "some cramps", "they're easing off already"]) == [
        None,
        "self_care",
        "self_care",
    ]
    # severe pain that is easing keeps its level: details only ever rise
    levels = conversation(["hsg this morning and the cramps are unbearable", "it's easing a bit now"])
    assert levels == ["urgent", "urgent"]


@pytest.mark.parametrize(
    "text",
    [
        "it's a long drive back for me, is that fine after the hsg?",
        "my partner has a chest x-ray on monday, unrelated to me",
        "we take the pill back to back, when do I book?",
    ],
)
def test_back_and_chest_in_other_senses_are_not_body_talk(text: str) -> None:
    outcome = analyze(text, "en", now=EVENING)
    assert outcome.ask != "redflag_check"


def test_naar_as_a_preposition_is_not_feeling_unwell() -> None:
    assert analyze("eerst de kinderen naar school gebracht", "nl", now=EVENING).ask != "redflag_check"
    assert analyze("ik voel me zo naar", "nl", now=EVENING).ask == "redflag_check"


@pytest.mark.parametrize(
    "text", ["the hsg was done at half 11", "onderzoek om 10 uur gehad", "got my hsg at 8.30am"]
)
def test_a_done_hsg_with_only_a_clock_time_was_today(text: str) -> None:
    assert parse_hsg_date(text, EVENING.date()) == EVENING.date()


def test_an_hsg_at_a_clock_time_still_ahead_is_not_dated_today() -> None:
    assert parse_hsg_date("my hsg is at 10", EVENING.date()) is None
