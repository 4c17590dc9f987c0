"""The pending triage question, so other answers can come back to it."""

from __future__ import annotations

from rasa_sdk import Tracker

from actions.common import language_of, latest_text, slot_date
from bot.config import now as clock_now
from bot.triage import TriageOutcome, TriageState, analyze, render_question
from bot.triage.check import ASK as CHECK_ASK
from bot.triage.check import render_check
from bot.vocabulary import is_escalated


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


def asked_topic(tracker: Tracker) -> list[str]:
    """The symptoms the patient's last leaflet question asked about (the triage state's `topic`)."""
    state = tracker.get_slot("triage_state")
    return TriageState.from_dict(state).topic if state else []


def reports_on_asked_topic(tracker: Tracker) -> bool:
    """The message names no symptom but reports the one just asked about or reported ("mine started
    last Wednesday and it's still there" after "how long does spotting last?"): triage's to answer."""
    return bool(asked_topic(tracker)) and read_in_context(tracker).is_report


def reports_not_a_period(tracker: Tracker) -> bool:
    """The message the classifier took for a period start is a report for triage: of the symptom just
    asked about (`reports_on_asked_topic`), or of any symptom once the HSG is behind her (by this
    message or an earlier one). The engine reads the message once for both."""
    reading = read_in_context(tracker)
    return reading.is_report and (bool(asked_topic(tracker)) or reading.phase == "after")


def read_in_context(tracker: Tracker) -> TriageOutcome:
    """The engine's reading of the latest message with what the conversation already told it (the
    triage state and the HSG date). `analyze` never raises: a failure reads as "not assessed"."""
    state = tracker.get_slot("triage_state")
    return analyze(
        latest_text(tracker),
        language_of(tracker),
        state=TriageState.from_dict(state) if state else None,
        hsg_date=slot_date(tracker, "hsg_date"),
        now=clock_now(),
    )


def answers_pending(tracker: Tracker, reading: TriageOutcome) -> bool:
    """True when the engine can use the latest message (`reading`) as the answer to its pending question.

    "38.5, is that bad?" after "what is your temperature?" looks like a question, and the topic models
    may call it a leaflet question; the engine is the judge of whether it answers what it asked.
    """
    return bool(pending_ask(tracker)) and reading.is_report


def escalated_in_context(tracker: Tracker, reading: TriageOutcome) -> bool:
    """True when the message, read with the conversation's triage state (HSG date, phase, findings so
    far), reports something a nurse must see. The NLU screen reads a message alone: "is it normal to
    still bleed?" only becomes "bleeding for five days" with the HSG date given two messages earlier."""
    if not tracker.get_slot("triage_state") and not tracker.get_slot("hsg_date"):
        return False  # nothing known beyond this message: the NLU screen has already read it alone
    return reading.is_report and is_escalated(reading.level)
