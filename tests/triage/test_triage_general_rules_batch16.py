"""General rules added after the sixteenth independent batch (issue 8), each tested with wording of our
own, never a batch sentence."""

from __future__ import annotations

import pytest

from bot.triage import analyze
from tests.support.triage_turns import EVENING, conversation, level


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("since the hsg there is a bit of a pong down below", "en"),
        ("a funny odour from down there since the test on thursday", "en"),
        ("sinds de foto hangt er een vies luchtje aan de afscheiding", "nl"),
    ],
)
def test_lay_and_slang_words_for_a_bad_smell(text: str, lang: str) -> None:
    assert level(text, lang) == "urgent"


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("took nurofen an hour ago, it has not done anything for the cramps", "en"),
        ("cramps since the test, had two paracetamol at lunch and they haven't touched it", "en"),
        ("paracetamol genomen maar het heeft niets gedaan, nog steeds buikpijn sinds de hsg", "nl"),
    ],
)
def test_a_painkiller_that_did_nothing_is_pain_not_relieved(text: str, lang: str) -> None:
    outcome = analyze(text, lang, now=EVENING)
    assert outcome.level == "urgent"
    assert "pain_not_relieved" in outcome.rule_ids


def test_a_painkiller_that_did_nothing_in_a_follow_up_answer() -> None:
    levels = conversation(
        ["sore tummy since the hsg this morning", "had ibuprofen at noon, hasn't done anything, still aching"]
    )
    assert levels[-1] == "urgent"


def test_a_painkiller_that_did_nothing_as_the_whole_answer_to_the_pain_question() -> None:
    # the pain is known from the first turn; the answer names only the tablet and that it did nothing
    assert (
        conversation(["cramps since the test this morning", "had nurofen at two, it did nothing"])[-1]
        == "urgent"
    )


def test_a_denial_before_for_does_not_deny_the_symptom_after_it() -> None:
    assert (
        "pain_not_relieved"
        in analyze("the tablets did not do anything for the pain", "en", now=EVENING).rule_ids
    )
    # a plain denial still denies
    assert level("no pain for two days now", "en") is None


def test_pads_soaked_are_bleeding_even_after_cramps_were_mentioned() -> None:
    outcome = analyze(
        "the cramping is mild. I've changed two pads since lunch, both soaked through.", "en", now=EVENING
    )
    assert outcome.state.facts.get("bleeding")
    assert outcome.state.facts.get("pain_severity") != "severe"
    assert outcome.level == "emergency"
    # soaked in sweat is not bleeding, and never makes the cramps severe
    sweat = analyze("cramps after the hsg and i woke up soaked in sweat with my pad on", "en", now=EVENING)
    assert not sweat.state.facts.get("bleeding")
    assert sweat.state.facts.get("pain_severity") != "severe"


def test_spotted_is_spotting() -> None:
    outcome = analyze("had the test this morning and spotted a little since", "en", now=EVENING)
    assert outcome.state.facts.get("bleeding")
    assert outcome.level == "self_care"


# --- after the seventeenth batch (same session), our own wording ---


def test_too_weak_to_stand_with_bleeding_is_an_emergency() -> None:
    assert (
        level("since the test this morning she is so weak she can't get up, and she is bleeding")
        == "emergency"
    )
    assert level("ik ben zo slap dat ik niet kan staan en ik bloed flink sinds de hsg", "nl") == "emergency"


def test_blood_everywhere_is_heavy_bleeding() -> None:
    assert level("after the hsg there was blood everywhere in the bathroom and i feel dizzy") == "emergency"


def test_cant_stand_the_pain_is_severe() -> None:
    assert level("cramps since the hsg yesterday afternoon and i can't stand the pain") == "urgent"
    outcome = analyze("cramps after the test this morning, i cannot bear it", "en", now=EVENING)
    assert outcome.state.facts.get("pain_severity") == "severe"


def test_what_the_dye_can_cause_in_general_is_not_a_report() -> None:
    assert level("my friend says the dye can cause allergic reactions, how often does that happen?") is None
    # a report after it still counts
    assert level("they say the dye can cause a reaction and now i have itchy hives on my arms") == "urgent"


def test_dutch_vlekjes_after_the_hsg_are_spotting_but_not_on_the_skin() -> None:
    assert (
        level("alleen een paar bruine vlekjes in mijn slipje sinds de foto vanochtend", "nl") == "self_care"
    )
    assert level("sinds gisteren rode vlekjes op mijn armen die jeuken", "nl") == "urgent"  # hives
