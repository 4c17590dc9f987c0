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


TUESDAY_3 = date(2026, 11, 3)  # day 6 is Sunday 8 November


def test_cycle_plan_follows_the_profile_and_skips_closed_days() -> None:
    profile = dict(get_profile().context("en"))  # days 6-9, Monday to Friday, call on day 1
    plan = plan_cycle(TUESDAY_3, profile, today=TUESDAY_3)
    assert plan.hsg_days == [date(2026, 11, 9), date(2026, 11, 10), date(2026, 11, 11)]  # not Sunday 8
    assert plan.book_on == TUESDAY_3
    assert plan.abstain_from == TUESDAY_3 and not plan.abstain_only_if_after_day_10

    profile.update(open_days=["mon", "tue", "wed", "thu", "fri", "sat", "sun"])
    assert plan_cycle(TUESDAY_3, profile, today=TUESDAY_3).hsg_days[0] == date(2026, 11, 8)


def test_cycle_plan_never_proposes_a_past_day() -> None:
    profile = dict(get_profile().context("en"))
    plan = plan_cycle(TUESDAY_3, profile, today=date(2026, 11, 10))
    assert plan.hsg_days == [date(2026, 11, 10), date(2026, 11, 11)] and plan.book_on == date(2026, 11, 10)
    late = plan_cycle(TUESDAY_3, profile, today=date(2026, 11, 12))
    assert late.next_cycle and late.hsg_days == []


def test_booking_call_on_a_weekend_moves_to_the_next_open_day() -> None:
    profile = dict(get_profile().context("en"), booking_call_day=1)
    saturday = date(2026, 11, 7)
    plan = plan_cycle(saturday, profile, today=saturday)
    assert plan.book_on == date(2026, 11, 9)  # Monday
    assert all(day.weekday() < 5 and day >= plan.book_on for day in plan.hsg_days)


def test_day_10_abstinence_only_when_a_day_after_day_10_is_proposed() -> None:
    profile = dict(get_profile().context("en"), abstinence_start="cycle_day_10")
    assert plan_cycle(TUESDAY_3, profile, today=TUESDAY_3).abstain_from is None  # days 6-9 only
    profile.update(cycle_first_day=7, cycle_last_day=12)
    plan = plan_cycle(TUESDAY_3, profile, today=TUESDAY_3)
    assert plan.abstain_from == date(2026, 11, 12) and plan.abstain_only_if_after_day_10  # day 10
    profile.update(abstinence_start="none")
    assert plan_cycle(TUESDAY_3, profile, today=TUESDAY_3).abstain_from is None


def test_cycle_plan_message_uses_the_faq_wait_and_no_zero_hours() -> None:
    from bot.content.render import render_faq, render_message

    for sex_wait in (0, 24, 48):
        profile = dict(get_profile().context("en"), sex_wait_hours=sex_wait)
        plan = plan_cycle(TUESDAY_3, profile, today=TUESDAY_3)
        text = render_message(
            "cycle_plan",
            "en",
            profile,
            period_start=format_date(TUESDAY_3, "en"),
            hsg_days=[format_date(day, "en") for day in plan.hsg_days],
            book_on=format_date(plan.book_on, "en"),
            abstain_from=format_date(plan.abstain_from, "en"),
            abstain_only_if_after_day_10=False,
        )
        assert "0 hours" not in text
        if sex_wait:
            assert f"{sex_wait} hours after your HSG" in text
            assert f"{sex_wait} hours after your HSG" in render_faq("abstinence", "en", profile).text
        assert "Sunday" not in text


def test_dates_are_written_in_the_patients_language() -> None:
    assert format_date(MONDAY, "en") == "Monday 23 November"
    assert format_date(MONDAY, "nl") == "maandag 23 november"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("my hsg was last week thursday", date(2026, 11, 19)),
        ("de hsg was maandag vorige week", date(2026, 11, 16)),
        ("booked for wednesday next week", date(2026, 12, 2)),
        ("volgende week maandag is het onderzoek", date(2026, 11, 30)),
    ],
)
def test_a_weekday_of_last_or_next_week_is_in_that_calendar_week(text: str, expected: date) -> None:
    """Said on Tuesday 24 November 2026: "last week Tuesday" is not today, "next week Friday" not past."""
    assert parse_date(text, date(2026, 11, 24), prefer="nearest") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("het onderzoek was vrijdagochtend", date(2026, 11, 20)),
        ("de hsg was maandagnamiddag", date(2026, 11, 23)),
        ("ik had de foto gisteravond nog laat", date(2026, 11, 23)),
        ("mijn hsg is morgenmiddag om twee uur", date(2026, 11, 25)),
        ("het was donderdagavond van vorige week", date(2026, 11, 19)),
    ],
)
def test_dutch_writes_the_part_of_the_day_onto_the_day(text: str, expected: date) -> None:
    """ "zondagmiddag", "gisteravond", "morgenochtend" are one word in Dutch: still a day."""
    assert parse_date(text, date(2026, 11, 24), prefer="nearest") == expected
