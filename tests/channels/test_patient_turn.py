"""The one patient turn (bot.rasa_server.patient_turn) behind every channel, on a real Sanic server.

The assistant is scripted (it records what Rasa would have received), so these tests show what the
pipeline itself does: cleaning, bounding, the empty-message reply, the too-long notice, the safety
net, the same for REST and SMS; and the REST channel's sender-id rule.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from bot.config import get_settings
from bot.conversations import channel_of, phone_address, phone_conversation_id, valid_rest_sender
from bot.storage.db import upgrade
from tests.channels.conftest import ChannelServer, ScriptedAssistant, serving
from tests.channels.test_channels_twilio_signature import form


def post_json(url: str, payload: dict[str, Any]) -> httpx.Response:
    """JSON with ASCII escapes, so a lone surrogate travels as `\\ud83d` like a widget sends it."""
    return httpx.post(
        url, content=json.dumps(payload), headers={"Content-Type": "application/json"}, timeout=90
    )


@pytest.fixture
def rest_server(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, ScriptedAssistant]]:
    from sanic import Sanic

    from bot.rasa_server.rest_channel import SafeRestInput

    monkeypatch.setenv("HSG_VAR_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'hsg.db'}")
    monkeypatch.setenv("HSG_MAX_MESSAGE_CHARS", "50")
    get_settings.cache_clear()
    upgrade()
    monkeypatch.setattr(Sanic, "test_mode", True)
    assistant = ScriptedAssistant()
    app = Sanic(f"rest_test_{uuid.uuid4().hex[:8]}")
    app.blueprint(SafeRestInput().blueprint(assistant), url_prefix="/webhooks/rest")
    try:
        with serving(app) as port:
            yield f"http://127.0.0.1:{port}/webhooks/rest/webhook", assistant
    finally:
        get_settings.cache_clear()


def test_sender_rule_and_phone_ids() -> None:
    assert valid_rest_sender("web-" + uuid.uuid4().hex)
    assert valid_rest_sender("Ab_-1234")
    for bad in (
        "+31612345678",
        "sms:+31612345678",
        "whatsapp:+316",
        "short",
        "x" * 129,
        "a b c d e f",
        None,
        5,
    ):
        assert not valid_rest_sender(bad), bad
    assert phone_conversation_id("+31612345678") == "sms:+31612345678"
    assert phone_conversation_id("whatsapp:+31612345678") == "whatsapp:+31612345678"
    assert phone_address("sms:+31612345678") == "+31612345678"
    assert phone_address("whatsapp:+31612345678") == "whatsapp:+31612345678"
    assert phone_address("web-0123456789") is None
    assert channel_of("sms:+3161", "twilio") == "twilio_sms"
    assert channel_of("whatsapp:+3161", "twilio") == "twilio_whatsapp"
    assert channel_of("web-0123456789", "rest") == "rest"


def test_rest_turn_cleans_bounds_and_notices(rest_server: tuple[str, ScriptedAssistant]) -> None:
    url, assistant = rest_server
    sender = "web-" + uuid.uuid4().hex
    replies = post_json(url, {"sender": sender, "message": "hello\x00 there\ud83d" + "x" * 100}).json()
    [received] = assistant.received
    assert received.text == ("hello there" + "x" * 100)[:50], "cleaned, then cut to the limit"
    assert received.sender_id == sender
    assert replies[0]["text"].startswith("You said: hello there")
    assert "long" in replies[-1]["text"].lower(), "the too-long notice comes last"
    assert all(reply["recipient_id"] == sender for reply in replies)


def test_rest_turn_empty_after_cleaning_never_reaches_the_assistant(
    rest_server: tuple[str, ScriptedAssistant],
) -> None:
    url, assistant = rest_server
    replies = post_json(url, {"sender": "web-" + uuid.uuid4().hex, "message": "\x00\ud83d \x07"}).json()
    assert assistant.received == []
    assert len(replies) == 1 and replies[0]["text"]


@pytest.mark.parametrize("sender", ["+31612345678", "sms:+31612345678", "abc", None])
def test_rest_refuses_sender_ids_outside_the_rule(
    rest_server: tuple[str, ScriptedAssistant], sender: Any
) -> None:
    url, assistant = rest_server
    response = post_json(url, {"sender": sender, "message": "hello"})
    assert response.status_code == 400
    assert assistant.received == []


def test_safety_net_runs_in_the_shared_turn_for_rest(rest_server: tuple[str, ScriptedAssistant]) -> None:
    url, assistant = rest_server
    assistant.replies = [{"text": "(nothing from the action server)"}]
    message = "help I can't breathe, my throat is tight"
    replies = post_json(url, {"sender": "web-" + uuid.uuid4().hex, "message": message}).json()
    assert replies[0]["custom"]["triage"]["level"] == "emergency"


def test_sms_goes_through_the_same_turn(channel_server: ChannelServer) -> None:
    channel_server.assistant.replies = [{"text": "(nothing from the action server)"}]
    response = channel_server.post(form("help I can't breathe\x00, my throat is tight"))
    assert response.status_code == 200
    [received] = channel_server.assistant.received
    assert received.text == "help I can't breathe, my throat is tight"
    assert received.sender_id.startswith("sms:+")
    first = channel_server.fake.messages[0]
    assert first["To"] == received.sender_id[len("sms:") :], "sent to the number, not to the conversation id"


def test_a_repeated_message_sid_is_not_processed_twice(channel_server: ChannelServer) -> None:
    upgrade()
    fields = form("How long does the HSG take?")
    assert channel_server.post(fields).status_code == 200
    assert channel_server.post(fields).status_code == 200
    assert len(channel_server.assistant.received) == 1
    assert len(channel_server.fake.messages) == 1
