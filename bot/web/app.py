"""The web app: the patient chat page at `/`, the nurse pages under `/nurse/`, the JSON API under `/api/`.

Started as `uvicorn bot.web.app:create_app --factory`. Nothing happens at import; `create_app()`
reads the settings, and while it runs background tasks store escalations that were queued on disk
while the database was unreachable (every FLUSH_EVERY_S seconds) and delete what is older than the
clinic profile's retention_days (five minutes after start-up, then daily), and send due check-ins
and on-call alerts (every HSG_OUTREACH_EVERY_S seconds).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Mount, Route

from bot.config import get_settings
from bot.web.api import api_routes
from bot.web.auth import AddressLimiter
from bot.web.nurse import nurse_routes
from bot.web.ops import ops_routes
from bot.web.patient import patient_routes
from bot.web.security import SecurityHeaders, secret_key

logger = logging.getLogger(__name__)

FLUSH_EVERY_S = 10.0
RETENTION_EVERY_S = 24 * 3600.0
RETENTION_FIRST_AFTER_S = 300.0
MAX_BODY_BYTES = 64 * 1024


def flush_once() -> None:
    from bot.storage.outbox import flush_outbox

    flush_outbox()


def retention_once() -> None:
    from bot.clinic import get_profile
    from bot.storage.retention import apply_retention

    apply_retention(get_profile().retention_days)


def outreach_once() -> None:
    """Due check-ins and on-call alerts; safe in several workers (both are claimed in the database)."""
    from bot.outreach.alerts import run_alerts
    from bot.outreach.checkins import run_due

    try:
        run_alerts()
    finally:
        run_due()


async def periodically(work: Callable[[], None], every: float, first_after: float = 0.0) -> None:
    """Run `work` in a thread every `every` seconds; a failure is logged and tried again next time
    (queued files stay on disk, old data waits a day)."""
    await asyncio.sleep(first_after)
    while True:
        try:
            await run_in_threadpool(work)
        except Exception:
            logger.exception("%s failed", work.__name__)
        await asyncio.sleep(every)


@contextlib.asynccontextmanager
async def lifespan(app: Starlette) -> AsyncIterator[None]:
    secret_key()  # says so in the log at start-up if no secret is configured
    tasks = [
        asyncio.create_task(periodically(flush_once, FLUSH_EVERY_S)),
        # Retention not in the busy moment when every service starts, then once a day.
        asyncio.create_task(periodically(retention_once, RETENTION_EVERY_S, RETENTION_FIRST_AFTER_S)),
    ]
    if get_settings().outreach_every_s > 0:
        tasks.append(asyncio.create_task(periodically(outreach_once, get_settings().outreach_every_s)))
    try:
        yield
    finally:
        for task in tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task


async def to_nurse(request: Request) -> Response:
    return RedirectResponse("/nurse/", status_code=308)


def create_app() -> Starlette:
    routes = [
        Route("/nurse", to_nurse),
        Mount("/nurse", routes=nurse_routes()),
        Mount("/api", routes=api_routes()),
        *ops_routes(),  # /metrics, /ready
        *patient_routes(),
    ]
    app = Starlette(
        routes=routes,
        middleware=[Middleware(SecurityHeaders)],
        lifespan=lifespan,
        max_body_size=MAX_BODY_BYTES,
    )
    app.state.sign_in_limiter = AddressLimiter()
    return app
