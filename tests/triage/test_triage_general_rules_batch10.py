"""General rules added after the tenth independent batch (issue 8: long messages, later turns, worked-out
durations, history), each tested with wording of our own, never a batch sentence."""

from __future__ import annotations

import pytest

from bot.triage import analyze
from tests.support.triage_turns import EVENING as NOW
from tests.support.triage_turns import conversation, level

# -- Dutch "not" after the verb with an adverb between ----------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["de afscheiding ruikt echt niet vies, wel wat roze", "het stinkt helemaal niet, alleen wat bloed"],
)
def test_dutch_adverb_before_not_keeps_the_negation(text: str) -> None:
    assert level(text, "nl") == "self_care"


def test_dutch_adverb_without_not_is_still_a_finding() -> None:
    assert level("het ruikt echt heel vies daar beneden sinds de hsg", "nl") == "urgent"


# -- a symptom that has passed is not how she is now -------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("de krampen zijn al weg, alleen nog wat roze afscheiding sinds het onderzoek van zondag", "nl"),
        ("the cramping went away this afternoon, only a little pink spotting since the test on sunday", "en"),
    ],
)
def test_passed_pain_takes_no_duration(text: str, lang: str) -> None:
    outcome = analyze(text, lang, now=NOW)
    assert outcome.level == "self_care"
    assert not outcome.state.facts.get("pain")


def test_pain_that_has_not_gone_still_counts() -> None:
    assert level("the pain has not gone since the hsg on friday") == "urgent"


def test_coloured_spots_in_underwear_are_spotting_but_on_the_skin_a_rash() -> None:
    assert level("alleen wat roze vlekjes in mijn slipje", "nl") == "self_care"
    assert level("rode vlekjes over mijn hele lijf sinds vanmiddag", "nl") == "urgent"


# -- how much it eased is not how strong it is --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("still crampy but loads better than at breakfast", "en"),
        ("nog wat kramp maar heel veel minder dan vanochtend", "nl"),
    ],
)
def test_intensity_word_before_an_easing_comparative_is_not_severity(text: str, lang: str) -> None:
    assert level(text, lang) == "self_care"


def test_intensity_word_alone_is_still_severity() -> None:
    assert level("the cramps hurt loads since the hsg") == "urgent"


# -- bleeding compared with a period and found heavier ------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("the bleeding is heavier than an ordinary period", "en"),
        ("ik verlies meer bloed dan tijdens een gewone ongesteldheid", "nl"),
    ],
)
def test_bleeding_heavier_than_a_period_is_heavy(text: str, lang: str) -> None:
    assert level(text, lang) == "urgent"


def test_bleeding_no_more_than_a_period_and_pain_worse_than_a_period_are_not_heavy_bleeding() -> None:
    assert (
        analyze("some bleeding, not more than my usual period", "en", now=NOW).state.facts.get(
            "bleeding_heaviness"
        )
        != "heavy"
    )
    outcome = analyze("the cramps are worse than my period", "en", now=NOW)
    assert outcome.state.facts.get("bleeding_heaviness") != "heavy"


# -- history: what happened long ago is not now ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        (
            "years ago I had a high temperature after a miscarriage, could that happen with the hsg?",
            "en",
        ),
        ("bij mijn vorige onderzoek ben ik flauwgevallen, kan ik daar iets tegen doen?", "nl"),
        ("my partner passed out the last time she had this test, what can she do differently?", "en"),
    ],
)
def test_long_past_after_effects_are_history(text: str, lang: str) -> None:
    assert level(text, lang) is None


def test_history_still_keeps_disclosures_and_present_symptoms() -> None:
    assert level("three years ago I came out in hives after contrast for a ct") == "inform_team"
    assert level("last time I bled for a week, and now I have been bleeding again since friday") == "urgent"
    assert level("she fainted a minute ago, her hsg was this morning") == "emergency"


def test_risk_of_infection_is_a_question_not_an_infection() -> None:
    assert level("is the risk of infection higher if I had one before?") is None


