"""Did this turn's conversation reach the tracker store? A flag the store sets and the turn reads.

Rasa wraps every tracker store in `FailSafeTrackerStore`, which on a failed save logs and keeps the
conversation in memory as if nothing happened. Our store marks the failure here (a context variable,
so it belongs to the one turn being handled), and `patient_turn` surfaces it as an error.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator
from dataclasses import dataclass


@dataclass
class SaveWatch:
    conversation_id: str
    failed: bool = False


_CURRENT: contextvars.ContextVar[SaveWatch | None] = contextvars.ContextVar("hsg_save_watch", default=None)


@contextlib.contextmanager
def watching(conversation_id: str) -> Iterator[SaveWatch]:
    watch = SaveWatch(conversation_id)
    token = _CURRENT.set(watch)
    try:
        yield watch
    finally:
        _CURRENT.reset(token)


def mark_failed(conversation_id: str) -> None:
    """Called by the tracker store when a save failed."""
    watch = _CURRENT.get()
    if watch is not None and watch.conversation_id == conversation_id:
        watch.failed = True
