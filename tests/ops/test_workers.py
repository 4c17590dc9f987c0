"""The production profile: PostgreSQL + Redis, two Rasa workers on one port.

Sixteen messages sent at once to one conversation all reach the transcript, each followed by its
own replies (the Redis lock store serialises the conversation across workers, the tracker store
appends what each turn added). Also: concurrent tickets from the Redis lock store are unique.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import psycopg2
import pytest

from bot.rasa_server.lock_store import AtomicRedisLockStore
from bot.storage.transcripts import read_transcript
from tests.conftest import MODEL
from tools.stack import IsolatedStack, start_isolated

pytestmark = [pytest.mark.stack, pytest.mark.postgres, pytest.mark.redis]

REDIS = "redis://127.0.0.1:6379/3"


@pytest.fixture(scope="module")
def two_workers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[IsolatedStack]:
    name = "hsg_workers_" + uuid.uuid4().hex[:12]
    admin = psycopg2.connect(host="127.0.0.1", port=5432, user="postgres", dbname="postgres")
    admin.autocommit = True
    admin.cursor().execute(f'CREATE DATABASE "{name}"')
    env = {
        "DATABASE_URL": f"postgresql://postgres@127.0.0.1:5432/{name}",
        "REDIS_URL": REDIS,
        "SANIC_WORKERS": "2",
    }
    stack = start_isolated(Path(tmp_path_factory.mktemp("workers")), MODEL, env, with_web=False)
    try:
        yield stack
    finally:
        stack.stop()
        admin.cursor().execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(child) for child in (task / "children").read_text().split()]
    return found


def test_two_workers_serve_one_port(two_workers: IsolatedStack) -> None:
    rasa = two_workers.services["rasa"].process
    assert rasa is not None
    workers = [pid for pid in children(rasa.pid) if "python" in Path(f"/proc/{pid}/exe").resolve().name]
    assert len(workers) >= 2, "SANIC_WORKERS=2 with REDIS_URL must start two Rasa workers"


def test_sixteen_concurrent_messages_to_one_conversation_all_reach_the_transcript(
    two_workers: IsolatedStack,
) -> None:
    conversation = "workers-" + uuid.uuid4().hex
    sent = [f"question {number}: how long does the hsg take?" for number in range(16)]

    def say(text: str) -> int:
        reply = httpx.post(
            f"{two_workers.rasa_url}/webhooks/rest/webhook",
            json={"sender": conversation, "message": text},
            timeout=120,
        )
        return reply.status_code

    with ThreadPoolExecutor(16) as pool:
        assert list(pool.map(say, sent)) == [200] * 16

    # Turns queued behind the conversation lock longer than HSG_TURN_TIMEOUT_S were answered by the
    # safety net and finish after their HTTP reply: wait for the queue to drain.
    deadline = time.monotonic() + 120
    while True:
        turns = read_transcript(conversation, two_workers.database_url)
        user = [turn.text for turn in turns if turn.kind == "user"]
        if len(user) >= len(sent) or time.monotonic() > deadline:
            break
        time.sleep(1)
    assert sorted(user) == sorted(sent), f"{len(user)} of 16 user messages in the transcript"
    # One turn after the other: every message is followed by the assistant's reply before the next.
    kinds = [turn.kind for turn in turns]
    for index, kind in enumerate(kinds):
        if kind == "user":
            assert index + 1 < len(kinds) and kinds[index + 1] == "bot", kinds
    times = [turn.at for turn in turns]
    assert times == sorted(times), "transcript rows out of time order"


def test_redis_tickets_are_unique_under_concurrency() -> None:
    conversation = "tickets-" + uuid.uuid4().hex
    stores = [AtomicRedisLockStore(REDIS) for _ in range(4)]
    tickets: list[int] = []
    guard = threading.Lock()

    def take(store: AtomicRedisLockStore) -> None:
        for _ in range(25):
            ticket = store.issue_ticket(conversation, 60)
            with guard:
                tickets.append(ticket)

    threads = [threading.Thread(target=take, args=(store,)) for store in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(tickets) == 100 and len(set(tickets)) == 100
    lock = stores[0].get_lock(conversation)
    assert lock is not None and len(lock.tickets) == 100
    stores[0].delete_lock(conversation)
