"""Advice and questions: both languages, profile numbers filled in, short enough for a phone."""

from __future__ import annotations

import pytest

from bot.clinic import get_profile
from bot.triage import TriageOutcome, render_advice, render_question
from bot.triage.advice import load_texts

LEVELS = ["emergency", "urgent", "inform_team", "self_care"]


@pytest.mark.parametrize("lang", ["en", "nl"])
@pytest.mark.parametrize("level", LEVELS)
def test_advice_is_filled_and_short(level: str, lang: str) -> None:
    profile = get_profile().context(lang)
    text = render_advice(TriageOutcome(level=level), lang, profile)
    assert 40 < len(text) <= 700, len(text)  # docs/content.md: at most 700 characters of advice
    assert "{" not in text and "}" not in text
    number = profile["emergency_number"] if level == "emergency" else profile["clinic_phone"]
    assert number in text


def test_self_care_says_what_helps_and_when_to_call() -> None:
    profile = get_profile().context("en")
    english = render_advice(TriageOutcome(level="self_care"), "en", profile).lower()
    for words in ("pads", "tampons", "paracetamol", "ibuprofen", "aspirin", "38", "call", "out of hours"):
        assert words in english
    dutch = render_advice(TriageOutcome(level="self_care"), "nl", get_profile().context("nl")).lower()
    for words in ("maandverband", "tampons", "paracetamol", "aspirine", "38", "bel"):
        assert words in dutch


def test_advice_follows_the_outcome_phase_and_rules() -> None:
    profile = get_profile().context("en")
    after = render_advice(TriageOutcome(level="inform_team", phase="after"), "en", profile)
    before = render_advice(TriageOutcome(level="inform_team", phase="before"), "en", profile)
    assert "before your HSG" in before and "before your HSG" not in after
    airway = TriageOutcome(level="emergency", rule_ids=["contrast_reaction_airway"])
    assert "emergency department" not in render_advice(airway, "en", profile)


def test_no_advice_without_a_level() -> None:
    assert render_advice(TriageOutcome(level=None), "en", get_profile().context("en")) == ""


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_every_question_exists_in_both_languages(lang: str) -> None:
    for ask in load_texts()["questions"]:
        question = render_question(ask, lang)
        assert question.endswith("?") and len(question) <= 200
    assert render_question("duration", "en") == "How many days has the bleeding lasted so far?"


def test_warm_up_builds_everything_once() -> None:
    from bot.triage import warm_up
    from bot.triage.extract import pipeline

    warm_up()
    assert pipeline("nl") is pipeline("nl") and pipeline("en") is pipeline("fr")
