"""The assistant answers in the language the patient writes in, and switches when asked."""

from __future__ import annotations

import pytest

from bot.language import detect_language, requested_language


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Can I take a bath after the HSG?", "en"),
        ("how long does it take", "en"),
        ("I have been bleading for 4 days", "en"),
        ("Mag ik na de HSG in bad?", "nl"),
        ("hoelang duurt het onderzoek", "nl"),
        ("ik heb koorts", "nl"),
        ("is het normaal dat ik bloed?", "nl"),
        ("Bonjour, je voudrais savoir", "other"),
        ("Ich habe Schmerzen und Fieber", "other"),
    ],
)
def test_detects_language_of_a_message(text: str, lang: str) -> None:
    assert detect_language(text).lang == lang


@pytest.mark.parametrize("text", ["ok", "38.5", "hsg", "👍👍", "", "   ", "?!"])
def test_short_or_neutral_messages_keep_the_conversation_language(text: str) -> None:
    assert detect_language(text).lang is None


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("in English please", "en"),
        ("can you answer in english?", "en"),
        ("kan het in het Engels?", "en"),
        ("graag in het Nederlands", "nl"),
        ("do you speak Dutch?", "nl"),
        ("Nederlands", "nl"),
    ],
)
def test_explicit_requests_win(text: str, lang: str) -> None:
    guess = detect_language(text)
    assert guess == guess.__class__(lang, explicit=True)


def test_mentioning_a_language_in_a_long_question_is_not_a_request() -> None:
    assert requested_language("my English teacher said the dye makes the tubes visible on the x-ray") is None


def test_huge_input_is_bounded() -> None:
    assert detect_language("ik heb koorts " * 50_000).lang == "nl"
