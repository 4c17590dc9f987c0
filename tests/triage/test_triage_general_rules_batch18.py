"""General rules added after the eighteenth and nineteenth independent batches (issue 8), each tested
with wording of our own, never a batch sentence. EVENING is a Tuesday (24 November 2026)."""

from __future__ import annotations

from datetime import datetime

import pytest

from bot.dates import parse_hsg_date
from bot.triage import analyze
from bot.triage.durations import bleeding_ended_days_ago, hsg_date_from_text, phase_from_text
from tests.support.triage_turns import EVENING, conversation, level


def test_a_day_of_the_month_followed_by_a_word_that_is_not_a_month() -> None:
    # "the 19th and …": "and" is not a month, the 19th is still the HSG day
    assert hsg_date_from_text("the hsg was on the 19th and since then i bleed", EVENING).isoformat() == (
        "2026-11-19"
    )
    assert level("the hsg was on the 19th and i have had blood loss every single day since, still now") == (
        "urgent"
    )


def test_afterwards_in_a_question_about_the_future_does_not_make_the_hsg_past() -> None:
    text = "the gp prescribed diazepam for before the test. can my sister drive me home afterwards?"
    assert phase_from_text(text) == "before"
    assert "sedatives" in analyze(text, "en", now=EVENING).rule_ids
    # said of what happened, afterwards still means after
    assert phase_from_text("had the hsg at noon and afterwards i felt shivery") == "after"


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("halfway up the stairs i could not get enough air, hsg was this morning", "en"),
        ("since the dye my lips are tingling and it looks like they are getting fatter", "en"),
    ],
)
def test_airway_signs_with_words_between(text: str, lang: str) -> None:
    assert level(text, lang) == "emergency"


@pytest.mark.parametrize(
    "text",
    [
        "I live with a single kidney, the hsg is next week",
        "my kidney function is checked by the nephrology clinic twice a year; hsg planned for friday",
        "ik heb een donornier, volgende week de hsg",
    ],
)
def test_one_kidney_or_a_followed_kidney_function_is_told_to_the_team(text: str) -> None:
    assert level(text, "nl" if text.startswith("ik") else "en") == "inform_team"


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("bleeding after the hsg this morning and it keeps picking up", "en"),
        ("sinds de hsg van vanochtend bloed ik en het wordt ieder uur meer", "nl"),
        ("since the test at 10 i bleed way more than on the worst day of my period", "en"),
        ("sinds de foto is het alsof ik mijn maandstonden heb, maar dubbel zo veel", "nl"),
    ],
)
def test_more_than_a_period_or_growing_by_the_hour_is_heavy(text: str, lang: str) -> None:
    assert level(text, lang) == "urgent"


def test_no_more_than_a_period_is_not_heavy() -> None:
    assert level("bleeding since the hsg this morning but no more than my period") == "self_care"


def test_a_painkiller_brand_that_will_not_bring_the_pain_down() -> None:
    assert level(
        "buikpijn sinds de hsg van vanmiddag, heb een perdolan genomen maar het wil niet minderen", "nl"
    ) == ("urgent")


def test_bleeding_through_the_pad_within_the_hour_with_a_blackout_is_an_emergency() -> None:
    text = (
        "ik ben even weggeweest in de badkamer en het bloed gaat door mijn verband heen, het derde in een uur"
    )
    assert level(text, "nl") == "emergency"


def test_period_cramps_are_a_kind_of_pain_not_bleeding() -> None:
    outcome = analyze("period type pains since the hsg at lunch", "en", now=EVENING)
    assert outcome.state.facts.get("pain") and not outcome.state.facts.get("bleeding")
    # bleeding named beside the cramps is still bleeding
    outcome = analyze("bleeding like a period and cramps since the hsg at lunch", "en", now=EVENING)
    assert outcome.state.facts.get("bleeding")


def test_a_correction_of_the_duration_lengthens_it() -> None:
    levels = conversation(["cramps for 3 hours since the hsg", "sorry, typo, I meant 3 days"])
    assert levels[-1] == "urgent"
    # a plain second duration for a symptom whose duration is known does not overwrite it
    assert conversation(["cramps for 3 hours since the hsg", "my sister had it for 3 days"])[-1] != "urgent"


def test_i_have_a_little_now_refers_to_the_symptom_just_asked_about() -> None:
    levels = conversation(
        ["do you usually spot after an hsg?", "I ask because I have some now, hsg was today"]
    )
    assert levels[-1] == "self_care"


def test_hours_ago_is_a_day() -> None:
    today = EVENING.date()
    assert parse_hsg_date("the hsg was roughly 5 hours ago", today, prefer="past") == today
    assert parse_hsg_date("een paar uur geleden", today, prefer="past") == today


