"""Enrol patients for check-ins and send them: claimed in the database, sent through Twilio.

No Rasa here: the web app's background task calls `run_due` and the API calls `send_next`; both
can run in any number of processes at once, because a check-in is only sent by the caller that
claimed its row (bot.storage.checkins.claim). The patient's answer comes back through the normal
Twilio channel and is triaged like any message (bot.outreach.keywords maps a bare number first).
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from bot.clinic import get_profile
from bot.config import get_settings
from bot.content.render import render_message, render_template
from bot.outreach.plan import CheckInPlan, days_since, plan_from_profile
from bot.phone.addresses import PHONE_CHANNELS, WHATSAPP, conversation_ids, normalise_phone, twilio_address
from bot.phone.twilio_send import TwilioSender
from bot.privacy import log_ref
from bot.storage import audit, checkins
from bot.storage.db import read_session, write_session
from bot.storage.models import utcnow
from bot.storage.transcripts import last_patient_message_at
from bot.vocabulary import LANGUAGES

logger = logging.getLogger(__name__)

WHATSAPP_WINDOW = timedelta(hours=24)
STATUS_PATH = "/webhooks/twilio/status"
Clock = Callable[[], datetime]


class EnrolmentError(ValueError):
    """The enrolment request is not valid (the message says which field; `code` names it for pages)."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class SendOutcome:
    sent: bool
    reason: str  # sent | failed | opted_out | nothing_due | taken | not_found | cancelled
    send_id: int | None = None
    kind: str | None = None  # text | template

    def as_dict(self) -> dict[str, Any]:
        return {"sent": self.sent, "reason": self.reason, "send_id": self.send_id, "kind": self.kind}


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def current_plan() -> CheckInPlan:
    return plan_from_profile(get_profile().raw)


def parse_enrolment(body: dict[str, Any]) -> tuple[str, str, date, str]:
    """(phone, channel, hsg_date, language) from an API or form body; EnrolmentError if invalid."""
    phone = normalise_phone(str(body.get("phone") or ""))
    if phone is None:
        raise EnrolmentError("phone must be an international number such as +31612345678", "phone")
    channel = str(body.get("channel") or "")
    if channel not in PHONE_CHANNELS:
        raise EnrolmentError("channel must be sms or whatsapp", "channel")
    try:
        hsg_date = date.fromisoformat(str(body.get("hsg_date") or ""))
    except ValueError:
        raise EnrolmentError("hsg_date must be a date as YYYY-MM-DD", "hsg_date") from None
    language = str(body.get("language") or get_profile().default_language)
    if language not in LANGUAGES:
        raise EnrolmentError("language must be en or nl", "language")
    return phone, channel, hsg_date, language


def enrol(body: dict[str, Any], actor: str, now: datetime | None = None) -> dict[str, Any]:
    """Enrol from a request body (validated); audited. Returns the enrolment with its schedule."""
    phone, channel, hsg_date, language = parse_enrolment(body)
    now = now or utcnow()
    if abs((hsg_date - now.date()).days) > 60:
        raise EnrolmentError("hsg_date must be within 60 days of today", "hsg_date_range")
    with write_session() as session:
        row = checkins.enrol(session, phone, channel, hsg_date, language, actor, current_plan(), now)
        audit.append(session, actor, "checkin_enrol", None, checkin_id=row.id, channel=channel)
        return checkins.as_dict(session, row)


def get(checkin_id: int) -> dict[str, Any] | None:
    with read_session() as session:
        row = session.get(checkins.CheckIn, checkin_id)
        return checkins.as_dict(session, row) if row is not None else None


def message_for(
    phone: str, channel: str, language: str, day: int, plan: CheckInPlan, now: datetime
) -> tuple[str, dict[str, Any]]:
    """("text", Twilio fields) or ("template", fields): WhatsApp outside the patient's 24-hour window
    needs an approved template; SMS and WhatsApp inside the window get the free text."""
    profile = get_profile().context(language)
    if channel == WHATSAPP:
        last = last_patient_message_at(conversation_ids(phone, channel))
        if last is None or now - last > WHATSAPP_WINDOW:
            sid = plan.template_sids.get(language) or plan.template_sids.get("en")
            if sid:
                values = {**profile, "day": day, "lang": language}
                variables = {
                    key: render_template(value, values) for key, value in plan.template_variables.items()
                }
                return "template", {"content_sid": sid, "content_variables": variables}
            logger.warning("no WhatsApp check-in template configured; sending free text outside the window")
    return "text", {"body": render_message("checkin_question", language, profile, day=day)}


