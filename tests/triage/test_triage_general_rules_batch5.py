"""General rules added after the fifth independent batch (issue 8), each tested with wording of our
own: a rule must hold for phrasings nobody put in the lexicon or the batch."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from bot.triage import analyze
from bot.triage.durations import hsg_date_from_text, phase_from_text
from bot.triage.engine import TriageOutcome

NOW = datetime(2026, 11, 24, 14, 0)  # a Tuesday


def turns(lang: str, *texts: str) -> TriageOutcome:
    outcome = analyze(texts[0], lang, now=NOW)
    for text in texts[1:]:
        outcome = analyze(text, lang, state=outcome.state, now=NOW)
    return outcome


def level(text: str, lang: str = "en") -> str | None:
    return analyze(text, lang, now=NOW).level


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("mijn bloeding is nie gestopt sinds de hsg van vorige week", "nl"),
        ("de pijn is nog altijd niet weg, al vier dagen sinds de hsg", "nl"),
    ],
)
def test_not_stopped_means_still_going(text: str, lang: str) -> None:
    """A negation in front of "gestopt"/"weg" negates the stopping, not the symptom."""
    assert level(text, lang) == "urgent"


@pytest.mark.parametrize(
    "text",
    [
        "a crushing weight right across the middle of my chest since lunch, had the hsg this morning",
        "sort of squeezing feeling in the centre of my chest after the x-ray",
    ],
)
def test_chest_pressure_said_with_words_in_between(text: str) -> None:
    """The closest pair of a chest word and a pressure word counts, not the first of each."""
    assert level(text) == "emergency"


def test_coming_round_means_she_fainted() -> None:
    text = "my partner went white in the kitchen after the hsg and came to on the floor, bleeding a lot"
    assert level(text) == "emergency"
    assert (
        level("zij kwam weer bij op de badkamervloer, er is veel bloed, hsg vanochtend", "nl") == "emergency"
    )


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("I'm under a nephrologist for my kidneys, is the contrast ok for me before the hsg?", "en"),
        ("mijn nierfunctie is maar dertig procent, mijn hsg is volgende week", "nl"),
        ("ik ben nierpatiënt en moet binnenkort voor de hsg", "nl"),
    ],
)
def test_kidney_disease_said_in_everyday_words_is_told_to_the_team(text: str, lang: str) -> None:
    assert level(text, lang) == "inform_team"


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("my test is next week but I'm ten days late now", "en"),
        ("de hsg is volgende week en ik ben 6 dagen over tijd", "nl"),
    ],
)
def test_late_by_some_days_is_a_possible_pregnancy(text: str, lang: str) -> None:
    assert level(text, lang) == "inform_team"


def test_the_day_after_tomorrow_is_ahead() -> None:
    assert phase_from_text("my appointment for the hsg is the day after tomorrow") == "before"
    assert hsg_date_from_text("the hsg is the day after tomorrow", NOW) == date(2026, 11, 26)
    assert phase_from_text("it hasn't happened yet") == "before"
    assert phase_from_text("nee het is nog niet gebeurd") == "before"


def test_fever_before_the_hsg_is_told_to_the_team_not_urgent() -> None:
    """Before the procedure an infection or fever may postpone it: inform_team (rules, before)."""
    assert level("running 38.4 with a cold, and my hsg is the day after tomorrow") == "inform_team"
    outcome = turns("nl", "vraagje over de hsg", "die is nog niet gebeurd, pas donderdag. ik heb 38,6 koorts")
    assert outcome.level == "inform_team"


def test_pain_elsewhere_is_not_the_hsg_cramping() -> None:
    outcome = analyze("awful headache and a sore throat since this morning, hsg was yesterday", "en", now=NOW)
    assert outcome.level != "urgent"
    assert "pain" not in outcome.state.facts


@pytest.mark.parametrize(
    ("text", "lang", "hsg"),
    [
        ("I had the hsg on Thursday and the bleeding has gone on every day since", "en", date(2026, 11, 19)),
        ("op donderdag de hsg gehad en sindsdien elke dag bloedverlies", "nl", date(2026, 11, 19)),
        ("my hsg was on the 17th, still spotting", "en", date(2026, 11, 17)),
    ],
)
def test_the_hsg_day_gives_the_duration(text: str, lang: str, hsg: date) -> None:
    assert hsg_date_from_text(text.lower(), NOW) == hsg
    assert level(text, lang) == "urgent"  # bleeding for more than three days


def test_a_day_given_as_the_answer_to_how_long() -> None:
    first = analyze("is it normal to still have cramps after the hsg?", "en", now=NOW)
    outcome = turns(
        "en", "I have cramps after my hsg", "the test was on Saturday and it's been there every day since"
    )
    assert first.level is None or first.level == "self_care"
    assert outcome.level == "urgent"  # pain for more than 24 hours


def test_severe_cramping_during_the_procedure_is_not_how_it_is_now() -> None:
    text = "it was agony during the test, now it's a dull ache and ibuprofen sorted it"
    assert level(text) == "self_care"
    # said of now, it still counts
    assert level("the cramping is agony now, hours after the test") == "urgent"


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("ik werd na de hsg even duizelig maar na wat rusten was ik weer helemaal goed", "nl"),
        ("felt woozy after the test but after a lie down I'm completely fine again", "en"),
    ],
)
def test_dizziness_that_passed_is_self_care(text: str, lang: str) -> None:
    assert level(text, lang) == "self_care"


def test_grey_alone_is_not_grey_discharge() -> None:
    outcome = analyze("she looks grey and sweaty, had the hsg this morning", "en", now=NOW)
    assert "discharge_bad" not in outcome.state.facts
    assert level("there's grey stuff on my pad since the hsg") == "urgent"


# -- batch 6 (disclosures before the HSG) -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("I'm on symbicort morning and night, my hsg is next week", "en"),
        ("ik gebruik een blauwe puffer en pulmicort, volgende week de hsg", "nl"),
        ("I carry a reliever inhaler everywhere, hsg is on friday", "en"),
    ],
)
def test_inhalers_by_kind_or_brand_say_asthma(text: str, lang: str) -> None:
    assert level(text, lang) == "inform_team"


@pytest.mark.parametrize(
    "text",
    [
        "is it a problem that I take clopidogrel? my hsg is on thursday",
        "would it matter that i use heparin injections, the test is next week",
    ],
)
def test_a_habit_told_inside_a_question_is_a_disclosure(text: str) -> None:
    assert level(text) == "inform_team"


def test_asking_what_to_take_is_still_a_question() -> None:
    assert level("should I take aspirin before the hsg next week?") is None


def test_sore_breasts_with_a_late_period_are_not_pain() -> None:
    outcome = analyze(
        "my boobs are so tender, breasts are sore and I'm 4 days late, hsg thursday", "en", now=NOW
    )
    assert outcome.level == "inform_team"
    assert "pain" not in outcome.state.facts


def test_a_period_that_was_due_is_late() -> None:
    assert (
        level("de hsg is volgende week maar mijn regels moesten vorige week al komen", "nl") == "inform_team"
    )


def test_tomorrow_morning_in_one_dutch_word_is_ahead() -> None:
    assert phase_from_text("morgenmiddag heb ik de hsg") == "before"
    assert level("koorts van 38,2 en morgenvroeg heb ik de hsg", "nl") == "inform_team"


@pytest.mark.parametrize(
    "text",
    [
        "felt woozy when I sat up after the test but I'm totally fine now",
        "a bit faint-ish in the changing room, was fine again within minutes, back home",
    ],
)
def test_light_headedness_that_passed_in_english(text: str) -> None:
    assert level(text) == "self_care"


def test_a_reaction_to_a_scan_years_back_is_a_history() -> None:
    text = (
        "in 2018 I got itchy welts all over after a contrast x-ray of my bowel, is the hsg dye similar?"
        " hsg is next week"
    )
    assert level(text) == "inform_team"


def test_unprotected_said_delicately() -> None:
    assert level("we were together on sunday and we used nothing, the hsg is tomorrow") == "inform_team"


# -- batch 7 (Dutch and Flemish disclosures) --------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("ik zit aan de toujeo en de fiasp, hsg is volgende week", "nl"),
        ("my sugars run high and I'm on gliclazide, the test is on friday", "en"),
    ],
)
def test_insulin_and_tablets_by_brand_say_diabetes(text: str, lang: str) -> None:
    assert level(text, lang) == "inform_team"


def test_a_dutch_diminutive_of_a_known_word() -> None:
    assert level("ik neem elke ochtend een sintrommetje, hsg volgende week", "nl") == "inform_team"


def test_flemish_gene_is_a_negation() -> None:
    assert (
        level("gene koorts en gene pijn, enkel wa bruin verlies sinds de hsg van gisteren", "nl")
        == "self_care"
    )


def test_until_after_the_test_is_not_after_it() -> None:
    assert phase_from_text("geen seks tot na de foto zeiden ze") is None
    assert phase_from_text("no sex until after the test, they said") is None
    assert phase_from_text("na de foto kreeg ik krampen") == "after"


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("volgende week de hsg, maar we zijn zaterdag met elkaar geweest", "nl"),
        ("sinds ik in de zomer stopte met de pil niet meer ongesteld geworden, hsg staat gepland", "nl"),
        ("ik reageer altijd met rode bultjes op isobetadine, mijn hsg is vrijdag", "nl"),
        ("mijn huisarts gaf me seresta voor de hsg van donderdag", "nl"),
    ],
)
def test_dutch_disclosures_in_everyday_words(text: str, lang: str) -> None:
    assert level(text, lang) == "inform_team"


# -- the question/report boundary seen from the NLU side (dev3 questions) -----------------------------


def test_pain_as_a_nuisance_is_not_a_symptom() -> None:
    assert level("my nose stud is such a pain to take out, does it have to come out for the x-ray?") is None


def test_a_fear_of_what_may_come_afterwards_is_not_a_report() -> None:
    assert level("I'm terrified of fainting during the test, does that happen?") is None
    # worry about what is happening now is still a report
    assert level("I'm worried, I've been fainting since the hsg this morning") == "emergency"


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("we're trying for a baby, can I still drink coffee before the hsg next week?", "en"),
        ("wij hebben een kinderwens, mag ik sporten voor de hsg van vrijdag?", "nl"),
    ],
)
def test_trying_to_conceive_is_not_a_possible_pregnancy(text: str, lang: str) -> None:
    assert level(text, lang) is None
