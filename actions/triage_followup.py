"""The pending triage question, so other answers can come back to it."""

from __future__ import annotations

from rasa_sdk import Tracker

from bot.triage import TriageState, render_question


def pending_ask(tracker: Tracker) -> str | None:
    state = tracker.get_slot("triage_state")
    if not state:
        return None
    try:
        return TriageState.from_dict(state).pending_ask
    except Exception:  # a state from an older version must not break the conversation
        return None


def pending_question(tracker: Tracker, lang: str) -> str | None:
    ask = pending_ask(tracker)
    return render_question(ask, lang) if ask else None
