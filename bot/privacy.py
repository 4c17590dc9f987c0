"""Personal data helpers: what may be shown or logged about a patient."""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
from functools import lru_cache
from pathlib import Path

from bot.config import get_settings

_DIGITS = re.compile(r"\d")


def mask_phone(value: str | None) -> str:
    """Mask a phone number (or `whatsapp:`/`sms:` sender id) for lists and logs: keep the last 3 digits.

    Nurses see the masked form in the inbox; the full number is only in the conversation itself.
    """
    if not value:
        return ""
    prefix = ""
    if ":" in value:
        prefix, value = value.split(":", 1)
        prefix += ":"
    digits = _DIGITS.findall(value)
    if len(digits) < 6:
        return prefix + value if not digits else prefix + "•" * len(digits)
    keep = "".join(digits[-3:])
    lead = "+" if value.strip().startswith("+") else ""
    return f"{prefix}{lead}{'•' * (len(digits) - 3)}{keep}"


def looks_like_phone(sender_id: str | None) -> bool:
    """Twilio senders are phone numbers (optionally `whatsapp:`-prefixed); web senders are random ids."""
    if not sender_id:
        return False
    value = sender_id.split(":", 1)[-1]
    return bool(re.fullmatch(r"\+?[\d ()-]{6,20}", value))


def display_sender(sender_id: str | None) -> str:
    """How a conversation id is shown in lists: phone numbers masked, random web ids as they are."""
    if looks_like_phone(sender_id):
        return mask_phone(sender_id)
    return sender_id or ""


@lru_cache(maxsize=1)
def _log_key() -> bytes:
    """Keyed, because a plain hash of a phone number is reversed by trying every number. The key is
    the session secret or the per-run action token (shared by all services of a run), else random."""
    settings = get_settings()
    key = settings.secret_key or settings.action_server_token
    return key.encode("utf-8") if key else secrets.token_bytes(32)


def log_ref(sender_id: str | None) -> str:
    """A short pseudonym for logs (stable within a run), so logs never carry a phone number."""
    if not sender_id:
        return "-"
    return hmac.new(_log_key(), sender_id.encode("utf-8"), hashlib.sha256).hexdigest()[:10]


PRIVATE_DIR_MODE = 0o700


def private_dir(path: Path) -> Path:
    """Create (or tighten) a folder that holds patient data: owner-only (var/, the outbox)."""
    path.mkdir(mode=PRIVATE_DIR_MODE, parents=True, exist_ok=True)
    if path.stat().st_uid == os.getuid() and path.stat().st_mode & 0o077:
        path.chmod(PRIVATE_DIR_MODE)
    return path
