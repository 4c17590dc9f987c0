"""Record what triage decided, one open escalation per conversation.

Saying the same thing twice does not make a second escalation: a report for a conversation with an
unresolved escalation is merged into it (new reasons added); a worse report raises it (level up,
back to `new` so it shows again at the top). After a resolution, the next report opens a new one.
Every report is kept in `hsg_escalation_reports`, the escalation's visible history.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timezone

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from bot.storage.db import write_session
from bot.storage.models import LEVEL_RANK, MAX_PATIENT_TEXT, Escalation, EscalationReport, utcnow
from bot.text_input import clean_text

MAX_REASONS = 30
MAX_REASON_CHARS = 80
RETRIES = 3


@dataclass
class EscalationInput:
    """One triage decision worth a nurse's attention, as the assistant saw it."""

    conversation_id: str
    level: str
    reasons: list[str]
    patient_text: str
    channel: str
    language: str
    hsg_date: date | None = None
    occurred_at: datetime | None = None
    report_id: str = field(default_factory=lambda: uuid.uuid4().hex)  # makes storing it twice a no-op


@dataclass(frozen=True)
class RecordResult:
    id: int
    action: str  # created | raised | merged | unchanged
    level: str
    status: str


def validate(inp: EscalationInput) -> EscalationInput:
    """Bound, clean and check the input; self_care, unknown levels or a malformed report: ValueError.

    Text is cleaned here too (NUL, lone surrogates), whoever wrote the report: PostgreSQL refuses NUL
    and an escalation must never fail on the characters a patient typed.
    """
    if not isinstance(inp.level, str) or inp.level not in LEVEL_RANK:
        raise ValueError(f"not an escalation level: {inp.level!r}")
    if not inp.conversation_id:
        raise ValueError("conversation_id is required")
    if not isinstance(inp.reasons, (list, tuple)):
        raise ValueError("reasons must be a list")
    if inp.hsg_date is not None and not isinstance(inp.hsg_date, date):
        raise ValueError("hsg_date must be a date")
    if inp.occurred_at is not None and not isinstance(inp.occurred_at, datetime):
        raise ValueError("occurred_at must be a datetime")
    reasons: list[str] = []
    for reason in inp.reasons:
        reason = clean_text(str(reason))[:MAX_REASON_CHARS]
        if reason and reason not in reasons:
            reasons.append(reason)
    return EscalationInput(
        conversation_id=clean_text(str(inp.conversation_id))[:255],
        level=inp.level,
        reasons=reasons[:MAX_REASONS],
        patient_text=clean_text(inp.patient_text or "")[:MAX_PATIENT_TEXT],
        channel=clean_text(inp.channel or "")[:32],
        language=clean_text(inp.language or "")[:8],
        hsg_date=inp.hsg_date,
        occurred_at=as_utc(inp.occurred_at) if inp.occurred_at else utcnow(),
        report_id=clean_text(str(inp.report_id or uuid.uuid4().hex))[:64],
    )


def as_utc(moment: datetime) -> datetime:
    """Naive UTC, the form stored; a naive input is taken as UTC already."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    return moment


def record_escalation(inp: EscalationInput, database_url: str | None = None) -> RecordResult:
    """Store one report: create, merge into or raise the conversation's open escalation.

    Safe with several writers: the database allows one unresolved escalation per conversation and
    one row per report id; a writer that loses that race retries and merges instead.
    """
    clean = validate(inp)
    for attempt in range(RETRIES):
        try:
            with write_session(database_url) as session:
                return _record(session, clean)
        except IntegrityError:
            if attempt == RETRIES - 1:
                raise
    raise AssertionError("unreachable")


def _record(session, inp: EscalationInput) -> RecordResult:  # noqa: ANN001 (Session)
    seen = session.execute(
        sa.select(EscalationReport.escalation_id).where(EscalationReport.report_id == inp.report_id)
    ).scalar_one_or_none()
    if seen is not None:
        row = session.get(Escalation, seen)
        return RecordResult(row.id, "unchanged", row.level, row.status)
    row = session.execute(
        sa.select(Escalation)
        .where(Escalation.conversation_id == inp.conversation_id, Escalation.status != "resolved")
        .order_by(Escalation.id.desc())
        .limit(1)
        .with_for_update()  # PostgreSQL: writers for one conversation take turns (SQLite: BEGIN IMMEDIATE)
    ).scalar_one_or_none()
    now = utcnow()
    if row is None:
        row = Escalation(
            conversation_id=inp.conversation_id,
            level=inp.level,
            level_rank=LEVEL_RANK[inp.level],
            reasons=list(inp.reasons),
            patient_text=inp.patient_text,
            channel=inp.channel,
            language=inp.language,
            hsg_date=inp.hsg_date,
            status="new",
            report_count=1,
            created_at=inp.occurred_at,
            reported_at=inp.occurred_at,
            updated_at=now,
        )
        session.add(row)
        session.flush()
        action = "created"
    else:
        new_reasons = [reason for reason in inp.reasons if reason not in (row.reasons or [])]
        if LEVEL_RANK[inp.level] < row.level_rank:
            action = "raised"
            row.level = inp.level
            row.level_rank = LEVEL_RANK[inp.level]
            row.status = "new"
            row.patient_text = inp.patient_text  # the worse report is what the nurse must read first
        elif new_reasons:
            action = "merged"
        else:
            action = "unchanged"
        if new_reasons:
            row.reasons = list(row.reasons or []) + new_reasons
        row.report_count = (row.report_count or 0) + 1
        row.reported_at = max(row.reported_at, inp.occurred_at)
        row.hsg_date = row.hsg_date or inp.hsg_date
        row.language = inp.language or row.language
        row.updated_at = now
    session.add(
        EscalationReport(
            report_id=inp.report_id,
            escalation_id=row.id,
            action=action,
            level=inp.level,
            reasons=list(inp.reasons),
            patient_text=inp.patient_text,
            channel=inp.channel,
            occurred_at=inp.occurred_at,
            stored_at=now,
        )
    )
    return RecordResult(row.id, action, row.level, row.status)
