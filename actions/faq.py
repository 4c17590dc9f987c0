"""Leaflet answers: the ResponseSelector picks the topic, bot/content/faq.yml supplies the words.

Only when the selector is sure (bot.answer_policy.decide): otherwise the patient is offered the
closest topics, and a chosen button names its topic directly.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import entity_values, language_of, latest_text, profile_context
from actions.fallback import decline, offer_topics
from actions.triage import run_triage
from actions.triage_followup import pending_question
from bot.answer_policy import decide
from bot.content.render import faq_keys, render_faq, render_message
from bot.triage.turn import screen_report
from bot.vocabulary import is_escalated


def chosen_topic(tracker: Tracker) -> str | None:
    """The topic named by a "did you mean" button (`/faq{"topic": "booking"}`), if it is one we know."""
    for topic in entity_values(tracker, "topic"):
        if topic in faq_keys():
            return topic
    return None


class ActionAnswerFaq(Action):
    def name(self) -> str:
        return "action_answer_faq"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        lang = language_of(tracker)
        profile = profile_context(lang)
        topic = chosen_topic(tracker)
        if topic is None:
            decision = decide(tracker.latest_message)
            if decision.kind == "offer":
                offer_topics(dispatcher, tracker, decision.topics)
                return []
            if decision.kind != "answer":
                decline(dispatcher, tracker, "not_understood")
                return []
            topic = decision.topics[0]
        answer = render_faq(topic, lang, profile)
        if answer is None:
            decline(dispatcher, tracker, "not_understood")
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
