"""Who is asking: nurse sessions (cookie) for the pages, HTTP Basic for the API, sign-in and sign-out.

The cookie holds a random token, signed with the session secret; the session itself lives in the
database (`hsg_sessions`), so signing out, an idle half hour, twelve hours, or disabling the account
ends it for good. Failed sign-ins are slowed down and, after five in a row, lock the account for
five minutes (bot.storage.nurses).
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import secrets
from urllib.parse import quote, urlparse

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from bot.config import get_settings
from bot.storage import nurses
from bot.web import security

COOKIE = "hsg_nurse"
LOGIN_CSRF_COOKIE = "hsg_login_csrf"
FAILURE_DELAY_S = 1.0


async def current_nurse(request: Request) -> nurses.SessionInfo | None:
    """The signed-in nurse of this request (cached on the request), or None."""
    if "nurse" in request.scope:
        return request.scope["nurse"]
    token = security.unsign(request.cookies.get(COOKIE, ""), int(nurses.SESSION_MAX.total_seconds()))
    info = await run_in_threadpool(nurses.session_for, token) if token else None
    request.scope["nurse"] = info
    return info


def login_redirect(request: Request) -> RedirectResponse:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/nurse/login?next={quote(target, safe='')}", status_code=303)


def safe_next(value: str | None) -> str:
    """Only a local nurse page may be the place to go after signing in (no open redirect)."""
    if value and value.startswith("/nurse/") and not value.startswith("//"):
        parsed = urlparse(value)
        if not parsed.scheme and not parsed.netloc:
            return value
    return "/nurse/"


def set_cookie(response: Response, name: str, value: str, max_age: int | None, path: str = "/nurse") -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path=path,
        httponly=True,
        samesite="strict",
        secure=get_settings().secure_cookies,
    )


def new_login_csrf() -> str:
    """A CSRF token for the sign-in form (double submit: a cookie and a hidden field must match)."""
    return secrets.token_urlsafe(32)


def remember_login_csrf(response: Response, token: str) -> None:
    set_cookie(response, LOGIN_CSRF_COOKIE, token, max_age=3600)


async def sign_in(request: Request, username: str, password: str) -> Response | None:
    """A redirect with the session cookie, or None (after a pause) when the sign-in failed."""
    who = await run_in_threadpool(nurses.check_password, username, password, None, "form")
    if who is None:
        await asyncio.sleep(FAILURE_DELAY_S)
        return None
    token = await run_in_threadpool(nurses.start_session, who)
    response = RedirectResponse(safe_next(request.query_params.get("next")), status_code=303)
    set_cookie(response, COOKIE, security.sign(token), max_age=int(nurses.SESSION_MAX.total_seconds()))
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/nurse")
    return response


async def sign_out(request: Request, who: nurses.SessionInfo) -> Response:
    token = security.unsign(request.cookies.get(COOKIE, ""), int(nurses.SESSION_MAX.total_seconds()))
    if token:
        await run_in_threadpool(nurses.end_session, token, who.username)
    response = RedirectResponse("/nurse/login?signed_out=1", status_code=303)
    response.delete_cookie(COOKIE, path="/nurse")
    return response


def basic_credentials(request: Request) -> tuple[str, str] | None:
    header = request.headers.get("authorization", "")
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic" or not encoded:
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    username, sep, password = decoded.partition(":")
    return (username, password) if sep else None


async def basic_nurse(request: Request) -> nurses.SignedIn | None:
    """The nurse whose Basic credentials came with this API request, or None (after a pause)."""
    credentials = basic_credentials(request)
    if credentials is None:
        return None
    who = await run_in_threadpool(nurses.check_password, credentials[0], credentials[1], None, "basic")
    if who is None:
        await asyncio.sleep(FAILURE_DELAY_S)
    return who
