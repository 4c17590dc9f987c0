"""One triage turn of the conversation: what to say and what to escalate, as plain data.

Shared by the Rasa action (`actions/triage.py`) and the channel safety net
(`bot/rasa_server/safety_net.py`), so a red flag gets the same advice whether or not the action
server is up. The order of messages is a
safety rule: emergency and urgent advice first, a follow-up question after it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from bot.triage import TriageOutcome, TriageState, analyze, render_advice, render_question
from bot.triage.check import ASK as CHECK_ASK
from bot.triage.check import not_assessed, option_for, render_check
from bot.vocabulary import ESCALATED_LEVELS, is_escalated

logger = logging.getLogger(__name__)
# Advice that is sent before any follow-up question: everything that reaches a nurse.
ADVICE_FIRST = frozenset(ESCALATED_LEVELS)


def screen(text: str, lang: str) -> tuple[bool, str | None, str]:
    """(is a real report, its level, phase) from the triage extraction; (False, None, ...) if it cannot say.

    Body talk without a decision counts as a report with no level: triage asks the red-flag check.
    """
    try:
        outcome = analyze(text, lang)
    except Exception:  # the classifier's answer stands if the screen fails; never crash NLU
        logger.exception("Symptom screen failed; keeping the classifier's intent")
        return False, None, "unknown"
    if option_for(text) is not None or outcome.ask == CHECK_ASK:
        return True, outcome.level, outcome.phase
    return bool(outcome.is_report and not outcome.is_question), outcome.level, outcome.phase


def screen_report(text: str, lang: str) -> tuple[bool, str | None]:
    """(is a real report, its level): `screen` without the phase."""
    is_report, level, _ = screen(text, lang)
    return is_report, level


@dataclass
class TriageTurn:
    """Messages to send (dicts with `text` and optional `custom`), the state to keep, what to store."""

    messages: list[dict[str, Any]] = field(default_factory=list)
    state: dict[str, Any] | None = None
    level: str | None = None
    reasons: list[str] = field(default_factory=list)
    asked: str | None = None
    is_report: bool = False

    @property
    def escalate(self) -> bool:
        return is_escalated(self.level)


def triage_payload(level: str, reasons: list[str], profile: dict[str, Any]) -> dict[str, Any]:
    """The REST `custom.triage` payload (a public interface, see README) plus the number to call now."""
    payload: dict[str, Any] = {"level": level, "reasons": list(reasons)}
    if level == "emergency":
        payload["call"] = profile["emergency_number"]
    elif level == "urgent":
        payload["call"] = profile["clinic_phone"]
        payload["out_of_hours"] = profile["out_of_hours_phone"]
    return payload


def triage_turn(
    text: str,
    lang: str,
    profile: dict[str, Any],
    *,
    state: dict[str, Any] | None = None,
    hsg_date: date | None = None,
    now: datetime | None = None,
) -> TriageTurn:
    """Analyse one patient message in the context of the pending triage state."""
    outcome = analyze(
        text, lang, state=TriageState.from_dict(state) if state else None, hsg_date=hsg_date, now=now
    )
    turn = TriageTurn(
        state=outcome.state.to_dict(),
        level=outcome.level,
        reasons=list(outcome.reasons),
        asked=outcome.ask,
        is_report=outcome.is_report,
    )
    if outcome.level is None:
        if outcome.ask == CHECK_ASK:
            question, buttons = render_check(lang)
            turn.messages.append({"text": question, "buttons": buttons})
        return turn
    advice = {
        "text": not_assessed(lang, profile) if outcome.failed else render_advice(outcome, lang, profile),
        "custom": {"triage": triage_payload(outcome.level, turn.reasons, profile)},
    }
    # The decision and its advice first (self-care advice already says when to call), then the one
    # question whose answer could still raise the level.
    turn.messages.append(advice)
    if outcome.ask:
        turn.messages.append({"text": render_question(outcome.ask, lang, profile)})
    return turn


def context_of_question(outcome: TriageOutcome, state: dict[str, Any] | None) -> dict[str, Any] | None:
    """The triage state with the phase, HSG date or symptom a leaflet question gave, or None if none.

    "My HSG is this afternoon, can I still come if I'm under the weather?" is answered from the
    leaflet; "38.4 this morning" in the next message is then a fever before the HSG (inform_team),
    not after it (urgent). `outcome` is the engine's reading of the question with `state`; only the
    phase and the date are taken from it: no findings.
    """
    known = TriageState.from_dict(state) if state else TriageState()
    learned = {}
    if outcome.state.phase in ("after", "before") and not known.phase:
        learned["phase"] = outcome.state.phase
    if outcome.state.hsg_date and not known.hsg_date:
        learned["hsg_date"] = outcome.state.hsg_date
    if outcome.state.topic != known.topic:
        # the symptom this question asked about ("how long do the cramps last?"), so "mine started on
        # Monday" next is read as a report of it; a question about something else forgets it
        learned["topic"] = list(outcome.state.topic)
    if not learned:
        return None
    return {**known.to_dict(), **learned}
