"""Outreach: nurse messages to patients, the check-in schedule, opt-outs, on-call alerts.

Revision ID: 0004
Revises: 0003
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "hsg_alerts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("escalation_id", sa.Integer(), nullable=False),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("escalation_id", "level", name="uq_hsg_alerts_escalation_level"),
    )
    op.create_table(
        "hsg_checkins",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("phone", sa.String(length=32), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("conversation_id", sa.String(length=255), nullable=False),
        sa.Column("hsg_date", sa.Date(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("enrolled_by", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("channel IN ('sms', 'whatsapp')", name="ck_hsg_checkins_channel"),
        sa.CheckConstraint("status IN ('active', 'cancelled')", name="ck_hsg_checkins_status"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("hsg_checkins", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_hsg_checkins_conversation_id"), ["conversation_id"], unique=False
        )
        batch_op.create_index("ix_hsg_checkins_phone", ["phone"], unique=False)

    op.create_table(
        "hsg_opt_outs",
        sa.Column("phone", sa.String(length=32), nullable=False),
        sa.Column("opted_out", sa.Boolean(), nullable=False),
        sa.Column("keyword", sa.String(length=16), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("phone"),
    )
    op.create_table(
        "hsg_checkin_sends",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("checkin_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.SmallInteger(), nullable=False),
        sa.Column("due_at", sa.DateTime(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=True),
        sa.Column("claimed_by", sa.String(length=64), nullable=True),
        sa.Column("claimed_at", sa.DateTime(), nullable=True),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.Column("message_sid", sa.String(length=64), nullable=True),
        sa.Column("error_code", sa.String(length=16), nullable=True),
        sa.Column("note", sa.String(length=64), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "status IN ('due', 'sending', 'sent', 'delivered', 'failed', 'skipped')",
            name="ck_hsg_checkin_sends_status",
        ),
        sa.ForeignKeyConstraint(["checkin_id"], ["hsg_checkins.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("checkin_id", "day", name="uq_hsg_checkin_sends_day"),
    )
    with op.batch_alter_table("hsg_checkin_sends", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_hsg_checkin_sends_checkin_id"), ["checkin_id"], unique=False)
        batch_op.create_index("ix_hsg_checkin_sends_due", ["status", "due_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_hsg_checkin_sends_message_sid"), ["message_sid"], unique=False)

    op.create_table(
        "hsg_nurse_messages",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("escalation_id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.String(length=255), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("nurse", sa.String(length=64), nullable=False),
        sa.Column("text", sa.String(length=1600), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("message_sid", sa.String(length=64), nullable=True),
        sa.Column("error_code", sa.String(length=16), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("delivered_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint(
            "status IN ('pending', 'sent', 'delivered', 'failed')", name="ck_hsg_nurse_messages_status"
        ),
        sa.ForeignKeyConstraint(
            ["escalation_id"],
            ["hsg_escalations.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("hsg_nurse_messages", schema=None) as batch_op:
        batch_op.create_index(
            "ix_hsg_nurse_messages_conversation", ["conversation_id", "status", "id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_hsg_nurse_messages_escalation_id"), ["escalation_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_hsg_nurse_messages_message_sid"), ["message_sid"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("hsg_nurse_messages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hsg_nurse_messages_message_sid"))
        batch_op.drop_index(batch_op.f("ix_hsg_nurse_messages_escalation_id"))
        batch_op.drop_index("ix_hsg_nurse_messages_conversation")

    op.drop_table("hsg_nurse_messages")
    with op.batch_alter_table("hsg_checkin_sends", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hsg_checkin_sends_message_sid"))
        batch_op.drop_index("ix_hsg_checkin_sends_due")
        batch_op.drop_index(batch_op.f("ix_hsg_checkin_sends_checkin_id"))

    op.drop_table("hsg_checkin_sends")
    op.drop_table("hsg_opt_outs")
    with op.batch_alter_table("hsg_checkins", schema=None) as batch_op:
        batch_op.drop_index("ix_hsg_checkins_phone")
        batch_op.drop_index(batch_op.f("ix_hsg_checkins_conversation_id"))

    op.drop_table("hsg_checkins")
    op.drop_table("hsg_alerts")
