"""One English and one Dutch message per rule in rules.yml: the rule fires and sets the level."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from bot.triage import analyze
from bot.triage.rules import load_rules
from bot.vocabulary import LEVELS

NOW = datetime(2026, 11, 23, 14, 0)
BEFORE = date(2026, 11, 30)

# rule id -> (English message, Dutch message, hsg_date or None)
TABLE: dict[str, tuple[str, str, date | None]] = {
    "contrast_reaction_airway": ("my throat feels tight and I'm wheezing", "mijn keel zit dicht", None),
    "hives_with_dizziness": ("hives everywhere and I feel dizzy", "galbulten en ik ben duizelig", None),
    "collapse_with_bleeding": ("I fainted and I'm bleeding", "ik ben flauwgevallen en bloed", None),
    "soaking_pad_hourly": ("soaking a pad an hour", "elk uur een maandverband doorweekt", None),
    "heavy_bleeding_with_dizziness": (
        "bleeding heavily and I feel dizzy",
        "ik bloed hevig en ben duizelig",
        None,
    ),
    "sudden_numbness": ("I can't feel my legs", "ik voel mijn benen niet", None),
    "chest_pain_or_breathless": ("I have chest pain", "ik heb pijn op de borst", None),
    "fever": ("I have a temperature of 38.6 after the hsg", "ik heb 38,6 koorts na de hsg", None),
    "feels_hot_unmeasured": ("I feel hot, thermometer says 38.4", "ik voel me warm, temperatuur 38,4", None),
    "severe_pain_with_fever": ("fever and terrible cramps", "koorts en vreselijke krampen", None),
    "offensive_discharge": ("foul smelling discharge", "afscheiding die stinkt", None),
    "bleeding_over_3_days": ("light bleeding for 4 days", "al 4 dagen een beetje bloedverlies", None),
    "heavy_bleeding": ("bleeding heavily with clots", "hevig bloedverlies met stolsels", None),
    "bleeding_with_dizziness": ("bleeding and dizzy", "bloedverlies en duizelig", None),
    "fainting": ("I fainted this afternoon", "ik ben flauwgevallen vanmiddag", None),
    "ongoing_dizziness": ("I feel dizzy since the hsg", "ik ben duizelig sinds de hsg", None),
    "pain_over_24_hours": ("cramps for 2 days", "krampen al 2 dagen", None),
    "severe_pain": ("severe pain in my belly", "ondraaglijke pijn in mijn buik", None),
    "pain_not_relieved": ("painkillers don't help the cramps", "pijnstillers helpen niet", None),
    "pain_with_vomiting": ("cramps and vomiting", "krampen en overgeven", None),
    "delayed_skin_reaction": ("itchy rash on my legs", "jeuk en huiduitslag", None),
    "possible_pregnancy": ("I might be pregnant", "ik ben misschien zwanger", BEFORE),
    "anticoagulants": ("I take warfarin", "ik gebruik bloedverdunners", BEFORE),
    "bleeding_disorder": ("I have a bleeding disorder", "ik heb een stollingsstoornis", BEFORE),
    "contrast_allergy": ("I'm allergic to iodine", "ik ben allergisch voor jodium", BEFORE),
    "other_allergy": ("I have a penicillin allergy", "ik heb een allergie voor pleisters", BEFORE),
    "asthma": ("I have asthma", "ik heb astma", BEFORE),
    "diabetes_or_kidney": ("I have diabetes", "ik heb nierproblemen", BEFORE),
    "infection_before": ("I have a fever", "ik heb een soa", BEFORE),
    "suspected_cancer": ("they suspect cervical cancer", "ze denken aan baarmoederhalskanker", BEFORE),
    "sedatives": ("I was prescribed a sedative", "ik krijg een kalmeringsmiddel", BEFORE),
    "mild_cramps": ("mild cramps after the hsg", "lichte krampen na de hsg", None),
    "cramps_passed": (
        "some cramps after the hsg this morning, all good now",
        "wat krampjes na de hsg vanochtend, nu weer weg",
        None,
    ),
    "light_bleeding": ("a bit of spotting after the hsg", "een beetje bloedverlies na de hsg", None),
    "normal_discharge": ("some clear discharge after the hsg", "wat vocht na de hsg", None),
    "feels_warm": ("I feel warm after the hsg", "ik voel me warm na de hsg", None),
    "temperature_under_38": (
        "took my temperature after the hsg: 37.4",
        "temperatuur na de hsg opgenomen: 37,4",
        None,
    ),
    "brief_lightheadedness": ("felt dizzy but it passed", "was even duizelig maar het is weer weg", None),
}


def test_every_rule_has_a_row_and_a_source() -> None:
    rules = load_rules()
    # unwell_no_red_flag needs the red-flag check pending: tested in test_triage_check.py
    assert {rule.id for rule in rules} - {"unwell_no_red_flag"} == set(TABLE)
    for rule in rules:
        assert rule.level in LEVELS and rule.source.strip() and rule.reason.strip()


@pytest.mark.parametrize("lang", ["en", "nl"])
@pytest.mark.parametrize("rule_id", sorted(TABLE))
def test_rule_fires_in_both_languages(rule_id: str, lang: str) -> None:
    english, dutch, hsg_date = TABLE[rule_id]
    text = english if lang == "en" else dutch
    rule = next(rule for rule in load_rules() if rule.id == rule_id)
    outcome = analyze(text, lang, hsg_date=hsg_date, now=NOW)
    assert outcome.is_report, text
    assert rule_id in outcome.rule_ids, (text, outcome.rule_ids)
    assert LEVELS.index(outcome.level) >= LEVELS.index(rule.level)
    assert outcome.reasons


def test_highest_level_wins_and_reasons_list_every_escalating_finding() -> None:
    outcome = analyze("fever 38.5, smelly discharge and my lips are swollen", "en", now=NOW)
    assert outcome.level == "emergency"
    assert len(outcome.reasons) >= 3
    assert any("38.5" in reason for reason in outcome.reasons)


def test_fever_phase_decides_between_inform_team_and_urgent() -> None:
    assert analyze("I have a fever", "en", hsg_date=BEFORE, now=NOW).level == "inform_team"
    assert analyze("I have a fever", "en", hsg_date=date(2026, 11, 22), now=NOW).level == "urgent"
    assert analyze("I have a fever", "en", now=NOW).level == "urgent"  # unknown phase: the safer reading
    assert analyze("I have a fever, my hsg is tomorrow", "en", now=NOW).phase == "before"
