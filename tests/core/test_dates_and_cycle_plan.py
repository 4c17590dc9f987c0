"""Dates patients write, and the cycle plan (window, booking call, abstinence) from the profile."""

from __future__ import annotations

from datetime import date

import pytest

from bot.clinic import get_profile
from bot.dates import format_date, parse_date, plan_cycle

MONDAY = date(2026, 11, 23)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("my period started on 3 November", date(2026, 11, 3)),
        ("first day was November 3rd", date(2026, 11, 3)),
        ("on the 3rd of nov", date(2026, 11, 3)),
        ("mijn menstruatie begon op 3 november", date(2026, 11, 3)),
        ("last Monday", date(2026, 11, 16)),
        ("afgelopen maandag", date(2026, 11, 16)),
        ("gisteren", date(2026, 11, 22)),
        ("yesterday", date(2026, 11, 22)),
        ("eergisteren", date(2026, 11, 21)),
        ("3 days ago", date(2026, 11, 20)),
        ("twee dagen geleden", date(2026, 11, 21)),
        ("2026-11-03", date(2026, 11, 3)),
        ("3/11", date(2026, 11, 3)),
        ("on 28 december", date(2025, 12, 28)),  # a period start is never in the future
    ],
)
def test_past_dates(text: str, expected: date) -> None:
    assert parse_date(text, MONDAY, prefer="past") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("my HSG is next Friday", date(2026, 11, 27)),
        ("volgende vrijdag", date(2026, 11, 27)),
        ("tomorrow", date(2026, 11, 24)),
        ("morgen", date(2026, 11, 24)),
        ("on 2 January", date(2027, 1, 2)),
        ("in 3 days", date(2026, 11, 26)),
    ],
)
def test_future_dates(text: str, expected: date) -> None:
    assert parse_date(text, MONDAY, prefer="future") == expected


@pytest.mark.parametrize("text", ["no date here", "", "the 45th of Smarch", "9999999"])
def test_unknown_dates_are_none_not_guesses(text: str) -> None:
    assert parse_date(text, MONDAY) is None


def test_cycle_plan_follows_the_profile() -> None:
    profile = dict(get_profile().context("en"))
    plan = plan_cycle(date(2026, 11, 3), profile)
    assert plan.window_start == date(2026, 11, 8)  # day 6
    assert plan.window_end == date(2026, 11, 11)  # day 9
    assert plan.book_on == date(2026, 11, 3)
    assert plan.abstain_from == date(2026, 11, 3)

    profile.update(cycle_first_day=7, cycle_last_day=12, abstinence_start="cycle_day_10")
    plan = plan_cycle(date(2026, 11, 3), profile)
    assert (plan.window_start, plan.window_end) == (date(2026, 11, 9), date(2026, 11, 14))
    assert plan.abstain_from == date(2026, 11, 12)  # day 10

    profile.update(abstinence_start="none")
    assert plan_cycle(date(2026, 11, 3), profile).abstain_from is None


def test_dates_are_written_in_the_patients_language() -> None:
    assert format_date(MONDAY, "en") == "Monday 23 November"
    assert format_date(MONDAY, "nl") == "maandag 23 november"
