"""`GET /metrics` (Prometheus) and `GET /ready` (which part is degraded) on the web app.

/metrics sums the snapshots every process writes (bot.ops.metrics) and adds what is read at scrape
time: the outbox on disk and the supervisor's view of the services. /ready checks the parts a
patient's red flag depends on: the database (a `SELECT 1` within 2 s), the action server and the
Rasa server (their health URLs), and the outbox (escalations waiting longer than OUTBOX_STALE_S mean
the database is not taking them). 200 when all are ok, else 503; the body says which part is not.
Neither says anything about a patient.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx
import sqlalchemy as sa
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from bot.config import get_settings
from bot.ops.metrics import read_totals, render

OUTBOX_STALE_S = 60.0
CHECK_TIMEOUT_S = 2.0
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


def outbox_state() -> tuple[int, float]:
    """(files waiting, age of the oldest in seconds) from the outbox folder."""
    from bot.storage.outbox import queued_files

    files = queued_files()
    if not files:
        return 0, 0.0
    oldest = min(path.stat().st_mtime for path in files if path.exists())
    return len(files), max(0.0, time.time() - oldest)


def supervisor_state() -> dict[str, Any] | None:
    from bot.ops.supervisor import read_state

    return read_state(get_settings().run_dir / "supervisor.json")


def metrics_text() -> str:
    totals = read_totals()
    depth, age = outbox_state()
    totals.gauges[("hsg_outbox_depth", ())] = depth
    totals.gauges[("hsg_outbox_oldest_age_seconds", ())] = age
    state = supervisor_state()
    for name, service in ((state or {}).get("services") or {}).items():
        labels = (("service", name),)
        totals.counters[("hsg_service_restarts_total", labels)] = float(service.get("restarts", 0))
        totals.gauges[("hsg_service_up", labels)] = 1.0 if service.get("up") else 0.0
    return render(totals)


async def metrics(request: Request) -> Response:
    return PlainTextResponse(await run_in_threadpool(metrics_text), media_type=CONTENT_TYPE)


def _database_ok() -> tuple[bool, str]:
    from bot.storage.db import get_engine

    try:
        with get_engine().connect() as connection:
            connection.execute(sa.text("SELECT 1"))
        return True, "ok"
    except Exception as error:
        return False, type(error).__name__


async def _http_ok(client: httpx.AsyncClient, url: str) -> tuple[bool, str]:
    try:
        reply = await client.get(url)
        return reply.status_code == 200, f"HTTP {reply.status_code}"
    except httpx.HTTPError as error:
        return False, type(error).__name__


async def ready(request: Request) -> Response:
    settings = get_settings()
    action_health = settings.action_server_url.rsplit("/webhook", 1)[0] + "/health"
    async with httpx.AsyncClient(timeout=CHECK_TIMEOUT_S) as client:
        database, action, rasa = await asyncio.gather(
            asyncio.wait_for(run_in_threadpool(_database_ok), CHECK_TIMEOUT_S),
            _http_ok(client, action_health),
            _http_ok(client, settings.rasa_url + "/"),
            return_exceptions=True,
        )
    depth, age = await run_in_threadpool(outbox_state)
    parts: dict[str, dict[str, Any]] = {}
    for name, outcome in (("database", database), ("action_server", action), ("rasa_server", rasa)):
        ok, detail = outcome if isinstance(outcome, tuple) else (False, type(outcome).__name__)
        parts[name] = {"ok": ok, "detail": "ok" if ok else detail}
    outbox_ok = age <= OUTBOX_STALE_S
    parts["outbox"] = {"ok": outbox_ok, "waiting": depth, "oldest_age_s": round(age, 1)}
    degraded = sorted(name for name, part in parts.items() if not part["ok"])
    body = {"status": "degraded" if degraded else "ok", "degraded": degraded, "parts": parts}
    return JSONResponse(body, status_code=503 if degraded else 200)


def ops_routes() -> list[BaseRoute]:
    return [Route("/metrics", metrics), Route("/ready", ready)]
