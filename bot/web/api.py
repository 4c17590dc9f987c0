"""JSON API under /api/ for scripts and other systems, with HTTP Basic auth of a nurse account.

    GET  /api/escalations?page=1&per_page=50&level=&status=all&channel=&date=YYYY-MM-DD
         → {"items": [...], "page", "per_page", "total"}, newest first; phone numbers masked
    GET  /api/escalations/{id}         → the escalation, its report history, transcript and audit trail
    POST /api/escalations/{id}/status  {"status": "in_review"|"resolved", "outcome": ..., "note": ...}

No CSRF token here: a POST must be `application/json`, which a cross-site form cannot send, and
cookies are not accepted — only the Authorization header. Every call is audited.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from bot.conversations import is_phone_conversation
from bot.storage import audit, inbox, nurses
from bot.storage.db import read_session, write_session
from bot.storage.transcripts import read_transcript
from bot.web import auth

UNAUTHORIZED_HEADERS = {"WWW-Authenticate": 'Basic realm="hsg-api", charset="UTF-8"'}


def unauthorized() -> Response:
    return JSONResponse({"error": "unauthorized"}, status_code=401, headers=UNAUTHORIZED_HEADERS)


REFUSALS = {
    auth.Refused.RATE_LIMITED: (429, "too many failed sign-ins from this address; try again later"),
    auth.Refused.BUSY: (503, "busy; try again in a moment"),
}


async def api_nurse(request: Request) -> nurses.SignedIn | Response:
    """The nurse behind this request's Basic credentials, or the response that refuses it."""
    who = await auth.basic_nurse(request)
    if isinstance(who, auth.Refused):
        status, error = REFUSALS[who]
        return JSONResponse({"error": error}, status_code=status, headers={"Retry-After": "60"})
    return who if who is not None else unauthorized()


def int_param(request: Request, name: str, default: int) -> int:
    try:
        return int(request.query_params.get(name, default))
    except ValueError:
        return default


def list_data(filters: inbox.Filters, page: int, per_page: int, actor: str) -> dict[str, Any]:
    with write_session() as session:
        audit.append(session, actor, "api_list", filters=filters.as_query(), page=page)
    with read_session() as session:
        items, total = inbox.list_escalations(session, filters, "newest", page, per_page)
    for item in items:  # the full number only in the audited detail view
        if is_phone_conversation(item["conversation_id"]):
            item["conversation_id"] = item["conversation_display"]
    return {"items": items, "page": page, "per_page": per_page, "total": total}


async def list_escalations(request: Request) -> Response:
    who = await api_nurse(request)
    if isinstance(who, Response):
        return who
    filters = inbox.Filters.parse(request.query_params, default_status="all")
    page = max(1, int_param(request, "page", 1))
    per_page = max(1, min(inbox.MAX_PER_PAGE, int_param(request, "per_page", 50)))
    return JSONResponse(await run_in_threadpool(list_data, filters, page, per_page, who.username))


def detail_data(escalation_id: int, actor: str) -> dict[str, Any] | None:
    with write_session() as session:
        item = inbox.get_escalation(session, escalation_id)
        if item is None:
            return None
        audit.append(session, actor, "view_escalation", escalation_id, how="api")
    item["transcript"] = [turn.as_dict() for turn in read_transcript(item["conversation_id"])]
    with read_session() as session:
        item["audit"] = [
            {**entry, "at": entry["at"].isoformat(timespec="seconds") + "Z"}
            for entry in audit.for_escalation(session, escalation_id)
        ]
    return item


async def get_escalation(request: Request) -> Response:
    who = await api_nurse(request)
    if isinstance(who, Response):
        return who
    item = await run_in_threadpool(detail_data, request.path_params["escalation_id"], who.username)
    if item is None:
        return JSONResponse({"error": "not found"}, status_code=404)
    return JSONResponse(item)


def apply_status(escalation_id: int, actor: str, body: dict[str, Any]) -> dict[str, Any] | None:
    with write_session() as session:
        return inbox.change_status(
            session,
            escalation_id,
            str(body.get("status", "")),
            actor,
            outcome=str(body["outcome"]) if body.get("outcome") else None,
            note=str(body["note"]) if body.get("note") else None,
            how="api",
        )


async def post_status(request: Request) -> Response:
    who = await api_nurse(request)
    if isinstance(who, Response):
        return who
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
        return JSONResponse({"error": "send application/json"}, status_code=415)
    try:
        body = json.loads(await request.body())
    except ValueError:
        body = None
    if not isinstance(body, dict):
        return JSONResponse({"error": "a JSON object is expected"}, status_code=400)
    try:
        item = await run_in_threadpool(apply_status, request.path_params["escalation_id"], who.username, body)
    except inbox.StatusError as error:
        return JSONResponse({"error": str(error)}, status_code=409)
    if item is None:
        return JSONResponse({"error": "not found"}, status_code=404)
    return JSONResponse(item)


async def not_found(request: Request) -> Response:
    who = await api_nurse(request)
    if isinstance(who, Response):
        return who
    return JSONResponse({"error": "not found"}, status_code=404)


def api_routes() -> list[BaseRoute]:
    from bot.web.api_outreach import outreach_api_routes

    return [
        *outreach_api_routes(),
        Route("/escalations", list_escalations, methods=["GET"]),
        Route("/escalations/{escalation_id:int}", get_escalation, methods=["GET"]),
        Route("/escalations/{escalation_id:int}/status", post_status, methods=["POST"]),
        Route("/{rest:path}", not_found, methods=["GET", "POST", "PUT", "PATCH", "DELETE"]),
    ]
