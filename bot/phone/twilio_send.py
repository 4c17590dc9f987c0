"""Sending SMS and WhatsApp messages through Twilio's Messages API (the real `twilio` Client).

Blocking by design (the Client uses `requests`): the channel calls `send_all` in a worker thread.
Every request has a timeout; `TWILIO_API_BASE` points the Client at another host (a local fake in
tests, a regional proxy in production) without touching anything else.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from bot.config import Settings
from bot.privacy import log_ref

logger = logging.getLogger(__name__)
# Twilio's client logs every request's URL and headers at INFO; keep that out of the service logs.
http_logger = logging.getLogger(__name__ + ".http")

WHATSAPP = "whatsapp:"


@dataclass(frozen=True)
class SendResult:
    """What Twilio said about one message: its SID when accepted, else an error code."""

    sid: str | None
    error: str | None

    @property
    def accepted(self) -> bool:
        return self.error is None


class RedirectingHttpClient(TwilioHttpClient):
    """Twilio's own HTTP client, with scheme and host replaced by `api_base` (path and query kept)."""

    def __init__(self, api_base: str, timeout: float) -> None:
        super().__init__(timeout=timeout, logger=http_logger)
        self.api_base = urlsplit(api_base.rstrip("/"))

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> Any:
        parts = urlsplit(url)
        prefix = self.api_base.path.rstrip("/")
        url = urlunsplit(
            (self.api_base.scheme, self.api_base.netloc, prefix + parts.path, parts.query, parts.fragment)
        )
        return super().request(method, url, *args, **kwargs)


def reply_from(twilio_number: str, recipient: str) -> str:
    """Our sending address on the recipient's channel: WhatsApp answers WhatsApp, SMS answers SMS."""
    bare = twilio_number[len(WHATSAPP) :] if twilio_number.startswith(WHATSAPP) else twilio_number
    return WHATSAPP + bare if recipient.startswith(WHATSAPP) else bare


@dataclass
class TwilioSender:
    account_sid: str
    auth_token: str
    twilio_number: str
    api_base: str = ""
    timeout: float = 10.0
    attempts: int = 2
    _client: Client | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> TwilioSender:
        return cls(
            account_sid=settings.twilio_account_sid,
            auth_token=settings.twilio_auth_token,
            twilio_number=settings.twilio_number,
            api_base=settings.twilio_api_base,
        )

    @property
    def configured(self) -> bool:
        return bool(self.account_sid and self.auth_token and self.twilio_number)

    def client(self) -> Client:
        if self._client is None:
            if http_logger.level == logging.NOTSET:
                http_logger.setLevel(logging.WARNING)
            http_client = (
                RedirectingHttpClient(self.api_base, self.timeout)
                if self.api_base
                else TwilioHttpClient(timeout=self.timeout, logger=http_logger)
            )
            self._client = Client(self.account_sid, self.auth_token, http_client=http_client)
        return self._client

    def _send_one(self, recipient: str, body: str) -> bool:
        return self.deliver(recipient, body).accepted

    def deliver(
        self,
        recipient: str,
        body: str | None = None,
        content_sid: str | None = None,
        content_variables: dict[str, str] | None = None,
        status_callback: str | None = None,
    ) -> SendResult:
        """Send one message (free text, or an approved template by `content_sid`); Twilio's answer.

        Retries once on network errors and 5xx; a 4xx is Twilio refusing this message for good.
        """
        if not self.configured:
            logger.error("Twilio is not configured (TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_NUMBER)")
            return SendResult(None, "not_configured")
        fields: dict[str, Any] = {"to": recipient, "from_": reply_from(self.twilio_number, recipient)}
        if content_sid:
            fields["content_sid"] = content_sid
            if content_variables:
                fields["content_variables"] = json.dumps(content_variables)
        else:
            fields["body"] = body or ""
        if status_callback:
            fields["status_callback"] = status_callback
        error_code = "network"
        for attempt in range(1, self.attempts + 1):
            try:
                message = self.client().messages.create(**fields)
                return SendResult(str(message.sid or "") or None, None)
            except TwilioRestException as error:
                # 4xx: Twilio refused this message (bad number, blocked, …); retrying will not help.
                logger.error(
                    "Twilio refused a message to %s: HTTP %s, code %s",
                    log_ref(recipient),
                    error.status,
                    error.code,
                )
                error_code = str(error.code or error.status)
                if error.status < 500:
                    return SendResult(None, error_code)
            except (TwilioException, OSError) as error:
                logger.error("Twilio request failed for %s: %s", log_ref(recipient), type(error).__name__)
            except Exception as error:  # requests' exceptions (timeouts, connection errors)
                logger.error("Twilio request failed for %s: %s", log_ref(recipient), type(error).__name__)
            if attempt < self.attempts:
                time.sleep(0.5 * attempt)
        return SendResult(None, error_code)

    def send_all(self, recipient: str, bodies: list[str]) -> int:
        """Send the bodies in order, one API call each; returns how many Twilio accepted."""
        if not self.configured:
            logger.error("Twilio is not configured (TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_NUMBER)")
            return 0
        sent = 0
        for body in bodies:
            if self._send_one(recipient, body):
                sent += 1
        logger.info("sent %d of %d messages to %s", sent, len(bodies), log_ref(recipient))
        return sent
