"""The pending triage question, so other answers can come back to it."""

from __future__ import annotations

from rasa_sdk import Tracker

from bot.triage import TriageState, render_question
from bot.triage.check import ASK as CHECK_ASK
from bot.triage.check import render_check


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
    if ask == CHECK_ASK:
        return render_check(lang)[0]
    return render_question(ask, lang) if ask else None
