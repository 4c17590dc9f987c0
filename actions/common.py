"""What every action needs from a tracker: the patient's language, the profile, the message text."""

from __future__ import annotations

from datetime import date
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.clinic import get_profile
from bot.config import get_settings
from bot.content.render import Answer
from bot.vocabulary import LANGUAGES


def language_of(tracker: Tracker) -> str:
    """The conversation's language: the slot set by the NLU analyzer, else the clinic's default."""
    lang = tracker.get_slot("language")
    return lang if lang in LANGUAGES else get_profile().default_language


def profile_context(lang: str) -> dict[str, Any]:
    return get_profile().context(lang)


def latest_text(tracker: Tracker) -> str:
    """The patient's last message, bounded: nothing downstream ever sees more than the limit."""
    text = tracker.latest_message.get("text") or ""
    return text[: get_settings().max_message_chars]


def slot_date(tracker: Tracker, name: str) -> date | None:
    value = tracker.get_slot(name)
    if not value:
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def entity_values(tracker: Tracker, name: str) -> list[str]:
    return [
        str(e.get("value")) for e in tracker.latest_message.get("entities", []) if e.get("entity") == name
    ]


def utter_answer(dispatcher: CollectingDispatcher, answer: Answer) -> None:
    """A leaflet answer with its REST payload: `custom.answer` names the topic and its sources (a public
    interface the widget and the evaluation read)."""
    dispatcher.utter_message(
        text=answer.text, json_message={"answer": {"topic": answer.key, "sources": answer.sources}}
    )
