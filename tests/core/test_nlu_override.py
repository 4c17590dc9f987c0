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
