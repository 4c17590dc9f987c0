"""Nurse pages under /nurse/: sign-in, the inbox (live), one conversation with its workflow, sign-out.

Every page needs a signed-in nurse; every POST carries the session's CSRF token. Each page view
and each change is written to the audit log. Patient text is rendered only through Jinja2's
autoescape and, in the live inbox, through `textContent` — never as HTML.
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from bot.privacy import mask_phone
from bot.storage import audit, inbox
from bot.storage.db import read_session, write_session
from bot.storage.models import LEVELS, OUTCOMES
from bot.storage.transcripts import read_transcript
from bot.web import auth, nurse_outreach, security

WEB_DIR = Path(__file__).resolve().parent
STATIC_DIR = WEB_DIR / "static" / "nurse"
PER_PAGE = 50
LEVEL_LABELS = {"emergency": "Emergency", "urgent": "Urgent", "inform_team": "Inform team"}
STATUS_LABELS = {"new": "New", "in_review": "In review", "resolved": "Resolved", "open": "Open", "all": "All"}
OUTCOME_LABELS = {
    "called_patient": "Called the patient",
    "advised_emergency_care": "Advised emergency care",
    "appointment_arranged": "Appointment arranged",
    "procedure_changed": "Procedure changed or postponed",
    "advice_confirmed": "Assistant's advice confirmed",
    "no_action_needed": "No action needed",
    "other": "Other (see note)",
}
# The only error texts an escalation page shows: `?error=` names one, it is never shown itself.
STATUS_ERRORS = {
    "status": "That status does not exist.",
    "transition": "That change is not possible from the escalation's current status.",
    "outcome": "Choose an outcome to resolve the escalation.",
}
CHANNEL_LABELS = {
    "rest": "Web chat",
    "socketio": "Web chat (socket)",
    "twilio_sms": "SMS",
    "twilio_whatsapp": "WhatsApp",
}


def when(value: str | datetime | None) -> str:
    """Times are UTC on the server; the page script shows them in the nurse's own time zone."""
    if not value:
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value.rstrip("Z"))
    return value.strftime("%Y-%m-%d %H:%M UTC")


@lru_cache(maxsize=1)
def templates() -> Jinja2Templates:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(WEB_DIR / "templates")),
        autoescape=True,
    )
    env.filters["when"] = when
    env.filters["reason"] = lambda code: str(code).replace("_", " ")
    env.filters["masked"] = mask_phone
    env.globals.update(
        LEVELS=LEVELS,
        LEVEL_LABELS=LEVEL_LABELS,
        STATUS_LABELS=STATUS_LABELS,
        OUTCOMES=OUTCOMES,
        OUTCOME_LABELS=OUTCOME_LABELS,
        CHANNELS=inbox.CHANNELS,
        CHANNEL_LABELS=CHANNEL_LABELS,
    )
    return Jinja2Templates(env=env)


def render(request: Request, name: str, context: dict[str, Any], status_code: int = 200) -> Response:
    return templates().TemplateResponse(request, name, {"nurse": None, **context}, status_code=status_code)


# --- sign-in and sign-out -------------------------------------------------------------------------


async def login_page(request: Request) -> Response:
    if await auth.current_nurse(request):
        return RedirectResponse("/nurse/", status_code=303)
    return login_form(request, error="", status_code=200)


def login_form(request: Request, error: str, status_code: int) -> Response:
    token = auth.new_login_csrf()
    response = render(
        request,
        "nurse/login.html",
        {
            "error": error,
            "signed_out": request.query_params.get("signed_out") == "1",
            "next": auth.safe_next(request.query_params.get("next")),
            "csrf_token": token,
        },
        status_code=status_code,
    )
    auth.remember_login_csrf(response, token)
    return response


async def login_submit(request: Request) -> Response:
    form = await request.form()
    if not security.same_token(request.cookies.get(auth.LOGIN_CSRF_COOKIE), form.get("csrf_token")):
        return login_form(request, "Your sign-in form expired. Please try again.", 400)
    response = await auth.sign_in(
        request, str(form.get("username", ""))[:200], str(form.get("password", ""))[:1000]
    )
    if response is auth.Refused.RATE_LIMITED:
        return login_form(request, "Too many failed sign-ins from here. Please wait a few minutes.", 429)
    if response is auth.Refused.BUSY:
        return login_form(request, "The server is busy. Please try again in a moment.", 503)
    if response is None:
        return login_form(
            request, "Wrong user name or password, or sign-in from here is paused for a few minutes.", 401
        )
    return response


async def logout(request: Request) -> Response:
    who = await auth.current_nurse(request)
    if who is None:
        return auth.login_redirect(request)
    form = await request.form()
    if not security.same_token(who.csrf_token, form.get("csrf_token")):
        return Response("Invalid form token", status_code=403)
    return await auth.sign_out(request, who)


# --- inbox ----------------------------------------------------------------------------------------


