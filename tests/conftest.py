"""Shared fixtures: the real stack (action server, Rasa server, web app) on free loopback ports.

No mock of Rasa: tests talk to the real servers over HTTP. Each session gets its own SQLite
database and var/ directory in a temporary folder, so tests never touch the developer's data.
Twilio's cloud cannot run here; a small fake of its Messages API on loopback stands in for it.
"""

from __future__ import annotations

import contextlib
import os
import socket
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot import run as runner  # noqa: E402

MODEL = ROOT / "models" / "current.tar.gz"
TWILIO_SID = "AC" + "0" * 32
TWILIO_TOKEN = "test-auth-token-not-a-secret"
TWILIO_NUMBER = "+15005550006"


def free_port() -> int:
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class RunningStack:
    """Handles to the running services and the settings they were started with."""

    rasa_url: str
    action_url: str
    web_url: str
    database_url: str
    var_dir: Path
    env: dict[str, str]
    log_dir: Path
    fake_twilio: Any = None
    services: dict[str, runner.Service] = field(default_factory=dict)
    _stack: runner.Stack = field(default_factory=runner.Stack)

    def say(self, sender: str, text: str, **extra: Any) -> list[dict[str, Any]]:
        """One patient message over REST; Rasa's list of replies."""
        payload = {"sender": sender, "message": text, **extra}
        reply = httpx.post(f"{self.rasa_url}/webhooks/rest/webhook", json=payload, timeout=60)
        reply.raise_for_status()
        return reply.json()

    def stop_service(self, name: str) -> None:
        service = self.services[name]
        runner.Stack([service]).stop()

    def start_service(self, name: str) -> None:
        service = self.services[name]
        restarted = runner.start([runner.Service(service.name, service.command, service.health_url)],
                                 self.env, self.log_dir)
        new = restarted.services[0]
        self.services[name] = new
        self._stack.services = [new if s.name == new.name else s for s in self._stack.services]

    def stop(self) -> None:
        self._stack.stop()


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
    base = tmp_path_factory.mktemp("stack")
    var_dir = base / "var"
    var_dir.mkdir()
    database_url = f"sqlite:///{var_dir / 'hsg.db'}"
    ports = {"rasa": free_port(), "action": free_port(), "web": free_port()}
    fake = _fake_twilio()
    env = runner.service_env({
        "DATABASE_URL": database_url,
        "HSG_VAR_DIR": str(var_dir),
        "RASA_PORT": str(ports["rasa"]),
        "ACTION_PORT": str(ports["action"]),
        "WEB_PORT": str(ports["web"]),
        "ACTION_SERVER_URL": f"http://127.0.0.1:{ports['action']}/webhook",
        "PUBLIC_BASE_URL": f"http://127.0.0.1:{ports['rasa']}",
        "TWILIO_ACCOUNT_SID": TWILIO_SID,
        "TWILIO_AUTH_TOKEN": TWILIO_TOKEN,
        "TWILIO_NUMBER": TWILIO_NUMBER,
        "TWILIO_API_BASE": fake.base_url if fake else "",
        "HSG_SECRET_KEY": "test-session-secret-" + os.urandom(8).hex(),
    })
    from bot.storage.db import upgrade

    upgrade(database_url)
    log_dir = base / "logs"
    services = {
        "action": runner.action_server(ports["action"]),
        "rasa": runner.rasa_server(ports["rasa"], MODEL),
        "web": runner.web_app(ports["web"]),
    }
    running = RunningStack(
        rasa_url=f"http://127.0.0.1:{ports['rasa']}",
        action_url=f"http://127.0.0.1:{ports['action']}",
        web_url=f"http://127.0.0.1:{ports['web']}",
        database_url=database_url, var_dir=var_dir, env=env, log_dir=log_dir, fake_twilio=fake,
        services=services,
    )
    try:
        running._stack = runner.start(list(services.values()), env, log_dir)
    except BaseException:
        for log in sorted(log_dir.glob("*.log")):
            print(f"--- {log.name}\n{log.read_text(errors='replace')[-4000:]}", file=sys.stderr)
        if fake:
            fake.stop()
        raise
    yield running
    running.stop()
    if fake:
        fake.stop()
