"""The two answers that are not a leaflet answer: a "did you mean" offer and an honest decline.

Both carry a machine-readable marker in `custom` (`offer.topics`, `decline.kind`) so channels, tests
and tools/nlu_rest_eval.py can tell them apart from an answer without reading the text.
"""

from __future__ import annotations

import json
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import language_of, latest_text, profile_context
from bot.answer_policy import decline_kind
from bot.content.render import render_faq, render_message

SOMETHING_ELSE_PAYLOAD = "/something_else"

# Which message each decline kind sends (bot/content/messages.yml).
DECLINE_MESSAGES = {
    "unrelated": "out_of_scope",
    "treatment": "decline_treatment",
    "results": "decline_results",
    "admin": "decline_admin",
    "not_understood": "not_understood",
    "other_language": "other_language",
    "something_else": "something_else",
}


def topic_payload(topic: str) -> str:
    """A button payload that names the topic, so choosing it never goes through the classifier."""
    return "/faq" + json.dumps({"topic": topic}, separators=(",", ":"))


def offer_topics(dispatcher: CollectingDispatcher, tracker: Tracker, topics: tuple[str, ...]) -> None:
    """ "Did you mean": the closest topics as buttons (numbered choices on SMS) plus "something else"."""
    lang = language_of(tracker)
    profile = profile_context(lang)
    buttons = []
    offered = []
    for topic in topics:
        answer = render_faq(topic, lang, profile)
        if answer is None:
            continue
        offered.append(topic)
        buttons.append({"title": answer.title, "payload": topic_payload(topic)})
    buttons.append(
        {"title": render_message("offer_something_else", lang, profile), "payload": SOMETHING_ELSE_PAYLOAD}
    )
    dispatcher.utter_message(
        text=render_message("offer_topics", lang, profile),
        buttons=buttons,
        json_message={"offer": {"topics": offered}},
    )


def decline(dispatcher: CollectingDispatcher, tracker: Tracker, kind: str) -> None:
    """An honest "not something I can answer" of the given kind, never a leaflet answer."""
    lang = language_of(tracker)
    message = DECLINE_MESSAGES.get(kind, "out_of_scope")
    dispatcher.utter_message(
        text=render_message(message, lang, profile_context(lang)),
        json_message={"decline": {"kind": kind}},
    )


def out_of_scope_kind(tracker: Tracker) -> str:
    return decline_kind(latest_text(tracker))


class ActionSomethingElse(Action):
    """After "something else": say plainly that this needs a person, with the numbers to call."""

    def name(self) -> str:
        return "action_something_else"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        decline(dispatcher, tracker, "something_else")
        return []
