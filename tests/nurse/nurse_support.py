"""Helpers for the nurse tests: a migrated database with a nurse account, and Rasa-like tracker events."""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any

NURSE = "nurse.anna"
PASSWORD = "a-long-test-password-1"


def _tracker_store(url: str) -> Any:
    """Rasa's own SQL tracker store on `url`: the `events` table exactly as the Rasa server creates it."""
    from rasa.core.tracker_store import SQLTrackerStore
    from sqlalchemy.engine import make_url

    return SQLTrackerStore(dialect=make_url(url).get_backend_name(), host=url)


def create_events_table(url: str) -> None:
    """Create Rasa's `events` table (by starting Rasa's SQLTrackerStore on the database)."""
    _tracker_store(url)


def seed_conversation(url: str, sender: str, turns: list[tuple[str, str, dict[str, Any] | None]]) -> None:
    """Save user/bot turns for `sender` through Rasa's tracker store: (kind, text, triage or None).

    Turns are one second apart; a slot event is added too, which a transcript must leave out.
    """
    from rasa.shared.core.events import BotUttered, SlotSet, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    store = _tracker_store(url)
    start = time.time() - len(turns) - 1
    events: list[Any] = []
    for index, (kind, text, triage) in enumerate(turns):
        moment = start + index
        if kind == "user":
            events.append(
                UserUttered(
                    text,
                    intent={"name": "report_symptom", "confidence": 1.0},
                    input_channel="rest",
                    timestamp=moment,
                )
            )
        else:
            events.append(
                BotUttered(text, data={"custom": {"triage": triage}} if triage else {}, timestamp=moment)
            )
    events.append(SlotSet("language", "en", timestamp=time.time()))
    tracker = DialogueStateTracker.from_events(sender, events)
    # Its own thread and event loop: the browser tests call this while Playwright's loop runs.
    worker = threading.Thread(target=lambda: asyncio.run(store.save(tracker)))
    worker.start()
    worker.join()
