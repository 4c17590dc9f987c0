"""Patient to nurse, end to end: a red flag over REST lands in the nurse API with its transcript."""

from __future__ import annotations

import subprocess
import sys
import uuid
from typing import Any

import httpx
import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.stack


@pytest.fixture(scope="module")
def nurse(stack: Any) -> tuple[str, str]:
    username, password = "nurse-e2e", "correct horse battery staple 42"
    subprocess.run(
        [sys.executable, "-m", "bot", "nurse", "add", username],
        input=password + "\n",
        text=True,
        cwd=ROOT,
        env=stack.env,
        check=True,
        capture_output=True,
    )
    return username, password


def test_red_flag_reaches_the_nurse_api(stack: Any, nurse: tuple[str, str]) -> None:
    conversation = "e2e-" + uuid.uuid4().hex
    stack.say(conversation, "hi, I had my HSG two days ago")
    stack.say(conversation, "Since this morning I have a fever of 39.1 and a smelly discharge")
    assert httpx.get(f"{stack.web_url}/api/escalations", timeout=10).status_code == 401
    assert (
        httpx.get(f"{stack.web_url}/api/escalations", auth=("nurse-e2e", "wrong"), timeout=10).status_code
        == 401
    )
    listing = httpx.get(f"{stack.web_url}/api/escalations", auth=nurse, timeout=10)
    assert listing.status_code == 200
    items = listing.json()["items"]
    mine = [item for item in items if item["conversation_id"] == conversation]
    assert len(mine) == 1
    escalation = mine[0]
    assert escalation["level"] == "urgent" and escalation["status"] == "new" and escalation["reasons"]
    assert {"id", "conversation_id", "level", "reasons", "status", "created_at"} <= set(escalation)
    detail = httpx.get(f"{stack.web_url}/api/escalations/{escalation['id']}", auth=nurse, timeout=10).json()
    transcript = str(detail)
    assert "fever of 39.1" in transcript and "two days ago" in transcript
