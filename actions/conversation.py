"""Honest limits and follow-ups: who the assistant is, what it cannot do, and short answers."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import entity_values, language_of, latest_text, profile_context
from actions.dates import hsg_date_from_text, plan_from_text
from actions.fallback import decline, offer_topics, out_of_scope_kind
from actions.triage import run_triage
from actions.triage_followup import pending_ask, reports_on_asked_topic
from bot.answer_policy import decide
from bot.config import today as clock_today
from bot.content.render import render_message
from bot.dates import parse_date


def follow_up(dispatcher: CollectingDispatcher, tracker: Tracker, otherwise: str) -> list[dict[str, Any]]:
    """Route a message the classifier could not place to the question the assistant just asked.

    A patient who answers "since Monday" or "al 3 dagen" gets that answer used, whatever intent the
    classifier gave it; only when nothing is pending does the assistant say it did not understand.
    """
    today = clock_today()
    awaiting = tracker.get_slot("awaiting")
    text = latest_text(tracker)
    if awaiting == "period_start" and parse_date(text, today, prefer="past"):
        return plan_from_text(dispatcher, tracker, today)
    if awaiting == "hsg_date" and parse_date(text, today, prefer="nearest"):
        return hsg_date_from_text(dispatcher, tracker, today)
    if pending_ask(tracker):
        return run_triage(dispatcher, tracker)
    if reports_on_asked_topic(tracker):
        # "mine started on Monday and they're still there" after "how long do the cramps last?"
        return run_triage(dispatcher, tracker)
    if entity_values(tracker, "other_language"):
        decline(dispatcher, tracker, "other_language")
        return []
    if otherwise == "not_understood":
        # Unsure of the intent: when a leaflet question is likely, offer the closest topics.
        decision = decide(tracker.latest_message)
        if decision.kind == "offer":
            offer_topics(dispatcher, tracker, decision.topics)
            return []
        if decision.kind == "decline" and decision.reason:
            # Out of scope by a rule or by the second opinion: the honest reply for its kind.
            decline(dispatcher, tracker, out_of_scope_kind(tracker))
            return []
        decline(dispatcher, tracker, "not_understood")
        return []
    if otherwise == "out_of_scope":
        decline(dispatcher, tracker, out_of_scope_kind(tracker))
        return []
    lang = language_of(tracker)
    dispatcher.utter_message(text=render_message(otherwise, lang, profile_context(lang)))
    return []


class ActionFollowup(Action):
    def name(self) -> str:
        return "action_followup"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        return follow_up(dispatcher, tracker, "not_understood")


class ActionOutOfScope(Action):
    def name(self) -> str:
        return "action_out_of_scope"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        return follow_up(dispatcher, tracker, "out_of_scope")


class ActionAcknowledge(Action):
    """Yes/no: an answer to the pending triage question if there is one, else "anything else?"."""

    def name(self) -> str:
        return "action_acknowledge"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        return follow_up(dispatcher, tracker, "anything_else")


class ActionBotChallenge(Action):
    def name(self) -> str:
        return "action_bot_challenge"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        lang = language_of(tracker)
        # Machine-readable like every other reply kind: an honest "I am an automated assistant".
        dispatcher.utter_message(
            text=render_message("bot_challenge", lang, profile_context(lang)),
            json_message={"chitchat": {"kind": "bot_challenge"}},
        )
        return []
