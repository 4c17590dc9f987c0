"""The check-in schedule and opt-outs in the database: enrol, claim a due check-in, record the result.

A restart loses nothing (the schedule is rows, not timers) and nothing is sent twice: a sender
first moves a row from `due` to `sending` with one conditional UPDATE and goes on only if that
changed exactly one row, whichever process or worker tried at the same moment.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from bot.outreach.plan import LATE_LIMIT, CheckInPlan, due_times, too_late
from bot.phone.addresses import conversation_id
from bot.storage.outreach_models import CheckIn, CheckInSend, OptOut


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat(timespec="seconds") + "Z" if moment else None


def enrol(
    session: Session,
    phone: str,
    channel: str,
    hsg_date: date,
    language: str,
    enrolled_by: str,
    plan: CheckInPlan,
    now: datetime,
) -> CheckIn:
    """A new enrolment with one scheduled row per check-in day; days already too late are skipped."""
    row = CheckIn(
        phone=phone,
        channel=channel,
        conversation_id=conversation_id(phone, channel),
        hsg_date=hsg_date,
        language=language,
        enrolled_by=enrolled_by[:64],
        status="active",
        created_at=now,
    )
    session.add(row)
    session.flush()
    for day, due_at in due_times(hsg_date, plan):
        late = too_late(due_at, now)
        session.add(
            CheckInSend(
                checkin_id=row.id,
                day=day,
                due_at=due_at,
                status="skipped" if late else "due",
                note="too_late" if late else None,
                updated_at=now,
            )
        )
    session.flush()
    return row


def as_dict(session: Session, row: CheckIn) -> dict[str, Any]:
    sends = session.execute(
        sa.select(CheckInSend).where(CheckInSend.checkin_id == row.id).order_by(CheckInSend.due_at)
    ).scalars()
    return {
        "id": row.id,
        "phone": row.phone,
        "channel": row.channel,
        "conversation_id": row.conversation_id,
        "hsg_date": row.hsg_date.isoformat(),
        "language": row.language,
        "status": row.status,
        "enrolled_by": row.enrolled_by,
        "created_at": _iso(row.created_at),
        "opted_out": is_opted_out(session, row.phone),
        "schedule": [
            {
                "id": send.id,
                "day": send.day,
                "due_at": _iso(send.due_at),
                "status": send.status,
                "kind": send.kind,
                "sent_at": _iso(send.sent_at),
                "error_code": send.error_code,
                "note": send.note,
            }
            for send in sends
        ],
    }


def recent(session: Session, limit: int = 100) -> list[dict[str, Any]]:
    rows = session.execute(sa.select(CheckIn).order_by(CheckIn.id.desc()).limit(limit)).scalars().all()
    return [as_dict(session, row) for row in rows]


def skip_late(session: Session, now: datetime) -> int:
    """Mark every still-due check-in that is overdue by more than a day as skipped."""
    return session.execute(
        sa.update(CheckInSend)
        .where(CheckInSend.status == "due", CheckInSend.due_at < now - LATE_LIMIT)
        .values(status="skipped", note="too_late", updated_at=now)
    ).rowcount


def has_late(session: Session, now: datetime) -> bool:
    return (
        session.execute(
            sa.select(CheckInSend.id)
            .where(CheckInSend.status == "due", CheckInSend.due_at < now - LATE_LIMIT)
            .limit(1)
        ).first()
        is not None
    )


def due_ids(session: Session, now: datetime, limit: int = 100) -> list[int]:
    return list(
        session.execute(
            sa.select(CheckInSend.id)
            .join(CheckIn, CheckIn.id == CheckInSend.checkin_id)
            .where(CheckInSend.status == "due", CheckInSend.due_at <= now, CheckIn.status == "active")
            .order_by(CheckInSend.due_at, CheckInSend.id)
            .limit(limit)
        ).scalars()
    )


def next_due_id(session: Session, checkin_id: int) -> int | None:
    """The enrolment's next check-in still to send (whatever its due time: "send the next one now")."""
    return session.execute(
        sa.select(CheckInSend.id)
        .where(CheckInSend.checkin_id == checkin_id, CheckInSend.status == "due")
        .order_by(CheckInSend.due_at, CheckInSend.id)
        .limit(1)
    ).scalar_one_or_none()


