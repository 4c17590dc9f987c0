"""Tables of the nurse side. Names start with `hsg_`: Rasa's tracker store owns `events` in the same database.

Times are stored as naive UTC (SQLite keeps no time zone); `utcnow()` is the one clock.
"""

from __future__ import annotations

from datetime import datetime, timezone

import sqlalchemy as sa
from sqlalchemy.orm import declarative_base

from bot.vocabulary import ESCALATED_LEVELS

Base = declarative_base()

LEVELS = ESCALATED_LEVELS  # most urgent first; self_care is never an escalation
LEVEL_RANK = {level: rank for rank, level in enumerate(LEVELS)}
STATUSES = ("new", "in_review", "resolved")
OUTCOMES = (
    "called_patient",
    "advised_emergency_care",
    "appointment_arranged",
    "procedure_changed",
    "advice_confirmed",
    "no_action_needed",
    "other",
)
MAX_PATIENT_TEXT = 2000
MAX_NOTE = 2000


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


class Escalation(Base):
    """One open matter per conversation: repeated reports merge into it, worse ones raise it."""

    __tablename__ = "hsg_escalations"

    id = sa.Column(sa.Integer, primary_key=True, autoincrement=True)
    conversation_id = sa.Column(sa.String(255), nullable=False)
    level = sa.Column(sa.String(16), nullable=False)
    level_rank = sa.Column(sa.SmallInteger, nullable=False)  # 0 = emergency: sorts the inbox by an index
    reasons = sa.Column(sa.JSON, nullable=False, default=list)
    patient_text = sa.Column(sa.String(MAX_PATIENT_TEXT), nullable=False, default="")
    channel = sa.Column(sa.String(32), nullable=False, default="")
    language = sa.Column(sa.String(8), nullable=False, default="")
    hsg_date = sa.Column(sa.Date, nullable=True)
    status = sa.Column(sa.String(16), nullable=False, default="new")
    assigned_to = sa.Column(sa.String(64), nullable=True)
    outcome = sa.Column(sa.String(32), nullable=True)
    note = sa.Column(sa.String(MAX_NOTE), nullable=True)
    report_count = sa.Column(sa.Integer, nullable=False, default=1)
    created_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)
    reported_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)  # the latest report
    updated_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)
    resolved_at = sa.Column(sa.DateTime, nullable=True)

    __table_args__ = (
        sa.CheckConstraint(
            "level IN ('emergency', 'urgent', 'inform_team')", name="ck_hsg_escalations_level"
        ),
        sa.CheckConstraint("status IN ('new', 'in_review', 'resolved')", name="ck_hsg_escalations_status"),
        # At most one unresolved escalation per conversation, whatever the number of writers.
        sa.Index(
            "uq_hsg_escalations_open",
            "conversation_id",
            unique=True,
            sqlite_where=sa.text("status <> 'resolved'"),
            postgresql_where=sa.text("status <> 'resolved'"),
        ),
        sa.Index("ix_hsg_escalations_conversation", "conversation_id", "created_at"),
        sa.Index("ix_hsg_escalations_inbox", "status", "level_rank", "created_at"),
        # The default inbox (everything not resolved, most urgent first, then oldest) reads this in order.
        sa.Index(
            "ix_hsg_escalations_open_queue",
            "level_rank",
            "created_at",
            "id",
            sqlite_where=sa.text("status <> 'resolved'"),
            postgresql_where=sa.text("status <> 'resolved'"),
        ),
        sa.Index("ix_hsg_escalations_created", "created_at", "id"),
    )