# -- relief that does not come ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "took paracetamol at lunch then ibuprofen at teatime and even now the period pain won't budge",
        "had my painkillers but the cramps just aren't easing",
    ],
)
def test_painkillers_without_relief_in_any_verb(text: str) -> None:
    assert level(text) == "urgent"


def test_relief_granted_far_away_in_a_long_sentence_does_not_lower_severity() -> None:
    text = (
        "severe cramps, I took paracetamol before we drove to my mum's and had dinner and it worked out fine"
    )
    assert level(text) == "urgent"


# -- a blood thinner in lay words ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("I take something daily that thins my blood, my HSG is on friday", "en"),
        ("ik krijg prikjes om mijn bloed dun te houden, onderzoek is volgende week", "nl"),
    ],
)
def test_lay_blood_thinner_is_a_disclosure_not_bleeding(text: str, lang: str) -> None:
    outcome = analyze(text, lang, now=NOW)
    assert outcome.level == "inform_team"
    assert not outcome.state.facts.get("bleeding")


# -- a question about a symptom, then "mine ..." -------------------------------------------------------------


def test_question_then_report_by_reference_carries_the_symptom() -> None:
    levels = conversation(
        ["how many days can the bleeding go on after an hsg?", "mine began on thursday and it's still going"]
    )
    assert levels == [None, "urgent"]


def test_question_then_report_by_reference_under_the_threshold_is_self_care() -> None:
    levels = conversation(
        ["hoe lang duurt die buikpijn meestal?", "bij mij begon het vanochtend, nu iets minder"], "nl"
    )
    assert levels == [None, "self_care"]


def test_question_then_unrelated_message_is_not_a_report() -> None:
    levels = conversation(["how long does bleeding last after the test?", "my appointment is on monday"])
    assert levels == [None, None]


def test_question_then_another_question_is_not_a_report() -> None:
    levels = conversation(["how long does the cramping last?", "is mine normal then?"])
    assert levels == [None, None]


# -- a relative named after the patient's own symptom does not take it over --------------------------------


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("really bad cramps since the hsg, my sister had to come and pick me up", "en"),
        ("hoge koorts sinds gisteren, mijn moeder heeft me naar huis gebracht", "nl"),
    ],
)
def test_symptom_before_a_relative_in_the_past_stays_the_patients(text: str, lang: str) -> None:
    assert level(text, lang) == "urgent"


def test_relative_named_first_in_the_past_is_still_her_experience() -> None:
    assert level("my cousin had bad cramps for two days after hers, is that usual?") is None


# -- examples given with a question, and how much pain one can bear ----------------------------------------


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("which things are ok afterwards, like cramping or a bit of brown blood", "en"),
        ("waar moet ik op letten, zoals koorts of veel bloedverlies?", "nl"),
    ],
)
def test_examples_after_a_question_are_part_of_the_question(text: str, lang: str) -> None:
    assert level(text, lang) is None


def test_examples_after_a_report_are_still_a_report() -> None:
    assert level("my belly is sore since the hsg, like a bad period") == "self_care"


def test_a_low_pain_threshold_is_not_pain() -> None:
    assert level("my pain tolerance is terrible, will I cope with the test?") is None


# -- "it" for the symptom reported just before -------------------------------------------------------------


def test_it_after_a_discharge_report_is_the_discharge() -> None:
    levels = conversation(
        [
            "some discharge since the test",
            "it was see-through at first but now it's greenish and there's more",
        ]
    )
    assert levels == ["self_care", "urgent"]


def test_het_after_a_pain_report_is_the_pain_in_dutch() -> None:
    levels = conversation(["wat buikpijn na het onderzoek vanochtend", "het wordt steeds erger"], "nl")
    assert levels == ["self_care", "urgent"]


def test_it_that_is_fine_now_stays_self_care() -> None:
    levels = conversation(["a little pink discharge after the hsg", "it's fine now thanks"])
    assert levels == ["self_care", "self_care"]


def test_it_in_the_answer_to_how_long_is_still_that_answer() -> None:
    """Naming the symptom for "it" must not take over an answer to the pending question."""
    levels = conversation(["there's still a bit of spotting since my hsg", "it was on the 17th"])
    assert levels == ["self_care", "urgent"]