class TestBleedingThatStopped:
    def test_the_day_it_stopped(self) -> None:
        now = datetime(2026, 11, 24, 12)  # Tuesday
        assert (
            bleeding_ended_days_ago("light bleeding wednesday and thursday, nothing since friday", now) == 4
        )
        assert bleeding_ended_days_ago("het is gisteren gestopt", now) == 1
        assert bleeding_ended_days_ago("it hasn't stopped since friday", now) is None
        assert bleeding_ended_days_ago("it stopped on friday but came back today", now) is None

    def test_counted_to_the_day_it_stopped(self) -> None:
        # HSG Wednesday 18th; spotting Wednesday and Thursday, none from Friday: two days, expected
        assert (
            level("hsg on wednesday, spotted wednesday and thursday, nothing since friday. ok?")
            == "self_care"
        )

    def test_a_long_bleed_that_stopped_is_still_long(self) -> None:
        # bled from the Monday a week ago to Saturday: five days
        assert level("i bled every day since the hsg on monday last week, it stopped on saturday") == "urgent"

    def test_a_stated_length_is_kept(self) -> None:
        assert level("bled for 5 days after the hsg, it stopped yesterday") == "urgent"


def test_a_lapse_in_the_no_sex_window_is_told_to_the_team() -> None:
    text = "we were supposed to abstain before the hsg but we gave in on sunday. hsg is thursday"
    assert level(text) == "inform_team"
    assert level("we had no sex and did not give in, hsg is thursday") is None


def test_a_question_about_what_the_contrast_contains_is_not_an_allergy() -> None:
    assert level("is there iodine in the dye they use for a ct of the chest?") is None
    assert level("iodine gives me hives, my hsg is next week") == "inform_team"
    assert (
        level("ik kreeg uitslag van het contrastmiddel bij een ct, volgende week de hsg", "nl")
        == "inform_team"
    )


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("out of 1-10 how bad does it hurt, roughly", "en"),
        ("mijn zus ziet er tegenop, doet het pijn zoals krampen of is het erger", "nl"),
    ],
)
def test_questions_that_do_not_start_with_the_question_word(text: str, lang: str) -> None:
    outcome = analyze(text, lang, now=EVENING)
    assert outcome.level is None and outcome.is_question


def test_reported_findings_and_worries_about_a_risk_get_no_red_flag_check() -> None:
    assert (
        analyze("I have been told my uterus is tilted. Is the hsg harder then?", "en", now=EVENING).ask
        is None
    )
    assert (
        analyze("my wife worries about infection after the hsg, what should we look out for?", "en").ask
        is None
    )


def test_a_period_that_has_not_shown_up_before_the_hsg() -> None:
    assert level("my period has not shown up and the hsg is on friday") == "inform_team"


def test_a_clock_time_or_a_count_after_the_hsg_is_not_a_day_of_the_month() -> None:
    assert hsg_date_from_text("sinds de hsg van 3 uur lekt er wat roze vocht", EVENING) is None
    assert hsg_date_from_text("the hsg was 6 hours ago", EVENING) is None


def test_only_the_bleeding_ending_ends_the_bleeding() -> None:
    # the cramps stopped on a named day; the bleeding goes on, counted from the HSG
    text = "my hsg was on thursday. the cramps ended on friday, but i am still spotting every day"
    assert level(text) == "urgent"
    assert bleeding_ended_days_ago("the pain stopped on friday, bleeding too", EVENING) is None
    # said with words between: "since Friday there has been nothing"
    assert level(
        "hsg on wednesday, light bleeding wednesday and thursday, since friday there's been nothing"
    ) == ("self_care")


def test_a_friend_of_mine_is_someone_else_but_my_girlfriend_is_the_patient() -> None:
    assert level("een collega van mij is flauwgevallen na de foto, gebeurt dat vaak?", "nl") is None
    assert level("mijn vriendin is flauwgevallen na haar hsg van vanmiddag", "nl") == "emergency"


def test_when_with_a_subject_and_no_question_mark_tells_a_time() -> None:
    assert level("when I got off the table some clear watery stuff ran out, hsg at 11 this morning") == (
        "self_care"
    )
    assert level("when can I shower after the hsg?") is None


def test_cramps_said_to_be_gone_in_the_past_tense_have_passed() -> None:
    outcome = analyze(
        "the period pain had disappeared by the time I got home from the hsg", "en", now=EVENING
    )
    assert outcome.level == "self_care"
    assert "cramps_passed" in outcome.rule_ids


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("is it ok to use my hay fever spray the week of the hsg?", "en"),
        ("the radiologist spotted something on the pictures, what now?", "en"),
        ("the gynaecologist spotted a small cyst on the images, what happens next?", "en"),
        ("mag ik een vaccin halen terwijl we zwanger proberen te raken?", "nl"),
        # "mijn" makes the question about her; trying to conceive is still no pregnancy
        ("mag ik mijn griepprik halen nu we zwanger proberen te raken?", "nl"),
    ],
)
def test_words_that_only_look_like_findings(text: str, lang: str) -> None:
    assert level(text, lang) is None


def test_a_period_late_written_with_an_apostrophe() -> None:
    assert level("my period's 5 days late and the hsg is on monday") == "inform_team"
    # hay fever does not hide a real temperature
    assert level("hay fever as always, but since the hsg yesterday also 38.3") == "urgent"
