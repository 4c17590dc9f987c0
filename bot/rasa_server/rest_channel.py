"""REST channel (`POST /webhooks/rest/webhook`) with input bounds and the red-flag safety net.

Replaces Rasa's RestInput under the same name and URL. Differences that matter for patients:
- text and its `custom` payload arrive in ONE message (Rasa's collector splits them), so the triage
  decision sits next to the advice it belongs to;
- an empty message gets a clear reply, an over-long one is cut to the configured limit;
- after Rasa has answered, `bot.rasa_server.safety_net.safety_net` makes sure a red flag always gets
  its advice.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.clinic import get_profile
from bot.config import get_settings
from bot.content.render import render_message
from bot.privacy import log_ref
from bot.rasa_server.safety_net import reply_language, safety_net

logger = logging.getLogger(__name__)

MAX_SENDER_CHARS = 128
KNOWN_INPUT_CHANNELS = frozenset({"rest", "web"})


class MergingOutputChannel(CollectingOutputChannel):
    """Collects each bot response as one message: text, buttons, image and custom payload together."""

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        collected: dict[str, Any] = {"recipient_id": recipient_id}
        for key in ("text", "buttons", "quick_replies", "image", "attachment", "elements", "custom"):
            if message.get(key):
                collected[key] = message[key]
        if len(collected) > 1:
            self.messages.append(collected)


class SafeRestInput(InputChannel):
    @classmethod
    def name(cls) -> str:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        module = inspect.getmodule(self)
        webhook = Blueprint(f"custom_webhook_{type(self).__name__}", module.__name__ if module else None)

        @webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                body = request.json
            except Exception:
                body = None
            if not isinstance(body, dict):
                return response.json({"error": "expected a JSON object with sender and message"}, status=400)
            sender = body.get("sender")
            text = body.get("message")
            if not isinstance(sender, str) or not sender.strip() or len(sender) > MAX_SENDER_CHARS:
                return response.json(
                    {"error": "sender must be a non-empty string of at most 128 characters"}, status=400
                )
            if text is None:
                text = ""
            if not isinstance(text, str):
                return response.json({"error": "message must be a string"}, status=400)
            metadata = body.get("metadata") if isinstance(body.get("metadata"), dict) else {}
            hint = metadata.get("language") if metadata.get("language") in ("en", "nl") else None
            channel = (
                body.get("input_channel") if body.get("input_channel") in KNOWN_INPUT_CHANNELS else "rest"
            )
            return response.json(await self.handle(on_new_message, sender, text, channel, metadata, hint))

        return webhook

    async def handle(
        self,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
        sender: str,
        text: str,
        channel: str,
        metadata: dict[str, Any],
        hint: str | None,
    ) -> list[dict[str, Any]]:
        limit = get_settings().max_message_chars
        if not text.strip():
            lang = reply_language("", hint)
            return [
                {"recipient_id": sender, "text": render_message("empty", lang, get_profile().context(lang))}
            ]
        truncated = len(text) > limit
        text = text[:limit]
        collector = MergingOutputChannel()
        try:
            await on_new_message(
                UserMessage(
                    text,
                    collector,
                    sender,
                    input_channel=channel,
                    metadata={"language": hint} if hint else None,
                )
            )
        except Exception:
            logger.exception("message handling failed for conversation %s", log_ref(sender))
        loop = asyncio.get_running_loop()
        replies = await loop.run_in_executor(
            None, safety_net, sender, channel, text, collector.messages, hint
        )
        for reply in replies:
            reply.setdefault("recipient_id", sender)
        if truncated:
            lang = reply_language(text, hint)
            replies.append(
                {
                    "recipient_id": sender,
                    "text": render_message("too_long", lang, get_profile().context(lang)),
                }
            )
        return replies
