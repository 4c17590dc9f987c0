"""General rules added after the thirteenth independent batch (issue 8: phone-at-night writing), each
tested with wording of our own, never a batch sentence."""

from __future__ import annotations

import pytest

from tests.support.triage_turns import level


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("thermometer said 38.9 oops typo 36.9, just some cramps since the test this morning", "en"),
        ("38,5 graden, ik bedoel 36,5, verder alleen wat krampjes sinds het onderzoek vanochtend", "nl"),
    ],
)
def test_a_corrected_temperature_counts_as_corrected(text: str, lang: str) -> None:
    assert level(text, lang) == "self_care"


def test_a_correction_upwards_counts_too_and_sorry_alone_corrects_nothing() -> None:
    assert level("temperature 37.8, sorry I mean 38.8, after the hsg yesterday") == "urgent"
    assert level("sorry to bother you so late, my temperature is 38.3 since the hsg") == "urgent"


def test_a_male_partners_conditions_are_not_the_patients() -> None:
    assert level("my boyfriend is allergic to shellfish and has asthma, may he come in with me?") is None
    assert level("mijn man heeft diabetes, mag hij mee naar binnen?", "nl") is None


def test_a_wish_to_know_does_not_hide_the_report_before_it() -> None:
    text = "my girlfriend had the hsg today, she has period cramps and wants to know if she can go to the gym"
    assert level(text) == "self_care"
