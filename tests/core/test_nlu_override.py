"""The rule-based override: escalating reports always reach triage, whatever the classifier said."""

from __future__ import annotations

import pytest

from bot.rasa_server.nlu_component import screen_report, should_override


@pytest.mark.parametrize("intent", ["faq", "greet", "nlu_fallback", "plan_cycle", "out_of_scope", None])
def test_escalating_report_always_goes_to_triage(intent: str | None) -> None:
    is_report, level = screen_report("I can't breathe and my lips are swelling", "en")
    assert is_report and level == "emergency"
    assert should_override(intent, is_report, level)


@pytest.mark.parametrize(
    ("intent", "phase", "expected"),
    [
        ("faq", "unknown", True),  # issue 8: an after-effect gets its self-care decision, not only an FAQ
        ("plan_cycle", "unknown", False),  # "my period started on Monday": a date for planning
        ("plan_cycle", "after", True),  # "spotting today, HSG was Sunday"
        ("tell_hsg_date", "after", True),
        ("nlu_fallback", "unknown", True),
        ("greet", "unknown", True),
    ],
)
def test_self_care_reports_get_their_decision_except_cycle_planning(
    intent: str, phase: str, expected: bool
) -> None:
    assert should_override(intent, True, "self_care", phase) is expected


def test_questions_are_never_overridden() -> None:
    is_report, level = screen_report("what if I get a fever?", "en")
    assert not is_report
    assert not should_override("faq", is_report, level)


def test_a_disclosure_asked_as_a_leaflet_question_keeps_its_answer() -> None:
    is_report, level = screen_report("I'm allergic to iodine, is that a problem for the hsg?", "en")
    assert is_report and level == "inform_team"
    assert not should_override("faq", is_report, level)
    assert should_override("greet", is_report, level)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hello! My HSG was on the 9th", True),
        ("hoi, ik heb zaterdag de hsg gehad", True),
        ("good morning, quick question", False),
        ("hi, hsg friday", False),  # no tense: no date, so nothing to remember yet
    ],
)
def test_a_greeting_that_gives_the_hsg_day_is_remembered(text: str, expected: bool) -> None:
    """The greeting is rerouted to tell_hsg_date so triage later counts the days from it."""
    from bot.rasa_server.nlu_component import states_hsg_date

    assert states_hsg_date(text) is expected


def test_spotting_heard_as_a_cycle_date_is_triaged_when_no_period_is_named() -> None:
    """The classifier may hear "spotting since yesterday, HSG Saturday" as a period start: with no
    period word in it, the report wins (the cycle planner needs a period)."""
    text = "a little spotting since yesterday, hsg saturday"
    assert should_override("plan_cycle", True, "self_care", "unknown", text)
    assert not should_override("plan_cycle", True, "self_care", "unknown", "my period came on Sunday")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The hysterosalpingogram was done on 17 November.", True),
        ("Mijn HSG was op 17 november.", True),
        ("My HSG is on 17 December, what do I need to bring", False),  # asks something: the leaflet
        ("When is the HSG done in the cycle?", False),
    ],
)
def test_a_bare_hsg_date_is_recognised_whatever_the_classifier_heard(text: str, expected: bool) -> None:
    from bot.rasa_server.nlu_component import states_date_only

    assert states_date_only(text) is expected
