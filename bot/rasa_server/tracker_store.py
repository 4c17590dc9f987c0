"""Rasa's SQL tracker store, configured by one SQLAlchemy URL (DATABASE_URL) and made safe to wait on.

Conversations and escalations live in the same database, so the nurse inbox can show the whole
transcript behind an escalation. SQLite under var/ by default; PostgreSQL (or any SQLAlchemy URL)
by configuration.

What this subclass changes in Rasa 3.6's `SQLTrackerStore`, and why:
- the engine comes from `bot.storage.db.make_engine` (errors without SQL parameters or row data:
  they would carry patient text): SQLite in WAL mode with a busy timeout,
  PostgreSQL with connect/statement/lock timeouts, TCP keepalives and pre-ping, so a stalled or
  vanished database raises instead of hanging for ever;
- every database call runs in this store's own small thread pool, never on the Sanic event loop:
  Rasa's store queries synchronously inside `async def`, so one locked table froze every
  conversation of the worker, and the turn bound (bot.rasa_server.bounded_turn) could not fire;
- a call that fails because the database is busy or gone is retried for up to RETRY_FOR_S, so a
  turn the patient was already answered for (by the safety net) is still stored once the database
  is back, instead of being dropped to Rasa's in-memory fallback;
- `save` writes the events this tracker object has added since it was read, not "all events after
  the number of rows now in the table": counting rows loses messages whenever another worker wrote
  to the same conversation in between; new rows go in one INSERT inside BEGIN IMMEDIATE.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, TrackerStore
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import sessionmaker

from bot.config import get_settings
from bot.ops.metrics import count_action_errors
from bot.rasa_server import save_watch, speedups
from bot.storage.db import IMMEDIATE, make_engine

logger = logging.getLogger(__name__)

T = TypeVar("T")

STATEMENT_TIMEOUT_MS = 5000  # one statement or lock wait; then the call is retried
RETRY_FOR_S = 120.0  # how long a busy or unreachable database is retried before Rasa's fallback
DB_THREADS = 8
STORED_MARK = "_hsg_stored_events"  # attribute on a tracker: how many of its events are in the table


def _transient(error: Exception) -> bool:
    """Busy, locked, timed out or disconnected: worth another try."""
    if isinstance(error, OperationalError):
        return True
    return isinstance(error, DBAPIError) and bool(error.connection_invalidated)


def _relaxed_commit(dbapi_connection: Any, record: Any) -> None:
    """Conversation events commit without waiting for the WAL flush (PostgreSQL).

    The same durability as the SQLite default (WAL, synchronous=NORMAL): a server crash can lose the
    last fraction of a second of transcript, never corrupt it. Escalations do not use this engine and
    keep full durability. Measured with make bench (production profile, 2 workers, single user):
    p50 80-84 ms waiting for the flush on every turn, 59 ms without.
    """
    cursor = dbapi_connection.cursor()
    cursor.execute("SET synchronous_commit = off")
    cursor.close()
    dbapi_connection.commit()


class _TurnStatements:
    """The SQL of every turn, built once as text.

    Rasa builds its event query with the ORM on every read; SQLAlchemy then computes a cache key for
    the whole expression tree each time, which was 13 % of the Rasa server's busy time under load
    (py-spy, `python -m tools.bench.cpu_bench`). The same queries as plain SQL skip that work. The
    read returns what Rasa's `_event_query` returns: the conversation's events in id order, from the
    latest session start on (or all of them).
    """

    def __init__(self, table: str) -> None:
        # The table name is Rasa's constant ("events"), never input; checked so it stays a plain name.
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", table):
            raise ValueError(f"unexpected tracker table name {table!r}")
        latest_start = (
            f"(SELECT max(timestamp) FROM {table}"  # noqa: S608
            " WHERE sender_id = :sender_id AND type_name = 'session_started')"
        )
        self.all_sessions = sa.text(
            f"SELECT data FROM {table} WHERE sender_id = :sender_id ORDER BY id"  # noqa: S608
        )
        self.latest = sa.text(
            f"SELECT data FROM {table} WHERE sender_id = :sender_id"  # noqa: S608
            f" AND (timestamp >= {latest_start} OR {latest_start} IS NULL) ORDER BY id"
        )
        self.insert = sa.text(
            f"INSERT INTO {table} (sender_id, type_name, timestamp, intent_name, action_name, data)"  # noqa: S608
            " VALUES (:sender_id, :type_name, :timestamp, :intent_name, :action_name, :data)"
        )


class UrlSQLTrackerStore(SQLTrackerStore):
    """`SQLTrackerStore` whose connection comes from `bot.config` (endpoints.yml names only the type)."""

    def __init__(
        self, domain: Any = None, host: str | None = None, event_broker: Any = None, **kwargs: Any
    ) -> None:
        url = get_settings().database_url
        parsed = make_url(url)
        if parsed.get_backend_name() == "sqlite" and parsed.database:
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        for name in ("url", "dialect", "port", "db", "username", "password", "login_db", "query"):
            kwargs.pop(name, None)
        pool = {} if parsed.get_backend_name() == "sqlite" else {"pool_size": DB_THREADS, "max_overflow": 2}
        self.engine = make_engine(url, timeout_ms=STATEMENT_TIMEOUT_MS, **pool)
        if parsed.get_backend_name() == "postgresql":
            sa.event.listen(self.engine, "connect", _relaxed_commit)
        self._executor = ThreadPoolExecutor(max_workers=DB_THREADS, thread_name_prefix="tracker-db")
        while True:  # the database may still be coming up (as Rasa's own store does)
            try:
                self.Base.metadata.create_all(self.engine)
                break
            except (OperationalError, sa.exc.ProgrammingError, sa.exc.IntegrityError) as error:
                # Several workers starting at once may race to create the table: fine if one wins.
                if sa.inspect(self.engine).has_table(self.SQLEvent.__tablename__):
                    break
                logger.warning("tracker store: database not ready (%s); retrying", type(error).__name__)
                time.sleep(2)
        self.sessionmaker = sessionmaker(bind=self.engine)
        self._statements = _TurnStatements(self.SQLEvent.__tablename__)
        TrackerStore.__init__(self, domain, event_broker, **kwargs)
        # Built once per Rasa worker at start: where the worker-wide hooks go in.
        count_action_errors()
        speedups.install()

    # -- running database work off the event loop, with retries ----------------------------------

    def _with_retries(self, work: Callable[[], T]) -> T:
        deadline = time.monotonic() + RETRY_FOR_S
        pause = 0.25
        while True:
            try:
                return work()
            except Exception as error:
                if not _transient(error) or time.monotonic() + pause > deadline:
                    raise
                logger.warning("tracker store: %s; retrying in %.1f s", type(error).__name__, pause)
                time.sleep(pause)
                pause = min(5.0, pause * 2)

    async def _run(self, work: Callable[[], T]) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, self._with_retries, work)

    # -- reading ----------------------------------------------------------------------------------

    async def _retrieve(
        self, sender_id: str, fetch_events_from_all_sessions: bool
    ) -> DialogueStateTracker | None:
        statement = (
            self._statements.all_sessions if fetch_events_from_all_sessions else self._statements.latest
        )

        def read() -> list[str]:
            with self.engine.connect() as connection:
                return [data for (data,) in connection.execute(statement, {"sender_id": sender_id})]

        rows = await self._run(read)
        if not self.domain or not rows:
            return None
        events = [json.loads(row) for row in rows]
        tracker = DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)
        if len(tracker.events) == len(rows):
            setattr(tracker, STORED_MARK, len(rows))
        return tracker

    # -- writing ----------------------------------------------------------------------------------

    def _row(self, sender_id: str, event: Any) -> dict[str, Any]:
        data = event.as_dict()
        return {
            "sender_id": sender_id,
            "type_name": event.type_name,
            "timestamp": data.get("timestamp"),
            "intent_name": data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
            "action_name": data.get("name"),
            "data": json.dumps(data),
        }

    def _save_sync(self, tracker: DialogueStateTracker, events: list[Any], stored: int | None) -> int:
        with self.engine.connect() as connection:
            connection = connection.execution_options(**{IMMEDIATE: True})
            with connection.begin():
                if stored is None:  # a tracker not read by this store: Rasa's way, count what is there
                    with self.session_scope() as session:
                        stored = self._event_query(session, tracker.sender_id, False).count()
                new = events[stored:]
                if new:
                    rows = [self._row(tracker.sender_id, e) for e in new]
                    connection.execute(self._statements.insert, rows)
        return len(events)

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Append the tracker's new events (see the module docstring)."""
        await self.stream_events(tracker)
        events = list(tracker.events)
        stored = getattr(tracker, STORED_MARK, None)
        if stored is not None and stored > len(events):
            stored = None
        try:
            count = await self._run(lambda: self._save_sync(tracker, events, stored))
        except Exception:
            # Rasa's fallback keeps the conversation in memory as if saved: the turn says so instead.
            save_watch.mark_failed(tracker.sender_id)
            raise
        setattr(tracker, STORED_MARK, count)

    async def keys(self) -> list[str]:
        def read() -> list[str]:
            with self.session_scope() as session:
                return [sid for (sid,) in session.query(self.SQLEvent.sender_id).distinct().all()]

        return await self._run(read)
