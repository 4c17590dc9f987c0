"""`make run` under faults: the supervisor (bot.ops.supervisor, the real processes on free ports).

Killing the action server leaves the Rasa server and the web app serving: a red flag still gets its
advice from the safety net, the escalation reaches the nurse API, and the action server is restarted
and answers again. SIGTERM stops everything.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.clinic import get_profile
from bot.ops.supervisor import service_env
from bot.storage.db import upgrade
from tests.conftest import MODEL, ROOT, free_port

pytestmark = pytest.mark.stack

NURSE = ("nurse-sup", "correct horse battery staple 42")


class Supervised:
    def __init__(self, base: Path) -> None:
        self.var_dir = base / "var"
        self.ports = {"rasa": free_port(), "action": free_port(), "web": free_port()}
        self.rasa_url = f"http://127.0.0.1:{self.ports['rasa']}"
        self.web_url = f"http://127.0.0.1:{self.ports['web']}"
        self.action_health = f"http://127.0.0.1:{self.ports['action']}/health"
        self.env = service_env(
            {
                "DATABASE_URL": f"sqlite:///{self.var_dir / 'hsg.db'}",
                "HSG_VAR_DIR": str(self.var_dir),
                "RASA_PORT": str(self.ports["rasa"]),
                "ACTION_PORT": str(self.ports["action"]),
                "WEB_PORT": str(self.ports["web"]),
                "ACTION_SERVER_URL": f"http://127.0.0.1:{self.ports['action']}/webhook",
                "HSG_SECRET_KEY": "test-secret-" + uuid.uuid4().hex,
            }
        )
        self.log = (base / "supervisor.log").open("wb")
        self.log_path = base / "supervisor.log"
        self.process: subprocess.Popen | None = None

    @property
    def state_file(self) -> Path:
        return self.var_dir / "run" / "supervisor.json"

    def state(self) -> dict[str, Any]:
        return json.loads(self.state_file.read_text())

    def start(self) -> None:
        self.var_dir.mkdir(parents=True, exist_ok=True)
        upgrade(self.env["DATABASE_URL"])
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot.ops.supervisor", "--model", str(MODEL)],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 240
        while not self.state_file.exists():
            assert self.process.poll() is None, self.output()
            assert time.monotonic() < deadline, "the stack did not come up\n" + self.output()
            time.sleep(0.5)

    def output(self, tail: int = 6000) -> str:
        return self.log_path.read_text(errors="replace")[-tail:]

    def say(self, sender: str, text: str) -> list[dict[str, Any]]:
        reply = httpx.post(
            f"{self.rasa_url}/webhooks/rest/webhook", json={"sender": sender, "message": text}, timeout=60
        )
        reply.raise_for_status()
        return reply.json()


@pytest.fixture(scope="module")
def supervised(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Supervised]:
    running = Supervised(tmp_path_factory.mktemp("supervised"))
    running.start()
    subprocess.run(
        [sys.executable, "-m", "bot", "nurse", "add", NURSE[0]],
        input=NURSE[1] + "\n",
        text=True,
        cwd=ROOT,
        env=running.env,
        check=True,
        capture_output=True,
    )
    yield running
    if running.process and running.process.poll() is None:
        os.killpg(running.process.pid, signal.SIGTERM)
        running.process.wait(60)


def healthy(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def test_a_killed_action_server_is_restarted_and_red_flags_are_answered_meanwhile(
    supervised: Supervised,
) -> None:
    conversation = "sup-" + uuid.uuid4().hex
    before = supervised.state()["services"]
    action_pid = before["action server"]["pid"]
    rasa_pid = before["rasa server"]["pid"]
    os.killpg(action_pid, signal.SIGKILL)
    while healthy(supervised.action_health):  # gone before we talk
        time.sleep(0.1)

    replies = supervised.say(conversation, "I have had a high fever of 39.5 since the hsg")
    triage = [r["custom"]["triage"] for r in replies if (r.get("custom") or {}).get("triage")]
    assert triage and triage[0]["level"] == "urgent", replies
    assert get_profile().clinic_phone in replies[0]["text"]

    deadline = time.monotonic() + 60
    while not healthy(supervised.action_health):
        assert time.monotonic() < deadline, "action server not back\n" + supervised.output()
        time.sleep(0.2)
    after = supervised.state()["services"]
    assert after["action server"]["restarts"] == 1 and after["action server"]["pid"] != action_pid
    assert after["rasa server"]["pid"] == rasa_pid and after["rasa server"]["restarts"] == 0
    log = supervised.output(tail=10**7)
    assert "supervisor: action server exited with code -9; restarting in 1 s" in log

    listing = httpx.get(f"{supervised.web_url}/api/escalations", auth=NURSE, timeout=10).json()
    mine = [item for item in listing["items"] if item["conversation_id"] == conversation]
    assert [item["level"] for item in mine] == ["urgent"]

    # Back to normal: the restarted action server answers a leaflet question.
    deadline = time.monotonic() + 30
    while True:
        replies = supervised.say(conversation, "how long does the hsg take?")
        topics = [(r.get("custom") or {}).get("answer", {}).get("topic") for r in replies]
        if "duration" in topics or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert "duration" in topics, replies


def test_sigterm_stops_every_service(supervised: Supervised) -> None:
    assert supervised.process is not None
    pids = [service["pid"] for service in supervised.state()["services"].values()]
    supervised.process.send_signal(signal.SIGTERM)
    assert supervised.process.wait(60) == 0
    for pid in pids:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
    assert not healthy(f"{supervised.rasa_url}/")
    assert not supervised.state_file.exists()
