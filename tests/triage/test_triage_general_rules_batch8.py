"""General rules added after the eighth independent batch (issue 8), each tested with wording of our
own, never a batch sentence: painkillers with no effect, a trend said with a time unit, a start date
given as an answer, the HSG day completing an earlier report, Flemish "ni", the tense of a date's own
clause."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from bot.triage import analyze
from bot.triage.durations import hsg_date_from_text, start_date_hours
from bot.triage.engine import TriageOutcome

NOW = datetime(2026, 11, 24, 14, 0)  # a Tuesday


def turns(lang: str, *texts: str) -> TriageOutcome:
    outcome = analyze(texts[0], lang, now=NOW)
    for text in texts[1:]:
        outcome = analyze(text, lang, state=outcome.state, now=NOW)
    return outcome


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("had the hsg this morning, swallowed a nurofen at 10 and the cramping is still the same", "en"),
        ("tylenol had no effect at all, belly pain since the x-ray", "en"),
        ("twee dafalgan genomen, de buikpijn is precies hetzelfde", "nl"),
        ("ibuprofen heeft geen effect op de krampen na het onderzoek", "nl"),
    ],
)
def test_painkillers_that_change_nothing_are_pain_not_eased(text: str, lang: str) -> None:
    assert analyze(text, lang, now=NOW).level == "urgent"


def test_painkillers_that_help_are_still_self_care() -> None:
    text = "took a paracetamol after the hsg and the cramps are much better"
    assert analyze(text, "en", now=NOW).level == "self_care"


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("since the test the blood loss gets heavier by the day", "en"),
        ("het bloedverlies is iedere dag wat zwaarder sinds de foto", "nl"),
        ("bleeding after the hsg, but it is getting heavier instead of lighter", "en"),
        ("ik bloed sinds de hsg en het wordt meer in plaats van minder", "nl"),
    ],
)
def test_bleeding_that_grows_day_by_day_is_a_trend(text: str, lang: str) -> None:
    outcome = analyze(text, lang, now=NOW)
    assert outcome.state.facts.get("bleeding_increasing") is True
    assert outcome.level == "urgent"


def test_a_start_day_of_the_month_given_as_the_answer_counts() -> None:
    """ "How many days so far?" answered with the day it began."""
    outcome = turns("en", "still some blood loss after my hsg", "since the 17th")
    assert outcome.level == "urgent"
    outcome = turns("nl", "ik verlies nog steeds wat bloed na de hsg", "het begon op 17 november")
    assert outcome.level == "urgent"


def test_a_day_ahead_is_not_a_start() -> None:
    assert start_date_hours("my hsg is on the 28th", NOW, answer=True) is None
    assert start_date_hours("it was on the 20th", NOW, answer=True) == 96.0
    assert start_date_hours("vanaf de 21e", NOW) == 72.0


def test_the_hsg_day_told_later_completes_a_report_without_a_duration() -> None:
    outcome = turns("en", "I still have a bit of bleeding", "the procedure was on 17 november")
    assert outcome.state.facts.get("bleeding_hours") == 7 * 24
    assert outcome.level == "urgent"
    # a day ahead says nothing about how long it has lasted
    ahead = turns("en", "I have some cramps", "the procedure is on 30 november")
    assert ahead.level != "urgent"


@pytest.mark.parametrize(
    "text",
    [
        "'k heb ni veel bloed verloren sinds da onderzoek van gisteren, alleen wa op mijn inlegkruisje",
        "na de foto van gisteren wa bloedverlies, ni zoveel",
    ],
)
def test_flemish_ni_negates(text: str) -> None:
    """ "ni veel" is "niet veel": little blood, not heavy bleeding."""
    assert analyze(text, "nl", now=NOW).level == "self_care"


def test_a_past_verb_in_the_next_clause_does_not_make_the_hsg_past() -> None:
    """ "preparing for my HSG on Thursday and had a question": "had" belongs to the question."""
    text = "preparing for my hsg on thursday and had one question, i take xarelto daily"
    assert hsg_date_from_text(text, NOW) == date(2026, 11, 26)
    assert analyze(text, "en", now=NOW).level == "inform_team"


def test_krampig_is_cramping() -> None:
    text = "mijn onderbuik is wat krampig sinds de hsg vanochtend"
    assert analyze(text, "nl", now=NOW).level == "self_care"


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("can I phone on the first day of my period to make the appointment?", "en"),
        ("moet ik op dag 1 van mijn menstruatie bellen voor een afspraak?", "nl"),
        ("is it done 7 days after the start of my period?", "en"),
    ],
)
def test_a_day_of_the_cycle_named_by_the_period_is_not_bleeding(text: str, lang: str) -> None:
    """A question that dates something by the period ("day 1 of my period") reports nothing."""
    assert analyze(text, lang, now=NOW).level is None


def test_the_period_itself_is_still_bleeding() -> None:
    outcome = analyze("my period started the day after the hsg and I soak a pad every hour", "en", now=NOW)
    assert outcome.level == "emergency"


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("where does all the dye go afterwards, does it come back out by itself?", "en"),
        ("waar gaat dat jodium naartoe na de foto?", "nl"),
        ("does it hurt a lot, this procedure?", "en"),
    ],
)
def test_questions_about_the_procedure_report_nothing(text: str, lang: str) -> None:
    assert analyze(text, lang, now=NOW).level is None


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("waar ik echt van schrik is dat ik sinds de hsg 39,1 koorts heb", "nl"),
        ("where it hurts is low down, and I have 38.8 since the hsg", "en"),
    ],
)
def test_where_starts_a_statement_without_a_question_mark(text: str, lang: str) -> None:
    assert analyze(text, lang, now=NOW).level == "urgent"
