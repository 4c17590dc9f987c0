"""When check-ins are due: the clinic profile's days after the HSG and hour, in the clinic's time zone.

Pure functions of their inputs (the caller passes `now`), so the schedule is tested with a
controllable clock and no waiting.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_DAYS = (1, 3)
DEFAULT_HOUR = 10
LATE_LIMIT = timedelta(days=1)  # a check-in later than this is skipped, not sent late
MAX_DAYS_AFTER = 30


@dataclass(frozen=True)
class CheckInPlan:
    """The check-in settings of a clinic profile (`checkins:`), with the defaults filled in."""

    days: tuple[int, ...] = DEFAULT_DAYS
    hour: int = DEFAULT_HOUR
    timezone: str = "UTC"
    # WhatsApp outside the 24-hour window: an approved template per language, and its variables
    # ("1": "{{ clinic_name }}", …) rendered from the profile context and `day`.
    template_sids: dict[str, str] = field(default_factory=dict)
    template_variables: dict[str, str] = field(default_factory=dict)
    on_call_number: str = ""

    @property
    def zone(self) -> Any:
        try:
            return ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            return timezone.utc


def plan_from_profile(raw: dict[str, Any]) -> CheckInPlan:
    """Read `checkins:` and `phones.on_call` from a profile mapping; invalid values give the defaults."""
    section = raw.get("checkins") or {}
    days = tuple(
        sorted({int(day) for day in section.get("days", DEFAULT_DAYS) if 0 < int(day) <= MAX_DAYS_AFTER})
    )
    hour = int(section.get("hour", DEFAULT_HOUR))
    template = section.get("whatsapp_template") or {}
    sids = template.get("content_sid") or {}
    if isinstance(sids, str):
        sids = {"en": sids, "nl": sids}
    return CheckInPlan(
        days=days or DEFAULT_DAYS,
        hour=hour if 0 <= hour <= 23 else DEFAULT_HOUR,
        timezone=str(section.get("timezone") or "UTC"),
        template_sids={str(lang): str(sid) for lang, sid in sids.items() if sid},
        template_variables={str(key): str(value) for key, value in (template.get("variables") or {}).items()},
        on_call_number=str((raw.get("phones") or {}).get("on_call") or "").strip(),
    )


def due_times(hsg_date: date, plan: CheckInPlan) -> list[tuple[int, datetime]]:
    """(day after the HSG, due moment as naive UTC) for each check-in."""
    result = []
    for day in plan.days:
        local = datetime.combine(hsg_date + timedelta(days=day), time(plan.hour), tzinfo=plan.zone)
        result.append((day, local.astimezone(timezone.utc).replace(tzinfo=None)))
    return result


def too_late(due_at: datetime, now: datetime) -> bool:
    """True when a check-in is overdue by more than a day: asking "how are you today?" that late
    would be about the wrong day."""
    return now - due_at > LATE_LIMIT


def days_since(hsg_date: date, now: datetime, plan: CheckInPlan) -> int:
    """Whole days from the HSG to `now` (naive UTC) on the clinic's calendar, at least 1: what the
    check-in says ("your HSG was yesterday"), even when a nurse sends one early."""
    local = now.replace(tzinfo=timezone.utc).astimezone(plan.zone).date()
    return max(1, (local - hsg_date).days)
