"""Leaflet answers: the ResponseSelector picks the topic, bot/content/faq.yml supplies the words.

Only when the selector is sure (bot.answer_policy.decide): otherwise the patient is offered the
closest topics, and a chosen button names its topic directly.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import entity_values, language_of, latest_text, profile_context, utter_answer
from actions.conversation import follow_up
from actions.fallback import decline, offer_topics
from actions.triage import remember_context, run_triage
from actions.triage_followup import (
    answers_pending,
    escalated_in_context,
    pending_ask,
    pending_question,
    read_in_context,
)
from bot.answer_policy import decide, looks_like_question
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
        decision = decide(tracker.latest_message) if topic is None else None
        # The engine's reading of a typed message with what the conversation knows, made once.
        reading = read_in_context(tracker) if decision is not None else None
        if (
            reading is not None
            and pending_ask(tracker)
            and (not looks_like_question(latest_text(tracker)) or answers_pending(tracker, reading))
        ):
            # "mild, the paracetamol helps" after "how bad is the pain?": an answer, not a new question;
            # so is "38.5, is that bad?" after "what is your temperature?" (the engine can use it).
            return follow_up(dispatcher, tracker, "not_understood")
        screen = tracker.latest_message.get("hsg_screen") or {}  # the NLU component's screen
        if screen.get("lang") == lang:
            is_report, level = bool(screen.get("report")), screen.get("level")
        else:
            is_report, level = screen_report(latest_text(tracker), lang)
        disclosure = topic is None and (
            (is_report and is_escalated(level))
            or (reading is not None and escalated_in_context(tracker, reading))
        )
        if decision is not None and decision.kind == "decline":
            # Not a leaflet question we can place: a disclosure is triaged, a pending date or triage
            # question gets the message, otherwise an honest "not understood".
            if disclosure:
                return run_triage(dispatcher, tracker)
            # Named another treatment (answer_policy.names_other_treatment): an honest decline by kind.
            return follow_up(dispatcher, tracker, "out_of_scope" if decision.reason else "not_understood")
        events: list[dict[str, Any]] = []
        if disclosure:
            # A question with a disclosure in it ("I'm on warfarin, should I stop?"): the advice and the
            # escalation first, then the answer to what was asked (or the topics to choose from).
            events = run_triage(dispatcher, tracker)
        if decision is not None and decision.kind == "offer":
            if not events and (pending_ask(tracker) or tracker.get_slot("awaiting")):
                # Unsure of the topic while the assistant is waiting for an answer ("mild, the
                # paracetamol helps"): the message most likely answers that question.
                return follow_up(dispatcher, tracker, "not_understood")
            offer_topics(dispatcher, tracker, decision.topics)
            return events or (remember_context(tracker, reading) if reading is not None else [])
        if decision is not None:
            topic = decision.topics[0]
        answer = render_faq(topic, lang, profile) if topic else None
        if answer is None:
            decline(dispatcher, tracker, "not_understood")
            return events
        utter_answer(dispatcher, answer)
        question = None if events else pending_question(tracker, lang)
        if question:
            dispatcher.utter_message(
                text=render_message("back_to_symptoms", lang, profile, question=question)
            )
        return events or (remember_context(tracker, reading) if reading is not None else [])
