"""A nurse writes to the patient: on SMS/WhatsApp through Twilio, on the web widget when it next asks.

The message is stored first (so it is in the transcript and the audit log whatever happens next),
then delivered. Writing to a patient means the nurse is dealing with it: a `new` escalation moves to
`in_review` under her name, and while it is there the assistant tells the patient a nurse is
following up (bot.outreach.handover).
"""

from __future__ import annotations

import logging
from typing import Any

from bot.config import get_settings
from bot.outreach.checkins import STATUS_PATH
from bot.phone.addresses import split_conversation, stored_channel, twilio_address
from bot.phone.twilio_send import TwilioSender
from bot.privacy import log_ref
from bot.storage import audit, checkins, inbox, nurse_messages
from bot.storage.db import write_session
from bot.storage.models import Escalation, utcnow
from bot.storage.outreach_models import MAX_NURSE_TEXT

logger = logging.getLogger(__name__)


class ReplyError(ValueError):
    """The message cannot be sent as asked (HTTP 400 / 409; the text says why, for the nurse)."""

    def __init__(self, message: str, code: str, status: int = 400) -> None:
        super().__init__(message)
        self.code = code
        self.status = status


def clean_text(text: Any) -> str:
    if not isinstance(text, str) or not text.strip():
        raise ReplyError("write a message first", "empty")
    text = text.strip()
    if len(text) > MAX_NURSE_TEXT:
        raise ReplyError(f"a message can be at most {MAX_NURSE_TEXT} characters", "too_long")
    return text


def send_nurse_message(
    escalation_id: int, nurse: str, text: Any, how: str, sender: TwilioSender | None = None
) -> dict[str, Any] | None:
    """Store and deliver one nurse message; None when the escalation does not exist."""
    text = clean_text(text)
    with write_session() as session:
        escalation = session.get(Escalation, escalation_id)
        if escalation is None:
            return None
        phone = split_conversation(escalation.conversation_id)
        if phone is None and escalation.channel.startswith("twilio"):
            raise ReplyError("this conversation's phone number is not known", "no_phone", 409)
        if phone is not None and checkins.is_opted_out(session, phone[1]):
            raise ReplyError(
                "the patient has opted out of messages (STOP); please call her", "opted_out", 409
            )
        channel = stored_channel(phone[0]) if phone else nurse_messages.WEB_CHANNEL
        row = nurse_messages.add(session, escalation_id, escalation.conversation_id, channel, nurse, text)
        message_id = row.id
        created_at = row.created_at
        if escalation.status == "new":
            inbox.change_status(session, escalation_id, "in_review", nurse, how=how)
        audit.append(
            session, nurse, "nurse_message", escalation_id, message_id=message_id, channel=channel, how=how
        )
    status = "pending"
    if phone is not None:
        sender = sender or TwilioSender.from_settings(get_settings())
        result = sender.deliver(
            twilio_address(phone[1], phone[0]),
            body=text,
            status_callback=get_settings().public_base_url + STATUS_PATH,
        )
        with write_session() as session:
            nurse_messages.mark_sent(session, message_id, result.sid, result.error)
        status = "sent" if result.accepted else "failed"
        logger.info("nurse message %s to %s: %s", message_id, log_ref(phone[1]), status)
    return {
        "id": message_id,
        "escalation_id": escalation_id,
        "channel": channel,
        "status": status,
        "created_at": created_at.isoformat(timespec="seconds") + "Z",
    }


def record_status(sid: str, status: str, error_code: str | None) -> str:
    """A signed Twilio status callback: update the check-in or nurse message it belongs to."""
    now = utcnow()
    with write_session() as session:
        if checkins.record_status(session, sid, status, error_code, now):
            return "checkin"
        if nurse_messages.record_status(session, sid, status, error_code):
            return "nurse_message"
    return "unknown"
