"""While a nurse has the conversation in review, the assistant steps back but keeps watch.

Red-flag advice (emergency/urgent, with its triage payload) still goes out at once, because a nurse
reading later must not delay it; every other reply is replaced by one sentence saying a nurse is
following up, so the assistant does not talk over her. Resolving the escalation hands the
conversation back.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from bot.clinic import get_profile
from bot.content.render import render_message
from bot.phone.addresses import conversation_ids, split_conversation
from bot.storage.db import read_session
from bot.storage.models import Escalation
from bot.vocabulary import RED_FLAG_LEVELS


def ids_of(conversation: str) -> tuple[str, ...]:
    address = split_conversation(conversation)
    return (conversation, *conversation_ids(address[1], address[0])) if address else (conversation,)


def in_review(conversation: str) -> bool:
    with read_session() as session:
        found = session.execute(
            sa.select(Escalation.id)
            .where(Escalation.conversation_id.in_(ids_of(conversation)), Escalation.status == "in_review")
            .limit(1)
        ).scalar_one_or_none()
    return found is not None


def is_red_flag(reply: dict[str, Any]) -> bool:
    custom = reply.get("custom")
    triage = custom.get("triage") if isinstance(custom, dict) else None
    return isinstance(triage, dict) and triage.get("level") in RED_FLAG_LEVELS


def hand_over(conversation: str, replies: list[dict[str, Any]], lang: str) -> list[dict[str, Any]]:
    """The replies to send: unchanged unless a nurse has this conversation in review."""
    if not in_review(conversation):
        return replies
    kept = [reply for reply in replies if is_red_flag(reply)]
    notice = render_message("nurse_following_up", lang, get_profile().context(lang))
    return [*kept, {"text": notice, "custom": {"handover": {"nurse_following_up": True}}}]
