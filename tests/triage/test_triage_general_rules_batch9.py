"""General rules added after the ninth independent batch (issue 8: English emergencies in lay words),
each tested with wording of our own, never a batch sentence."""

from __future__ import annotations

from datetime import datetime

import pytest

from bot.triage import analyze

NOW = datetime(2026, 11, 24, 14, 0)  # a Tuesday


def level(text: str, lang: str = "en") -> str | None:
    return analyze(text, lang, now=NOW).level


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("since the hsg I've filled three maxi pads and a hand towel in roughly an hour and a half", "en"),
        ("ik heb twee nachtverbanden en nu een handdoek vol in ongeveer een uur", "nl"),
        ("the blood has gone right through to my leggings and onto the sofa since this morning's test", "en"),
        ("bleeding after the hsg, the sheets are soaked with blood", "en"),
        ("na de hsg bloed ik door mijn broek heen", "nl"),
    ],
)
def test_soaking_said_by_count_across_clauses_or_by_clothes(text: str, lang: str) -> None:
    assert level(text, lang) == "emergency"


def test_blood_that_did_not_come_through_is_not_soaking() -> None:
    assert level("bit of spotting after the hsg, nothing has come through onto my clothes") == "self_care"


def test_through_clothes_needs_blood_or_pads_in_the_message() -> None:
    """ "Sweat right through my shirt" is not bleeding."""
    assert level("my tea went right through onto my jeans") is None


def test_a_night_pad_is_not_a_night() -> None:
    outcome = analyze("two night pads since the hsg this morning, a bit of bleeding", "en", now=NOW)
    assert outcome.state.facts.get("bleeding_hours") != 48.0


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("after the procedure she is having difficulty in breathing", "en"),
        ("since the dye I have real difficulties getting my breath", "en"),
        ("ik heb moeite met ademhalen sinds de foto", "nl"),
    ],
)
def test_difficulty_with_breathing_in_any_word_order(text: str, lang: str) -> None:
    assert level(text, lang) == "emergency"


def test_raised_patches_all_over_with_a_spinning_head_is_a_reaction() -> None:
    text = "after the hsg I came up in raised red patches all over my body and everything spun when I stood"
    assert level(text) == "emergency"


def test_wheals_on_the_skin_alone_are_urgent() -> None:
    assert level("there are wheals on my skin since the x-ray this afternoon") == "urgent"


@pytest.mark.parametrize(
    "text",
    [
        "my cousin passed out after her hsg years back, is that common?",
        "a neighbour collapsed during hers a while back, will that happen to me?",
    ],
)
def test_someone_elses_past_faint_is_a_question(text: str) -> None:
    assert level(text) is None
