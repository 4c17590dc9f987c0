"""Why the atomic Redis lock store: `python -m tools.bench.lock_race [redis-url]`.

Four threads take 25 tickets each for one conversation, once with Rasa's RedisLockStore and once with
bot.rasa_server.lock_store.AtomicRedisLockStore, and print how many distinct tickets each handed out.
"""

from __future__ import annotations

import sys
import threading
import uuid
from collections.abc import Callable

from rasa.core.lock_store import LockStore, RedisLockStore
from redis import Redis

from bot.rasa_server.lock_store import AtomicRedisLockStore


def race(make: Callable[[], LockStore], threads: int = 4, each: int = 25) -> tuple[int, int]:
    conversation = "race-" + uuid.uuid4().hex
    stores = [make() for _ in range(threads)]
    tickets: list[int] = []
    guard = threading.Lock()

    def take(store: LockStore) -> None:
        for _ in range(each):
            ticket = store.issue_ticket(conversation, 60)
            with guard:
                tickets.append(ticket)

    workers = [threading.Thread(target=take, args=(store,)) for store in stores]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    stores[0].delete_lock(conversation)
    return len(tickets), len(set(tickets))


def main() -> int:
    url = sys.argv[1] if len(sys.argv) > 1 else "redis://127.0.0.1:6379/3"
    kwargs = Redis.from_url(url).connection_pool.connection_kwargs
    stock = race(lambda: RedisLockStore(host=kwargs["host"], port=kwargs["port"], db=kwargs.get("db", 0)))
    atomic = race(lambda: AtomicRedisLockStore(url))
    print(f"Rasa RedisLockStore:  {stock[0]} tickets issued, {stock[1]} distinct")
    print(f"AtomicRedisLockStore: {atomic[0]} tickets issued, {atomic[1]} distinct")
    return 0


if __name__ == "__main__":
    sys.exit(main())
