"""The custom actions in-process, the way rasa-demo tests them: a real `Tracker` and a `CollectingDispatcher`.

These catch a broken adapter (wrong slot, wrong payload, escalation not written) without starting a
server; the same paths over HTTP are covered in tests/e2e.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.dates import ActionRememberHsgDate
from actions.faq import ActionAnswerFaq
from actions.triage import ActionTriage
from bot.clinic import get_profile
from bot.config import get_settings
from bot.storage.db import get_engine, upgrade


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'actions.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("HSG_VAR_DIR", str(tmp_path / "var"))
    get_settings.cache_clear()
    upgrade(url)
    yield url
    get_settings.cache_clear()


def tracker(text: str, *, intent: str, slots: dict[str, Any] | None = None, **parse: Any) -> Tracker:
    """A tracker whose latest message is `text`, as Rasa sends it to the action server."""
    latest = {"text": text, "intent": {"name": intent, "confidence": 0.99}, "entities": [], **parse}
    return Tracker.from_dict(
        {
            "sender_id": "in-process-test-1",
            "slots": {"language": "en", **(slots or {})},
            "latest_message": latest,
            "events": [{"event": "user", "text": text, "parse_data": latest, "input_channel": "rest"}],
            "paused": False,
            "followup_action": None,
            "active_loop": {},
            "latest_action_name": "action_listen",
        }
    )


def triage_levels(dispatcher: CollectingDispatcher) -> list[str]:
    """The triage levels of the messages the action sent, in order."""
    triage = [(m.get("custom") or {}).get("triage") for m in dispatcher.messages]
    return [found["level"] for found in triage if found]


def test_triage_action_advises_urgent_and_stores_the_escalation(database: str) -> None:
    dispatcher = CollectingDispatcher()
    events = ActionTriage().run(
        dispatcher, tracker("I have a fever of 38.9 since last night", intent="report_symptom"), {}
    )
    levels = triage_levels(dispatcher)
    assert levels and levels[0] == "urgent"
    assert get_profile().clinic_phone in dispatcher.messages[0]["text"]
    assert {"event": "slot", "name": "triage_level", "value": "urgent", "timestamp": None} in events
    with get_engine(database).connect() as connection:
        rows = connection.execute(sa.text("SELECT conversation_id, level FROM hsg_escalations")).all()
    assert [tuple(row) for row in rows] == [("in-process-test-1", "urgent")]


def test_self_care_report_is_advised_but_not_escalated(database: str) -> None:
    dispatcher = CollectingDispatcher()
    ActionTriage().run(
        dispatcher,
        tracker("a little spotting this morning after the hsg, no pain", intent="report_symptom"),
        {},
    )
    levels = triage_levels(dispatcher)
    assert levels == ["self_care"]
    with get_engine(database).connect() as connection:
        assert connection.execute(sa.text("SELECT count(*) FROM hsg_escalations")).scalar() == 0


def test_faq_action_answers_the_selected_topic_with_its_sources(database: str) -> None:
    dispatcher = CollectingDispatcher()
    selector = {
        "faq": {
            "response": {"intent_response_key": "faq/after_tampons", "confidence": 0.97},
            "ranking": [{"intent_response_key": "faq/after_tampons", "confidence": 0.97}],
        }
    }
    ActionAnswerFaq().run(
        dispatcher, tracker("can I use a tampon afterwards?", intent="faq", response_selector=selector), {}
    )
    answers = [m["custom"]["answer"] for m in dispatcher.messages if (m.get("custom") or {}).get("answer")]
    assert [answer["topic"] for answer in answers] == ["after_tampons"]
    assert answers[0]["sources"]
    assert not any((m.get("custom") or {}).get("triage") for m in dispatcher.messages)


def test_a_leaflet_question_keeps_the_phase_it_gave_for_the_next_report(database: str) -> None:
    """ "My HSG is tomorrow, may I come if I'm unwell?" answered from the leaflet; a fever told next is a
    fever before the HSG (inform_team), not after it (urgent)."""
    selector = {
        "faq": {
            "response": {"intent_response_key": "faq/contraindications", "confidence": 0.97},
            "ranking": [{"intent_response_key": "faq/contraindications", "confidence": 0.97}],
        }
    }
    question = "my hsg is tomorrow morning, can I still come if I feel rotten?"
    events = ActionAnswerFaq().run(
        CollectingDispatcher(), tracker(question, intent="faq", response_selector=selector), {}
    )
    state = next(e["value"] for e in events if e.get("name") == "triage_state")
    assert state["phase"] == "before"
    dispatcher = CollectingDispatcher()
    ActionTriage().run(
        dispatcher,
        tracker("38.6 and a runny nose", intent="report_symptom", slots={"triage_state": state}),
        {},
    )
    levels = triage_levels(dispatcher)
    assert levels == ["inform_team"]


def test_an_answer_that_looks_like_a_question_still_answers_the_pending_triage_question(
    database: str,
) -> None:
    """The topic models may take "39.2, is that high?" for a leaflet question; the engine asked for the
    temperature, so it is the answer, and the urgent advice follows."""
    first = CollectingDispatcher()
    events = ActionTriage().run(
        first, tracker("I feel hot and cold after the hsg", intent="report_symptom"), {}
    )
    state = next(e["value"] for e in events if e.get("name") == "triage_state")
    selector = {
        "faq": {
            "response": {"intent_response_key": "faq/when_to_call", "confidence": 0.9},
            "ranking": [{"intent_response_key": "faq/when_to_call", "confidence": 0.9}],
        }
    }
    dispatcher = CollectingDispatcher()
    ActionAnswerFaq().run(
        dispatcher,
        tracker(
            "39.2, is that high?",
            intent="faq",
            slots={"triage_state": state},
            response_selector=selector,
        ),
        {},
    )
    levels = triage_levels(dispatcher)
    assert levels == ["urgent"]


def test_a_leaflet_question_that_is_a_red_flag_in_context_gets_the_advice_first(
    database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The HSG was five days ago (a slot from earlier): "is it normal that I'm still bleeding?" is
    bleeding for more than three days (urgent), whatever the topic models thought of it."""
    monkeypatch.setenv("HSG_TODAY", "2026-11-24")
    get_settings.cache_clear()
    selector = {
        "faq": {
            "response": {"intent_response_key": "faq/after_normal", "confidence": 0.95},
            "ranking": [{"intent_response_key": "faq/after_normal", "confidence": 0.95}],
        }
    }
    dispatcher = CollectingDispatcher()
    ActionAnswerFaq().run(
        dispatcher,
        tracker(
            "is it normal that I'm still bleeding?",
            intent="faq",
            slots={"hsg_date": "2026-11-19"},
            response_selector=selector,
        ),
        {},
    )
    levels = triage_levels(dispatcher)
    assert levels == ["urgent"]
    assert any((m.get("custom") or {}).get("answer") for m in dispatcher.messages[1:])


