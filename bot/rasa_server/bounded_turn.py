"""Bounded turns: a patient never waits longer than HSG_TURN_TIMEOUT_S for Rasa, and no turn is dropped.

Rasa handles a message in one go: lock the conversation, read the tracker, classify, run the
actions, store the tracker. When the database stalls (a locked table, a failing-over server) that
can take as long as the database wants. The channel calls `run_turn`, which

- starts Rasa's handling as its own task, so it is finished and stored even when the caller is
  cancelled (Sanic cancels a handler when the client hangs up) or stops waiting;
- waits at most `timeout_s`; after that the channel answers with what Rasa has sent so far, through
  the safety net, which gives red-flag advice and queues the escalation on disk
  (`TurnOutcome.finished` is False: the database may be what is slow, so the net must not wait for it).

`shielded(coro)` runs a whole channel turn (Rasa + safety net + sending) so that a client hanging
up does not cut it short either.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from typing import Any, TypeVar

from bot.privacy import log_ref

logger = logging.getLogger(__name__)

T = TypeVar("T")

# Tasks that outlive the request that started them; kept here so they are not garbage-collected.
_RUNNING: set[asyncio.Task] = set()


@dataclass(frozen=True)
class TurnOutcome:
    finished: bool  # Rasa finished within the bound (replies are complete)
    seconds: float


def _keep(task: asyncio.Task, sender_id: str, what: str) -> None:
    _RUNNING.add(task)

    def done(finished: asyncio.Task) -> None:
        _RUNNING.discard(finished)
        if not finished.cancelled() and finished.exception() is not None:
            logger.error(
                "%s failed for conversation %s",
                what,
                log_ref(sender_id),
                exc_info=finished.exception(),
            )

    task.add_done_callback(done)


async def run_turn(
    on_new_message: Callable[[Any], Awaitable[Any]], message: Any, timeout_s: float
) -> TurnOutcome:
    """Let Rasa handle `message` (a UserMessage) for at most `timeout_s` seconds; see the module doc.

    Exceptions from Rasa within the bound are raised to the caller; later ones are logged.
    """
    started = time.perf_counter()
    task = asyncio.ensure_future(on_new_message(message))
    try:
        await asyncio.wait_for(asyncio.shield(task), timeout_s)
    except asyncio.TimeoutError:
        _keep(task, message.sender_id, "a turn that outlived its bound")
        logger.warning(
            "turn for conversation %s not finished after %.1f s: the safety net answers, the turn "
            "is stored when it finishes",
            log_ref(message.sender_id),
            timeout_s,
        )
        return TurnOutcome(False, time.perf_counter() - started)
    except asyncio.CancelledError:
        _keep(task, message.sender_id, "a turn whose client hung up")
        raise
    return TurnOutcome(True, time.perf_counter() - started)


async def shielded(coro: Coroutine[Any, Any, T], sender_id: str = "") -> T:
    """Await `coro` in its own task: if the caller is cancelled, the task still runs to its end."""
    task = asyncio.ensure_future(coro)
    try:
        return await asyncio.shield(task)
    except asyncio.CancelledError:
        if not task.done():
            _keep(task, sender_id, "a turn whose client hung up")
        raise
