"""Nurse messages to patients: stored with the escalation, read into the transcript, fetched by the widget.

A web-chat message waits as `pending` until the patient's own widget fetches it (by its conversation
id, a random 128-bit value only her browser holds); a phone message is `sent` once Twilio accepted
it and follows Twilio's status callbacks after that.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from bot.storage.models import utcnow
from bot.storage.outreach_models import MAX_NURSE_TEXT, NurseMessage

MAX_FETCH = 20
WEB_CHANNEL = "rest"  # what the widget fetches; phone messages go through Twilio, never to a widget


def add(
    session: Session,
    escalation_id: int,
    conversation_id: str,
    channel: str,
    nurse: str,
    text: str,
    status: str = "pending",
) -> NurseMessage:
    row = NurseMessage(
        escalation_id=escalation_id,
        conversation_id=conversation_id,
        channel=channel[:32],
        nurse=nurse[:64],
        text=text[:MAX_NURSE_TEXT],
        status=status,
        created_at=utcnow(),
    )
    session.add(row)
    session.flush()
    return row


def mark_sent(session: Session, message_id: int, sid: str | None, error: str | None) -> None:
    row = session.get(NurseMessage, message_id)
    if row is not None:
        row.status = "failed" if error else "sent"
        row.message_sid = sid
        row.error_code = (error or "")[:16] or None


def for_conversations(session: Session, conversation_ids: tuple[str, ...] | list[str]) -> list[NurseMessage]:
    """Every nurse message of a conversation, oldest first (for the transcript)."""
    return list(
        session.execute(
            sa.select(NurseMessage)
            .where(NurseMessage.conversation_id.in_(list(conversation_ids)))
            .order_by(NurseMessage.created_at, NurseMessage.id)
        ).scalars()
    )


def take_pending(session: Session, conversation_id: str) -> list[dict[str, Any]]:
    """The web-chat messages waiting for this conversation, marked delivered as they are handed out.

    Claimed row by row with `UPDATE … WHERE status = 'pending'`, so two tabs polling at once never
    both get the same message.
    """
    rows = session.execute(
        sa.select(NurseMessage.id, NurseMessage.text, NurseMessage.created_at)
        .where(
            NurseMessage.conversation_id == conversation_id,
            NurseMessage.channel == WEB_CHANNEL,
            NurseMessage.status == "pending",
        )
        .order_by(NurseMessage.id)
        .limit(MAX_FETCH)
    ).all()
    taken: list[dict[str, Any]] = []
    now = utcnow()
    for message_id, text, created_at in rows:
        claimed = session.execute(
            sa.update(NurseMessage)
            .where(NurseMessage.id == message_id, NurseMessage.status == "pending")
            .values(status="delivered", delivered_at=now)
        ).rowcount
        if claimed == 1:
            taken.append(
                {"id": message_id, "text": text, "at": created_at.isoformat(timespec="seconds") + "Z"}
            )
    return taken


def record_status(session: Session, sid: str, status: str, error_code: str | None) -> bool:
    """Twilio's status callback for a nurse message; False when the SID is not one of ours."""
    row = session.execute(sa.select(NurseMessage).where(NurseMessage.message_sid == sid)).scalar_one_or_none()
    if row is None:
        return False
    if status == "delivered" or status == "read":
        row.status, row.delivered_at = "delivered", utcnow()
    elif status in ("failed", "undelivered"):
        row.status, row.error_code = "failed", (error_code or status)[:16]
    return True
