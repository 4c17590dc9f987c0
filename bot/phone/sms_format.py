"""Turn the assistant's replies into text for phones (SMS and WhatsApp): pure functions, no I/O.

Why a separate step: a phone shows neither buttons nor markup, Twilio refuses a body longer than
1,600 characters, and a patient reading a red-flag warning must see it before anything else, even
when the network delivers several messages at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from bot.vocabulary import RED_FLAG_LEVELS

MAX_BODY_CHARS = 1600
"""Twilio's limit for one message body (SMS and WhatsApp), counted in UTF-16 code units."""

FIRST_LEVELS = RED_FLAG_LEVELS

_TAGS = re.compile(r"<[^>\n]{1,200}>")
_LINK = re.compile(r"\[([^\]\n]{1,300})\]\((\S{1,2000}?)\)")
_EMPHASIS = re.compile(r"(\*\*|__)(\S(?:.*?\S)?)\1|(?<![\w*])([*_])(\S(?:[^*_\n]*?\S)?)\3(?![\w*])")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+", re.MULTILINE)
_CODE = re.compile(r"`([^`\n]*)`")
_SPACES = re.compile(r"[ \t]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\n+")
_CHOICE = re.compile(r"^\s*(\d{1,2})\s*[.)]?\s*$")


def utf16_len(text: str) -> int:
    """Length as Twilio counts it: an emoji outside the BMP takes two units."""
    return len(text.encode("utf-16-le")) // 2


def _written_link(match: re.Match[str]) -> str:
    label, url = match.group(1), match.group(2)
    return label if label == url else f"{label}: {url}"


def strip_markup(text: str) -> str:
    """Plain text for a phone: no HTML tags, no Markdown emphasis, links written out as `text: url`."""
    text = _TAGS.sub("", text or "")
    text = _LINK.sub(_written_link, text)
    text = _CODE.sub(r"\1", text)
    text = _HEADING.sub("", text)
    previous = None
    while previous != text:  # nested emphasis such as ***bold italic***
        previous = text
        text = _EMPHASIS.sub(lambda m: m.group(2) if m.group(2) is not None else m.group(4), text)
    lines = [_SPACES.sub(" ", line).strip() for line in text.replace("\r\n", "\n").split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def _hard_split(piece: str, limit: int) -> list[str]:
    """Last resort for a run without spaces: cut by code point so no surrogate pair is broken."""
    parts: list[str] = []
    current = ""
    for char in piece:
        if utf16_len(current + char) > limit:
            parts.append(current)
            current = ""
        current += char
    if current:
        parts.append(current)
    return parts


def _pieces(text: str, limit: int) -> list[str]:
    """Sentences (or lines) of the text, each short enough on its own."""
    pieces: list[str] = []
    for sentence in _SENTENCE_END.split(text):
        sentence = sentence.strip()
        if not sentence:
            continue
        if utf16_len(sentence) <= limit:
            pieces.append(sentence)
            continue
        word_run = ""
        for word in sentence.split():
            for chunk in _hard_split(word, limit) if utf16_len(word) > limit else [word]:
                candidate = f"{word_run} {chunk}" if word_run else chunk
                if utf16_len(candidate) <= limit:
                    word_run = candidate
                else:
                    pieces.append(word_run)
                    word_run = chunk
        if word_run:
            pieces.append(word_run)
    return pieces


def split_message(text: str, limit: int = MAX_BODY_CHARS) -> list[str]:
    """Split a long text into bodies of at most `limit` UTF-16 units, at sentence boundaries.

    Paragraph breaks are kept inside a body; a sentence is only cut (at a space) when it alone is
    longer than the limit.
    """
    text = (text or "").strip()
    if utf16_len(text) <= limit:
        return [text] if text else []
    bodies: list[str] = []
    current = ""
    for paragraph in _BLANK_LINES.split(text):
        for index, piece in enumerate(_pieces(paragraph, limit)):
            joiner = ("\n\n" if index == 0 else " ") if current else ""
            if utf16_len(current + joiner + piece) <= limit:
                current += joiner + piece
            else:
                bodies.append(current)
                current = piece
    if current:
        bodies.append(current)
    return bodies


def triage_level(reply: dict[str, Any]) -> str | None:
    custom = reply.get("custom")
    if isinstance(custom, dict) and isinstance(custom.get("triage"), dict):
        level = custom["triage"].get("level")
        return level if isinstance(level, str) else None
    return None


def red_flags_first(replies: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Emergency and urgent advice before everything else; otherwise the assistant's order."""
    return sorted(replies, key=lambda reply: 0 if triage_level(reply) in FIRST_LEVELS else 1)


@dataclass(frozen=True)
class PhoneReplies:
    """Bodies to send in order, and what a numbered answer ("1", "2" …) from the patient stands for."""

    bodies: list[str] = field(default_factory=list)
    choices: dict[str, str] = field(default_factory=dict)


def _button_lines(buttons: Any, choices: dict[str, str]) -> list[str]:
    lines: list[str] = []
    if not isinstance(buttons, list):
        return lines
    for button in buttons:
        if not isinstance(button, dict):
            continue
        title = strip_markup(str(button.get("title") or "")).replace("\n", " ")
        payload = str(button.get("payload") or button.get("title") or "").strip()
        if not title or not payload:
            continue
        number = str(len(choices) + 1)
        choices[number] = payload
        lines.append(f"{number}. {title}")
    return lines


def format_for_phone(replies: list[dict[str, Any]], limit: int = MAX_BODY_CHARS) -> PhoneReplies:
    """Bodies for SMS/WhatsApp: red flags first, markup removed, buttons as numbered choices, split.

    Choices are numbered across the whole batch, so "1" … "n" are unambiguous even when two replies
    carry buttons.
    """
    bodies: list[str] = []
    choices: dict[str, str] = {}
    for reply in red_flags_first(replies):
        parts = [strip_markup(str(reply.get("text") or ""))]
        image = reply.get("image")
        if isinstance(image, str) and image.startswith(("https://", "http://")):
            parts.append(image)
        buttons = reply.get("buttons") or reply.get("quick_replies")
        lines = _button_lines(buttons, choices)
        if lines:
            parts.append("\n".join(lines))
        text = "\n\n".join(part for part in parts if part)
        bodies.extend(split_message(text, limit))
    return PhoneReplies(bodies=bodies, choices=choices)


def choice_payload(text: str, choices: dict[str, str]) -> str | None:
    """The payload of the button a bare number ("1", "2.", " 3) ") points to, else None."""
    match = _CHOICE.match(text or "")
    if not match:
        return None
    return choices.get(str(int(match.group(1))))
