"""What the nurse inbox and the API read and change: filtered lists, one escalation, status changes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from bot.privacy import display_sender
from bot.storage import audit
from bot.storage.models import (
    LEVELS,
    MAX_NOTE,
    OUTCOMES,
    STATUSES,
    Escalation,
    EscalationReport,
    utcnow,
)
from bot.vocabulary import CHANNELS as VOCABULARY_CHANNELS

STATUS_FILTERS = ("open", "all", *STATUSES)
CHANNELS = VOCABULARY_CHANNELS
MAX_PER_PAGE = 200
TRANSITIONS = {"new": {"in_review", "resolved"}, "in_review": {"in_review", "resolved"}, "resolved": set()}


@dataclass(frozen=True)
class Filters:
    level: str = ""
    status: str = "open"
    channel: str = ""
    day: date | None = None

    @classmethod
    def parse(cls, params: Any, default_status: str = "open") -> Filters:
        """From query parameters; anything unknown is ignored rather than refused."""
        level = params.get("level", "")
        status = params.get("status", default_status)
        channel = params.get("channel", "")
        try:
            day = date.fromisoformat(params.get("date", "")) if params.get("date") else None
        except ValueError:
            day = None
        return cls(
            level=level if level in LEVELS else "",
            status=status if status in STATUS_FILTERS else default_status,
            channel=channel[:32] if channel else "",
            day=day,
        )

    def as_query(self) -> dict[str, str]:
        query = {"level": self.level, "status": self.status, "channel": self.channel}
        query["date"] = self.day.isoformat() if self.day else ""
        return {key: value for key, value in query.items() if value}


def _where(filters: Filters, with_level: bool = True) -> list[Any]:
    clauses: list[Any] = []
    if with_level and filters.level:
        clauses.append(Escalation.level == filters.level)
    if filters.status == "open":
        clauses.append(Escalation.status != "resolved")
    elif filters.status != "all":
        clauses.append(Escalation.status == filters.status)
    if filters.channel:
        clauses.append(Escalation.channel == filters.channel)
    if filters.day:
        start = datetime.combine(filters.day, datetime.min.time())
        clauses.append(Escalation.created_at >= start)
        clauses.append(Escalation.created_at < start + timedelta(days=1))
    return clauses


def list_escalations(
    session: Session, filters: Filters, order: str = "triage", page: int = 1, per_page: int = 50
) -> tuple[list[dict[str, Any]], int]:
    """One page of escalations and the total. `triage`: most urgent level first, then waiting longest;
    `newest`: newest first (the API)."""
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    page = max(1, page)
    where = _where(filters)
    if order == "newest":
        ordering = [Escalation.created_at.desc(), Escalation.id.desc()]
    else:
        ordering = [Escalation.level_rank, Escalation.created_at, Escalation.id]
    rows = session.execute(
        sa.select(Escalation).where(*where).order_by(*ordering).offset((page - 1) * per_page).limit(per_page)
    ).scalars()
    total = session.execute(sa.select(sa.func.count(Escalation.id)).where(*where)).scalar_one()
    return [as_item(row) for row in rows], total


def level_counts(session: Session, filters: Filters) -> dict[str, int]:
    """How many escalations per level under the other filters (the badges above the inbox)."""
    rows = session.execute(
        sa.select(Escalation.level, sa.func.count(Escalation.id))
        .where(*_where(filters, with_level=False))
        .group_by(Escalation.level)
    ).all()
    counts = dict.fromkeys(LEVELS, 0)
    counts.update({level: count for level, count in rows})
    return counts


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat(timespec="seconds") + "Z" if moment else None


def as_item(row: Escalation) -> dict[str, Any]:
    """An escalation as plain JSON-able data (times in ISO UTC)."""
    return {
        "id": row.id,
        "conversation_id": row.conversation_id,
        "conversation_display": display_sender(row.conversation_id),
        "level": row.level,
        "reasons": list(row.reasons or []),
        "patient_text": row.patient_text,
        "status": row.status,
        "channel": row.channel,
        "language": row.language,
        "hsg_date": row.hsg_date.isoformat() if row.hsg_date else None,
        "assigned_to": row.assigned_to,
        "outcome": row.outcome,
        "note": row.note,
        "report_count": row.report_count,
        "created_at": _iso(row.created_at),
        "reported_at": _iso(row.reported_at),
        "updated_at": _iso(row.updated_at),
        "resolved_at": _iso(row.resolved_at),
    }


def get_escalation(session: Session, escalation_id: int) -> dict[str, Any] | None:
    """One escalation with its report history (what the patient said each time, and what it did)."""
    row = session.get(Escalation, escalation_id)
    if row is None:
        return None
    item = as_item(row)
    reports = session.execute(
        sa.select(EscalationReport)
        .where(EscalationReport.escalation_id == escalation_id)
        .order_by(EscalationReport.occurred_at, EscalationReport.id)
    ).scalars()
    item["reports"] = [
        {
            "action": report.action,
            "level": report.level,
            "reasons": list(report.reasons or []),
            "patient_text": report.patient_text,
            "channel": report.channel,
            "occurred_at": _iso(report.occurred_at),
        }
        for report in reports
    ]
    return item


class StatusError(ValueError):
    """A change the workflow does not allow (the message says why, for the nurse; `code` names it)."""

    def __init__(self, message: str, code: str = "status") -> None:
        super().__init__(message)
        self.code = code


def change_status(
    session: Session,
    escalation_id: int,
    status: str,
    actor: str,
    outcome: str | None = None,
    note: str | None = None,
    how: str = "web",
) -> dict[str, Any] | None:
    """new → in_review (by whom) → resolved (outcome required, note optional). Audited. None if missing."""
    row = session.get(Escalation, escalation_id, with_for_update=True)
    if row is None:
        return None
    if status not in STATUSES:
        raise StatusError(f"unknown status {status!r}")
    if status not in TRANSITIONS[row.status]:
        raise StatusError(f"cannot go from {row.status} to {status}", "transition")
    note = (note or "").strip()[:MAX_NOTE] or None
    before = row.status
    now = utcnow()
    if status == "in_review":
        row.assigned_to = actor
    elif status == "resolved":
        if outcome not in OUTCOMES:
            raise StatusError("choose an outcome to resolve", "outcome")
        row.outcome = outcome
        row.note = note
        row.resolved_at = now
        row.assigned_to = row.assigned_to or actor
    row.status = status
    row.updated_at = now
    audit.append(
        session,
        actor,
        "status_change",
        escalation_id,
        before=before,
        after=status,
        outcome=outcome if status == "resolved" else None,
        had_note=bool(note) if status == "resolved" else None,  # the note itself stays on the row
        how=how,
    )
    return as_item(row)
