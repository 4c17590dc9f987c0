"""JSON API for reaching patients (Basic auth of a nurse account, like the rest of /api/):

    POST /api/escalations/{id}/messages  {"text": "..."}                  → 201 the stored message
    POST /api/checkins  {"phone", "channel": "sms"|"whatsapp", "hsg_date", "language"} → 201 enrolment
    GET  /api/checkins/{id}                                              → the enrolment and schedule
    POST /api/checkins/{id}/send                                         → 200 {"sent": bool, "reason"}

Bodies must be `application/json` (no CSRF token needed: a cross-site form cannot send it).
"""

from __future__ import annotations

import json
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from bot.outreach import checkins
from bot.outreach.nurse_reply import ReplyError, send_nurse_message
from bot.web import auth

UNAUTHORIZED_HEADERS = {"WWW-Authenticate": 'Basic realm="hsg-api", charset="UTF-8"'}


def unauthorized() -> Response:
    return JSONResponse({"error": "unauthorized"}, status_code=401, headers=UNAUTHORIZED_HEADERS)


async def json_body(request: Request) -> dict[str, Any] | Response:
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
        return JSONResponse({"error": "send application/json"}, status_code=415)
    try:
        body = json.loads(await request.body())
    except ValueError:
        body = None
    if not isinstance(body, dict):
        return JSONResponse({"error": "a JSON object is expected"}, status_code=400)
    return body


async def post_message(request: Request) -> Response:
    who = await auth.basic_nurse(request)
    if who is None:
        return unauthorized()
    body = await json_body(request)
    if isinstance(body, Response):
        return body
    try:
        item = await run_in_threadpool(
            send_nurse_message, request.path_params["escalation_id"], who.username, body.get("text"), "api"
        )
    except ReplyError as error:
        return JSONResponse({"error": str(error)}, status_code=error.status)
    if item is None:
        return JSONResponse({"error": "not found"}, status_code=404)
    return JSONResponse(item, status_code=201 if item["status"] != "failed" else 502)


async def post_checkin(request: Request) -> Response:
    who = await auth.basic_nurse(request)
    if who is None:
        return unauthorized()
    body = await json_body(request)
    if isinstance(body, Response):
        return body
    try:
        item = await run_in_threadpool(checkins.enrol, body, who.username)
    except checkins.EnrolmentError as error:
        return JSONResponse({"error": str(error)}, status_code=400)
    return JSONResponse(item, status_code=201)


async def get_checkin(request: Request) -> Response:
    if await auth.basic_nurse(request) is None:
        return unauthorized()
    item = await run_in_threadpool(checkins.get, request.path_params["checkin_id"])
    if item is None:
        return JSONResponse({"error": "not found"}, status_code=404)
    return JSONResponse(item)


async def send_checkin(request: Request) -> Response:
    who = await auth.basic_nurse(request)
    if who is None:
        return unauthorized()
    outcome = await run_in_threadpool(checkins.send_next, request.path_params["checkin_id"], who.username)
    if outcome.reason == "not_found":
        return JSONResponse({"error": "not found"}, status_code=404)
    if outcome.reason == "failed":
        return JSONResponse({**outcome.as_dict(), "error": "Twilio did not accept it"}, status_code=502)
    return JSONResponse(outcome.as_dict())


def outreach_api_routes() -> list[BaseRoute]:
    return [
        Route("/escalations/{escalation_id:int}/messages", post_message, methods=["POST"]),
        Route("/checkins", post_checkin, methods=["POST"]),
        Route("/checkins/{checkin_id:int}", get_checkin, methods=["GET"]),
        Route("/checkins/{checkin_id:int}/send", send_checkin, methods=["POST"]),
    ]
