"""A stalled database does not silence the assistant (bot.rasa_server.bounded_turn, tracker_store).

Another connection holds an exclusive transaction on the stack's SQLite database (the tracker table
and every other table are locked for writing). A red flag still gets its advice within the turn
bound, its escalation is queued on disk and lands in the nurse inbox once the lock is gone, and the
turn itself is stored: also when the client hung up before any reply.
"""

from __future__ import annotations

import json
import sqlite3
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from tests.conftest import MODEL
from tests.e2e.test_rest_conversations import triage_of
from tools.stack import IsolatedStack, start_isolated

pytestmark = pytest.mark.stack

BOUND_S = 3


@pytest.fixture(scope="module")
def bounded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[IsolatedStack]:
    stack = start_isolated(
        Path(tmp_path_factory.mktemp("bounded")), MODEL, {"HSG_TURN_TIMEOUT_S": str(BOUND_S)}
    )
    try:
        yield stack
    finally:
        stack.stop()


def exclusive_lock(database_url: str) -> sqlite3.Connection:
    connection = sqlite3.connect(database_url.removeprefix("sqlite:///"), isolation_level=None, timeout=30)
    connection.execute("BEGIN EXCLUSIVE")
    return connection


def user_texts(database_url: str, sender: str) -> list[str]:
    engine = sa.create_engine(database_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                sa.text("SELECT data FROM events WHERE sender_id = :s AND type_name = 'user' ORDER BY id"),
                {"s": sender},
            )
            return [json.loads(row[0]).get("text") for row in rows]
    finally:
        engine.dispose()


def escalation_levels(database_url: str, sender: str) -> list[str]:
    engine = sa.create_engine(database_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                sa.text("SELECT level FROM hsg_escalations WHERE conversation_id = :c"), {"c": sender}
            )
            return [row[0] for row in rows]
    finally:
        engine.dispose()


def wait_for(check: Any, seconds: float = 90) -> Any:
    deadline = time.monotonic() + seconds
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.5)


def test_a_locked_tracker_table_gets_the_safety_net_reply_and_the_turn_is_stored(
    bounded: IsolatedStack,
) -> None:
    patient, hung_up = "lock-" + uuid.uuid4().hex, "gone-" + uuid.uuid4().hex
    red_flag = "I have had a high fever of 39.5 since the hsg"
    lock = exclusive_lock(bounded.database_url)
    try:
        # The lock is held until after this reply: without the bound the patient waits on the
        # database (15 s busy timeouts, then Rasa's own), longer than this client does.
        reply = httpx.post(
            f"{bounded.rasa_url}/webhooks/rest/webhook",
            json={"sender": patient, "message": red_flag},
            timeout=BOUND_S + 8,
        )
        reply.raise_for_status()
        replies = reply.json()
        assert triage_of(replies) and triage_of(replies)[0]["level"] == "urgent", replies
        assert list((bounded.var_dir / "outbox").glob("*.json")), "escalation not queued on disk"

        # A client that gives up before the bound: its red flag must not be lost either.
        with pytest.raises(httpx.TimeoutException):
            httpx.post(
                f"{bounded.rasa_url}/webhooks/rest/webhook",
                json={"sender": hung_up, "message": "I can't breathe and my throat is swelling"},
                timeout=1,
            )
        time.sleep(BOUND_S + 2)  # the turn runs on after the hang-up; the net queues the escalation
    finally:
        lock.rollback()
        lock.close()

    assert wait_for(lambda: escalation_levels(bounded.database_url, patient)) == ["urgent"]
    assert wait_for(lambda: escalation_levels(bounded.database_url, hung_up)) == ["emergency"]
    # The turns themselves are stored once the database is back.
    assert wait_for(lambda: user_texts(bounded.database_url, patient)) == [red_flag]
    assert wait_for(lambda: user_texts(bounded.database_url, hung_up)) == [
        "I can't breathe and my throat is swelling"
    ]
    # And the conversation goes on normally.
    replies = httpx.post(
        f"{bounded.rasa_url}/webhooks/rest/webhook",
        json={"sender": patient, "message": "how long does the hsg take?"},
        timeout=60,
    ).json()
    assert any((r.get("custom") or {}).get("answer", {}).get("topic") == "duration" for r in replies)
