"""Test databases for the storage and nurse tests: a temporary SQLite file, or a fresh PostgreSQL schema."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg2

from bot.storage import db

PG = {"host": "127.0.0.1", "port": 5432, "user": "postgres", "dbname": "test", "connect_timeout": 5}


def sqlite_url(folder: Path) -> str:
    return f"sqlite:///{folder / 'hsg-test.db'}"


@contextmanager
def postgres_schema_url() -> Iterator[str]:
    """A URL whose search_path is a new, empty schema in database `test`; dropped afterwards."""
    schema = "hsg_t_" + uuid.uuid4().hex[:12]
    admin = psycopg2.connect(**PG)
    admin.autocommit = True
    admin.cursor().execute(f'CREATE SCHEMA "{schema}"')
    url = f"postgresql://postgres@127.0.0.1:5432/test?options=-csearch_path%3D{schema}"
    try:
        yield url
    finally:
        engine = db._ENGINES.pop(url, None)
        if engine is not None:
            engine.dispose()
        admin.cursor().execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        admin.close()
