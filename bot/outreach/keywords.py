"""What a phone message means before the assistant reads it: STOP/START, or a numbered check-in answer.

STOP, STOPP, UNSUBSCRIBE and "afmelden" opt the number out of check-ins (confirmed once; a second
STOP gets no reply at all); START opts back in. A bare 1–5 sent as the first message after a
check-in is the answer to it, and becomes the words it stands for (CHECKIN_ANSWERS) so triage
reads "I have some bleeding", not "2"; a number sent later, or after she wrote anything else, is
left alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.clinic import get_profile
from bot.content.render import render_message
from bot.phone.addresses import conversation_ids, split_conversation
from bot.storage import checkins
from bot.storage.db import read_session, write_session
from bot.storage.models import utcnow
from bot.storage.transcripts import last_patient_message_at
from bot.vocabulary import language_or_default

STOP_WORDS = frozenset({"stop", "stopp", "unsubscribe", "afmelden"})
START_WORDS = frozenset({"start", "unstop", "aanmelden"})
DUTCH_WORDS = frozenset({"stopp", "afmelden", "aanmelden"})
ANSWER_WINDOW = timedelta(days=3)
_ANSWER = re.compile(r"^\s*([1-5])\s*[.)]?\s*$")
# What each numbered answer of the check-in (messages.yml `checkin_question`) stands for. Never shown
# to a patient: these are the words the assistant and triage read in place of the bare number, in the
# language of her enrolment, so "2" is triaged as bleeding and gets the right follow-up question.
CHECKIN_ANSWERS: dict[str, dict[str, str]] = {
    "1": {"en": "I feel fine", "nl": "Het gaat goed met me"},
    "2": {"en": "I have some bleeding", "nl": "Ik heb bloedverlies"},
    "3": {"en": "I have pain", "nl": "Ik heb pijn"},
    "4": {"en": "I have a fever or feel unwell", "nl": "Ik heb koorts of voel me niet lekker"},
    "5": {"en": "I want to tell you something else", "nl": "Ik wil iets anders vertellen"},
}


@dataclass(frozen=True)
class KeywordReply:
    """A keyword was handled: these texts go back to the patient (none for a repeated STOP)."""

    texts: list[str]


def keyword_of(text: str) -> str | None:
    word = (text or "").strip().strip(".!").strip().lower()
    if word in STOP_WORDS:
        return "stop"
    if word in START_WORDS:
        return "start"
    return None


def handle_keyword(sender: str, text: str, now: datetime | None = None) -> KeywordReply | None:
    """STOP/START from a phone sender, recorded in the database; None when the text is not one."""
    keyword = keyword_of(text)
    address = split_conversation(sender)
    if keyword is None or address is None:
        return None
    _, phone = address
    now = now or utcnow()
    word = text.strip().strip(".!").strip().lower()
    with write_session() as session:
        changed = checkins.set_opted_out(session, phone, keyword == "stop", word, now)
        enrolled = checkins.language_of(session, phone)
    lang = "nl" if word in DUTCH_WORDS else language_or_default(enrolled, get_profile().default_language)
    profile = get_profile().context(lang)
    if keyword == "stop":
        return KeywordReply([render_message("opt_out_confirmed", lang, profile)] if changed else [])
    return KeywordReply([render_message("opt_in_confirmed", lang, profile)])


def checkin_answer(sender: str, text: str) -> str | None:
    """The words a bare 1–5 stands for when it answers the latest check-in; else None."""
    match = _ANSWER.match(text or "")
    address = split_conversation(sender)
    if match is None or address is None:
        return None
    channel, phone = address
    with read_session() as session:
        latest = checkins.latest_sent(session, phone)
    if latest is None or utcnow() - latest[0] > ANSWER_WINDOW:
        return None
    sent_at, language = latest
    last_written = last_patient_message_at(conversation_ids(phone, channel))
    if last_written is not None and last_written > sent_at:
        return None  # she has written since the check-in: the number is about something else
    return CHECKIN_ANSWERS[match.group(1)][language_or_default(language)]
