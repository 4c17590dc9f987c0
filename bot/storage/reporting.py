"""The one way an escalation is written, whoever decided it (the triage action or the channel's safety net).

Both writers used to build their own record with different fields; now the conversation id, the
channel (derived from the id for phone conversations), the language, the cleaned patient text and
the HSG date are set here, the report is stored or queued on disk, and once the database has taken
it anything that was queued while it was down is flushed too.
"""

from __future__ import annotations

import logging
from datetime import date

from bot.conversations import channel_of
from bot.ops.metrics import count
from bot.privacy import log_ref
from bot.storage.escalations import EscalationInput
from bot.storage.outbox import flush_outbox, record_or_queue, write_queued

logger = logging.getLogger(__name__)


def report_escalation(
    conversation_id: str,
    level: str,
    reasons: list[str],
    patient_text: str,
    language: str,
    input_channel: str | None = None,
    hsg_date: date | None = None,
    source: str = "triage",
    queue_only: bool = False,
) -> str:
    """Store (or queue) one escalation; "stored" or "queued". Raises only if database and disk both failed.

    `queue_only`: the database is what is slow (a turn ran out of time, bot.rasa_server.bounded_turn):
    the disk takes it now and the web app stores it within seconds.
    """
    escalation = EscalationInput(
        conversation_id=conversation_id,
        level=level,
        reasons=list(reasons),
        patient_text=patient_text,
        channel=channel_of(conversation_id, input_channel),
        language=language,
        hsg_date=hsg_date,
    )
    if queue_only:
        write_queued(escalation)
        outcome = "queued"
    else:
        outcome = record_or_queue(escalation)
    logger.info(
        "escalation %s by %s level=%s conversation=%s", outcome, source, level, log_ref(conversation_id)
    )
    count("hsg_escalations_total", outcome=outcome, source=source)
    if outcome == "stored":
        try:
            flush_outbox()  # anything queued while the database was down goes in now
        except Exception:  # the report itself is stored; the queue waits for the next flush
            logger.exception("outbox flush after an escalation failed")
    return outcome
