"""One place that makes database engines and brings a database's schema to the newest revision.

Rasa's server, the action server and the web app share one database (SQLite file by default), so
SQLite runs in WAL mode with a busy timeout, and writers take the write lock when their
transaction begins (`BEGIN IMMEDIATE`) instead of failing half-way when another process wrote first.
PostgreSQL connections get a connect timeout, so an unreachable server fails fast and escalations
go to the outbox instead of hanging the patient's conversation. Every engine hides SQL parameters in
its error messages: they carry patient text and phone numbers, and errors end up in logs.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.orm import Session

from bot.config import get_settings
from bot.privacy import private_dir

logger = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
VERSION_TABLE = "hsg_alembic_version"
SQLITE_BUSY_MS = 15000
PG_CONNECT_TIMEOUT_S = 5
PG_STATEMENT_TIMEOUT_MS = 15000
IMMEDIATE = "hsg_immediate"
_ENGINES: dict[str, Engine] = {}
_ENGINES_LOCK = threading.Lock()


def resolve_url(url: str | None) -> str:
    return url or get_settings().database_url


def _sqlite_engine(url: str, busy_ms: int = SQLITE_BUSY_MS) -> Engine:
    parsed = make_url(url)
    if parsed.database and parsed.database != ":memory:":
        # A missing folder is created; an unwritable one fails later, on connect, where callers expect it.
        with contextlib.suppress(OSError):
            private_dir(Path(parsed.database).parent)
    file_db = bool(parsed.database) and parsed.database != ":memory:"
    # SQLAlchemy 1.4 opens a new connection per session for a SQLite file (NullPool): with the PRAGMAs
    # below that was about a third of the Rasa server's CPU per message. A small pool keeps them open
    # (WAL mode and the busy timeout are per connection, set once on connect).
    pool: dict[str, Any] = {}
    if file_db:
        pool = {"poolclass": sa.pool.QueuePool, "pool_size": 5, "max_overflow": 10}
    engine = sa.create_engine(
        url,
        connect_args={"timeout": busy_ms / 1000, "check_same_thread": False},
        isolation_level=None,  # pysqlite's own transaction handling is off; BEGIN is emitted below
        future=True,
        hide_parameters=True,
        **pool,
    )

    @sa.event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: Any, record: Any) -> None:
        if parsed.database and parsed.database != ":memory:":
            with contextlib.suppress(OSError):  # patient data: owner only (WAL files follow the file)
                os.chmod(parsed.database, 0o600)
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={busy_ms}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        immediate = connection.get_execution_options().get(IMMEDIATE)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def redact_errors(engine: Engine) -> Engine:
    """Drop the lines of database error messages that quote row data (PostgreSQL's `DETAIL: Failing
    row contains (…)`, key values): they carry patient text and phone numbers, and errors get logged.
    `hide_parameters=True` hides only the statement's parameters."""

    @sa.event.listens_for(engine, "handle_error")
    def _redact(context: Any) -> None:
        for error in (context.original_exception, context.sqlalchemy_exception):
            if error is not None and error.args and "DETAIL:" in str(error.args[0]):
                lines = str(error.args[0]).splitlines()
                with contextlib.suppress(Exception):
                    error.args = ("\n".join(line for line in lines if not line.startswith("DETAIL:")),)

    return engine


def make_engine(url: str, timeout_ms: int = PG_STATEMENT_TIMEOUT_MS, **pool: Any) -> Engine:
    """A new engine with this module's timeouts; `timeout_ms` bounds each statement and lock wait.

    `get_engine` keeps one per URL; the Rasa tracker store makes its own (shorter timeouts, own pool).
    """
    backend = make_url(url).get_backend_name()
    if backend == "sqlite":
        return _sqlite_engine(url, busy_ms=timeout_ms)
    if backend != "postgresql":
        return redact_errors(
            sa.create_engine(url, pool_pre_ping=True, future=True, hide_parameters=True, **pool)
        )
    connect_args = {
        "connect_timeout": PG_CONNECT_TIMEOUT_S,
        "application_name": "hsg-assistant",
        # A server that vanishes without closing the connection is noticed within about a minute.
        "keepalives": 1,
        "keepalives_idle": 30,
        "keepalives_interval": 10,
        "keepalives_count": 3,
    }
    engine = sa.create_engine(
        url, connect_args=connect_args, pool_pre_ping=True, future=True, hide_parameters=True, **pool
    )

    @sa.event.listens_for(engine, "connect")
    def _timeouts(dbapi_connection: Any, record: Any) -> None:
        # Set per connection, not through `options`, which may carry the caller's search_path.
        cursor = dbapi_connection.cursor()
        cursor.execute(f"SET statement_timeout = {int(timeout_ms)}")
        cursor.execute(f"SET lock_timeout = {int(timeout_ms)}")
        cursor.close()
        dbapi_connection.commit()

    return redact_errors(engine)


def get_engine(url: str | None = None) -> Engine:
    """The engine for `url` (default: settings.database_url), created once per URL and process."""
    url = resolve_url(url)
    with _ENGINES_LOCK:
        engine = _ENGINES.get(url)
        if engine is None:
            engine = _ENGINES[url] = make_engine(url)
        return engine


def dispose_engines() -> None:
    """Close every pooled connection and forget the engines (tests, CLI commands before exit)."""
    with _ENGINES_LOCK:
        for engine in _ENGINES.values():
            engine.dispose()
        _ENGINES.clear()


@contextlib.contextmanager
def write_session(url: str | None = None) -> Iterator[Session]:
    """A session in one write transaction, committed on success, rolled back on error.

    On SQLite the transaction starts with BEGIN IMMEDIATE, so concurrent writers queue on the busy
    timeout rather than failing with "database is locked" after they have read.
    """
    engine = get_engine(url)
    with engine.connect() as connection:
        connection = connection.execution_options(**{IMMEDIATE: True})
        with connection.begin(), Session(bind=connection, future=True, expire_on_commit=False) as session:
            yield session
            session.flush()


@contextlib.contextmanager
def read_session(url: str | None = None) -> Iterator[Session]:
    """A session for reading (and small writes such as audit rows, committed by the caller)."""
    with Session(bind=get_engine(url), future=True, expire_on_commit=False) as session:
        yield session


def alembic_config(url: str) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(database_url: str | None = None, revision: str = "head") -> None:
    """Bring the database at `database_url` to `revision` (default: newest). Idempotent.

    Several processes may call this at once: PostgreSQL serialises them with an advisory lock,
    SQLite with BEGIN IMMEDIATE; the loser then finds the schema at head and does nothing.
    """
    from alembic import command

    url = resolve_url(database_url)
    engine = get_engine(url)
    config = alembic_config(url)
    with engine.connect() as connection:
        config.attributes["connection"] = connection.execution_options(**{IMMEDIATE: True})
        command.upgrade(config, revision)


def current_revision(database_url: str | None = None) -> str | None:
    """The schema revision the database is at (None before the first upgrade)."""
    from alembic.runtime.migration import MigrationContext

    with get_engine(database_url).connect() as connection:
        context = MigrationContext.configure(connection, opts={"version_table": VERSION_TABLE})
        return context.get_current_revision()


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
