"""Tell the on-call nurse about new red-flag escalations by SMS, with no patient data in it.

Runs in the web app's background task. Each (escalation, level) is claimed by inserting a row with a
unique key, so several web workers send one alert between them; an escalation raised from urgent
to emergency alerts again. Only escalations reported in the last ALERT_WINDOW count, so switching
alerts on does not page anyone about last week.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from bot.clinic import get_profile
from bot.config import get_settings
from bot.content.render import render_message
from bot.outreach.checkins import current_plan
from bot.phone.addresses import normalise_phone
from bot.phone.twilio_send import TwilioSender
from bot.storage.db import read_session, write_session
from bot.storage.models import Escalation, utcnow
from bot.storage.outreach_models import Alert
from bot.vocabulary import RED_FLAG_LEVELS

logger = logging.getLogger(__name__)

ALERT_WINDOW = timedelta(minutes=15)


def candidates(now: datetime) -> list[tuple[int, str]]:
    """(escalation id, level) of open red-flag escalations reported lately and not alerted yet."""
    with read_session() as session:
        rows = session.execute(
            sa.select(Escalation.id, Escalation.level)
            .outerjoin(Alert, sa.and_(Alert.escalation_id == Escalation.id, Alert.level == Escalation.level))
            .where(
                Escalation.level.in_(sorted(RED_FLAG_LEVELS)),
                Escalation.status != "resolved",
                Escalation.reported_at >= now - ALERT_WINDOW,
                Alert.id.is_(None),
            )
        ).all()
    return [(row[0], row[1]) for row in rows]


def claim(escalation_id: int, level: str, now: datetime) -> bool:
    try:
        with write_session() as session:
            session.add(Alert(escalation_id=escalation_id, level=level, status="claimed", created_at=now))
    except IntegrityError:
        return False
    return True


def run_alerts(now: datetime | None = None, sender: TwilioSender | None = None) -> int:
    """Send one SMS for the new escalations this worker claimed; returns how many it covered."""
    number = normalise_phone(current_plan().on_call_number)
    if not number:
        return 0
    now = now or utcnow()
    claimed = [(eid, level) for eid, level in candidates(now) if claim(eid, level, now)]
    if not claimed:
        return 0
    levels = [level for _, level in claimed]
    profile = get_profile()
    lang = profile.default_language
    text = render_message(
        "on_call_alert",
        lang,
        profile.context(lang),
        emergency=levels.count("emergency"),
        urgent=levels.count("urgent"),
    )
    result = (sender or TwilioSender.from_settings(get_settings())).deliver(number, body=text)
    with write_session() as session:
        session.execute(
            sa.update(Alert)
            .where(sa.tuple_(Alert.escalation_id, Alert.level).in_(claimed))
            .values(status="sent" if result.accepted else "failed")
        )
    logger.info("on-call alert for %d escalation(s): %s", len(claimed), result.error or "accepted")
    return len(claimed)
