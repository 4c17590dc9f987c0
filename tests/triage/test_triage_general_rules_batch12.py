"""General rules added after the twelfth independent batch (issue 8: the boundaries between levels),
each tested with wording of our own, never a batch sentence."""

from __future__ import annotations

import pytest

from bot.triage import analyze
from tests.support.triage_turns import EVENING as NOW
from tests.support.triage_turns import level


def test_flemish_but_and_passed_end_the_dizziness() -> None:
    text = "ik was na de hsg wat duizelig, mor da is direct overgegaan. nu nog een beetje bloed"
    outcome = analyze(text, "nl", now=NOW)
    assert outcome.level == "self_care"
    assert outcome.state.facts.get("dizzy_passed")


def test_allergic_to_nothing_is_no_allergy() -> None:
    assert level("zit er jodium in de vloeistof? ik ben nergens allergisch voor", "nl") is None


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("my dad is allergic to iodine, should I tell anyone?", "en"),
        ("mijn oma heeft een stollingsstoornis, is dat belangrijk voor mijn onderzoek?", "nl"),
    ],
)
def test_a_relatives_allergy_or_condition_is_family_history(text: str, lang: str) -> None:
    assert level(text, lang) is None


def test_the_patients_own_condition_next_to_a_relatives_still_counts() -> None:
    assert level("I have asthma, like my brother, is that ok for the hsg next week?") == "inform_team"


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("my cousin had the hsg this morning and now has chills and a temperature of 38.6", "en"),
        ("mijn zus heeft gisteren de hsg gehad en ligt nu met koorts in bed", "nl"),
    ],
)
def test_a_relative_who_had_the_hsg_and_is_unwell_now_is_a_report(text: str, lang: str) -> None:
    assert level(text, lang) == "urgent"


def test_a_relatives_symptoms_now_are_never_family_history() -> None:
    assert level("my sister is bleeding heavily since her hsg and feels faint") == "emergency"


# -- found while writing these tests (no batch case) ---------------------------------------------------


def test_how_long_a_period_usually_lasts_is_not_how_long_she_bleeds_now() -> None:
    assert level("normally my periods go on for a week, does that change anything?") is None
    assert level("mijn menstruatie duurt meestal 6 dagen, maakt dat uit?", "nl") is None


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("still some bleeding, it's day 5 after my hsg", "en", "urgent"),
        ("nog wat bloedverlies, het is de 5de dag na het onderzoek", "nl", "urgent"),
        ("a bit of spotting, day 2 after the hsg", "en", "self_care"),
    ],
)
def test_day_n_after_the_hsg_dates_the_hsg(text: str, lang: str, expected: str) -> None:
    assert level(text, lang) == expected
