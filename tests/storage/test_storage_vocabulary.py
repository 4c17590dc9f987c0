"""The database's CHECK constraint on levels is the same list as bot.vocabulary, on a migrated database."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from bot.storage.db import get_engine
from bot.vocabulary import ESCALATED_LEVELS, LEVELS


def _insert(url: str, level: str) -> None:
    with get_engine(url).begin() as connection:
        connection.execute(
            sa.text(
                "INSERT INTO hsg_escalations (conversation_id, level, level_rank, reasons, patient_text, "
                "channel, language, status, report_count, created_at, reported_at, updated_at) VALUES "
                "(:c, :l, 0, '[]', 'x', 'rest', 'en', 'new', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, "
                "CURRENT_TIMESTAMP)"
            ),
            {"c": f"vocabulary-{level}", "l": level},
        )


def test_every_escalated_level_is_accepted_and_nothing_else(url: str) -> None:
    for level in ESCALATED_LEVELS:
        _insert(url, level)
    for level in [*set(LEVELS) - set(ESCALATED_LEVELS), "critical"]:
        with pytest.raises(sa.exc.IntegrityError):
            _insert(url, level)
