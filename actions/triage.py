"""Symptom triage: adapt `bot.triage.turn` to Rasa; escalations go through `bot.storage.reporting`."""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import language_of, latest_text, profile_context, slot_date, utter_answer
from bot.answer_policy import topic_asked_alongside
from bot.config import now as clock_now
from bot.content.render import render_faq, render_message
from bot.storage.reporting import report_escalation
from bot.triage import TriageOutcome, TriageState, render_question
from bot.triage.check import ASK as CHECK_ASK
from bot.triage.check import render_check
from bot.triage.turn import context_of_question, triage_turn
from bot.vocabulary import higher_level

logger = logging.getLogger(__name__)


def previous_user_text(tracker: Tracker) -> str | None:
    """The patient's message before the latest one (the report a follow-up answer belongs to)."""
    seen_latest = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            if seen_latest:
                return event.get("text") or None
            seen_latest = True
    return None


def run_triage(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
    """One triage turn; used for new reports and for answers to a pending question."""
    lang = language_of(tracker)
    profile = profile_context(lang)
    text = latest_text(tracker)
    state = tracker.get_slot("triage_state")
    pending = bool(state and state.get("pending_ask"))
    turn = triage_turn(
        text, lang, profile, state=state, hsg_date=slot_date(tracker, "hsg_date"), now=clock_now()
    )
    if not turn.messages:
        ask = (state or {}).get("pending_ask")
        if ask == CHECK_ASK:  # the red-flag check again, with its buttons
            question, buttons = render_check(lang)
            dispatcher.utter_message(
                text=render_message("ask_again", lang, profile, question=question), buttons=buttons
            )
            return [SlotSet("awaiting", "triage")]
        if ask:  # not an answer we could use: ask the same question again rather than start over
            dispatcher.utter_message(
                text=render_message("ask_again", lang, profile, question=render_question(ask, lang))
            )
            return [SlotSet("awaiting", "triage")]
        known = TriageState.from_dict(turn.state)
        if CHECK_ASK not in known.asked and not known.level:
            # The classifier heard a symptom the rules could not place: the closed red-flag check,
            # never "tell me more" alone (issue 8).
            question, buttons = render_check(lang)
            dispatcher.utter_message(text=question, buttons=buttons)
            known.pending_ask, known.asked = CHECK_ASK, [*known.asked, CHECK_ASK]
            return [SlotSet("triage_state", known.to_dict()), SlotSet("awaiting", "triage")]
        dispatcher.utter_message(text=render_message("describe_symptom", lang, profile))
        return [SlotSet("triage_state", turn.state), SlotSet("awaiting", None)]
    for message in turn.messages:
        dispatcher.utter_message(
            text=message["text"], json_message=message.get("custom"), buttons=message.get("buttons") or []
        )
    events: list[dict[str, Any]] = [
        SlotSet("triage_state", turn.state),
        SlotSet("awaiting", "triage" if turn.asked else None),
    ]
    if turn.level:
        events.append(SlotSet("triage_level", higher_level(tracker.get_slot("triage_level"), turn.level)))
    if turn.escalate:
        words = text
        if pending and (earlier := previous_user_text(tracker)):
            words = f"{earlier[:1000]} | {text}"
        report_escalation(
            tracker.sender_id,
            turn.level,
            turn.reasons,
            words,
            lang,
            tracker.get_latest_input_channel(),
            hsg_date=slot_date(tracker, "hsg_date"),
        )
    return events


def remember_context(tracker: Tracker, reading: TriageOutcome) -> list[dict[str, Any]]:
    """Keep the phase or HSG date a question gave (`reading`: the engine's reading of it in context),
    for the report that may follow it."""
    state = context_of_question(reading, tracker.get_slot("triage_state"))
    return [SlotSet("triage_state", state)] if state else []


class ActionTriage(Action):
    def name(self) -> str:
        return "action_triage"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        already = len(dispatcher.messages)
        events = run_triage(dispatcher, tracker)
        answer_alongside(dispatcher, tracker, dispatcher.messages[already:], events)
        return events


# After these levels, a question asked with the report also gets its leaflet answer; after a red flag
# the advice stands alone, so nothing dilutes it.
_ANSWER_AFTER = frozenset({"inform_team", "self_care"})


def answer_alongside(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    sent: list[dict[str, Any]],
    events: list[dict[str, Any]],
) -> None:
    """The leaflet answer to a question asked in the same message as a report ("I have chlamydia, can I
    still have the HSG?"): after the triage advice, only when triage decided inform_team or self_care,
    and only when the topic models are sure (`answer_policy.topic_asked_alongside`). A follow-up
    question triage asked stays the last message."""
    levels = {
        message["custom"]["triage"].get("level")
        for message in sent
        if isinstance(message.get("custom"), dict) and isinstance(message["custom"].get("triage"), dict)
    }
    asking = any(event.get("name") == "awaiting" and event.get("value") for event in events)
    if not levels or not levels <= _ANSWER_AFTER:
        return
    topic = topic_asked_alongside(tracker.latest_message)
    lang = language_of(tracker)
    answer = render_faq(topic, lang, profile_context(lang)) if topic else None
    if answer is None:
        return
    utter_answer(dispatcher, answer)
    if asking and len(sent) > 1:
        # The follow-up question stays last, where the patient answers it: advice, answer, question.
        messages = dispatcher.messages
        answer_message = messages.pop()
        messages.insert(len(messages) - 1, answer_message)
