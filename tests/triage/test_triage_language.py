"""Negations, questions and hypotheticals, typos, durations, temperatures and odd input."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from bot.triage import analyze
from bot.triage.durations import duration_hours, temperature_c

NOW = datetime(2026, 11, 23, 14, 0)  # a Monday


@pytest.mark.parametrize(
    "text",
    [
        "what if I get a fever?",
        "is it normal to bleed?",
        "wat als ik koorts krijg?",
        "als ik veel bloed, moet ik bellen?",
    ],
)
def test_questions_are_not_reports(text: str) -> None:
    outcome = analyze(text, "en", now=NOW)
    assert outcome.is_question and not outcome.is_report and outcome.level is None


@pytest.mark.parametrize("text", ["I have a fever, is that normal?", "ik heb koorts, is dat normaal?"])
def test_a_report_followed_by_a_question_is_a_report(text: str) -> None:
    outcome = analyze(text, "nl", now=NOW)
    assert outcome.is_report and not outcome.is_question and outcome.level == "urgent"


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("no fever, just spotting", "self_care"),
        ("geen koorts, alleen wat spotting", "self_care"),
        ("not bleeding anymore, a bit of cramping", "self_care"),
        ("ik bloed niet meer, wel wat kramp", "self_care"),
        ("I don't have a fever but I'm bleeding heavily", "urgent"),
        ("no fever and the bleeding is heavy", "urgent"),
        ("the pain is not going away with paracetamol", "urgent"),
    ],
)
def test_negation_reaches_only_its_own_finding(text: str, level: str) -> None:
    assert analyze(text, "en", now=NOW).level == level


@pytest.mark.parametrize("text", ["no fever", "geen koorts meer", "the bleeding has stopped", "fever gone"])
def test_only_negated_findings_decide_nothing(text: str) -> None:
    outcome = analyze(text, "en", now=NOW)
    assert outcome.level is None and not outcome.is_report


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("bleading heavily", "urgent"),
        ("i have a fevr", "urgent"),
        ("ik heb koors", "urgent"),
        ("bloedverlis met stolsels", "urgent"),
        ("fevor and chils", "urgent"),
        ("krampenn", "self_care"),
    ],
)
def test_misspellings_are_recognised(text: str, level: str) -> None:
    assert analyze(text, "en", now=NOW).level == level


@pytest.mark.parametrize(
    ("text", "hours"),
    [
        ("for 4 days", 96),
        ("since monday", 168),
        ("since yesterday", 24),
        ("about 30 hours", 30),
        ("2 days after the hsg", 48),
        ("al 5 dagen", 120),
        ("sinds gisteren", 24),
        ("sinds maandag", 168),
        ("since friday", 72),
        ("for a couple of days", 48),
        ("since 18 november", 120),
        ("sinds 20 november", 72),
        ("since 20/11", 72),
        ("soaking a pad an hour", None),
    ],
)
def test_durations(text: str, hours: float | None) -> None:
    assert duration_hours(text, NOW) == hours


@pytest.mark.parametrize(
    ("text", "context", "celsius"),
    [
        ("38.9", False, 38.9),
        ("39 graden", False, 39.0),
        ("101F", False, 38.3),
        ("38,5", False, 38.5),
        ("temp of 38", True, 38.0),
        ("38", False, None),
        ("for 38 hours", True, None),
        ("37.2", False, 37.2),
    ],
)
def test_temperatures(text: str, context: bool, celsius: float | None) -> None:
    assert temperature_c(text, context=context) == celsius


def test_duration_from_the_hsg_date() -> None:
    outcome = analyze("still some light bleeding", "en", hsg_date=date(2026, 11, 18), now=NOW)
    assert outcome.level == "urgent" and outcome.phase == "after"
    assert analyze("some light bleeding", "en", hsg_date=date(2026, 11, 22), now=NOW).level == "self_care"


@pytest.mark.parametrize("lang", ["en", "nl", "fr", ""])
@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "😀😀😀",
        "x" * 10_000,
        "fever " * 2_000,
        "Je saigne beaucoup",
        "\x00\n\t",
        "?" * 500,
        "38" * 300,
    ],
)
def test_odd_input_never_raises(text: str, lang: str) -> None:
    outcome = analyze(text, lang, now=NOW)
    assert outcome.level in (None, "self_care", "inform_team", "urgent", "emergency")


def test_both_languages_are_recognised_whatever_lang_says() -> None:
    assert analyze("ik heb koorts", "en", now=NOW).level == "urgent"
    assert analyze("I have a fever", "nl", now=NOW).level == "urgent"


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("it hurts so much if I walk", "urgent"),
        # "when I stand up" tells when the dizziness comes, it is no "if": dizzy with heavy bleeding
        ("when I stand up I get dizzy and I'm bleeding heavily", "emergency"),
        ("should I call if I get a fever?", None),
        ("what if I get a fever and chills", None),
        ("is this rash normal?", "urgent"),
        ("als ik veel bloed moet ik dan bellen?", None),
        ("ik bloed flink als ik opsta", "urgent"),
    ],
)
def test_hypothetical_reaches_only_what_follows_the_cue(text: str, level: str | None) -> None:
    assert analyze(text, "en", now=NOW).level == level