class EscalationReport(Base):
    """Every report triage made for an escalation (created, merged, raised, unchanged): its history.

    `report_id` is unique, so storing a report twice (an outbox flushed by two processes) is a no-op.
    """

    __tablename__ = "hsg_escalation_reports"

    id = sa.Column(sa.Integer, primary_key=True, autoincrement=True)
    report_id = sa.Column(sa.String(64), nullable=False, unique=True)
    escalation_id = sa.Column(
        sa.Integer, sa.ForeignKey("hsg_escalations.id", ondelete="CASCADE"), nullable=False, index=True
    )
    action = sa.Column(sa.String(16), nullable=False)
    level = sa.Column(sa.String(16), nullable=False)
    reasons = sa.Column(sa.JSON, nullable=False, default=list)
    patient_text = sa.Column(sa.String(MAX_PATIENT_TEXT), nullable=False, default="")
    channel = sa.Column(sa.String(32), nullable=False, default="")
    occurred_at = sa.Column(sa.DateTime, nullable=False)
    stored_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)


class Nurse(Base):
    __tablename__ = "hsg_nurses"

    id = sa.Column(sa.Integer, primary_key=True, autoincrement=True)
    username = sa.Column(sa.String(64), nullable=False, unique=True)
    password_hash = sa.Column(sa.String(255), nullable=False)
    active = sa.Column(sa.Boolean, nullable=False, default=True)
    failed_logins = sa.Column(sa.Integer, nullable=False, default=0)
    locked_until = sa.Column(sa.DateTime, nullable=True)
    created_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)
    password_changed_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)
    last_login_at = sa.Column(sa.DateTime, nullable=True)


class NurseSession(Base):
    """A signed-in browser. Server-side, so signing out really ends it (a copied cookie stops working)."""

    __tablename__ = "hsg_sessions"

    token_hash = sa.Column(sa.String(64), primary_key=True)  # sha256 of the cookie's token
    nurse_id = sa.Column(sa.Integer, sa.ForeignKey("hsg_nurses.id", ondelete="CASCADE"), nullable=False)
    csrf_token = sa.Column(sa.String(64), nullable=False)
    created_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)
    last_seen_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)


class AuditEntry(Base):
    """Append-only: who saw or changed what, when. Database triggers refuse UPDATE and DELETE."""

    __tablename__ = "hsg_audit_log"

    id = sa.Column(sa.Integer, primary_key=True, autoincrement=True)
    at = sa.Column(sa.DateTime, nullable=False, default=utcnow)
    actor = sa.Column(sa.String(64), nullable=False)
    action = sa.Column(sa.String(32), nullable=False)
    escalation_id = sa.Column(sa.Integer, nullable=True)  # no FK: the log outlives what it describes
    detail = sa.Column(sa.JSON, nullable=False, default=dict)

    __table_args__ = (sa.Index("ix_hsg_audit_escalation", "escalation_id", "at"),)


class TwilioMessageSeen(Base):
    """Twilio message ids already handled: Twilio retries a webhook it thinks failed, with the same
    MessageSid, and the patient's message must not be processed (or escalated) twice. Kept in the
    database so every Rasa worker sees them; rows older than a day are removed."""

    __tablename__ = "hsg_twilio_seen"

    sid = sa.Column(sa.String(64), primary_key=True)
    seen_at = sa.Column(sa.DateTime, nullable=False, default=utcnow, index=True)


class SignInFailure(Base):
    """Failed sign-ins per account and client address, counted atomically before the password is checked.

    Keyed by address as well as account, so failures from one place lock out that place only: a
    stranger cannot keep a nurse out of her own account by typing wrong passwords elsewhere.
    """

    __tablename__ = "hsg_sign_in_failures"

    username = sa.Column(sa.String(64), primary_key=True)
    address = sa.Column(sa.String(64), primary_key=True)
    failures = sa.Column(sa.Integer, nullable=False, default=0)
    locked_until = sa.Column(sa.DateTime, nullable=True)
    updated_at = sa.Column(sa.DateTime, nullable=False, default=utcnow, index=True)


# The outreach tables (nurse messages, check-ins, opt-outs, alerts) live in their own module.
from bot.storage import outreach_models  # noqa: E402,F401
