"""Twilio message ids already handled, so a repeated webhook (same MessageSid) is answered but not re-run.

Twilio retries a request it believes failed (a timeout on a slow red-flag turn, a lost response),
and every retry would be a second patient turn and a second escalation report. The first writer of
a sid wins through the primary key, in the shared database, so it holds across Rasa workers.
"""

from __future__ import annotations

import logging
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from bot.storage.db import write_session
from bot.storage.models import TwilioMessageSeen, utcnow

logger = logging.getLogger(__name__)

SEEN_TTL = timedelta(days=1)  # Twilio gives up retrying long before this


def first_sight(sid: str, database_url: str | None = None) -> bool:
    """True the first time a sid is seen (and remembered), False after. Fails open: if the database
    cannot answer, the message is processed (a patient must never be ignored because of this check)."""
    sid = sid.strip()[:64]
    if not sid:
        return True
    now = utcnow()
    try:
        with write_session(database_url) as session:
            session.execute(sa.delete(TwilioMessageSeen).where(TwilioMessageSeen.seen_at < now - SEEN_TTL))
            session.add(TwilioMessageSeen(sid=sid, seen_at=now))
        return True
    except IntegrityError:
        return False
    except Exception as error:
        logger.warning("could not check a Twilio message id, processing it: %s", type(error).__name__)
        return True
