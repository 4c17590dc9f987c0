"""A stand-in for Twilio's Messages API on loopback, and a helper to sign webhook requests like Twilio.

Twilio's cloud cannot be reached from tests, so the Rasa server's Twilio Client is pointed here with
`TWILIO_API_BASE`. It implements the one call the assistant makes,
`POST /2010-04-01/Accounts/{sid}/Messages.json` (free text, or a template by `ContentSid`), records
each form it receives and answers with a
JSON body shaped like Twilio's (so the real Client parses it).
"""

from __future__ import annotations

import base64
import json
import re
import threading
import time
import uuid
from collections.abc import Iterable
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl

from twilio.request_validator import RequestValidator

_MESSAGES_PATH = re.compile(r"^/2010-04-01/Accounts/(?P<sid>AC[0-9a-fA-F]{32}|[A-Za-z0-9]+)/Messages\.json$")


def twilio_signature(auth_token: str, url: str, fields: Iterable[tuple[str, str]]) -> str:
    """The `X-Twilio-Signature` Twilio would send for these form fields posted to `url`."""

    class _Params(dict):
        def getall(self, name: str) -> list[str]:
            return self[name]

    params = _Params()
    for name, value in fields:
        params.setdefault(name, []).append(value)
    return RequestValidator(auth_token).compute_signature(url, params)


class FakeTwilio:
    """Threaded HTTP server recording the messages the assistant sends."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.host = host
        self.port = port
        self.messages: list[dict[str, Any]] = []
        self.auth: list[str | None] = []
        self.fail_next: list[int] = []
        """HTTP statuses to answer the next requests with instead of accepting them (then normal)."""
        self._lock = threading.Condition()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        if self._server is None:
            raise RuntimeError("FakeTwilio is not started")
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> FakeTwilio:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:  # quiet: bodies hold patient text
                return

            def _reply(self, status: int, payload: dict[str, Any]) -> None:
                data = json.dumps(payload).encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
                match = _MESSAGES_PATH.match(self.path.split("?", 1)[0])
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode("utf-8", errors="replace")
                if not match:
                    self._reply(404, {"code": 20404, "message": "not found", "status": 404})
                    return
                with fake._lock:
                    failure = fake.fail_next.pop(0) if fake.fail_next else None
                if failure:
                    self._reply(failure, {"code": 20500, "message": "simulated failure", "status": failure})
                    return
                form = dict(parse_qsl(raw, keep_blank_values=True))
                form["_account_sid"] = match.group("sid")
                if not form.get("To") or not (
                    form.get("Body") or form.get("MediaUrl") or form.get("ContentSid")
                ):
                    self._reply(400, {"code": 21602, "message": "Message body is required.", "status": 400})
                    return
                sid = "SM" + uuid.uuid4().hex
                now = datetime.now(timezone.utc).strftime("%a, %d %b %Y %H:%M:%S +0000")
                body = form.get("Body", "")
                form["_sid"] = sid  # so a test can send the status callback for this message
                with fake._lock:
                    fake.messages.append(form)
                    fake.auth.append(_basic_user(self.headers.get("Authorization")))
                    fake._lock.notify_all()
                self._reply(
                    201,
                    {
                        "sid": sid,
                        "account_sid": match.group("sid"),
                        "to": form.get("To"),
                        "from": form.get("From"),
                        "body": body,
                        "status": "queued",
                        "num_segments": "1",
                        "num_media": "0",
                        "direction": "outbound-api",
                        "api_version": "2010-04-01",
                        "date_created": now,
                        "date_updated": now,
                        "date_sent": None,
                        "price": None,
                        "price_unit": "USD",
                        "error_code": None,
                        "error_message": None,
                        "messaging_service_sid": None,
                        "uri": f"/2010-04-01/Accounts/{match.group('sid')}/Messages/{sid}.json",
                        "subresource_uris": {},
                    },
                )

        self._server = ThreadingHTTPServer((self.host, self.port), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="fake-twilio", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def messages_to(self, recipient: str) -> list[dict[str, Any]]:
        with self._lock:
            return [message for message in self.messages if message.get("To") == recipient]

    def wait_for(self, recipient: str, count: int = 1, timeout: float = 30.0) -> list[dict[str, Any]]:
        """The messages sent to `recipient` once there are at least `count` (or whatever came by the timeout).

        The channel answers Twilio's webhook after sending, so normally nothing needs waiting for; this
        only covers a slow machine.
        """
        deadline = time.monotonic() + timeout
        with self._lock:
            while True:
                found = [message for message in self.messages if message.get("To") == recipient]
                remaining = deadline - time.monotonic()
                if len(found) >= count or remaining <= 0:
                    return found
                self._lock.wait(remaining)

    def __enter__(self) -> FakeTwilio:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _basic_user(header: str | None) -> str | None:
    """The account SID the client authenticated with (the password is not kept)."""
    if not header or not header.startswith("Basic "):
        return None
    try:
        return base64.b64decode(header[6:]).decode("utf-8").split(":", 1)[0]
    except (ValueError, UnicodeDecodeError):
        return None
