"""A real Sanic server (in a thread) serving only the Twilio channel, with a scripted assistant.

The channel's own behaviour — signature check, form parsing, phone formatting, sending through the
real Twilio Client — is what these tests exercise; the conversation itself is Rasa's and is covered
end to end against the real stack in test_channels_twilio_stack.py.
"""

from __future__ import annotations

import asyncio
import threading
import uuid
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest

from bot.config import get_settings
from tests.support.fake_twilio import FakeTwilio, twilio_signature
from tools.stack import free_port

AUTH_TOKEN = "unit-test-token-not-a-secret"
ACCOUNT_SID = "AC" + "1" * 32
OUR_NUMBER = "+15005550006"


@dataclass
class ScriptedAssistant:
    """Stands in for Rasa's agent: records each message and answers with the replies queued for it."""

    received: list[Any] = field(default_factory=list)
    replies: list[dict[str, Any]] = field(default_factory=list)

    async def __call__(self, message: Any) -> None:
        self.received.append(message)
        for reply in self.replies or [{"text": f"You said: {message.text}"}]:
            await message.output_channel.send_response(message.sender_id, dict(reply))


@dataclass
class ChannelServer:
    base_url: str
    public_url: str
    fake: FakeTwilio
    assistant: ScriptedAssistant

    @property
    def webhook(self) -> str:
        return self.base_url + "/webhooks/twilio/webhook"

    def post(
        self,
        fields: dict[str, str] | list[tuple[str, str]],
        token: str = AUTH_TOKEN,
        signed_url: str | None = None,
        signature: str | None = "compute",
    ) -> httpx.Response:
        """POST a form like Twilio does, signed for the public URL unless told otherwise."""
        items = list(fields.items()) if isinstance(fields, dict) else list(fields)
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        if signature == "compute":
            signature = twilio_signature(token, signed_url or self.public_url, items)
        if signature is not None:
            headers["X-Twilio-Signature"] = signature
        return httpx.post(self.webhook, content=urlencode(items), headers=headers, timeout=30)


def _serve(app: Any) -> tuple[asyncio.AbstractEventLoop, Any, int, threading.Thread]:
    loop = asyncio.new_event_loop()
    ready = threading.Event()
    holder: dict[str, Any] = {}

    def run() -> None:
        asyncio.set_event_loop(loop)

        async def boot() -> None:
            # Sanic 21.12 reads port=0 as "the default, 8000": pick a free port ourselves.
            server = await app.create_server(host="127.0.0.1", port=free_port(), return_asyncio_server=True)
            await server.startup()
            await server.start_serving()
            holder["server"] = server
            holder["port"] = server.server.sockets[0].getsockname()[1]
            ready.set()

        try:
            loop.run_until_complete(boot())
        except BaseException as error:  # surface start-up failures to the test
            holder["error"] = error
            ready.set()
            return
        loop.run_forever()

    thread = threading.Thread(target=run, name="twilio-channel-test-server", daemon=True)
    thread.start()
    if not ready.wait(30) or "error" in holder:
        raise RuntimeError(f"test Sanic server did not start: {holder.get('error')!r}")
    return loop, holder["server"], holder["port"], thread


@contextmanager
def serving(app: Any) -> Iterator[int]:
    """Serve a Sanic app in a thread for the duration of the block; yields its port."""
    loop, server, port, thread = _serve(app)
    try:
        yield port
    finally:

        async def shutdown() -> None:
            closing = server.close()
            if closing is not None:
                await closing

        asyncio.run_coroutine_threadsafe(shutdown(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)


@pytest.fixture
def channel_server(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[ChannelServer]:
    from rasa.core.channels.channel import UserMessage
    from sanic import Sanic

    from bot.rasa_server.twilio_channel import SignedTwilioInput

    fake = FakeTwilio().start()
    monkeypatch.setenv("HSG_VAR_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'hsg.db'}")
    monkeypatch.setenv("TWILIO_ACCOUNT_SID", ACCOUNT_SID)
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", AUTH_TOKEN)
    monkeypatch.setenv("TWILIO_NUMBER", OUR_NUMBER)
    monkeypatch.setenv("TWILIO_API_BASE", fake.base_url)
    monkeypatch.setenv("HSG_MAX_MESSAGE_CHARS", "2000")
    public_url = "https://assistant.example.org/webhooks/twilio/webhook"
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://assistant.example.org")
    get_settings.cache_clear()
    # Sanic rewrites its own HTTP class at start-up unless in test mode, which breaks a second app
    # in the same process (what sanic-testing also does).
    monkeypatch.setattr(Sanic, "test_mode", True)

    assistant = ScriptedAssistant()
    on_new_message: Callable[[UserMessage], Awaitable[Any]] = assistant
    app = Sanic(f"twilio_test_{uuid.uuid4().hex[:8]}")
    app.blueprint(SignedTwilioInput().blueprint(on_new_message), url_prefix="/webhooks/twilio")
    try:
        with serving(app) as port:
            yield ChannelServer(f"http://127.0.0.1:{port}", public_url, fake, assistant)
    finally:
        fake.stop()
        get_settings.cache_clear()
