"""The red-flag safety net that sits in every input channel, inside the Rasa server process.

Rasa sends nothing when a custom action fails (the action server is down, times out or crashes),
so a patient reporting a red flag would be met with silence. After Rasa has answered, each channel
hands the patient's text and the replies here: if the text is an escalating report and no reply
carries a triage decision, the advice is put first and the escalation is stored through the same
writer as the triage action (bot.storage.reporting), or queued on disk when the database is down
too, so nothing is lost. If Rasa sent nothing at all, the patient is told so, with the number to call.
"""

from __future__ import annotations

import logging
from typing import Any

from bot.clinic import get_profile
from bot.config import get_settings
from bot.content.render import render_message
from bot.language import detect_language
from bot.ops.metrics import count
from bot.privacy import log_ref
from bot.rasa_server import screen_cache
from bot.storage.reporting import report_escalation
from bot.triage.turn import triage_turn
from bot.vocabulary import LANGUAGES, is_escalated

logger = logging.getLogger(__name__)


def has_triage(replies: list[dict[str, Any]]) -> bool:
    return any(isinstance(reply.get("custom"), dict) and reply["custom"].get("triage") for reply in replies)


def reply_language(text: str, language: str | None) -> str:
    if language in LANGUAGES:
        return language
    guess = detect_language(text).lang
    return guess if guess in LANGUAGES else get_profile().default_language


def safety_net(
    sender_id: str,
    channel: str,
    text: str,
    replies: list[dict[str, Any]],
    language: str | None = None,
    queue_only: bool = False,
) -> list[dict[str, Any]]:
    """Replies to send, with red-flag advice added first when triage did not run.

    `queue_only`: the turn ran out of time (bot.rasa_server.bounded_turn), so the escalation goes to
    the on-disk outbox without waiting for the database.
    """
    text = (text or "")[: get_settings().max_message_chars]
    lang = reply_language(text, language)
    profile = get_profile().context(lang)
    added: list[dict[str, Any]] = []
    screened = screen_cache.lookup(text, lang)
    needs_triage = screened is None or is_escalated(screened[1])  # the NLU screen said: nothing to add
    if text.strip() and needs_triage and not has_triage(replies):
        try:
            turn = triage_turn(text, lang, profile)
        except Exception:
            logger.exception("safety net: triage screen failed")
            turn = None
        if turn is not None and turn.escalate:
            added = [message for message in turn.messages if message.get("custom", {}).get("triage")]
            try:
                outcome = report_escalation(
                    sender_id,
                    turn.level,
                    turn.reasons,
                    text,
                    lang,
                    channel,
                    source="safety_net",
                    queue_only=queue_only,
                )
            except Exception:
                logger.exception("safety net: escalation could not be stored or queued")
                outcome = "failed"
            count("hsg_safety_net_activations_total", "rasa", level=str(turn.level))
            if outcome == "failed":  # stored and queued ones are counted by the writer
                count("hsg_escalations_total", "rasa", outcome=outcome, source="safety_net")
            logger.warning(
                "safety net gave %s advice without triage from the assistant (escalation %s, "
                "conversation %s)",
                turn.level,
                outcome,
                log_ref(sender_id),
            )
    result = added + list(replies)
    if not result:
        result = [{"text": render_message("service_unavailable", lang, profile)}]
    return result
