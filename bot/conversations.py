"""Conversation ids: who may address which conversation, and which channel a conversation lives on.

A conversation id is Rasa's sender id. Web and script conversations (REST) choose their own id, so
their ids are restricted to 8-128 characters of `[A-Za-z0-9_-]`; phone conversations are the
patient's number with a channel prefix (`sms:+31…`, `whatsapp:+31…`). The two sets cannot meet:
no REST request can name a phone conversation, so nobody can read or write a patient's SMS
conversation by sending her number as a sender id.
"""

from __future__ import annotations

import re

from bot.vocabulary import CHANNEL_REST, CHANNEL_SMS, CHANNEL_WHATSAPP

SMS_PREFIX = "sms:"
WHATSAPP_PREFIX = "whatsapp:"
REST_SENDER = re.compile(r"[A-Za-z0-9_-]{8,128}")
REST_SENDER_RULE = "sender must be 8-128 characters of A-Z, a-z, 0-9, _ and -"
PHONE_CHANNELS = {SMS_PREFIX: CHANNEL_SMS, WHATSAPP_PREFIX: CHANNEL_WHATSAPP}


def valid_rest_sender(sender: object) -> bool:
    """True for an id a REST caller may use (it can never be a phone conversation's id)."""
    return isinstance(sender, str) and REST_SENDER.fullmatch(sender) is not None


def phone_conversation_id(address: str) -> str:
    """The conversation id of a Twilio `From` address: `whatsapp:+…` stays, a bare number gets `sms:`."""
    address = address.strip()
    if address.startswith(WHATSAPP_PREFIX):
        return address
    if address.startswith(SMS_PREFIX):
        return address
    return SMS_PREFIX + address


def phone_address(conversation_id: str) -> str | None:
    """Where Twilio sends a phone conversation's messages (`+31…` or `whatsapp:+31…`); None for web."""
    if conversation_id.startswith(SMS_PREFIX):
        return conversation_id[len(SMS_PREFIX) :]
    if conversation_id.startswith(WHATSAPP_PREFIX):
        return conversation_id
    return None


def is_phone_conversation(conversation_id: str | None) -> bool:
    return bool(conversation_id) and conversation_id.startswith(tuple(PHONE_CHANNELS))


def channel_of(conversation_id: str, input_channel: str | None = None) -> str:
    """The channel stored with an escalation: from the id for phone conversations, else the input channel."""
    for prefix, channel in PHONE_CHANNELS.items():
        if conversation_id.startswith(prefix):
            return channel
    return input_channel if input_channel and input_channel != "twilio" else CHANNEL_REST
