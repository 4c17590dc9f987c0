"""The conversation lock store: in memory for one worker, Redis (REDIS_URL) for several.

Rasa handles one message per conversation at a time by taking a ticket from a lock store. With
several Sanic workers (SANIC_WORKERS=N) the lock must be shared, so it lives in Redis. Rasa's own
`RedisLockStore` changes a lock by reading it, changing it in Python and writing it back; two
workers taking a ticket for the same conversation at the same moment can therefore both get the
same ticket number, or one can write back a lock without the other's ticket, and both then handle
the conversation at once (the second save of the tracker then misses or interleaves events).
`AtomicRedisLockStore` makes every read-change-write one optimistic Redis transaction
(WATCH/MULTI/EXEC, retried on conflict), so tickets are unique and none is lost.

endpoints.yml names `HsgLockStore`; it gives the in-memory store when REDIS_URL is not set.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, InMemoryLockStore, LockError, LockStore, RedisLockStore

from bot.config import get_settings

logger = logging.getLogger(__name__)

KEY_PREFIX = "hsg:lock:"
SOCKET_TIMEOUT_S = 5.0


class AtomicRedisLockStore(RedisLockStore):
    """Rasa's Redis lock store with atomic ticket changes (see the module docstring)."""

    def __init__(self, url: str, key_prefix: str = KEY_PREFIX) -> None:  # noqa: D107
        import redis

        self.red = redis.StrictRedis.from_url(
            url, socket_timeout=SOCKET_TIMEOUT_S, socket_connect_timeout=SOCKET_TIMEOUT_S
        )
        self.key_prefix = key_prefix
        LockStore.__init__(self)

    def _change(
        self, conversation_id: str, change: Callable[[TicketLock | None], tuple[TicketLock | None, Any]]
    ) -> Any:
        """Apply `change(lock) -> (lock to save or None to delete, result)` atomically."""
        import redis

        key = self.key_prefix + conversation_id
        with self.red.pipeline() as pipe:
            while True:
                try:
                    pipe.watch(key)
                    raw = pipe.get(key)
                    lock = TicketLock.from_dict(json.loads(raw)) if raw else None
                    new, result = change(lock)
                    pipe.multi()
                    if new is None:
                        pipe.delete(key)
                    else:
                        pipe.set(key, new.dumps())
                    pipe.execute()
                    return result
                except redis.WatchError:
                    continue  # someone else changed the lock in between: read it again

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        def take(lock: TicketLock | None) -> tuple[TicketLock, int]:
            lock = lock or self.create_lock(conversation_id)
            return lock, lock.issue_ticket(lock_lifetime)

        try:
            return self._change(conversation_id, take)
        except Exception as error:
            raise LockError(f"Error while acquiring lock. Error:\n{error}") from error

    def update_lock(self, conversation_id: str) -> None:
        def expire(lock: TicketLock | None) -> tuple[TicketLock | None, None]:
            if lock is not None:
                lock.remove_expired_tickets()
            return lock, None

        self._change(conversation_id, expire)

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        def finish(lock: TicketLock | None) -> tuple[TicketLock | None, None]:
            if lock is not None:
                lock.remove_ticket_for(ticket_number)
            return lock, None

        self._change(conversation_id, finish)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        """Remove this ticket, and the lock with it when nobody else waits, in one step."""

        def finish(lock: TicketLock | None) -> tuple[TicketLock | None, None]:
            if lock is None:
                return None, None
            lock.remove_ticket_for(ticket_number)
            return (lock if lock.is_someone_waiting() else None), None

        self._change(conversation_id, finish)


class HsgLockStore(LockStore):
    """What endpoints.yml names: Redis when REDIS_URL is set, else Rasa's in-memory store."""

    def __new__(cls, endpoint_config: Any = None, **kwargs: Any) -> LockStore:  # type: ignore[misc]
        settings = get_settings()
        if settings.redis_url:
            logger.info("conversation locks in Redis; %d Rasa worker(s)", settings.rasa_workers)
            return AtomicRedisLockStore(settings.redis_url)
        return InMemoryLockStore()