def inbox_data(filters: inbox.Filters, page: int, actor: str | None) -> dict[str, Any]:
    """Rows, per-level counts and total; the page view itself is audited (the polls are not)."""
    if actor:
        with write_session() as session:
            audit.append(session, actor, "view_inbox", filters=filters.as_query(), page=page)
    with read_session() as session:
        items, total = inbox.list_escalations(session, filters, "triage", page, PER_PAGE)
        counts = inbox.level_counts(session, filters)
    return {"items": items, "total": total, "counts": counts, "page": page, "per_page": PER_PAGE}


def page_number(request: Request) -> int:
    try:
        return max(1, int(request.query_params.get("page", "1")))
    except ValueError:
        return 1


async def inbox_page(request: Request) -> Response:
    who = await auth.current_nurse(request)
    if who is None:
        return auth.login_redirect(request)
    filters = inbox.Filters.parse(request.query_params)
    page = page_number(request)
    data = await run_in_threadpool(inbox_data, filters, page, who.username)
    failed = await run_in_threadpool(nurse_outreach.failed_checkins)
    return render(
        request,
        "nurse/inbox.html",
        {"nurse": who, "csrf_token": who.csrf_token, "filters": filters, "failed_checkins": failed, **data},
    )


async def inbox_json(request: Request) -> Response:
    """What the inbox script polls for: the same rows and counts, as JSON."""
    who = await auth.current_nurse(request)
    if who is None:
        return JSONResponse({"error": "sign in"}, status_code=401)
    filters = inbox.Filters.parse(request.query_params)
    data = await run_in_threadpool(inbox_data, filters, page_number(request), None)
    for item in data["items"]:
        item["when"] = when(item["created_at"])
        item.pop("conversation_id")  # the list shows the masked form only
    return JSONResponse(data)


# --- one escalation -------------------------------------------------------------------------------


def escalation_data(escalation_id: int, actor: str) -> dict[str, Any] | None:
    with write_session() as session:
        item = inbox.get_escalation(session, escalation_id)
        if item is None:
            return None
        audit.append(session, actor, "view_escalation", escalation_id)
        contact = nurse_outreach.reveal_phone(session, item, actor)
    transcript = read_transcript(item["conversation_id"])
    with read_session() as session:
        history = audit.for_escalation(session, escalation_id)
    return {"item": item, "transcript": transcript, "history": history, "contact": contact}


async def escalation_page(request: Request) -> Response:
    who = await auth.current_nurse(request)
    if who is None:
        return auth.login_redirect(request)
    data = await run_in_threadpool(escalation_data, request.path_params["escalation_id"], who.username)
    if data is None:
        return render(request, "nurse/not_found.html", {"nurse": who, "csrf_token": who.csrf_token}, 404)
    code = request.query_params.get("error", "")
    error = STATUS_ERRORS.get(code) or nurse_outreach.ERRORS.get(code, "")
    notice = nurse_outreach.NOTICES.get(request.query_params.get("notice", ""), "")
    return render(
        request,
        "nurse/escalation.html",
        {"nurse": who, "csrf_token": who.csrf_token, "error": error, "notice": notice, **data},
    )


def apply_status(escalation_id: int, actor: str, status: str, outcome: str | None, note: str | None) -> Any:
    with write_session() as session:
        return inbox.change_status(session, escalation_id, status, actor, outcome, note, how="web")


async def escalation_status(request: Request) -> Response:
    who = await auth.current_nurse(request)
    if who is None:
        return auth.login_redirect(request)
    form = await request.form()
    if not security.same_token(who.csrf_token, form.get("csrf_token")):
        return Response("Invalid form token", status_code=403)
    escalation_id = request.path_params["escalation_id"]
    target = f"/nurse/escalations/{escalation_id}"
    try:
        item = await run_in_threadpool(
            apply_status,
            escalation_id,
            who.username,
            str(form.get("status", "")),
            str(form.get("outcome", "")) or None,
            str(form.get("note", "")) or None,
        )
    except inbox.StatusError as error:
        return RedirectResponse(f"{target}?error={quote(error.code)}", status_code=303)
    if item is None:
        return Response("Not found", status_code=404)
    return RedirectResponse(target, status_code=303)


def nurse_routes() -> list[BaseRoute]:
    return [
        Route("/", inbox_page, methods=["GET"]),
        Route("/inbox.json", inbox_json, methods=["GET"]),
        Route("/login", login_page, methods=["GET"]),
        Route("/login", login_submit, methods=["POST"]),
        Route("/logout", logout, methods=["POST"]),
        Route("/escalations/{escalation_id:int}", escalation_page, methods=["GET"]),
        Route("/escalations/{escalation_id:int}/status", escalation_status, methods=["POST"]),
        *nurse_outreach.outreach_nurse_routes(),
        Mount("/static", app=StaticFiles(directory=str(STATIC_DIR)), name="nurse-static"),
    ]
