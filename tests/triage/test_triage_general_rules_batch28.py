"""General rules added after the twenty-eighth and twenty-ninth independent batches (issue 8: what an
independent reviewer would send; the borders between levels), each tested with wording of our own, never a
batch sentence. NOON is Tuesday 24 November 2026 at 12:00."""

from __future__ import annotations

from datetime import datetime

import pytest

from bot.triage.durations import duration_hours, hsg_date_from_text, phase_from_text, start_point_hours
from tests.support.triage_turns import conversation, level

NOON = datetime(2026, 11, 24, 12, 0)


# --- a start given by its day and hour; a clock time is not a length --------------------------------------


@pytest.mark.parametrize(
    ("text", "hours"),
    [
        ("it started yesterday at 7 in the morning", 29.0),
        ("since yesterday at 10am", 26.0),
        ("het begon gisteren om acht uur", 28.0),
        ("sinds gistermiddag", 22.0),  # the part of the day gives the hour (14:00)
        ("sinds tien uur", 2.0),
        ("yesterday at 4 I had the hsg", None),  # no word that makes it a start
    ],
)
def test_start_point_hours(text: str, hours: float | None) -> None:
    found = start_point_hours(text, NOON)
    assert (round(found, 1) if found is not None else None) == hours


def test_om_with_an_hour_is_a_time_of_day_not_a_length() -> None:
    assert duration_hours("ik heb pijn, het begon om zeven uur", NOON) != 7.0
    assert duration_hours("de hsg was om tien uur, sindsdien pijn", NOON) != 10.0
    assert duration_hours("ik heb al 7 uur pijn", NOON) == 7.0


def test_sinds_an_hour_is_since_that_time_today() -> None:
    # "sinds tien uur" at noon is two hours, never ten
    assert duration_hours("ik bloed sinds tien uur", NOON) == 2.0
    # a Flemish "sinds 3 dagen" stays three days
    assert duration_hours("ik bloed sinds 3 dagen", NOON) == 72.0


def test_pain_from_a_morning_start_the_day_before_is_over_a_day() -> None:
    english = "Period-like pain since the test yesterday morning at 8 and still there"
    dutch = "Pijn in mijn onderbuik sinds de foto gistermorgen om acht uur, gaat niet over"
    assert level(english, "en", NOON) == "urgent"
    assert level(dutch, "nl", NOON) == "urgent"


def test_a_duration_answer_given_as_a_start_time_is_counted() -> None:
    turns = ["Still some cramping after the HSG, normal?", "it began yesterday around 9 in the morning"]
    assert conversation(turns, "en", NOON)[-1] == "urgent"


@pytest.mark.parametrize(
    "text",
    [
        "het onderzoek was gistermiddag",
        "de foto gisterochtend",
        "de hsg van gisteravond",
    ],
)
def test_dutch_day_part_words_date_the_hsg(text: str) -> None:
    assert hsg_date_from_text(text, NOON) == datetime(2026, 11, 23).date()


# --- the HSG ahead, said with "over N dagen" / "in N days" ------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "ik krijg over drie dagen de hsg",
        "over een week is het onderzoek",
        "in 4 days i have the hsg",
        "in a few days it's my hsg",
    ],
)
def test_hsg_a_number_of_days_ahead_is_before(text: str) -> None:
    assert phase_from_text(text) == "before"  # (the engine reads lowercased text)


def test_fever_before_an_hsg_days_ahead_tells_the_team() -> None:
    assert level("over 3 dagen heb ik de hsg, nu 38,3 koorts sinds vanochtend", "nl", NOON) == "inform_team"


# --- a movement of her own after "als" is "whenever", not a hypothetical ----------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "overal rode bulten op mijn huid en als ik ga staan word ik duizelig",
        "bultjes over heel mijn lijf, als ik loop draait alles",
    ],
)
def test_hives_with_dizziness_on_standing_is_an_emergency(text: str) -> None:
    assert level(text, "nl", NOON) == "emergency"


def test_als_before_a_symptom_stays_hypothetical() -> None:
    assert level("wat moet ik doen als ik duizelig word na de hsg?", "nl", NOON) is None


# --- four-letter key words with two letters swapped -------------------------------------------------------


def test_swapped_letters_in_a_short_key_word() -> None:
    assert level("my lisp feel swollen since the dye", "en", NOON) == "emergency"


def test_one_edit_of_another_kind_does_not_make_a_key_word() -> None:
    # "paint" is not "pain", "slips" is not "lips"
    assert level("I was painting the hall yesterday, can I still have the hsg friday?", "en", NOON) is None


# --- "it's ..." continues what the clause before named ----------------------------------------------------


def test_a_clause_opening_with_it_speaks_of_the_part_named_before() -> None:
    assert level("something with my throat since the test, it's tight and I keep swallowing", "en", NOON) == (
        "emergency"
    )


# --- soaking through the pad, in Dutch --------------------------------------------------------------------


def test_bleeding_through_the_pad_with_dizziness_is_an_emergency() -> None:
    text = "het bloed gaat door het verband heen en ik word duizelig, hsg was vanochtend"
    assert level(text, "nl", NOON) == "emergency"


# --- over, stopped, or no longer taken --------------------------------------------------------------------


def test_a_symptom_she_had_and_that_ended_is_over() -> None:
    text = "the cramping I had after the test last week went away after a day, all fine"
    assert level(text, "en", NOON) in (None, "self_care")
    assert level("the bleeding I had stopped on day two but now it is back and heavy", "en", NOON) == "urgent"


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("ik heb vroeger sintrom genomen maar ben daar al jaren mee gestopt, hsg is volgende week", "nl"),
        ("I came off the warfarin in 2021 and take nothing now, hsg next week", "en"),
    ],
)
def test_a_blood_thinner_she_stopped_is_not_a_disclosure(text: str, lang: str) -> None:
    assert level(text, lang, NOON) is None


