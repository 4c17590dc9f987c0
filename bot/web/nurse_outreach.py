"""Nurse pages for reaching patients: write to the patient from an escalation, see her full phone
number (audited), enrol patients for check-ins and see how each check-in went.

Same rules as bot.web.nurse: a signed-in nurse for every page, the session's CSRF token on every
POST, every view of a phone number and every change in the audit log.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from bot.outreach import checkins as outreach_checkins
from bot.outreach.nurse_reply import ReplyError, send_nurse_message
from bot.phone.addresses import split_conversation
from bot.storage import audit, checkins
from bot.storage.db import read_session, write_session
from bot.storage.models import utcnow
from bot.web import auth, security

FAILED_SINCE = timedelta(days=7)
# Pages are redirected with a code, never with text from the request (nothing reflected).
ERRORS = {
    "empty": "Write a message first.",
    "too_long": "A message can be at most 1,600 characters.",
    "no_phone": "This conversation's phone number is not known.",
    "opted_out": "The patient opted out of messages (STOP): please call her.",
    "twilio_failed": "Twilio did not accept the message (kept in the conversation as failed). Please call.",
    "consent": "Enrol a patient only with her consent (tick the box).",
    "phone": "Give the mobile number in international form, e.g. +31612345678.",
    "channel": "Choose SMS or WhatsApp.",
    "hsg_date": "Give the date of the HSG.",
    "hsg_date_range": "The HSG date must be within 60 days of today.",
    "language": "Choose English or Dutch.",
    "send_opted_out": "The patient opted out (STOP); nothing was sent.",
    "send_nothing_due": "There is no check-in left to send for this patient.",
    "send_failed": "Twilio did not accept the check-in.",
    "send_not_found": "No such enrolment.",
    "send_other": "Nothing was sent.",
}
NOTICES = {
    "sent": "Your message was sent to the patient.",
    "pending": "Your message is waiting for the patient's chat window to fetch it.",
    "enrolled": "The patient is enrolled for check-ins.",
    "checkin_sent": "The check-in was sent.",
}


def reveal_phone(session: Session, item: dict[str, Any], actor: str) -> dict[str, str] | None:
    """The full number of a phone conversation for the escalation page; the view is audited."""
    address = split_conversation(item["conversation_id"])
    if address is None:
        return None
    channel, phone = address
    audit.append(session, actor, "view_phone", item["id"], channel=channel)
    return {"phone": phone, "channel": channel, "tel": "tel:" + phone}


def failed_checkins() -> int:
    with read_session() as session:
        return checkins.failed_recent(session, utcnow() - FAILED_SINCE)


async def _form_of(request: Request) -> tuple[Any, Any] | Response:
    who = await auth.current_nurse(request)
    if who is None:
        return auth.login_redirect(request)
    form = await request.form()
    if not security.same_token(who.csrf_token, form.get("csrf_token")):
        return Response("Invalid form token", status_code=403)
    return who, form


async def post_message(request: Request) -> Response:
    checked = await _form_of(request)
    if isinstance(checked, Response):
        return checked
    who, form = checked
    escalation_id = request.path_params["escalation_id"]
    target = f"/nurse/escalations/{escalation_id}"
    try:
        item = await run_in_threadpool(
            send_nurse_message, escalation_id, who.username, str(form.get("text", "")), "web"
        )
    except ReplyError as error:
        return RedirectResponse(f"{target}?error={error.code}#reply", status_code=303)
    if item is None:
        return Response("Not found", status_code=404)
    if item["status"] == "failed":
        return RedirectResponse(f"{target}?error=twilio_failed#reply", status_code=303)
    return RedirectResponse(f"{target}?notice={item['status']}#reply", status_code=303)


def checkins_data(actor: str) -> dict[str, Any]:
    with write_session() as session:
        audit.append(session, actor, "view_checkins")
        return {"enrolments": checkins.recent(session)}


async def checkins_page(request: Request) -> Response:
    from bot.web.nurse import render

    who = await auth.current_nurse(request)
    if who is None:
        return auth.login_redirect(request)
    data = await run_in_threadpool(checkins_data, who.username)
    notice = NOTICES.get(request.query_params.get("notice", ""), "")
    return render(
        request,
        "nurse/checkins.html",
        {
            "nurse": who,
            "csrf_token": who.csrf_token,
            "error": ERRORS.get(request.query_params.get("error", ""), ""),
            "notice": notice,
            **data,
        },
    )


async def enrol_submit(request: Request) -> Response:
    checked = await _form_of(request)
    if isinstance(checked, Response):
        return checked
    who, form = checked
    body = {key: str(form.get(key, "")) for key in ("phone", "channel", "hsg_date", "language")}
    if form.get("consent") != "yes":
        return RedirectResponse("/nurse/checkins?error=consent", status_code=303)
    try:
        await run_in_threadpool(outreach_checkins.enrol, body, who.username)
    except outreach_checkins.EnrolmentError as error:
        return RedirectResponse(f"/nurse/checkins?error={error.code}", status_code=303)
    return RedirectResponse("/nurse/checkins?notice=enrolled", status_code=303)


async def send_submit(request: Request) -> Response:
    checked = await _form_of(request)
    if isinstance(checked, Response):
        return checked
    who, _ = checked
    outcome = await run_in_threadpool(
        outreach_checkins.send_next, request.path_params["checkin_id"], who.username
    )
    if outcome.sent:
        return RedirectResponse("/nurse/checkins?notice=checkin_sent", status_code=303)
    code = "send_" + outcome.reason if "send_" + outcome.reason in ERRORS else "send_other"
    return RedirectResponse(f"/nurse/checkins?error={code}", status_code=303)


def outreach_nurse_routes() -> list[BaseRoute]:
    return [
        Route("/escalations/{escalation_id:int}/messages", post_message, methods=["POST"]),
        Route("/checkins", checkins_page, methods=["GET"]),
        Route("/checkins", enrol_submit, methods=["POST"]),
        Route("/checkins/{checkin_id:int}/send", send_submit, methods=["POST"]),
    ]
