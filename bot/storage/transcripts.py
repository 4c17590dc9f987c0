"""A conversation's transcript, read from Rasa's SQL tracker store (`events`) in the shared database.

Read-only, with SQLAlchemy Core and no Rasa import, so the web app stays light. User and bot turns
come with their times; bot messages that carried a triage decision (`custom.triage`) are marked, so
the nurse sees where in the conversation the assistant decided. Before Rasa has created its table
(nothing said yet), the transcript is empty.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

import sqlalchemy as sa

from bot.storage.db import get_engine

logger = logging.getLogger(__name__)

MAX_TURNS = 1000
MAX_TEXT = 4000

EVENTS = sa.table(
    "events",
    sa.column("id", sa.Integer),
    sa.column("sender_id", sa.String),
    sa.column("type_name", sa.String),
    sa.column("timestamp", sa.Float),
    sa.column("data", sa.Text),
)


@dataclass
class Turn:
    kind: str  # "user" | "bot" | "nurse"
    text: str
    at: datetime | None  # naive UTC
    triage: dict[str, Any] | None = None
    channel: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "text": self.text,
            "at": self.at.isoformat() + "Z" if self.at else None,
            "triage": self.triage,
            "channel": self.channel,
            **self.extra,
        }


def triage_of(data: dict[str, Any]) -> dict[str, Any] | None:
    """The triage payload of a bot event, found at `custom.triage` or `data.custom.triage`."""
    for holder in (data, data.get("data") if isinstance(data.get("data"), dict) else None):
        custom = holder.get("custom") if isinstance(holder, dict) else None
        if isinstance(custom, dict) and isinstance(custom.get("triage"), dict):
            triage = custom["triage"]
            reasons = triage.get("reasons") if isinstance(triage.get("reasons"), list) else []
            return {"level": str(triage.get("level", "")), "reasons": [str(reason) for reason in reasons]}
    return None


def _moment(value: Any) -> datetime | None:
    try:
        return datetime.fromtimestamp(float(value), tz=timezone.utc).replace(tzinfo=None)
    except (TypeError, ValueError, OverflowError, OSError):
        return None


def to_turn(type_name: str, timestamp: Any, raw: str | None) -> Turn | None:
    try:
        data = json.loads(raw or "{}")
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    text = data.get("text")
    text = str(text)[:MAX_TEXT] if text is not None else ""
    if type_name == "user":
        return Turn("user", text, _moment(timestamp), channel=data.get("input_channel"))
    triage = triage_of(data)
    if not text and triage is None:
        return None  # e.g. a bot event carrying only buttons
    return Turn("bot", text, _moment(timestamp), triage=triage)


def read_transcript(
    conversation_id: str, database_url: str | None = None, limit: int = MAX_TURNS
) -> list[Turn]:
    """User and bot turns of one conversation, oldest first (the latest `limit` of them)."""
    engine = get_engine(database_url)
    with engine.connect() as connection:
        if not sa.inspect(connection).has_table("events"):
            return nurse_turns(conversation_id, database_url)
        rows = connection.execute(
            sa.select(EVENTS.c.type_name, EVENTS.c.timestamp, EVENTS.c.data)
            .where(EVENTS.c.sender_id == conversation_id, EVENTS.c.type_name.in_(("user", "bot")))
            .order_by(EVENTS.c.id.desc())
            .limit(limit)
        ).all()
    turns = [to_turn(type_name, timestamp, data) for type_name, timestamp, data in reversed(rows)]
    turns = [turn for turn in turns if turn is not None] + nurse_turns(conversation_id, database_url)
    turns.sort(key=lambda turn: turn.at or datetime.min)  # stable: Rasa's own order is kept
    return turns[-limit:]


def nurse_turns(conversation_id: str, database_url: str | None = None) -> list[Turn]:
    """The nurses' messages to this patient, as turns of kind `nurse` (who wrote, and its delivery)."""
    from bot.storage.db import read_session
    from bot.storage.nurse_messages import for_conversations

    with read_session(database_url) as session:
        rows = for_conversations(session, (conversation_id,))
    return [
        Turn(
            "nurse",
            row.text,
            row.created_at,
            channel=row.channel,
            extra={"nurse": row.nurse, "delivery": row.status},
        )
        for row in rows
    ]


def last_patient_message_at(
    conversation_ids: tuple[str, ...], database_url: str | None = None
) -> datetime | None:
    """When the patient last wrote in any of these conversations (naive UTC), from Rasa's events.

    WhatsApp lets a business send free text only within 24 hours of the patient's last message.
    """
    engine = get_engine(database_url)
    with engine.connect() as connection:
        if not sa.inspect(connection).has_table("events"):
            return None
        latest = connection.execute(
            sa.select(sa.func.max(EVENTS.c.timestamp)).where(
                EVENTS.c.sender_id.in_(list(conversation_ids)), EVENTS.c.type_name == "user"
            )
        ).scalar_one_or_none()
    return _moment(latest) if latest is not None else None