def test_switching_blood_thinners_still_tells_the_team() -> None:
    assert level("gestopt met marcoumar, nu neem ik heparine; de hsg is vrijdag", "nl", NOON) == "inform_team"


def test_a_treated_infection_with_nothing_since_is_history() -> None:
    text = "had a kidney infection in the spring, antibiotics cleared it, nothing since. hsg friday"
    assert level(text, "en", NOON) in (None, "self_care")


def test_light_headedness_that_is_fine_now_is_self_care() -> None:
    assert level("na de foto even duizelig geweest, inmiddels gaat het weer goed", "nl", NOON) == "self_care"


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("the cramping had worn off by the afternoon, I only feel a bit sleepy", "en"),
        ("de krampen waren vanochtend al helemaal weg", "nl"),
    ],
)
def test_cramps_that_have_passed_are_self_care(text: str, lang: str) -> None:
    assert level(text + ", hsg was yesterday", lang, NOON) == "self_care"


def test_fluid_still_running_out_after_the_hsg_is_the_contrast() -> None:
    assert level("sinds de hsg van vanmorgen lekt er nog wat helder vocht uit", "nl", NOON) == "self_care"


# --- batch 30 (conversations) -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("there's swelling at the back of my throat since the dye", "en"),
        ("mijn keel zwelt op na de foto", "nl"),
    ],
)
def test_a_swelling_throat_is_an_emergency(text: str, lang: str) -> None:
    assert level(text, lang, NOON) == "emergency"


def test_flemish_went_for_the_hsg_in_either_word_order_is_after() -> None:
    assert phase_from_text("ik ben gisteren voor de foto geweest") == "after"
    assert hsg_date_from_text("de hsg was deze voormiddag", NOON) == NOON.date()


def test_a_short_no_to_the_check_is_none_of_these() -> None:
    turns = ["ik voel me raar na het onderzoek", "neen, geen van die dingen"]
    assert conversation(turns, "nl", NOON)[-1] == "self_care"
    # a "no" with a finding in it is triaged as the finding
    turns = ["I feel odd since the test", "no, but my lips are puffing up"]
    assert conversation(turns, "en", NOON)[-1] == "emergency"


def test_the_bleeding_her_question_names_shown_on_the_pad_is_a_report() -> None:
    text = "Do people normally bleed a little after an hsg? I've got some on my liner today, hsg yesterday"
    assert level(text, "en", NOON) == "self_care"
    assert level("Is bleeding normal after an HSG? Nothing on my pad so far", "en", NOON) is None


def test_a_period_named_only_to_compare_gives_the_cycle_planner_nothing() -> None:
    """A self-care report whose cramps are "like the first day of my period" was sent to the cycle
    planner ("On what day did your last period start?") after a retrained classifier heard a date."""
    from bot.dates import names_a_period
    from bot.rasa_server.nlu_component import should_override

    report = "a little blood on my liner and cramps like the first day of my period, is that normal?"
    assert not names_a_period(report)
    assert should_override("plan_cycle", True, "self_care", "unknown", report)
    assert names_a_period("my period started on Monday, when can I come in?")
    assert not should_override("plan_cycle", True, "self_care", "unknown", "my period started Monday")


def test_worrying_that_she_will_feel_a_symptom_is_a_fear_not_a_report() -> None:
    assert level("I worry I'll get dizzy on the way home, can I take the bus?", "en", NOON) is None
    assert level("I worry because I've been dizzy since the test", "en", NOON) == "urgent"


def test_paperwork_about_a_condition_gets_no_red_flag_check() -> None:
    from bot.triage import analyze

    outcome = analyze("who writes me a sick note for my back, I can't sit at work", "en", now=NOON)
    assert outcome.ask != "redflag_check"


def test_feeling_odd_or_out_of_sorts_gets_the_red_flag_check() -> None:
    """Tried as a patient: "I feel a bit odd since the HSG" got "not understood", not the check."""
    from bot.triage import analyze

    for text in ["I feel a bit odd since the HSG", "feeling out of sorts and groggy after the test"]:
        assert analyze(text, "en", now=NOON).ask == "redflag_check", text
    assert analyze("that's odd, my letter says Friday", "en", now=NOON).ask is None


def test_flemish_parts_of_today_date_the_hsg_for_the_date_note() -> None:
    """Tried in batch 30: "Ik ben deze voormiddag voor de HSG geweest" got a leaflet answer, no date."""
    from bot.dates import dates_the_hsg

    assert dates_the_hsg("ik ben deze voormiddag voor de foto geweest, hsg", NOON.date())
    assert dates_the_hsg("de hsg is deze namiddag om drie uur", NOON.date())


# --- batch 31 (the worrying detail comes late) ------------------------------------------------------------


def test_soaking_through_a_pad_in_less_than_an_hour_with_dizziness_is_an_emergency() -> None:
    text = "het bloed komt door een verband heen binnen minder dan een uur, ik ben duizelig"
    assert level(text, "nl", NOON) == "emergency"


def test_a_denied_symptom_is_not_taken_back_as_it() -> None:
    turns = ["what do I do if the bleeding gets heavy after my hsg?", "I'm not bleeding, I had it on Friday"]
    assert conversation(turns, "en", NOON)[-1] not in ("urgent", "emergency")
    turns = ["how long does the spotting last after an hsg?", "mine started on Friday and it's still there"]
    assert conversation(turns, "en", NOON)[-1] == "urgent"
