"""Phone conversations get a channel prefix; Twilio message ids and sign-in failures are stored;
nurses' free-text notes leave the append-only audit log.

- `hsg_escalations.conversation_id` and Rasa's `events.sender_id` of SMS conversations (a bare
  `+number`) become `sms:+number`; WhatsApp ids already carry `whatsapp:`. From now on no REST
  sender id can name a phone conversation (bot.conversations).
- `hsg_twilio_seen`: MessageSids already handled (a repeated webhook is not processed twice).
- `hsg_sign_in_failures`: failed sign-ins per account and address (bot.storage.nurses).
- The audit log keeps who did what and when, but no free text: a resolution note is kept on the
  escalation row (where retention can delete it) and removed from the audit entry.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels = None
depends_on = None

ESCALATIONS = sa.table(
    "hsg_escalations", sa.column("id", sa.Integer), sa.column("note", sa.String), sa.column("conversation_id")
)
AUDIT = sa.table(
    "hsg_audit_log",
    sa.column("id", sa.Integer),
    sa.column("escalation_id", sa.Integer),
    sa.column("detail", sa.JSON),
)
FREE_TEXT_KEYS = ("note", "text", "patient_text")


def _initial_schema():  # noqa: ANN202 (a module)
    """0001's helpers that switch the audit log's append-only triggers off and on."""
    path = Path(__file__).with_name("0001_initial_schema.py")
    spec = importlib.util.spec_from_file_location("hsg_migration_0001", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def upgrade() -> None:
    op.create_table(
        "hsg_twilio_seen",
        sa.Column("sid", sa.String(64), primary_key=True),
        sa.Column("seen_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_hsg_twilio_seen_seen_at", "hsg_twilio_seen", ["seen_at"])
    op.create_table(
        "hsg_sign_in_failures",
        sa.Column("username", sa.String(64), primary_key=True),
        sa.Column("address", sa.String(64), primary_key=True),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_hsg_sign_in_failures_updated_at", "hsg_sign_in_failures", ["updated_at"])
    bind = op.get_bind()
    prefix_phone_conversations(bind)
    move_notes_out_of_audit(bind)


def prefix_phone_conversations(bind: sa.engine.Connection) -> None:
    op.execute(
        "UPDATE hsg_escalations SET conversation_id = 'sms:' || conversation_id "
        "WHERE conversation_id LIKE '+%'"
    )
    if sa.inspect(bind).has_table("events"):  # Rasa's tracker store, once anyone has talked
        op.execute("UPDATE events SET sender_id = 'sms:' || sender_id WHERE sender_id LIKE '+%'")


def move_notes_out_of_audit(bind: sa.engine.Connection) -> None:
    rows = bind.execute(sa.select(AUDIT.c.id, AUDIT.c.escalation_id, AUDIT.c.detail)).all()
    changed = [
        (row.id, row.escalation_id, row.detail)
        for row in rows
        if isinstance(row.detail, dict) and any(row.detail.get(key) for key in FREE_TEXT_KEYS)
    ]
    if not changed:
        return
    initial = _initial_schema()
    initial.unprotect_audit_log()
    for entry_id, escalation_id, detail in changed:
        note = detail.get("note")
        if note and escalation_id is not None:
            bind.execute(
                ESCALATIONS.update()
                .where(ESCALATIONS.c.id == escalation_id, ESCALATIONS.c.note.is_(None))
                .values(note=str(note)[:2000])
            )
        kept = {key: value for key, value in detail.items() if key not in FREE_TEXT_KEYS}
        kept.update({f"had_{key}": True for key in FREE_TEXT_KEYS if detail.get(key)})
        bind.execute(AUDIT.update().where(AUDIT.c.id == entry_id).values(detail=kept))
    initial.protect_audit_log()


def downgrade() -> None:
    op.execute(
        "UPDATE hsg_escalations SET conversation_id = substr(conversation_id, 5) "
        "WHERE conversation_id LIKE 'sms:+%'"
    )
    if sa.inspect(op.get_bind()).has_table("events"):
        op.execute("UPDATE events SET sender_id = substr(sender_id, 5) WHERE sender_id LIKE 'sms:+%'")
    op.drop_index("ix_hsg_sign_in_failures_updated_at", table_name="hsg_sign_in_failures")
    op.drop_table("hsg_sign_in_failures")
    op.drop_index("ix_hsg_twilio_seen_seen_at", table_name="hsg_twilio_seen")
    op.drop_table("hsg_twilio_seen")
