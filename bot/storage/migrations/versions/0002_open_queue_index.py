"""Partial index for the default inbox: unresolved escalations by level, then age.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels = None
depends_on = None

WHERE = sa.text("status <> 'resolved'")


def upgrade() -> None:
    op.create_index(
        "ix_hsg_escalations_open_queue",
        "hsg_escalations",
        ["level_rank", "created_at", "id"],
        sqlite_where=WHERE,
        postgresql_where=WHERE,
    )


def downgrade() -> None:
    op.drop_index("ix_hsg_escalations_open_queue", table_name="hsg_escalations")