def test_the_hsg_date_that_completes_an_open_report_is_triaged(
    database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ "I still have some bleeding" got a question; "my HSG was on 17 november" is classified as a
    date, but it makes the bleeding a week long (urgent): triage decides, and the date is kept."""
    monkeypatch.setenv("HSG_TODAY", "2026-11-24")
    get_settings.cache_clear()
    first = tracker("I still have some bleeding", intent="report_symptom")
    events = ActionTriage().run(CollectingDispatcher(), first, {})
    state = next(e["value"] for e in events if e.get("name") == "triage_state")
    dispatcher = CollectingDispatcher()
    events = ActionRememberHsgDate().run(
        dispatcher,
        tracker("my hsg was on 17 november", intent="tell_hsg_date", slots={"triage_state": state}),
        {},
    )
    levels = triage_levels(dispatcher)
    assert levels == ["urgent"]
    assert {"event": "slot", "name": "hsg_date", "value": "2026-11-17", "timestamp": None} in events


def test_a_date_with_no_open_report_is_only_noted(database: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HSG_TODAY", "2026-11-24")
    get_settings.cache_clear()
    dispatcher = CollectingDispatcher()
    events = ActionRememberHsgDate().run(
        dispatcher, tracker("my hsg was on 17 november", intent="tell_hsg_date"), {}
    )
    assert not any((m.get("custom") or {}).get("triage") for m in dispatcher.messages)
    assert {"event": "slot", "name": "hsg_date", "value": "2026-11-17", "timestamp": None} in events


def test_an_hsg_one_has_got_booked_is_ahead(database: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """ "I've got my HSG booked on Thursday": "have got" is having, not the past (it was noted as last
    Thursday, which switched off the before-procedure findings)."""
    monkeypatch.setenv("HSG_TODAY", "2026-11-24")
    get_settings.cache_clear()
    dispatcher = CollectingDispatcher()
    events = ActionRememberHsgDate().run(
        dispatcher, tracker("I've got my HSG booked on Thursday", intent="tell_hsg_date"), {}
    )
    assert {"event": "slot", "name": "hsg_date", "value": "2026-11-26", "timestamp": None} in events


def test_an_hsg_that_is_on_a_day_is_ahead(database: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """ "The HSG is Friday at 9": the present of a day is ahead (it was noted as last Friday)."""
    monkeypatch.setenv("HSG_TODAY", "2026-11-24")
    get_settings.cache_clear()
    dispatcher = CollectingDispatcher()
    events = ActionRememberHsgDate().run(
        dispatcher, tracker("The HSG is Friday at 9, we have plans that night", intent="tell_hsg_date"), {}
    )
    assert {"event": "slot", "name": "hsg_date", "value": "2026-11-27", "timestamp": None} in events


def test_a_report_by_reference_after_a_leaflet_question_is_triaged(
    database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ "How long does the bleeding go on?" answered from the leaflet; "mine started last Wednesday and
    it's still there" next names no symptom, but it reports the one just asked about: triaged, not
    declined as out of scope."""
    from actions.conversation import ActionOutOfScope

    monkeypatch.setenv("HSG_TODAY", "2026-11-24")
    get_settings.cache_clear()
    selector = {
        "faq": {
            "response": {"intent_response_key": "faq/after_normal", "confidence": 0.97},
            "ranking": [{"intent_response_key": "faq/after_normal", "confidence": 0.97}],
        }
    }
    events = ActionAnswerFaq().run(
        CollectingDispatcher(),
        tracker(
            "how many days does the bleeding go on after the test?", intent="faq", response_selector=selector
        ),
        {},
    )
    state = next(e["value"] for e in events if e.get("name") == "triage_state")
    assert state["topic"] == ["bleeding"]
    dispatcher = CollectingDispatcher()
    ActionOutOfScope().run(
        dispatcher,
        tracker(
            "mine started last wednesday and it's still there",
            intent="out_of_scope",
            slots={"triage_state": state},
        ),
        {},
    )
    assert triage_levels(dispatcher) == ["urgent"]
    with get_engine(database).connect() as connection:
        assert connection.execute(sa.text("SELECT count(*) FROM hsg_escalations")).scalar() == 1


def test_an_unrelated_message_after_a_leaflet_question_is_still_declined(database: str) -> None:
    from actions.conversation import ActionOutOfScope

    state = {"topic": ["bleeding"], "facts": {}}
    dispatcher = CollectingDispatcher()
    ActionOutOfScope().run(
        dispatcher,
        tracker("what's the weather like tomorrow", intent="out_of_scope", slots={"triage_state": state}),
        {},
    )
    assert triage_levels(dispatcher) == []
    assert dispatcher.messages


def test_a_start_day_after_a_question_about_spotting_is_the_spotting_not_the_period(
    database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The classifier hears "started last Wednesday" as a period start; after a question about spotting
    it is when the spotting started (seen in the widget: the cycle plan was the reply)."""
    from actions.dates import ActionPlanCycle

    monkeypatch.setenv("HSG_TODAY", "2026-11-24")
    get_settings.cache_clear()
    state = {"topic": ["bleeding"], "facts": {}}
    dispatcher = CollectingDispatcher()
    ActionPlanCycle().run(
        dispatcher,
        tracker(
            "mine began last wednesday and is still going", intent="plan_cycle", slots={"triage_state": state}
        ),
        {},
    )
    assert triage_levels(dispatcher) == ["urgent"]


def test_a_period_start_with_no_symptom_in_question_still_gets_the_cycle_plan(database: str) -> None:
    from actions.dates import ActionPlanCycle

    dispatcher = CollectingDispatcher()
    events = ActionPlanCycle().run(
        dispatcher, tracker("my period started last wednesday", intent="plan_cycle"), {}
    )
    assert triage_levels(dispatcher) == []
    assert any(e.get("name") == "period_start" for e in events)


def test_a_date_said_of_the_hsg_is_never_a_period_start(
    database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The classifier may hear "my hsg was last friday" as a period start: the HSG is named and no period
    is, so the date is the HSG's, and a report after it is counted from that day."""
    from actions.dates import ActionPlanCycle

    monkeypatch.setenv("HSG_TODAY", "2026-11-24")
    get_settings.cache_clear()
    dispatcher = CollectingDispatcher()
    events = ActionPlanCycle().run(dispatcher, tracker("my hsg was last friday", intent="plan_cycle"), {})
    assert {"event": "slot", "name": "hsg_date", "value": "2026-11-20", "timestamp": None} in events
    assert not any(e.get("name") == "period_start" for e in events)


def test_an_hsg_that_went_fine_on_a_weekday_is_in_the_past(
    database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HSG_TODAY", "2026-11-24")
    get_settings.cache_clear()
    events = ActionRememberHsgDate().run(
        CollectingDispatcher(), tracker("the hsg went fine on monday", intent="tell_hsg_date"), {}
    )
    assert {"event": "slot", "name": "hsg_date", "value": "2026-11-23", "timestamp": None} in events


def _topics(topic: str, confidence: float) -> dict[str, Any]:
    """Parse data of both topic models naming `topic` (the selector's and the second opinion's)."""
    return {
        "response_selector": {
            "faq": {
                "response": {"intent_response_key": f"faq/{topic}", "confidence": confidence},
                "ranking": [
                    {"intent_response_key": f"faq/{topic}", "confidence": confidence},
                    {"intent_response_key": "faq/risks", "confidence": 0.02},
                ],
            }
        },
        "topic_check": {
            "ranking": [
                {"name": topic, "confidence": confidence},
                {"name": "out_of_scope", "confidence": 0.03},
            ]
        },
    }


def test_a_question_asked_with_an_ordinary_report_gets_its_leaflet_answer_after_the_advice(
    database: str,
) -> None:
    dispatcher = CollectingDispatcher()
    text = "a bit of clear sticky fluid since the test this morning, is that the dye coming out?"
    ActionTriage().run(dispatcher, tracker(text, intent="report_symptom", **_topics("after_normal", 0.8)), {})
    customs = [m.get("custom") or {} for m in dispatcher.messages]
    assert customs[0].get("triage", {}).get("level") == "self_care"  # the decision first
    assert [c["answer"]["topic"] for c in customs if c.get("answer")] == ["after_normal"]


def test_no_leaflet_answer_after_a_red_flag_or_without_sure_topic_models(database: str) -> None:
    dispatcher = CollectingDispatcher()
    text = "I have a fever of 38.9 since last night, is that from the dye?"
    ActionTriage().run(dispatcher, tracker(text, intent="report_symptom", **_topics("contrast_dye", 0.9)), {})
    assert triage_levels(dispatcher) == ["urgent"]
    assert not any((m.get("custom") or {}).get("answer") for m in dispatcher.messages)
    # Self-care, but the topic models are unsure: the advice alone.
    dispatcher = CollectingDispatcher()
    text = "a bit of clear sticky fluid since the test this morning, is that the dye coming out?"
    ActionTriage().run(
        dispatcher, tracker(text, intent="report_symptom", **_topics("after_normal", 0.12)), {}
    )
    assert triage_levels(dispatcher) == ["self_care"]
    assert not any((m.get("custom") or {}).get("answer") for m in dispatcher.messages)


def test_the_leaflet_answer_comes_before_a_follow_up_question_triage_asks(database: str) -> None:
    dispatcher = CollectingDispatcher()
    text = "may I have a warm bath tonight after the hsg? it is the only thing that eases my cramps"
    events = ActionTriage().run(
        dispatcher, tracker(text, intent="report_symptom", **_topics("after_bath", 0.8)), {}
    )
    customs = [m.get("custom") or {} for m in dispatcher.messages]
    assert customs[0].get("triage", {}).get("level") == "self_care"
    assert customs[1].get("answer", {}).get("topic") == "after_bath"
    asked = any(e.get("name") == "awaiting" and e.get("value") == "triage" for e in events)
    assert asked, "the cramps' follow-up question is still asked"
    assert not customs[-1].get("answer") and dispatcher.messages[-1]["text"]  # the question, last