def claim(session: Session, send_id: int, worker: str, now: datetime) -> bool:
    """Move one row from `due` to `sending`; True only for the one caller whose UPDATE changed it."""
    changed = session.execute(
        sa.update(CheckInSend)
        .where(CheckInSend.id == send_id, CheckInSend.status == "due")
        .values(status="sending", claimed_by=worker[:64], claimed_at=now, updated_at=now)
    ).rowcount
    return changed == 1


def release_skipped(session: Session, send_id: int, note: str, now: datetime) -> None:
    session.execute(
        sa.update(CheckInSend)
        .where(CheckInSend.id == send_id)
        .values(status="skipped", note=note[:64], updated_at=now)
    )


def finish(
    session: Session, send_id: int, kind: str, sid: str | None, error: str | None, now: datetime
) -> None:
    session.execute(
        sa.update(CheckInSend)
        .where(CheckInSend.id == send_id)
        .values(
            status="failed" if error else "sent",
            kind=kind,
            message_sid=sid,
            error_code=(error or "")[:16] or None,
            note="twilio_refused" if error else None,
            sent_at=None if error else now,
            updated_at=now,
        )
    )


def send_target(session: Session, send_id: int) -> tuple[CheckInSend, CheckIn] | None:
    send = session.get(CheckInSend, send_id)
    if send is None:
        return None
    return send, session.get(CheckIn, send.checkin_id)


def record_status(session: Session, sid: str, status: str, error_code: str | None, now: datetime) -> bool:
    """Twilio's status callback for a check-in; False when the SID is not a check-in's."""
    send = session.execute(sa.select(CheckInSend).where(CheckInSend.message_sid == sid)).scalar_one_or_none()
    if send is None:
        return False
    if status in ("delivered", "read"):
        send.status = "delivered"
    elif status in ("failed", "undelivered"):
        send.status, send.error_code, send.note = "failed", (error_code or status)[:16], status
    send.updated_at = now
    return True


def failed_recent(session: Session, since: datetime) -> int:
    """How many check-ins failed since `since` (the inbox shows it, so nobody misses one)."""
    return session.execute(
        sa.select(sa.func.count(CheckInSend.id)).where(
            CheckInSend.status == "failed", CheckInSend.updated_at >= since
        )
    ).scalar_one()


def latest_sent(session: Session, phone: str) -> tuple[datetime, str] | None:
    """(when, language) of the latest check-in Twilio accepted for this phone, if any."""
    row = session.execute(
        sa.select(CheckInSend.sent_at, CheckIn.language)
        .join(CheckIn, CheckIn.id == CheckInSend.checkin_id)
        .where(CheckIn.phone == phone, CheckInSend.sent_at.is_not(None))
        .order_by(CheckInSend.sent_at.desc())
        .limit(1)
    ).first()
    return (row[0], row[1]) if row else None


def language_of(session: Session, phone: str) -> str | None:
    """The language of this phone's latest enrolment, if she is enrolled."""
    return session.execute(
        sa.select(CheckIn.language).where(CheckIn.phone == phone).order_by(CheckIn.id.desc()).limit(1)
    ).scalar_one_or_none()


# --- opt-outs -------------------------------------------------------------------------------------


def is_opted_out(session: Session, phone: str) -> bool:
    row = session.get(OptOut, phone)
    return bool(row and row.opted_out)


def set_opted_out(session: Session, phone: str, opted_out: bool, keyword: str, now: datetime) -> bool:
    """Record STOP (True) or START (False) for a number; True when that changed its state."""
    row = session.get(OptOut, phone, with_for_update=True)
    if row is None:
        if not opted_out:
            return False
        session.add(OptOut(phone=phone, opted_out=True, keyword=keyword[:16], changed_at=now))
        return True
    if row.opted_out == opted_out:
        return False
    row.opted_out, row.keyword, row.changed_at = opted_out, keyword[:16], now
    return True
