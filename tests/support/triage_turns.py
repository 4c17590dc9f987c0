"""Triage read the way the rule tests need it: one message, or a conversation with the state carried
between turns as the action server carries it (JSON in a slot)."""

from __future__ import annotations

from datetime import datetime

from bot.triage import analyze
from bot.triage.state import TriageState

EVENING = datetime(2026, 11, 24, 20, 0)  # a Tuesday evening


def level(text: str, lang: str = "en", now: datetime = EVENING) -> str | None:
    """The level of one message on its own."""
    return analyze(text, lang, now=now).level


def conversation(turns: list[str], lang: str = "en", now: datetime = EVENING) -> list[str | None]:
    """The conversation's level after each turn."""
    state: TriageState | None = None
    levels = []
    for text in turns:
        outcome = analyze(text, lang, state=state, now=now)
        state = TriageState.from_dict(outcome.state.to_dict())
        levels.append(state.level)
    return levels
