"""Retention: what is older than the clinic's `retention_days` is deleted, so data is not kept forever.

Deleted: conversations (Rasa's `events`) whose last message is older than the limit, resolved
escalations (with their reports and nurse messages) last changed before it, check-in enrolments
(with their schedule) made before it, on-call alert records, queued and set-aside outbox files, and the
small bookkeeping tables (ended nurse sessions, sign-in failures, Twilio message ids). Kept: an
escalation nobody has resolved, and its conversation, however old (a nurse still has to act on
it; the count is reported), and the audit log, which records who did what and when but holds no
patient text or free-text note.
"""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa

from bot.storage.db import write_session
from bot.storage.models import (
    Escalation,
    EscalationReport,
    NurseSession,
    SignInFailure,
    TwilioMessageSeen,
    utcnow,
)
from bot.storage.outbox import outbox_dir
from bot.storage.outreach_models import Alert, CheckIn, CheckInSend, NurseMessage
from bot.storage.transcripts import EVENTS

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RetentionResult:
    conversations: int
    escalations: int
    files: int
    open_kept: int  # unresolved escalations older than the limit, kept for the nurses


def apply_retention(
    days: int, database_url: str | None = None, now: datetime | None = None
) -> RetentionResult:
    """Delete what is older than `days` days (see the module's docstring); returns what was done."""
    if days < 1:
        raise ValueError("retention must be at least one day")
    now = now or utcnow()
    cutoff = now - timedelta(days=days)
    with write_session(database_url) as session:
        old = sa.and_(Escalation.status == "resolved", Escalation.updated_at < cutoff)
        old_ids = sa.select(Escalation.id).where(old)
        unsynced = {"synchronize_session": False}
        session.execute(
            sa.delete(EscalationReport).where(EscalationReport.escalation_id.in_(old_ids)),
            execution_options=unsynced,
        )
        session.execute(
            sa.delete(NurseMessage).where(NurseMessage.escalation_id.in_(old_ids)),
            execution_options=unsynced,
        )
        escalations = (
            session.execute(sa.delete(Escalation).where(old), execution_options=unsynced).rowcount or 0
        )
        old_checkins = sa.select(CheckIn.id).where(CheckIn.created_at < cutoff)
        session.execute(
            sa.delete(CheckInSend).where(CheckInSend.checkin_id.in_(old_checkins)),
            execution_options=unsynced,
        )
        session.execute(sa.delete(CheckIn).where(CheckIn.created_at < cutoff), execution_options=unsynced)
        session.execute(sa.delete(Alert).where(Alert.created_at < cutoff))
        open_kept = session.execute(
            sa.select(sa.func.count(Escalation.id)).where(
                Escalation.status != "resolved", Escalation.created_at < cutoff
            )
        ).scalar_one()
        session.execute(sa.delete(NurseSession).where(NurseSession.last_seen_at < cutoff))
        session.execute(sa.delete(SignInFailure).where(SignInFailure.updated_at < cutoff))
        session.execute(sa.delete(TwilioMessageSeen).where(TwilioMessageSeen.seen_at < cutoff))
        conversations = 0
        if sa.inspect(session.connection()).has_table("events"):
            stamp = cutoff.replace(tzinfo=timezone.utc).timestamp()
            stale = (
                sa.select(EVENTS.c.sender_id)
                .group_by(EVENTS.c.sender_id)
                .having(sa.func.max(EVENTS.c.timestamp) < stamp)
            )
            still_open = sa.select(Escalation.conversation_id).where(Escalation.status != "resolved")
            senders = [
                row[0] for row in session.execute(stale.where(EVENTS.c.sender_id.not_in(still_open))).all()
            ]
            for start in range(0, len(senders), 500):
                chunk = senders[start : start + 500]
                session.execute(sa.delete(EVENTS).where(EVENTS.c.sender_id.in_(chunk)))
            conversations = len(senders)
    files = _delete_old_files(cutoff)
    result = RetentionResult(conversations, escalations, files, open_kept)
    logger.info(
        "retention (%d days): %d conversations, %d escalations, %d queued files deleted; "
        "%d unresolved older escalations kept",
        days,
        conversations,
        escalations,
        files,
        open_kept,
    )
    return result


def _delete_old_files(cutoff: datetime) -> int:
    folder = outbox_dir()
    if not folder.is_dir():
        return 0
    limit = cutoff.replace(tzinfo=timezone.utc).timestamp()
    deleted = 0
    for path in list(folder.glob("*.json")) + list(folder.glob("*.bad")):
        with contextlib.suppress(OSError):
            if path.is_file() and path.stat().st_mtime < limit:
                path.unlink()
                deleted += 1
    return deleted
