"""The channels' calls into bot.outreach, each guarded: a database hiccup here must never cost a
patient her reply (the conversation goes on as if no outreach existed, and the error is logged).

Blocking (database); the channels call these in a worker thread.
"""

from __future__ import annotations

import logging
from typing import Any

from bot.privacy import log_ref

logger = logging.getLogger(__name__)


def keyword_reply(sender: str, text: str) -> list[str] | None:
    """Replies to a STOP/START message (possibly none), or None when the text is not a keyword."""
    from bot.outreach.keywords import handle_keyword

    try:
        handled = handle_keyword(sender, text)
    except Exception:
        logger.exception("opt-out keyword could not be recorded for %s", log_ref(sender))
        return None
    return handled.texts if handled is not None else None


def checkin_text(sender: str, text: str) -> str | None:
    """The words a numbered check-in answer stands for, or None."""
    from bot.outreach.keywords import checkin_answer

    try:
        return checkin_answer(sender, text)
    except Exception:
        logger.exception("check-in answer lookup failed for %s", log_ref(sender))
        return None


def hand_over(sender: str, replies: list[dict[str, Any]], lang: str) -> list[dict[str, Any]]:
    from bot.outreach.handover import hand_over as apply

    try:
        return apply(sender, replies, lang)
    except Exception:
        logger.exception("hand-over check failed for %s", log_ref(sender))
        return replies


def widget_messages(sender: Any) -> list[dict[str, Any]] | None:
    """Nurse messages waiting for this web conversation (None: not a valid widget sender id)."""
    from bot.conversations import valid_rest_sender
    from bot.storage.db import write_session
    from bot.storage.nurse_messages import take_pending

    if not valid_rest_sender(sender):
        return None
    with write_session() as session:
        return take_pending(session, sender)


def record_status(sid: str, status: str, error_code: str | None) -> str:
    from bot.outreach.nurse_reply import record_status as record

    return record(sid, status, error_code)
