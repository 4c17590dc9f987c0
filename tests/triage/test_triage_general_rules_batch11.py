"""General rules added after the eleventh independent batch (issue 8: lay-word emergencies, hedged red
flags, traps), each tested with wording of our own, never a batch sentence."""

from __future__ import annotations

import pytest

from bot.triage.durations import hsg_date_from_text, soaking_rate
from tests.support.triage_turns import EVENING as NOW
from tests.support.triage_turns import conversation, level


def test_ongoing_until_now_is_not_a_habit() -> None:
    assert level("since my hsg on thursday 19 november I always see some brown blood, up to now") == "urgent"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the hsg of friday was fine", "2026-11-20"),
        ("na de hsg van vorige week donderdag", "2026-11-19"),
        ("my hsg was last week monday", "2026-11-16"),
    ],
)
def test_hsg_day_named_with_of_or_last_week(text: str, expected: str) -> None:
    found = hsg_date_from_text(text, NOW)
    assert found is not None and found.isoformat() == expected


def test_a_fahrenheit_reading_in_the_clause_after_the_word() -> None:
    assert level("I measured my temperature, it says 101.3") == "urgent"
    # 99.1 F is 37.3 C: raised, under the fever line (self-care advice that says when to call)
    assert level("I measured my temperature. 99.1, so fine I think") == "self_care"


@pytest.mark.parametrize(
    "text",
    [
        "I've swapped my pad four times in the past three hours",
        "mijn maandverband al 3 keer gewisseld binnen 2 uur",
    ],
)
def test_pads_changed_so_many_times_in_so_many_hours_is_soaking(text: str) -> None:
    from bot.triage.durations import number_words_to_digits

    assert soaking_rate(number_words_to_digits(text.lower()))


def test_few_pad_changes_over_many_hours_is_not_soaking() -> None:
    assert not soaking_rate("changed my pad 2 times in 8 hours")


@pytest.mark.parametrize(
    "text",
    [
        "bleeding heavily since the hsg and my head is spinning when I get up",
        "soaked through two pads since lunch, heavy bleeding, and everything went dark for a second",
    ],
)
def test_head_and_sight_going_with_heavy_bleeding_is_an_emergency(text: str) -> None:
    assert level(text) == "emergency"


def test_details_of_a_long_past_bleed_are_history() -> None:
    text = "vijf jaar geleden had ik een heel zware bloeding met stolsels, mag ik na de hsg sporten?"
    assert level(text, "nl") is None


def test_spotting_seen_when_wiping_is_spotting() -> None:
    assert level("alleen wat roze als ik veeg, mag ik al zwemmen?", "nl") in ("self_care", None)
    assert level("some pink when I wipe since the hsg this morning") == "self_care"


def test_a_comma_ends_the_reach_of_not_before_a_painkiller() -> None:
    assert level("cramps since the test this morning, not bad, paracetamol is working") == "self_care"


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("no problems breathing or swallowing, just itchy welts on my legs since this morning", "en"),
        ("geen moeite met slikken, wel jeukende bobbels op mijn rug sinds vanochtend", "nl"),
    ],
)
def test_no_trouble_breathing_is_denied_and_the_skin_still_counts(text: str, lang: str) -> None:
    assert level(text, lang) == "urgent"


def test_it_with_findings_of_its_own_takes_the_higher_reading() -> None:
    levels = conversation(
        ["there's some discharge since yesterday's test", "now it smells off and I've got a sore tummy"]
    )
    assert levels == ["self_care", "urgent"]
