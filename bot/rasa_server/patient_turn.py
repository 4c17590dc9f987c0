"""One patient turn, the same for every input channel (REST, SMS, WhatsApp).

A channel only parses its request and delivers the replies; everything between is here, once:
clean the text (lone surrogates, NUL, control characters), answer an empty message without the
model, bound the text by code points, run the Rasa turn, apply the red-flag safety net (which
stores the escalation when triage did not run), surface a conversation that could not be saved,
and add the "too long" notice. Each fix to a patient turn is made here and holds for all channels.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.clinic import get_profile
from bot.config import get_settings
from bot.content.render import render_message
from bot.ops.metrics import record_turn
from bot.privacy import log_ref
from bot.rasa_server import outreach_hooks, save_watch
from bot.rasa_server.bounded_turn import run_turn, shielded
from bot.rasa_server.safety_net import reply_language, safety_net
from bot.text_input import bound_text, clean_text

logger = logging.getLogger(__name__)

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]
MESSAGE_PARTS = ("text", "buttons", "quick_replies", "image", "attachment", "elements", "custom")


class ReplyCollector(CollectingOutputChannel):
    """Collects each bot response as one message: text, buttons, image and custom payload together.

    Rasa's own collector splits them, which would separate a triage decision from its advice.
    """

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        collected = {key: message[key] for key in MESSAGE_PARTS if message.get(key)}
        if collected:
            self.messages.append(collected)


def channel_blueprint(
    channel: InputChannel, receive: Callable[[Request], Awaitable[HTTPResponse]]
) -> Blueprint:
    """The channel's Sanic blueprint: `GET /` health and `POST /webhook` handled by `receive`."""
    module = inspect.getmodule(channel)
    webhook = Blueprint(f"custom_webhook_{type(channel).__name__}", module.__name__ if module else None)

    async def health(request: Request) -> HTTPResponse:
        return response.json({"status": "ok"})

    webhook.add_route(health, "/", methods=["GET"])
    webhook.add_route(receive, "/webhook", methods=["POST"])
    return webhook


def _notice(key: str, text: str, hint: str | None) -> dict[str, Any]:
    lang = reply_language(text, hint)
    return {"text": render_message(key, lang, get_profile().context(lang))}


async def patient_turn(
    on_new_message: OnNewMessage,
    conversation_id: str,
    text: object,
    input_channel: str,
    language_hint: str | None = None,
    rewrite: Callable[[str], str] | None = None,
) -> list[dict[str, Any]]:
    """The replies to one patient message, red-flag advice first; never empty.

    `rewrite` (optional) maps the cleaned text before it is bounded, e.g. a numbered SMS choice to
    its button payload. The turn runs in its own task (bot.rasa_server.bounded_turn): a client that
    hangs up does not cut it short, and Rasa gets at most HSG_TURN_TIMEOUT_S before the safety net
    answers.
    """
    turn = _patient_turn(on_new_message, conversation_id, text, input_channel, language_hint, rewrite)
    return await shielded(turn, conversation_id)


async def _patient_turn(
    on_new_message: OnNewMessage,
    conversation_id: str,
    text: object,
    input_channel: str,
    language_hint: str | None,
    rewrite: Callable[[str], str] | None,
) -> list[dict[str, Any]]:
    cleaned = clean_text(text)
    if rewrite is not None:
        cleaned = rewrite(cleaned)
    if not cleaned.strip():
        return [_notice("empty", "", language_hint)]
    bounded, truncated = bound_text(cleaned, get_settings().max_message_chars)
    collector = ReplyCollector()
    metadata = {"language": language_hint} if language_hint else None
    finished = True
    started = time.perf_counter()
    with save_watch.watching(conversation_id) as watch:
        try:
            message = UserMessage(
                bounded, collector, conversation_id, input_channel=input_channel, metadata=metadata
            )
            finished = (await run_turn(on_new_message, message, get_settings().turn_timeout_s)).finished
        except Exception:
            logger.exception("message handling failed for conversation %s", log_ref(conversation_id))
    loop = asyncio.get_running_loop()
    try:
        replies = await loop.run_in_executor(
            None,
            safety_net,
            conversation_id,
            input_channel,
            bounded,
            list(collector.messages),  # a turn past its bound may still add to it
            language_hint,
            not finished,  # the database may be what is slow: queue the escalation on disk
        )
    except Exception:  # never lose the assistant's own replies because the net failed
        logger.exception("safety net failed for conversation %s", log_ref(conversation_id))
        replies = list(collector.messages) or [_notice("service_unavailable", bounded, language_hint)]
    # While a nurse has the conversation in review, the assistant steps back (red flags still answered).
    replies = await loop.run_in_executor(
        None, outreach_hooks.hand_over, conversation_id, replies, reply_language(bounded, language_hint)
    )
    if watch.failed:
        # Rasa would carry on with an in-memory copy: say so, and tell the patient how to reach people.
        logger.error("conversation %s could not be saved to the tracker store", log_ref(conversation_id))
        replies.append(_notice("service_unavailable", bounded, language_hint))
    if truncated:
        replies.append(_notice("too_long", bounded, language_hint))
    record_turn(input_channel, time.perf_counter() - started, replies, finished)
    return replies
