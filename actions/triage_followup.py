"""The pending triage question, so other answers can come back to it."""

from __future__ import annotations

from typing import Any

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


def pending_question(tracker: Tracker, lang: str, profile: dict[str, Any] | None = None) -> str | None:
    """The pending question; with the profile, followed by when to call whom in the meantime."""
    ask = pending_ask(tracker)
    return render_question(ask, lang, profile) if ask else None
