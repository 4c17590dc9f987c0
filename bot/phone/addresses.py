"""Phone numbers, channels and conversation ids: how a patient's phone maps onto a conversation.

Built on bot.conversations (the prefixes `sms:` and `whatsapp:`): from a phone number and a channel
to its conversation id and back, and to the Twilio address to write to, so the nurse reply, the
check-ins and the opt-out keywords agree. A bare `+<number>` (the form stored before the `sms:`
prefix) is read as SMS too.
"""

from __future__ import annotations

import re

from bot.conversations import SMS_PREFIX, WHATSAPP_PREFIX
from bot.vocabulary import CHANNEL_SMS, CHANNEL_WHATSAPP

SMS = SMS_PREFIX.rstrip(":")
WHATSAPP = WHATSAPP_PREFIX.rstrip(":")
PHONE_CHANNELS: tuple[str, ...] = (SMS, WHATSAPP)
_E164 = re.compile(r"^\+[1-9]\d{6,14}$")
_SEPARATORS = re.compile(r"[\s().-]")


def normalise_phone(value: str | None) -> str | None:
    """`+<country><number>` without spaces, or None when the value is not an international number."""
    if not isinstance(value, str):
        return None
    bare = _SEPARATORS.sub("", value.strip())
    if bare.startswith("00"):
        bare = "+" + bare[2:]
    return bare if _E164.match(bare) else None


def conversation_id(phone: str, channel: str) -> str:
    """The conversation id of `phone` on `channel` (`sms` | `whatsapp`)."""
    if channel not in PHONE_CHANNELS:
        raise ValueError(f"not a phone channel: {channel!r}")
    return f"{channel}:{phone}"


def split_conversation(conversation: str | None) -> tuple[str, str] | None:
    """(`sms`|`whatsapp`, `+number`) for a phone conversation id or Twilio sender, else None."""
    if not conversation:
        return None
    channel, _, rest = conversation.partition(":")
    if not rest:
        channel, rest = SMS, conversation
    if channel not in PHONE_CHANNELS:
        return None
    phone = normalise_phone(rest)
    return (channel, phone) if phone else None


def twilio_address(phone: str, channel: str) -> str:
    """Where Twilio sends: `whatsapp:+…` for WhatsApp, the bare number for SMS."""
    return f"whatsapp:{phone}" if channel == WHATSAPP else phone


def stored_channel(channel: str) -> str:
    """The channel name escalations and transcripts use (bot.vocabulary) for a phone channel."""
    return CHANNEL_WHATSAPP if channel == WHATSAPP else CHANNEL_SMS


def conversation_ids(phone: str, channel: str) -> tuple[str, ...]:
    """Every id this phone's conversation may have been stored under (the old bare SMS form too)."""
    if channel == SMS:
        return (conversation_id(phone, SMS), phone)
    return (conversation_id(phone, channel),)
