"""Safe when the database fails: with PostgreSQL cut off (a TCP proxy the test stops), a red flag still
gets its advice at once, the escalation waits in the on-disk outbox, and it lands once the database
is back. Runs its own stack on a fresh PostgreSQL database, reached through the proxy."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import psycopg2
import pytest
import sqlalchemy as sa

from tests.conftest import MODEL
from tests.e2e.test_rest_conversations import triage_of
from tests.support.tcp_proxy import TcpProxy
from tools.stack import IsolatedStack, start_isolated

pytestmark = [pytest.mark.stack, pytest.mark.postgres]


@pytest.fixture(scope="module")
def pg_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[IsolatedStack, TcpProxy, str]]:
    name = "hsg_down_" + uuid.uuid4().hex[:12]
    admin = psycopg2.connect(host="127.0.0.1", port=5432, user="postgres", dbname="postgres")
    admin.autocommit = True
    admin.cursor().execute(f'CREATE DATABASE "{name}"')
    proxy = TcpProxy("127.0.0.1", 5432)
    proxy.start()
    url = f"postgresql://postgres@127.0.0.1:{proxy.port}/{name}"
    stack = start_isolated(Path(tmp_path_factory.mktemp("pg")), MODEL, {"DATABASE_URL": url}, with_web=False)
    try:
        yield stack, proxy, f"postgresql://postgres@127.0.0.1:5432/{name}"
    finally:
        stack.stop()
        proxy.stop()
        admin.cursor().execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def say(stack: IsolatedStack, conversation: str, text: str) -> list[dict[str, Any]]:
    reply = httpx.post(
        f"{stack.rasa_url}/webhooks/rest/webhook", json={"sender": conversation, "message": text}, timeout=60
    )
    reply.raise_for_status()
    return reply.json()


def stored_levels(direct_url: str, conversation: str) -> list[str]:
    engine = sa.create_engine(direct_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                sa.text("SELECT level FROM hsg_escalations WHERE conversation_id = :c"), {"c": conversation}
            )
            return [row[0] for row in rows]
    finally:
        engine.dispose()


def test_red_flag_while_the_database_is_down_is_advised_and_queued_then_stored(pg_stack: Any) -> None:
    stack, proxy, direct_url = pg_stack
    conversation = "dbdown-" + uuid.uuid4().hex
    assert say(stack, "warm-" + conversation, "hello")
    proxy.stop()
    try:
        replies = say(stack, conversation, "I have a fever of 39.4 and foul smelling discharge since the HSG")
        assert triage_of(replies) and triage_of(replies)[0]["level"] == "urgent"
        outbox = Path(stack.var_dir) / "outbox"
        assert list(outbox.glob("*.json")), "the escalation waits on disk"
    finally:
        proxy.start()
    # The next escalation (or the web app's periodic flush) stores what was queued.
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and "urgent" not in stored_levels(direct_url, conversation):
        say(stack, "flush-" + uuid.uuid4().hex, "I have a fever of 38.5")
        time.sleep(1)
    assert stored_levels(direct_url, conversation) == ["urgent"]
    assert not list((Path(stack.var_dir) / "outbox").glob("*.json"))


def test_nul_in_a_red_flag_reaches_the_postgresql_inbox_not_bad(pg_stack: Any) -> None:
    """PostgreSQL refuses NUL in text; the escalation used to end up in the outbox as `.bad`."""
    stack, _proxy, direct_url = pg_stack
    conversation = "nul-" + uuid.uuid4().hex
    replies = say(
        stack, conversation, "I have a fever of 39.4\u0000 and foul smelling discharge since the HSG"
    )
    assert triage_of(replies) and triage_of(replies)[0]["level"] == "urgent"
    assert stored_levels(direct_url, conversation) == ["urgent"]
    assert not list((Path(stack.var_dir) / "outbox").glob("*.bad"))
