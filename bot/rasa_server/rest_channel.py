"""REST channel (`POST /webhooks/rest/webhook`): parses the request and hands it to `patient_turn`.

Replaces Rasa's RestInput under the same name and URL. The sender id is the conversation id and
must be 8-128 characters of `[A-Za-z0-9_-]` (anything else: 400), so a REST caller can never name a
phone conversation (`sms:+…`, `whatsapp:+…`). Text and its `custom` payload come back in ONE message,
so the triage decision sits next to the advice it belongs to.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.conversations import REST_SENDER_RULE, valid_rest_sender
from bot.rasa_server import outreach_hooks
from bot.rasa_server.patient_turn import channel_blueprint, patient_turn
from bot.vocabulary import LANGUAGES

logger = logging.getLogger(__name__)

KNOWN_INPUT_CHANNELS = frozenset({"rest", "web"})


def bad_request(error: str) -> HTTPResponse:
    return response.json({"error": error}, status=400)


class SafeRestInput(InputChannel):
    @classmethod
    def name(cls) -> str:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        async def receive(request: Request) -> HTTPResponse:
            try:
                body = request.json
            except Exception:
                body = None
            if not isinstance(body, dict):
                return bad_request("expected a JSON object with sender and message")
            sender = body.get("sender")
            text = body.get("message")
            if not valid_rest_sender(sender):
                return bad_request(REST_SENDER_RULE)
            if text is not None and not isinstance(text, str):
                return bad_request("message must be a string")
            metadata = body.get("metadata") if isinstance(body.get("metadata"), dict) else {}
            hint = metadata.get("language") if metadata.get("language") in LANGUAGES else None
            channel = (
                body.get("input_channel") if body.get("input_channel") in KNOWN_INPUT_CHANNELS else "rest"
            )
            replies = await patient_turn(on_new_message, sender, text or "", channel, hint)
            return response.json([{"recipient_id": sender, **reply} for reply in replies])

        async def nurse_messages(request: Request) -> HTTPResponse:
            """The widget asks for its nurse's messages with its own conversation id (a random secret)."""
            try:
                body = request.json
            except Exception:
                body = None
            sender = body.get("sender") if isinstance(body, dict) else None
            if not valid_rest_sender(sender):
                return bad_request(REST_SENDER_RULE)
            loop = asyncio.get_running_loop()
            try:
                messages = await loop.run_in_executor(None, outreach_hooks.widget_messages, sender)
            except Exception:
                logger.exception("nurse messages could not be read")
                return response.json({"error": "try again later"}, status=503)
            return response.json({"messages": messages or []})

        webhook = channel_blueprint(self, receive)
        webhook.add_route(nurse_messages, "/nurse_messages", methods=["POST"])
        return webhook
