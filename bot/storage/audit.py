"""The append-only audit log: who saw or changed what, and when. Only `append` and reads live here."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from bot.storage.models import AuditEntry, utcnow


def append(
    session: Session, actor: str, action: str, escalation_id: int | None = None, **detail: Any
) -> AuditEntry:
    """Add one entry to the caller's transaction (committed with the change it describes)."""
    entry = AuditEntry(
        at=utcnow(), actor=actor[:64], action=action[:32], escalation_id=escalation_id, detail=detail
    )
    session.add(entry)
    return entry


def for_escalation(session: Session, escalation_id: int, limit: int = 500) -> list[dict[str, Any]]:
    rows = session.execute(
        sa.select(AuditEntry)
        .where(AuditEntry.escalation_id == escalation_id)
        .order_by(AuditEntry.at, AuditEntry.id)
        .limit(limit)
    ).scalars()
    return [as_dict(row) for row in rows]


def recent(session: Session, limit: int = 100) -> list[dict[str, Any]]:
    rows = session.execute(sa.select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)).scalars()
    return [as_dict(row) for row in rows]


def as_dict(row: AuditEntry) -> dict[str, Any]:
    return {
        "id": row.id,
        "at": row.at,
        "actor": row.actor,
        "action": row.action,
        "escalation_id": row.escalation_id,
        "detail": row.detail or {},
    }
