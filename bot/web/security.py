"""HTTP hardening for the web app: security headers, signed session cookies, CSRF tokens.

Patient text is untrusted and nurses' browsers hold their session, so the nurse pages and the API
answer with a strict Content-Security-Policy (scripts only from our own files, no inline script, no
framing), `nosniff`, and `no-store` caching.
"""

from __future__ import annotations

import hmac
import logging
import secrets
from functools import lru_cache

from itsdangerous import BadSignature, TimestampSigner
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.config import get_settings

logger = logging.getLogger(__name__)

NURSE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
API_CSP = "default-src 'none'; frame-ancestors 'none'"
PATIENT_PAGES = ("/",)  # the chat page; the widget's own files are only scripts and styles


def patient_csp() -> str:
    """The chat page talks to the Rasa server (PUBLIC_BASE_URL) and nothing else outside its origin.

    No frame-ancestors: clinics may show the page in a frame on their own site.
    """
    rasa = get_settings().public_base_url
    return (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        f"connect-src 'self' {rasa}; object-src 'none'; base-uri 'self'; form-action 'self'"
    )


PROTECTED_PREFIXES = ("/nurse", "/api")
HSTS = "max-age=31536000"  # sent when PUBLIC_BASE_URL is https: browsers then never fall back to http


@lru_cache(maxsize=1)
def secret_key() -> str:
    """settings.secret_key, or a random one for this process (sessions then end when it restarts)."""
    configured = get_settings().secret_key
    if configured:
        return configured
    logger.warning("HSG_SECRET_KEY is not set: using a random session secret for this process")
    return secrets.token_urlsafe(48)


def signer() -> TimestampSigner:
    return TimestampSigner(secret_key(), salt="hsg-nurse-session")


def sign(value: str) -> str:
    return signer().sign(value.encode("utf-8")).decode("ascii")


def unsign(value: str, max_age: int) -> str | None:
    try:
        return signer().unsign(value.encode("ascii"), max_age=max_age).decode("utf-8")
    except (BadSignature, UnicodeError):
        return None


def same_token(expected: str | None, given: str | None) -> bool:
    return bool(expected) and bool(given) and hmac.compare_digest(str(expected), str(given))


class SecurityHeaders:
    """Pure ASGI middleware: headers on every response, strict ones on the nurse pages and the API."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        protected = path.startswith(PROTECTED_PREFIXES)
        static = path.startswith("/nurse/static/")
        hsts = get_settings().https

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers["X-Content-Type-Options"] = "nosniff"
                if hsts:
                    headers["Strict-Transport-Security"] = HSTS
                headers.setdefault("Referrer-Policy", "same-origin")
                if path in PATIENT_PAGES:
                    headers.setdefault("Content-Security-Policy", patient_csp())
                if protected:
                    headers["Content-Security-Policy"] = API_CSP if path.startswith("/api") else NURSE_CSP
                    headers["X-Frame-Options"] = "DENY"
                    headers["Referrer-Policy"] = "no-referrer"
                    headers["Cross-Origin-Opener-Policy"] = "same-origin"
                    if not static:
                        headers["Cache-Control"] = "no-store"
            await send(message)

        await self.app(scope, receive, send_with_headers)
