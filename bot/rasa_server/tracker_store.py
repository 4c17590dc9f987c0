"""Rasa's SQL tracker store, configured by one SQLAlchemy URL (DATABASE_URL) instead of its parts.

Conversations and escalations live in the same database, so the nurse inbox can show the whole
transcript behind an escalation. SQLite under var/ by default; PostgreSQL (or any SQLAlchemy URL)
by configuration.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rasa.core.tracker_store import SQLTrackerStore
from sqlalchemy.engine import make_url

from bot.config import get_settings
from bot.rasa_server import save_watch
from bot.storage.db import redact_errors


class UrlSQLTrackerStore(SQLTrackerStore):
    """`SQLTrackerStore` whose connection comes from `bot.config` (endpoints.yml names only the type)."""

    def __init__(
        self, domain: Any = None, host: str | None = None, event_broker: Any = None, **kwargs: Any
    ) -> None:
        url = get_settings().database_url
        parsed = make_url(url)
        if parsed.get_backend_name() == "sqlite" and parsed.database:
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        kwargs.pop("url", None)
        # SQLTrackerStore accepts a complete URL in `host` and uses it as is.
        super().__init__(
            domain=domain, dialect=parsed.get_backend_name(), host=url, event_broker=event_broker, **kwargs
        )
        # Error messages must not carry SQL parameters: they hold patient text and phone numbers.
        self.engine.hide_parameters = True
        redact_errors(self.engine)

    async def save(self, tracker: Any) -> None:
        """Save, and mark the turn's save as failed (bot.rasa_server.save_watch) before Rasa's fallback."""
        try:
            await super().save(tracker)
        except Exception:
            save_watch.mark_failed(tracker.sender_id)
            raise