def _send_claimed(send_id: int, sender: TwilioSender, now: datetime) -> SendOutcome:
    """Send a row this caller has claimed; record sent or failed."""
    settings = get_settings()
    with read_session() as session:
        target = checkins.send_target(session, send_id)
        assert target is not None
        send, checkin = target
        day, phone, channel, language = send.day, checkin.phone, checkin.channel, checkin.language
        hsg_date = checkin.hsg_date
    plan = current_plan()
    kind, fields = message_for(phone, channel, language, days_since(hsg_date, now, plan), plan, now)
    result = sender.deliver(
        twilio_address(phone, channel), status_callback=settings.public_base_url + STATUS_PATH, **fields
    )
    with write_session() as session:
        checkins.finish(session, send_id, kind, result.sid, result.error, utcnow())
    logger.info(
        "check-in %s (day %s, %s) to %s: %s", send_id, day, kind, log_ref(phone), result.error or "accepted"
    )
    return SendOutcome(result.accepted, "sent" if result.accepted else "failed", send_id, kind)


def _claim_or_skip(send_id: int, worker: str, now: datetime) -> str:
    """ "claimed", "taken" (another worker has it) or "opted_out" (skipped: the patient said STOP)."""
    with write_session() as session:
        target = checkins.send_target(session, send_id)
        if target is None:
            return "taken"
        _, checkin = target
        if not checkins.claim(session, send_id, worker, now):
            return "taken"
        if checkins.is_opted_out(session, checkin.phone):
            checkins.release_skipped(session, send_id, "opted_out", now)
            return "opted_out"
        if checkin.status != "active":
            checkins.release_skipped(session, send_id, "cancelled", now)
            return "cancelled"
    return "claimed"


def send_next(
    checkin_id: int, actor: str, sender: TwilioSender | None = None, now: datetime | None = None
) -> SendOutcome:
    """Send the enrolment's next check-in now (the API). Nothing is sent after an opt-out."""
    sender = sender or TwilioSender.from_settings(get_settings())
    now = now or utcnow()
    with write_session() as session:
        checkin = session.get(checkins.CheckIn, checkin_id)
        if checkin is None:
            return SendOutcome(False, "not_found")
        audit.append(session, actor, "checkin_send_now", None, checkin_id=checkin_id)
        if checkins.is_opted_out(session, checkin.phone):
            return SendOutcome(False, "opted_out")
        send_id = checkins.next_due_id(session, checkin_id)
    if send_id is None:
        return SendOutcome(False, "nothing_due")
    claimed = _claim_or_skip(send_id, actor, now)
    if claimed != "claimed":
        return SendOutcome(False, claimed, send_id)
    return _send_claimed(send_id, sender, now)


def run_due(
    now: datetime | None = None, sender: TwilioSender | None = None, worker: str = ""
) -> list[SendOutcome]:
    """One pass of the scheduler: skip what is too late, send what is due and not taken by another."""
    sender = sender or TwilioSender.from_settings(get_settings())
    now = now or utcnow()
    worker = worker or worker_name()
    with read_session() as session:  # most passes find nothing: they write nothing either
        ids = checkins.due_ids(session, now)
        late = checkins.has_late(session, now)
    if late:
        with write_session() as session:
            checkins.skip_late(session, now)
            ids = checkins.due_ids(session, now)
    outcomes = []
    for send_id in ids:
        claimed = _claim_or_skip(send_id, worker, now)
        if claimed == "claimed":
            outcomes.append(_send_claimed(send_id, sender, now))
        elif claimed != "taken":
            outcomes.append(SendOutcome(False, claimed, send_id))
    return outcomes
