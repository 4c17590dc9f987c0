"""General rules added after the second independent batch (issue 8), each tested with wording of our
own, not the batch's: a rule must hold for phrasings nobody put in the lexicon."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from bot.triage import analyze
from bot.triage.durations import hsg_date_from_text, number_words_to_digits, phase_from_text

NOW = datetime(2026, 11, 23, 14, 0)  # a Monday


def level(text: str, lang: str = "nl") -> str | None:
    return analyze(text, lang, now=NOW).level


@pytest.mark.parametrize(
    "text",
    [
        "ik gebruik acenocoumarol, geldt dat voor de hsg woensdag?",
        "I take Eliquis, hsg friday, anything I should do?",
    ],
)
def test_a_day_name_without_tense_does_not_guess_the_past(text: str) -> None:
    """Guessing "last Wednesday" would switch the before-procedure findings off."""
    assert hsg_date_from_text(text.lower(), NOW) is None
    assert level(text) == "inform_team"


def test_a_day_name_with_a_tense_still_gives_the_date() -> None:
    assert hsg_date_from_text("my hsg was on friday", NOW) == date(2026, 11, 20)
    assert hsg_date_from_text("the hsg is booked for friday", NOW) == date(2026, 11, 27)


@pytest.mark.parametrize(
    "text",
    [
        "ik hoor een piepend geluid bij het ademen",
        "my breathing sounds whistly and rattly",
        "ademhaling voelt zo oppervlakkig en strak",
        "I'm gasping, it's like breathing through a tiny tube",
    ],
)
def test_how_breathing_sounds_or_feels_is_an_airway_sign(text: str) -> None:
    assert level(text) == "emergency"


def test_a_breathing_sign_completed_by_a_when_clause_counts() -> None:
    assert level("geen koorts maar wel een rochelend geluid als ik adem") == "emergency"
    # what the "als" clause says on its own stays hypothetical
    assert level("moet ik bellen als ik piepend adem?") is None


def test_swelling_said_as_a_comparison() -> None:
    assert level("my mouth looks inflated, like a balloon", "en") == "emergency"


@pytest.mark.parametrize("text", ["ik viel bijna flauw en bloed veel", "toen viel ik flauw in de badkamer"])
def test_dutch_separable_verb_for_fainting(text: str) -> None:
    assert level(text) == "emergency"


def test_temperature_in_dutch_words_without_komma() -> None:
    assert number_words_to_digits("negenendertig twee gemeten") == "39,2 gemeten"
    assert level("negenendertig twee gemeten, hsg was zaterdag") == "urgent"


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("ik heb nurofen genomen, maar die krampen gaan gewoon niet minder", "nl"),
        ("took two ibuprofen but the cramps did nothing to settle, hsg was today", "en"),
    ],
)
def test_pain_not_eased_across_clauses(text: str, lang: str) -> None:
    assert level(text, lang) == "urgent"


def test_pain_with_vomiting_in_other_forms() -> None:
    assert level("cramping since the hsg and I've puked twice", "en") == "urgent"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("onderbuikkrampjes na het onderzoek van vanochtend", "self_care"),
        ("bekkenpijn sinds de hsg van vanmorgen, valt mee", "self_care"),
        ("borstpijn sinds de hsg", "emergency"),  # a known compound keeps its own meaning
    ],
)
def test_dutch_compounds(text: str, expected: str) -> None:
    assert level(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "ik ben allergisch voor pleisters, daar krijg ik uitslag van. de hsg is overmorgen",
        "I get hives from shellfish, booking my hsg next month",
    ],
)
def test_a_skin_reaction_before_the_hsg_is_told_to_the_team_not_urgent(text: str) -> None:
    """No contrast has been given yet: tell the team (allergy), not "possible delayed reaction"."""
    assert level(text) == "inform_team"


def test_a_skin_reaction_after_the_hsg_stays_urgent() -> None:
    assert level("hives on my arms since the hsg yesterday", "en") == "urgent"


def test_another_scan_long_ago_does_not_mean_after_the_hsg() -> None:
    assert phase_from_text("i had a ct scan years ago") is None
    assert phase_from_text("the hsg 2 days ago") == "after"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("het vocht is doorzichtig en ruikt naar niks, hsg was vanochtend", "self_care"),
        ("de afscheiding ruikt naar vis, hsg was vrijdag", "urgent"),
    ],
)
def test_smells_of_nothing_is_a_negation(text: str, expected: str) -> None:
    assert level(text) == expected


@pytest.mark.parametrize(
    "text",
    ["petrified of a reaction to the dye, never had one", "doodsbang voor een allergische reactie"],
)
def test_fear_of_an_indefinite_thing_is_not_a_report(text: str) -> None:
    assert level(text) is None


def test_fear_about_a_present_finding_stays_a_report() -> None:
    assert level("worried about the bleeding, soaking a pad every hour", "en") == "emergency"


def test_passed_said_with_words_between() -> None:
    assert level("werd duizelig na de hsg, maar dat was na een kwartiertje weer over") == "self_care"
    assert level("felt woozy after the hsg but it wore off within minutes", "en") == "self_care"


@pytest.mark.parametrize(
    "text", ["mn uitstrijkje was niet goed, de hsg is volgende week", "I have only one kidney, hsg next week"]
)
def test_disclosures_in_everyday_words(text: str) -> None:
    assert level(text) == "inform_team"


@pytest.mark.parametrize(
    "text",
    [
        "should I remove my tongue piercing before the x-ray?",
        "wanneer mag ik weer terug naar de sportschool na de hsg?",
        "how soon can I go back to a hot bath after the test?",
        "waarom moet ik een verband meenemen?",
    ],
)
def test_advice_questions_with_body_words_get_no_red_flag_check(text: str) -> None:
    """The leaflet answers them; the closed red-flag check is for reports about the body."""
    outcome = analyze(text, "en", now=NOW)
    assert outcome.ask is None and outcome.level is None


@pytest.mark.parametrize(
    "text",
    [
        "is it normal that my tummy feels strange?",
        "mijn lijf voelt raar sinds gisteren",
        "feeling rough today",
    ],
)
def test_body_talk_about_a_present_state_still_gets_the_check(text: str) -> None:
    assert analyze(text, "en", now=NOW).ask == "redflag_check"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("kan nie goed ademen", "emergency"),  # subject dropped, verb first: a statement
        ("heb 38,6 sinds de hsg", "urgent"),
        ("kan ik na de hsg paracetamol nemen?", None),  # verb first with its subject: a question
        ("doet het veel pijn, zo'n onderzoek?", None),
        ("can barely get a breath in", "emergency"),
    ],
)
def test_verb_first_is_a_question_only_with_its_subject_after_it(text: str, expected: str | None) -> None:
    assert level(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("'k kan m'n asem nie goe pakken", "emergency"),
        ("er gutst bloed uit en 'k ben heel duizelig", "emergency"),
        ("krampkes sinds de hsg van deze morgen, met een kruik op mijn buik gaat het beter", "self_care"),
        ("'k moet dagelijks een asaflowke nemen, de hsg is morgen", "inform_team"),
        ("'k was wat draaierig in de wachtzaal, da's nu over", "self_care"),
    ],
)
def test_flemish_and_texting_forms(text: str, expected: str) -> None:
    assert level(text) == expected


def test_this_morning_in_flemish_is_not_tomorrow() -> None:
    outcome = analyze("wat bloedverlies na het onderzoek van deze morgen", "nl", now=NOW)
    assert outcome.phase == "after" and outcome.level == "self_care"


@pytest.mark.parametrize(
    ("text", "celsius"),
    [("achtendertig en een half", "38,5"), ("38 komma 2", "38,2"), ("thirty eight and a half", "38,5")],
)
def test_temperatures_said_with_half_or_komma(text: str, celsius: str) -> None:
    assert number_words_to_digits(text) == celsius


def test_a_temperature_said_as_sitting_at() -> None:
    assert level("ik zit op 39, hsg was zaterdag") == "urgent"


def test_caused_by_the_hsg_of_a_day_is_the_past() -> None:
    assert hsg_date_from_text("is dat van de hsg van vrijdag?", NOW) == date(2026, 11, 20)


def test_still_means_since_the_hsg() -> None:
    """Pain "still" there, HSG on Saturday: more than 24 hours, whatever "yesterday" says."""
    assert level("nog steeds pijn in mijn buik, hsg was zaterdag. gisteren ook al") == "urgent"


@pytest.mark.parametrize(
    "text",
    ["ze ligt op de grond en er is veel bloed", "mijn vrouw is van haar stokje gegaan en bloedt flink"],
)
def test_collapse_with_bleeding_in_everyday_dutch(text: str) -> None:
    assert level(text) == "emergency"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("years ago I reacted badly to contrast at a CT, my hsg is next week", "inform_team"),
        ("bij een ct-scan kreeg ik ooit uitslag van het contrast, hsg is vrijdag", "inform_team"),
        ("had the hsg this morning and I think I'm reacting to the dye", "urgent"),
        ("I'm allergic to iodine", "inform_team"),  # an allergy is a disclosure, not a reaction
    ],
)
def test_a_reaction_to_the_contrast_said_in_words(text: str, expected: str) -> None:
    assert level(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "my blood takes ages to clot... actually it clots badly, hsg tomorrow",
        "my kidneys are not great, hsg next week",
        "ik ben suikerpatiënt, hsg morgen",
    ],
)
def test_more_disclosures_in_everyday_words(text: str) -> None:
    assert level(text) == "inform_team"


@pytest.mark.parametrize("text", ["there's a weight on my chest", "zwaar en drukkend op mijn borstkas"])
def test_chest_pressure_in_lay_words(text: str) -> None:
    assert level(text) == "emergency"


def test_a_fear_in_the_future_with_a_contraction_is_not_a_report() -> None:
    assert level("is a bit of blood normal after? i'm scared i'll bleed loads", "en") is None
    assert level("I'm scared, I'm bleeding loads", "en") == "urgent"


def test_a_detail_in_a_long_clause_of_another_sentence_is_not_attached() -> None:
    """ "I'd read loads online" is not about the spotting mentioned later."""
    text = (
        "I was so nervous, I had read loads of stories online the night before. "
        "Now a little spotting, hsg today."
    )
    assert level(text, "en") == "self_care"


def test_a_detail_in_the_same_sentence_is_attached() -> None:
    assert (
        level("a bit of spotting at first, but since yesterday it keeps getting heavier and heavier")
        == "urgent"
    )


def test_a_cramp_compared_with_a_period_is_not_bleeding_nor_severe() -> None:
    assert (
        level("toen het contrast erin ging voelde ik een kramp zoals bij een stevige menstruatie")
        == "self_care"
    )
    assert level("bleeding like a heavy period since this morning's hsg", "en") == "urgent"


def test_a_pain_score_is_a_pain_report() -> None:
    assert level("about a 9 out of 10, hsg was this morning", "en") == "urgent"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("burning up and aching all over, hsg was on saturday", "urgent"),
        ("no period yet, it should have come on saturday, hsg is friday", "inform_team"),
        ("the test shows a very faint second line, hsg is on thursday", "inform_team"),
        ("we had sex without using anything last week, hsg is friday", "inform_team"),
        ("ik heb de druiper, ik neem antibiotica, hsg volgende week", "inform_team"),
        ("na een nurofen blijven de krampen even hevig, hsg was vanochtend", "urgent"),
        ("ik lig dubbelgevouwen van de buikpijn sinds de hsg", "urgent"),
    ],
)
def test_more_everyday_wording(text: str, expected: str) -> None:
    assert level(text) == expected


def test_a_faint_line_is_not_fainting() -> None:
    assert level("a faint line on my test, hsg next week", "en") == "inform_team"


def test_dutch_inverted_negation() -> None:
    assert level("veel bloed na de hsg, duizelig ben ik niet") == "urgent"


def test_the_phase_of_a_question_is_kept_for_the_answer() -> None:
    first = analyze("my hsg is this afternoon, can I still come if I feel unwell?", "en", now=NOW)
    second = analyze("temperature 38.3 this morning", "en", state=first.state, now=NOW)
    assert second.level == "inform_team"  # fever before the HSG: tell the team


def test_last_weeks_day_said_on_that_day() -> None:
    assert hsg_date_from_text("the hsg was monday", NOW) == date(2026, 11, 16)


@pytest.mark.parametrize(
    "text",
    [
        "can I still have the test if I'm on my period that day?",
        "my periods normally last six days, is day 8 too late for the hsg?",
        "mijn vriend wil weten of ik tussen het begin van mijn menstruatie en de hsg mag sporten",
        "is ibuprofen fine for cramps after the test",
    ],
)
def test_questions_about_what_to_do_get_no_self_care_decision(text: str) -> None:
    """The leaflet answers them; a self-care decision needs a report."""
    outcome = analyze(text, "en", now=NOW)
    assert outcome.level is None and outcome.ask is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "should I go to the ER? I'm soaking a pad every hour",
            "emergency",
        ),  # red flags are decided anywhere
        ("I was wondering if spotting for 5 days after the hsg is ok", "urgent"),
        ("can I take a paracetamol? I have cramps since the hsg this morning", "self_care"),  # a report too
    ],
)
def test_red_flags_and_reports_inside_questions_still_decide(text: str, expected: str) -> None:
    assert level(text, "en") == expected


@pytest.mark.parametrize(
    "text",
    [
        "the gynaecologist said my womb is tilted, what does that mean?",
        "my blood test came back fine, do I still need a pregnancy test?",
        "is that radiation bad for my ovaries?",
        "I hate the idea of dye going into my womb",
    ],
)
def test_results_opinions_and_questions_get_no_red_flag_check(text: str) -> None:
    assert analyze(text, "en", now=NOW).ask is None


def test_what_her_periods_are_like_is_not_a_report() -> None:
    assert (
        analyze("I always get bad period pain, how early should I take ibuprofen?", "en", now=NOW).level
        is None
    )


def test_a_picture_of_the_womb_is_the_hsg_not_a_symptom() -> None:
    text = "de gynaecoloog wil een foto van mijn baarmoeder laten maken, wat houdt dat in?"
    assert analyze(text, "nl", now=NOW).ask is None
