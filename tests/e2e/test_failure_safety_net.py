"""Safe when parts fail: a red flag gets its advice and its escalation even with the action server down."""

from __future__ import annotations

import time
import uuid
from typing import Any

import pytest

from bot.clinic import get_profile
from tests.e2e.test_rest_conversations import escalations, texts, triage_of

pytestmark = pytest.mark.stack


def test_red_flags_survive_the_action_server_being_down(stack: Any) -> None:
    urgent, emergency, question = (f"down-{uuid.uuid4().hex}" for _ in range(3))
    stack.stop_service("action")
    try:
        replies = stack.say(urgent, "I have had a high fever of 39.5 since the hsg")
        assert triage_of(replies) and triage_of(replies)[0]["level"] == "urgent"
        assert get_profile().clinic_phone in replies[0]["text"]

        replies = stack.say(emergency, "help I can't breathe, my throat feels tight")
        assert triage_of(replies[:1])[0]["level"] == "emergency"
        assert get_profile().emergency_number in replies[0]["text"]

        replies = stack.say(question, "how long does the hsg take?")
        assert replies and texts(replies), "never silent: the patient is told to try again or call"
        assert not triage_of(replies)
    finally:
        stack.start_service("action")
    assert escalations(stack, urgent)[0]["level"] == "urgent"
    assert escalations(stack, emergency)[0]["level"] == "emergency"
    # Back up: the conversation goes on normally.
    replies = stack.say(urgent, "how long does the hsg take?")
    deadline = time.monotonic() + 10
    while not replies and time.monotonic() < deadline:
        replies = stack.say(urgent, "how long does the hsg take?")
    assert (replies[0].get("custom") or {}).get("answer", {}).get("topic") == "duration"
