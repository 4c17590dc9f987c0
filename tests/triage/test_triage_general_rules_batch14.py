"""General rules added after the fourteenth independent batch (issue 8), each tested with wording of our
own, never a batch sentence."""

from __future__ import annotations

import pytest

from bot.triage import analyze
from tests.support.triage_turns import EVENING, conversation, level


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("the hsg was on friday. since this afternoon I have itchy little lumps on my thighs", "en"),
        ("hsg gisteren, nu ineens rode bobbeltjes op mijn handen die jeuken als de pest", "nl"),
        ("sinds vanmiddag jeukte alles en zitten er vlekken op mijn buik, onderzoek was maandag", "nl"),
    ],
)
def test_bumps_that_itch_are_hives_after_the_hsg(text: str, lang: str) -> None:
    assert level(text, lang) == "urgent"


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("sore tummy for a couple of hours after the test yesterday, all grand now. can i swim?", "en"),
        ("bit of cramping after my hsg yesterday afternoon, alright again now", "en"),
        ("na het onderzoek gisteren wat krampjes gehad, het is nu weer weg", "nl"),
    ],
)
def test_cramps_with_a_bare_passed_clause_after_them_are_over(text: str, lang: str) -> None:
    assert level(text, lang) != "urgent"


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("cramps since the test yesterday, fine now but they come back every time i stand up", "en"),
        ("heavy bleeding since the hsg yesterday, otherwise i'm fine now", "en"),
        ("soaking a pad every hour since the hsg, feeling ok now", "en"),
        ("krampen sinds het onderzoek gisteren, nu weg maar 's avonds komen ze terug", "nl"),
    ],
)
def test_a_passed_clause_that_says_more_or_follows_bleeding_lets_nothing_go(text: str, lang: str) -> None:
    assert level(text, lang) in ("urgent", "emergency")


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("a little spotting this morning after my hsg yesterday, is that ok?", "en"),
        ("wat bloedverlies vandaag na de hsg, hoort dat erbij?", "nl"),
    ],
)
def test_a_question_anchored_in_today_is_a_report(text: str, lang: str) -> None:
    assert level(text, lang) == "self_care"


def test_a_general_question_without_an_anchor_is_still_a_question() -> None:
    assert level("is spotting after an hsg normal?") is None
    assert level("is het normaal om te bloeden na een hsg?", "nl") is None


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("still a dull zeurend gevoel low in my belly since the test this morning", "en"),
        ("sinds de foto van vanochtend een trekkerig gevoel in mijn onderbuik", "nl"),
        ("a bit achy down below since the hsg this morning, a few twinges", "en"),
    ],
)
def test_lay_words_for_a_nagging_ache_are_pain(text: str, lang: str) -> None:
    assert level(text, lang) == "self_care"


def test_a_nagging_ache_that_has_lasted_two_days_is_urgent() -> None:
    assert (
        conversation(["de hsg was zondagochtend", "nog steeds zeurende pijn onderin"], "nl")[-1] == "urgent"
    )


@pytest.mark.parametrize(
    "text",
    [
        "I had my tubes checked back in 2019, why do I need another test now?",
        "a few years back I had a miscarriage, is that why they want this test?",
    ],
)
def test_back_as_a_time_is_not_the_body(text: str) -> None:
    """No red-flag check for "back in 2019": it is a question with some history, not body talk."""
    assert analyze(text, "en", now=EVENING).ask != "redflag_check"


def test_the_back_as_the_body_still_counts() -> None:
    assert analyze("my lower back feels weird since the hsg", "en", now=EVENING).ask == "redflag_check"


def test_cramps_that_passed_are_a_self_care_decision_not_silence() -> None:
    """With nothing else said, cramps that passed are still an after-effect to advise on (self-care),
    and nothing about them is asked."""
    outcome = analyze("had some cramping after the test yesterday, all grand now", "en", now=EVENING)
    assert outcome.level == "self_care"
    assert outcome.ask is None
