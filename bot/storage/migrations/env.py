"""Alembic environment, driven from `bot.storage.db.upgrade` (no alembic.ini).

The caller passes an open connection in `config.attributes["connection"]`; without one (the
`alembic` command line pointed here by hand) an engine is made from `sqlalchemy.url`.
"""

from __future__ import annotations

from alembic import context

from bot.storage.db import VERSION_TABLE, get_engine
from bot.storage.models import Base

PG_MIGRATION_LOCK = 0x48534701  # any constant; serialises concurrent upgrades on PostgreSQL


def run_with(connection) -> None:  # noqa: ANN001 (alembic's connection)
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        version_table=VERSION_TABLE,
        transactional_ddl=True,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({PG_MIGRATION_LOCK})")
        context.run_migrations()


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        run_with(connection)
        return
    with get_engine(context.config.get_main_option("sqlalchemy.url")).connect() as connection:
        run_with(connection)


if context.is_offline_mode():
    raise SystemExit("offline (SQL script) migrations are not supported; run `python -m bot db upgrade`")
run_migrations_online()
