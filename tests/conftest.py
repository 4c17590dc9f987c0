"""Shared fixtures: the real stack (action server, Rasa server, web app) on free loopback ports.

No mock of Rasa: tests talk to the real servers over HTTP. Each session gets its own SQLite
database and var/ directory in a temporary folder, so tests never touch the developer's data.
Twilio's cloud cannot run here; a small fake of its Messages API on loopback stands in for it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tools import stack as runner

ROOT = Path(__file__).resolve().parent.parent

MODEL = ROOT / "models" / "current.tar.gz"
TWILIO_SID = "AC" + "0" * 32
TWILIO_TOKEN = "test-auth-token-not-a-secret"
TWILIO_NUMBER = "+15005550006"
free_port = runner.free_port


class RunningStack:
    """The isolated stack plus conveniences for tests (`say`, the fake Twilio)."""

    def __init__(self, isolated: runner.IsolatedStack, fake_twilio: Any) -> None:
        self.isolated = isolated
        self.fake_twilio = fake_twilio
        self.rasa_url = isolated.rasa_url
        self.action_url = isolated.action_url
        self.web_url = isolated.web_url
        self.database_url = isolated.database_url
        self.var_dir = isolated.var_dir
        self.env = isolated.env
        self.embed_port = 0  # a port CORS allows for a page that embeds the widget (set by the fixture)

    def say(self, sender: str, text: str, **extra: Any) -> list[dict[str, Any]]:
        """One patient message over REST; Rasa's list of replies."""
        reply = httpx.post(
            f"{self.rasa_url}/webhooks/rest/webhook",
            json={"sender": sender, "message": text, **extra},
            timeout=60,
        )
        reply.raise_for_status()
        return reply.json()

    def stop_service(self, name: str) -> None:
        self.isolated.stop_service(name)

    def start_service(self, name: str) -> None:
        self.isolated.start_service(name)


def _fake_twilio() -> Any:
    try:
        from tests.support.fake_twilio import FakeTwilio
    except ImportError:
        return None
    fake = FakeTwilio(host="127.0.0.1", port=0)
    fake.start()
    return fake


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningStack]:
    """The whole product, started once per test session."""
    if not MODEL.exists():
        pytest.fail(f"{MODEL} is missing: run `make train` (make test does it first)")
    fake = _fake_twilio()
    embed_port = free_port()
    env = {
        "HSG_CORS_ORIGINS": f"http://127.0.0.1:{embed_port}",  # besides the stack's own chat page
        "TWILIO_ACCOUNT_SID": TWILIO_SID,
        "TWILIO_AUTH_TOKEN": TWILIO_TOKEN,
        "TWILIO_NUMBER": TWILIO_NUMBER,
        "TWILIO_API_BASE": fake.base_url if fake else "",
        "HSG_SECRET_KEY": "test-session-secret-" + os.urandom(8).hex(),
        "HSG_OUTREACH_EVERY_S": "0",  # check-ins only when a test asks (POST /api/checkins/{id}/send)
    }
    try:
        isolated = runner.start_isolated(tmp_path_factory.mktemp("stack"), MODEL, env)
    except BaseException:
        if fake:
            fake.stop()
        raise
    running = RunningStack(isolated, fake)
    running.embed_port = embed_port
    yield running
    isolated.stop()
    if fake:
        fake.stop()
