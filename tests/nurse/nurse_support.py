"""Helpers for the nurse tests: a migrated database with a nurse account, and Rasa-like tracker events."""

from __future__ import annotations

import json
import time
from typing import Any

import sqlalchemy as sa

from bot.storage.db import get_engine

NURSE = "nurse.anna"
PASSWORD = "a-long-test-password-1"


def create_events_table(url: str) -> None:
    """The table as Rasa 3.6's SQLTrackerStore creates it (same columns), if it is not there yet."""
    metadata = sa.MetaData()
    sa.Table(
        "events",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("sender_id", sa.String(255), nullable=False, index=True),
        sa.Column("type_name", sa.String(255), nullable=False),
        sa.Column("timestamp", sa.Float),
        sa.Column("intent_name", sa.String(255)),
        sa.Column("action_name", sa.String(255)),
        sa.Column("data", sa.Text),
    )
    metadata.create_all(get_engine(url))


def seed_conversation(url: str, sender: str, turns: list[tuple[str, str, dict[str, Any] | None]]) -> None:
    """Write user/bot events for `sender`: (kind, text, triage or None), one second apart."""
    create_events_table(url)
    start = time.time() - len(turns)
    with get_engine(url).begin() as connection:
        for index, (kind, text, triage) in enumerate(turns):
            moment = start + index
            if kind == "user":
                data = {
                    "event": "user",
                    "timestamp": moment,
                    "text": text,
                    "input_channel": "rest",
                    "parse_data": {"intent": {"name": "report_symptom"}},
                }
            else:
                data = {
                    "event": "bot",
                    "timestamp": moment,
                    "text": text,
                    "metadata": {},
                    "data": {"custom": {"triage": triage}} if triage else {},
                }
            connection.execute(
                sa.text(
                    "INSERT INTO events (sender_id, type_name, timestamp, intent_name, action_name, data) "
                    "VALUES (:s, :t, :ts, NULL, NULL, :d)"
                ),
                {"s": sender, "t": kind, "ts": moment, "d": json.dumps(data)},
            )
        # Events a transcript leaves out.
        connection.execute(
            sa.text(
                "INSERT INTO events (sender_id, type_name, timestamp, data) VALUES (:s, 'slot', :ts, :d)"
            ),
            {
                "s": sender,
                "ts": time.time(),
                "d": json.dumps({"event": "slot", "name": "language", "value": "en"}),
            },
        )
