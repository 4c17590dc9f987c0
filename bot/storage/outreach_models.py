"""Tables of the outreach side: nurse messages to patients, check-ins after the HSG, opt-outs, alerts.

Kept apart from `models` (imported at its end, so `Base.metadata` and the migrations see them).
Times are naive UTC, like every `hsg_` table.
"""

from __future__ import annotations

import sqlalchemy as sa

from bot.storage.models import Base, utcnow

MAX_NURSE_TEXT = 1600  # one Twilio message; the API refuses longer texts
NURSE_MESSAGE_STATUSES = ("pending", "sent", "delivered", "failed")
CHECKIN_STATUSES = ("active", "cancelled")
SEND_STATUSES = ("due", "sending", "sent", "delivered", "failed", "skipped")


class NurseMessage(Base):
    """A nurse's message to a patient. Web chat: `pending` until the widget fetches it; phone: `sent`
    when Twilio accepted it, then `delivered` or `failed` from Twilio's status callback."""

    __tablename__ = "hsg_nurse_messages"

    id = sa.Column(sa.Integer, primary_key=True, autoincrement=True)
    escalation_id = sa.Column(sa.Integer, sa.ForeignKey("hsg_escalations.id"), nullable=False, index=True)
    conversation_id = sa.Column(sa.String(255), nullable=False)
    channel = sa.Column(sa.String(32), nullable=False)
    nurse = sa.Column(sa.String(64), nullable=False)
    text = sa.Column(sa.String(MAX_NURSE_TEXT), nullable=False)
    status = sa.Column(sa.String(16), nullable=False, default="pending")
    message_sid = sa.Column(sa.String(64), nullable=True, index=True)
    error_code = sa.Column(sa.String(16), nullable=True)
    created_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)
    delivered_at = sa.Column(sa.DateTime, nullable=True)

    __table_args__ = (
        sa.CheckConstraint(
            "status IN ('pending', 'sent', 'delivered', 'failed')", name="ck_hsg_nurse_messages_status"
        ),
        sa.Index("ix_hsg_nurse_messages_conversation", "conversation_id", "status", "id"),
    )


class CheckIn(Base):
    """One patient enrolled for check-ins after her HSG, on one phone channel."""

    __tablename__ = "hsg_checkins"

    id = sa.Column(sa.Integer, primary_key=True, autoincrement=True)
    phone = sa.Column(sa.String(32), nullable=False)
    channel = sa.Column(sa.String(16), nullable=False)
    conversation_id = sa.Column(sa.String(255), nullable=False, index=True)
    hsg_date = sa.Column(sa.Date, nullable=False)
    language = sa.Column(sa.String(8), nullable=False)
    enrolled_by = sa.Column(sa.String(64), nullable=False)
    status = sa.Column(sa.String(16), nullable=False, default="active")
    created_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)

    __table_args__ = (
        sa.CheckConstraint("channel IN ('sms', 'whatsapp')", name="ck_hsg_checkins_channel"),
        sa.CheckConstraint("status IN ('active', 'cancelled')", name="ck_hsg_checkins_status"),
        sa.Index("ix_hsg_checkins_phone", "phone"),
    )


class CheckInSend(Base):
    """One scheduled check-in message. The schedule is these rows: a worker claims a row by moving it
    from `due` to `sending` in one UPDATE, so two workers never send the same one."""

    __tablename__ = "hsg_checkin_sends"

    id = sa.Column(sa.Integer, primary_key=True, autoincrement=True)
    checkin_id = sa.Column(
        sa.Integer, sa.ForeignKey("hsg_checkins.id", ondelete="CASCADE"), nullable=False, index=True
    )
    day = sa.Column(sa.SmallInteger, nullable=False)
    due_at = sa.Column(sa.DateTime, nullable=False)
    status = sa.Column(sa.String(16), nullable=False, default="due")
    kind = sa.Column(sa.String(16), nullable=True)  # text | template
    claimed_by = sa.Column(sa.String(64), nullable=True)
    claimed_at = sa.Column(sa.DateTime, nullable=True)
    sent_at = sa.Column(sa.DateTime, nullable=True)
    message_sid = sa.Column(sa.String(64), nullable=True, index=True)
    error_code = sa.Column(sa.String(16), nullable=True)
    note = sa.Column(sa.String(64), nullable=True)  # why skipped or failed
    updated_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)

    __table_args__ = (
        sa.UniqueConstraint("checkin_id", "day", name="uq_hsg_checkin_sends_day"),
        sa.CheckConstraint(
            "status IN ('due', 'sending', 'sent', 'delivered', 'failed', 'skipped')",
            name="ck_hsg_checkin_sends_status",
        ),
        sa.Index("ix_hsg_checkin_sends_due", "status", "due_at"),
    )


class OptOut(Base):
    """A phone number that sent STOP (and not START since): no check-in goes to it."""

    __tablename__ = "hsg_opt_outs"

    phone = sa.Column(sa.String(32), primary_key=True)
    opted_out = sa.Column(sa.Boolean, nullable=False)
    keyword = sa.Column(sa.String(16), nullable=False)
    changed_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)


class Alert(Base):
    """An on-call alert sent (or tried) for an escalation at a level; unique, so sent once."""

    __tablename__ = "hsg_alerts"

    id = sa.Column(sa.Integer, primary_key=True, autoincrement=True)
    escalation_id = sa.Column(sa.Integer, nullable=False)
    level = sa.Column(sa.String(16), nullable=False)
    status = sa.Column(sa.String(16), nullable=False, default="claimed")
    created_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)

    __table_args__ = (sa.UniqueConstraint("escalation_id", "level", name="uq_hsg_alerts_escalation_level"),)
