"""General rules added after the twenty-fifth and twenty-sixth independent batches (issue 8: how people
type on a phone; alarming words that are not a red flag and red flags in calm words), each tested with
wording of our own, never a batch sentence. NOON is Tuesday 24 November 2026 at 12:00; `level` without
a clock reads at 20:00 that day."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from bot.config import _fixed_clock
from bot.triage.durations import duration_hours, hours_since_hsg, hsg_hour_from_text, phase_from_text
from tests.support.triage_turns import level

NOON = datetime(2026, 11, 24, 12, 0)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("since the hsg the bleeding gets a little more every time I change", "en"),
        ("the blood on the towel is heavier each time I go to the loo, hsg was monday", "en"),
        ("het bloeden wordt telkens wat meer als ik verschoon, hsg was maandag", "nl"),
    ],
)
def test_bleeding_more_at_every_change_is_increasing(text: str, lang: str) -> None:
    assert level(text, lang) == "urgent"


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("hsg was this morning, a bit of spotting, I can't stop picturing the worst", "en"),
        ("sinds de hsg vanochtend wat vlekjes, ik denk meteen aan het ergste", "nl"),
    ],
)
def test_fearing_the_worst_is_not_a_severity(text: str, lang: str) -> None:
    assert level(text, lang) == "self_care"


def test_a_real_severity_next_to_a_fear_still_counts() -> None:
    assert level("since the hsg the bleeding is really heavy, I fear the worst") == "urgent"


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("I read that a fever above 38 means calling at once. I'm fine, just tired, hsg was monday", "en"),
        ("ik heb gelezen dat je bij benauwdheid 112 moet bellen. Zelf voel ik me prima na de hsg", "nl"),
    ],
)
def test_what_she_read_is_not_a_report(text: str, lang: str) -> None:
    assert level(text, lang) not in ("urgent", "emergency")


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("I read online it's nothing but my temperature is 38.6 since the hsg", "en", "urgent"),
        ("I saw my pad was soaked through within the hour after the hsg", "en", "emergency"),
        ("ik las 38,4 op de thermometer, hsg was gisteren", "nl", "urgent"),
    ],
)
def test_her_own_reading_after_a_reading_verb_still_counts(text: str, lang: str, expected: str) -> None:
    assert level(text, lang) == expected


def test_a_treated_infection_before_the_hsg_is_history() -> None:
    text = "before the procedure I had a kidney infection with fever, antibiotics cleared it. HSG was monday."
    assert level(text) not in ("urgent", "emergency")


def test_a_point_in_time_before_the_hsg_is_not_a_duration() -> None:
    assert duration_hours("it started three weeks before the procedure", NOON) is None
    assert duration_hours("al 5 dagen bloedverlies", NOON) == 120


def test_a_clause_that_only_dates_the_hsg_gives_no_longer_duration_than_since_the_hsg() -> None:
    # "last week" is not seven days of bleeding when the HSG was last Friday (4 days) and it lasted 2
    text = "I spotted for two days and it stopped on sunday. The HSG was last week friday."
    assert level(text, now=NOON) == "self_care"


@pytest.mark.parametrize(
    ("text", "hour"),
    [
        ("hsg yesterday at 3pm, still crampy", 15.0),
        ("de hsg was gisteren om 14u30", 14.5),
        ("had my hsg yesterday afternoon", 14.0),
        ("hsg at 2 yesterday", 14.0),
        ("cramps since yesterday", None),
    ],
)
def test_the_hsg_time_of_day(text: str, hour: float | None) -> None:
    assert hsg_hour_from_text(text) == hour


def test_hours_since_the_hsg_count_from_its_time_of_day() -> None:
    assert hours_since_hsg(date(2026, 11, 23), NOON, 16.0) == 20.0
    assert hours_since_hsg(date(2026, 11, 23), NOON) == 24.0


def test_cramps_easing_20_hours_after_an_afternoon_hsg_are_self_care() -> None:
    assert level("hsg yesterday at 4pm, still a little crampy but less", now=NOON) == "self_care"
    assert level("hsg yesterday at 8am, still crampy", now=NOON) == "urgent"  # 28 hours


def test_a_fixed_clock_may_carry_a_time_of_day() -> None:
    assert _fixed_clock("2026-11-24T12:00") == (date(2026, 11, 24), datetime(2026, 11, 24, 12).time())
    assert _fixed_clock("2026-11-24") == (date(2026, 11, 24), None)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("horrible cramps after the hsg, had a hot water bottle and a nap, all gone now", "en"),
        ("na de hsg flinke krampen, paracetamol genomen en gaan liggen, helemaal weg sinds vanochtend", "nl"),
    ],
)
def test_cramps_gone_after_an_aside_are_over(text: str, lang: str) -> None:
    assert level(text, lang) == "self_care"


def test_cramps_with_a_new_symptom_in_between_are_not_let_go() -> None:
    assert level("cramps after the hsg, fever 38.5, all gone now") == "urgent"


@pytest.mark.parametrize(
    ("text", "phase"),
    [
        ("procedure done, a little sore", "after"),
        ("het onderzoek is achter de rug, wat krampjes", "after"),
        ("HSG over twee weken, ik heb diabetes", None),
        ("is the procedure done under sedation?", None),
        ("my doctor wants the hsg done on the 3rd", None),
    ],
)
def test_a_procedure_said_done_is_after(text: str, phase: str | None) -> None:
    found = phase_from_text(text.lower())
    assert found == phase or (phase is None and found != "after")


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("my period didn't come this month and the hsg is on friday", "en"),
        ("ik heb mijn ongesteldheid gemist, hsg is volgende week", "nl"),
    ],
)
def test_a_missed_period_before_the_hsg_is_told_to_the_team(text: str, lang: str) -> None:
    assert level(text, lang) == "inform_team"


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("they are checking whether a lesion on my cervix is malignant, hsg is next week", "en"),
        ("er zit een verdacht plekje op mijn baarmoedermond, de hsg is volgende week", "nl"),
    ],
)
def test_a_suspected_cervical_cancer_is_told_to_the_team(text: str, lang: str) -> None:
    assert level(text, lang) == "inform_team"


# After the twenty-seventh batch (written after the changes above; first contact recorded before these)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("hsg this morning, a faint dull ache low down, nothing else", "en"),
        ("some faint brownish spotting since the hsg yesterday", "en"),
    ],
)
def test_faint_before_what_it_describes_means_slight(text: str, lang: str) -> None:
    assert level(text, lang) == "self_care"


@pytest.mark.parametrize("text", ["I feel faint since the hsg", "went faint on the sofa after the hsg"])
def test_feeling_or_going_faint_stays_an_emergency(text: str) -> None:
    assert level(text) == "emergency"


def test_an_hsg_appointment_on_a_day_ahead_dates_it() -> None:
    assert phase_from_text("my hsg appointment is thursday") is None  # the words alone do not say
    assert level("I get hives from iodine plasters. My HSG appointment is Thursday.") == "inform_team"


def test_flemish_went_for_the_hsg_is_after() -> None:
    assert phase_from_text("ze is gisteren geweest voor de hsg") == "after"


def test_an_amount_at_first_that_has_eased_is_not_heavy_now() -> None:
    assert (
        level("pink watery loss since the hsg this morning, a lot at first, tapering off now") == "self_care"
    )
    assert level("bleeding heavily at first after the hsg and it is still heavy") == "urgent"
