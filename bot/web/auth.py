"""Who is asking: nurse sessions (cookie) for the pages, HTTP Basic for the API, sign-in and sign-out.

The cookie holds a random token, signed with the session secret; the session itself lives in the
database (`hsg_sessions`), so signing out, an idle half hour, twelve hours, or disabling the account
ends it for good. Before any password is hashed, a client address with too many recent failures is
refused (429) and at most a few hashes run at once (503 beyond); failed sign-ins are slowed down
and, after five for one account from one address, lock that address out for five minutes
(bot.storage.nurses).
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import secrets
import threading
import time
from collections import OrderedDict, deque
from enum import Enum
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
ADDRESS_FAILURES = 20  # failed (or unfinished) sign-ins per client address per window, before any hashing
ADDRESS_WINDOW_S = 300.0
MAX_ADDRESSES = 10_000


class Refused(Enum):
    """Why a sign-in was not even tried."""

    RATE_LIMITED = "rate_limited"  # this address failed too often lately
    BUSY = "busy"  # too many password checks running at once


class AddressLimiter:
    """Per client address: at most `limit` failed or in-flight attempts in `window` seconds.

    Checked before any password hashing, in this process's memory (the web app is one process).
    Attempts in flight count too, so a burst of concurrent requests cannot get past it; successful
    sign-ins do not, so a script using the API with the right password is never slowed down.
    """

    def __init__(self, limit: int = ADDRESS_FAILURES, window: float = ADDRESS_WINDOW_S) -> None:
        self.limit, self.window = limit, window
        self._failures: OrderedDict[str, deque[float]] = OrderedDict()
        self._in_flight: dict[str, int] = {}
        self._lock = threading.Lock()

    def start(self, address: str) -> bool:
        now = time.monotonic()
        with self._lock:
            failures = self._failures.get(address)
            while failures and failures[0] < now - self.window:
                failures.popleft()
            if failures is not None and not failures:
                del self._failures[address]
                failures = None
            if len(failures or ()) + self._in_flight.get(address, 0) >= self.limit:
                return False
            self._in_flight[address] = self._in_flight.get(address, 0) + 1
            return True

    def finish(self, address: str, succeeded: bool) -> None:
        with self._lock:
            left = self._in_flight.get(address, 1) - 1
            if left > 0:
                self._in_flight[address] = left
            else:
                self._in_flight.pop(address, None)
            if not succeeded:
                self._failures.setdefault(address, deque()).append(time.monotonic())
                self._failures.move_to_end(address)
                while len(self._failures) > MAX_ADDRESSES:
                    self._failures.popitem(last=False)


def limiter(request: Request) -> AddressLimiter:
    """The app's limiter (one per app, made in create_app)."""
    return request.app.state.sign_in_limiter


def client_address(request: Request) -> str:
    return request.client.host if request.client else "-"


async def check_credentials(
    request: Request, username: str, password: str, how: str
) -> nurses.SignedIn | Refused | None:
    """The nurse, None for wrong credentials (after a pause), or why the check was refused."""
    address = client_address(request)
    limits = limiter(request)
    if not limits.start(address):
        return Refused.RATE_LIMITED
    who = None
    try:
        who = await run_in_threadpool(nurses.check_password, username, password, None, how, address)
    except nurses.HashingBusy:
        return Refused.BUSY
    finally:
        limits.finish(address, who is not None)
    if who is None:
        await asyncio.sleep(FAILURE_DELAY_S)
    return who


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


async def sign_in(request: Request, username: str, password: str) -> Response | Refused | None:
    """A redirect with the session cookie, None (after a pause) when the sign-in failed, or Refused."""
    who = await check_credentials(request, username, password, "form")
    if not isinstance(who, nurses.SignedIn):
        return who
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


async def basic_nurse(request: Request) -> nurses.SignedIn | Refused | None:
    """The nurse whose Basic credentials came with this API request, None, or why it was refused."""
    credentials = basic_credentials(request)
    if credentials is None:
        return None
    return await check_credentials(request, credentials[0], credentials[1], "basic")
