"""SMS and WhatsApp through Twilio: `POST /webhooks/twilio/webhook`, signature-checked.

Differences from Rasa's own TwilioInput, and why:
- every request must carry a valid `X-Twilio-Signature` for `PUBLIC_BASE_URL` + the webhook path;
  anything else gets 403 before a conversation is touched (the endpoint is public, and a forged
  request could otherwise make us text any number at the clinic's expense);
- a MessageSid seen before is answered 200 and not processed again (Twilio retries);
- the conversation id is the number with its channel: `sms:+31…` or `whatsapp:+31…`
  (bot.conversations), so no REST caller can reach it;
- secrets come from `bot.config.get_settings()`, never from credentials.yml;
- the turn itself is `bot.rasa_server.patient_turn` (the same as REST); the replies are then
  formatted for a phone (red flags first, numbered choices instead of buttons, ≤ 1,600 characters)
  and sent with the Twilio Client on the channel they came from (`whatsapp:` kept).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qsl

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from twilio.request_validator import RequestValidator

from bot.config import get_settings
from bot.conversations import phone_address, phone_conversation_id
from bot.phone.choices import ChoiceMemory
from bot.phone.sms_format import format_for_phone
from bot.phone.twilio_send import WHATSAPP, TwilioSender
from bot.rasa_server import outreach_hooks
from bot.rasa_server.patient_turn import channel_blueprint, patient_turn
from bot.storage.twilio_seen import first_sight

logger = logging.getLogger(__name__)

WEBHOOK_PATH = "/webhooks/twilio/webhook"
STATUS_PATH = "/webhooks/twilio/status"
MAX_FORM_BYTES = 64 * 1024
MAX_SENDER_CHARS = 64
SID_FIELDS = ("MessageSid", "SmsMessageSid", "SmsSid")
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


class FormParams(dict):
    """Form fields as lists of values, with the `getall` Twilio's RequestValidator understands."""

    def getall(self, name: str) -> list[str]:
        return self[name]

    def first(self, name: str) -> str | None:
        values = self.get(name)
        return values[0] if values else None


def parse_form(body: bytes) -> FormParams:
    """Parse `application/x-www-form-urlencoded`, keeping empty fields: Twilio signs them too."""
    params = FormParams()
    for name, value in parse_qsl(body.decode("utf-8", errors="replace"), keep_blank_values=True):
        params.setdefault(name, []).append(value)
    return params


def signature_valid(auth_token: str, url: str, params: FormParams, signature: str | None) -> bool:
    """Twilio's check with its own validator; no token configured means nothing is valid."""
    if not auth_token or not signature:
        return False
    return RequestValidator(auth_token).validate(url, params, signature)


class SignedTwilioInput(InputChannel):
    """Rasa input channel `twilio` (route `/webhooks/twilio/webhook`) with signature checking."""

    @classmethod
    def name(cls) -> str:
        return "twilio"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        """credentials.yml only switches the channel on; secrets are read from the environment."""
        return cls()

    def __init__(self, sender: TwilioSender | None = None, choices: ChoiceMemory | None = None) -> None:
        self._sender = sender
        self.choices = choices or ChoiceMemory()

    @property
    def sender(self) -> TwilioSender:
        if self._sender is None:
            self._sender = TwilioSender.from_settings(get_settings())
        return self._sender

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        async def receive(request: Request) -> HTTPResponse:
            settings = get_settings()
            body = request.body or b""
            if len(body) > MAX_FORM_BYTES:
                return response.json({"error": "request too large"}, status=413)
            params = parse_form(body)
            url = settings.public_base_url + WEBHOOK_PATH
            if request.query_string:
                url += "?" + request.query_string
            if not signature_valid(
                settings.twilio_auth_token, url, params, request.headers.get("X-Twilio-Signature")
            ):
                logger.warning("refused a Twilio webhook request without a valid signature")
                return response.json({"error": "invalid or missing X-Twilio-Signature"}, status=403)
            sender, text = params.first("From"), params.first("Body")
            missing = [name for name, value in (("From", sender), ("Body", text)) if value is None]
            if missing or not sender or not sender.strip():
                fields = " and ".join(missing) or "From"
                return response.json({"error": f"missing form field {fields}"}, status=400)
            if len(sender) > MAX_SENDER_CHARS:
                return response.json({"error": "From is too long"}, status=400)
            sid = next((params.first(name) for name in SID_FIELDS if params.first(name)), "")
            loop = asyncio.get_running_loop()
            if not await loop.run_in_executor(None, first_sight, sid):
                logger.info("Twilio message seen before; not processed again")
                return response.text(EMPTY_TWIML, content_type="text/xml")
            # Shielded: a client that hangs up (Twilio waits 15 s) must not cut a red-flag reply short.
            task = asyncio.ensure_future(self.converse(on_new_message, sender.strip(), text or ""))
            await asyncio.shield(task)
            return response.text(EMPTY_TWIML, content_type="text/xml")

        async def status(request: Request) -> HTTPResponse:
            """Twilio's delivery reports (StatusCallback) for check-ins and nurse messages, signed."""
            settings = get_settings()
            body = request.body or b""
            if len(body) > MAX_FORM_BYTES:
                return response.json({"error": "request too large"}, status=413)
            params = parse_form(body)
            url = settings.public_base_url + STATUS_PATH
            if not signature_valid(
                settings.twilio_auth_token, url, params, request.headers.get("X-Twilio-Signature")
            ):
                return response.json({"error": "invalid or missing X-Twilio-Signature"}, status=403)
            sid, state = params.first("MessageSid"), params.first("MessageStatus")
            if not sid or not state:
                return response.json({"error": "missing MessageSid or MessageStatus"}, status=400)
            loop = asyncio.get_running_loop()
            found = await loop.run_in_executor(
                None, outreach_hooks.record_status, sid[:64], state[:16], params.first("ErrorCode")
            )
            return response.json({"recorded": found})

        webhook = channel_blueprint(self, receive)
        webhook.add_route(status, "/status", methods=["POST"])
        return webhook

    async def converse(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]], sender: str, text: str
    ) -> list[str]:
        """Run one patient message through the assistant and send the replies; returns the bodies."""
        conversation_id = phone_conversation_id(sender)
        recipient = phone_address(conversation_id) or sender
        loop = asyncio.get_running_loop()
        keyword_texts = await loop.run_in_executor(None, outreach_hooks.keyword_reply, conversation_id, text)
        if keyword_texts is not None:  # STOP/START: recorded and confirmed, not a conversation turn
            await loop.run_in_executor(None, self.sender.send_all, recipient, keyword_texts)
            return keyword_texts
        # A bare 1-5 answering a check-in becomes the words it stands for (bot.outreach.keywords).
        answer = await loop.run_in_executor(None, outreach_hooks.checkin_text, conversation_id, text)

        def rewrite(clean: str) -> str:
            if answer:
                return answer
            if not conversation_id.startswith(WHATSAPP):
                clean = clean.replace("¡", "@")  # some carriers turn @ into ¡ in the GSM alphabet
            return self.choices.resolve(conversation_id, clean) or clean

        replies = await patient_turn(on_new_message, conversation_id, text, self.name(), rewrite=rewrite)
        phone = format_for_phone(replies)
        self.choices.remember(conversation_id, phone.choices)
        await loop.run_in_executor(None, self.sender.send_all, recipient, phone.bodies)
        return phone.bodies
