"""Leaflet answers: the ResponseSelector picks the topic, bot/content/faq.yml supplies the words."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import language_of, latest_text, profile_context
from actions.triage import run_triage
from actions.triage_followup import pending_question
from bot.content.render import render_faq, render_message
from bot.triage.turn import screen_report
from bot.vocabulary import is_escalated


def selected_topic(tracker: Tracker) -> str | None:
    """`timing_cycle` from the response selector's `faq/timing_cycle`."""
    selector = tracker.latest_message.get("response_selector", {})
    prediction = selector.get("faq", {}).get("response", {})
    key = prediction.get("intent_response_key") or ""
    return key.split("/", 1)[1] if "/" in key else None


class ActionAnswerFaq(Action):
    def name(self) -> str:
        return "action_answer_faq"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        lang = language_of(tracker)
        profile = profile_context(lang)
        topic = selected_topic(tracker)
        answer = render_faq(topic, lang, profile) if topic else None
        if answer is None:
            dispatcher.utter_message(text=render_message("not_understood", lang, profile))
            return []
        events: list[dict[str, Any]] = []
        is_report, level = screen_report(latest_text(tracker), lang)
        if is_report and is_escalated(level):
            # A question with a disclosure in it ("I'm on warfarin, should I stop?"): the advice and the
            # escalation first, then the answer to what was asked.
            events = run_triage(dispatcher, tracker)
        dispatcher.utter_message(
            text=answer.text, json_message={"answer": {"topic": answer.key, "sources": answer.sources}}
        )
        question = None if events else pending_question(tracker, lang)
        if question:
            dispatcher.utter_message(
                text=render_message("back_to_symptoms", lang, profile, question=question)
            )
        return events
