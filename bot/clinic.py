"""The clinic profile: what differs between hospitals, loaded from one YAML file.

Answers and advice are rendered from `ClinicProfile.context(lang)` at the moment they are sent, so
editing the profile changes what patients read without retraining the model.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.config import get_settings
from bot.dates import WEEKDAY_KEYS
from bot.vocabulary import LANGUAGES

_REQUIRED = (
    "name",
    "default_language",
    "phones",
    "opening_hours",
    "cycle_window",
    "abstinence",
    "pregnancy_test",
    "duration_minutes",
    "aftercare",
    "results",
    "open_days",
    "practice",
)


# Clinic practice where the leaflets describe different habits (docs/clinical-rules.md, "Where the
# leaflets disagree"): every allowed value, so the content tests can render each one.
PRACTICE_CHOICES: dict[str, tuple[Any, ...]] = {
    "results_on_the_day": (False, True),
    "chaperone": ("always", "on_request"),
    "extra_images_minutes": (0, 30),  # any number of minutes; 0 = not mentioned
    "balloon_catheter": (True, False),
    "general_anaesthesia": (False, True),
    "payment": ("on_the_day_if_not_covered", "billed_later"),
}
IF_STILL_BLEEDING = ("call_to_move", "come_as_planned")
ABSTINENCE_STARTS = ("none", "cycle_day_1", "cycle_day_10")
PREGNANCY_TESTS = ("none", "confirm_on_arrival", "urine_on_arrival", "blood_within_24h")
RESULTS_WHO = ("fertility_consultation", "referring_doctor")
DEFAULT_RETENTION_DAYS = 365
MIN_RETENTION_DAYS = 7  # below a week a nurse could lose a conversation she has yet to read


class ProfileError(ValueError):
    """The profile file is missing a setting or has one of the wrong kind."""


@dataclass(frozen=True)
class ClinicProfile:
    """A validated clinic profile. `raw` keeps the YAML as read; use `context()` for templates."""

    raw: dict[str, Any]
    path: Path

    @property
    def default_language(self) -> str:
        return str(self.raw["default_language"])

    @property
    def is_demo(self) -> bool:
        return bool(self.raw.get("demo", False))

    @property
    def emergency_number(self) -> str:
        return str(self.raw["phones"]["emergency"])

    @property
    def retention_days(self) -> int:
        """Days conversations, escalations and queued files are kept (`python -m bot retention`)."""
        return int(self.raw.get("retention_days", DEFAULT_RETENTION_DAYS))

    @property
    def clinic_phone(self) -> str:
        return str(self.raw["phones"]["clinic"])

    @property
    def out_of_hours_phone(self) -> str:
        return str(self.raw["phones"]["out_of_hours"])

    def text(self, key: str, lang: str) -> str:
        """A bilingual top-level field (`name`, `opening_hours`) in `lang`."""
        value = self.raw[key]
        if isinstance(value, dict):
            return str(value.get(lang) or value.get(self.default_language) or next(iter(value.values())))
        return str(value)

    def context(self, lang: str) -> dict[str, Any]:
        """Flat values for answer templates, with bilingual fields resolved to `lang`."""
        raw = self.raw
        return {
            "clinic_name": self.text("name", lang),
            "clinic_phone": self.clinic_phone,
            "out_of_hours_phone": self.out_of_hours_phone,
            "emergency_number": self.emergency_number,
            "opening_hours": self.text("opening_hours", lang),
            "demo": self.is_demo,
            "booking_call_day": int(raw.get("booking", {}).get("call_on_cycle_day", 1)),
            "cycle_first_day": int(raw["cycle_window"]["first_day"]),
            "cycle_last_day": int(raw["cycle_window"]["last_day"]),
            "cycle_not_while_bleeding": bool(raw["cycle_window"].get("not_while_bleeding", True)),
            "if_still_bleeding": str(raw["cycle_window"].get("if_still_bleeding", "call_to_move")),
            "open_days": [str(day) for day in raw["open_days"]],
            "open_on_weekends": any(day in raw["open_days"] for day in ("sat", "sun")),
            "abstinence_start": str(raw["abstinence"]["start"]),
            "abstinence_hours_after": int(raw["abstinence"].get("until_hours_after", 0)),
            "pregnancy_test": str(raw["pregnancy_test"]["kind"]),
            "duration_minutes": int(raw["duration_minutes"]),
            "tampons_hours": int(raw["aftercare"]["tampons_hours"]),
            "intercourse_hours": int(raw["aftercare"]["intercourse_hours"]),
            "bath_hours": int(raw["aftercare"]["bath_hours"]),
            "work_same_day": bool(raw["aftercare"].get("work_same_day", True)),
            "results_who": str(raw["results"]["who"]),
            "results_days_min": int(raw["results"].get("days_min", 0)),
            "results_days_max": int(raw["results"].get("days_max", 0)),
            # Hours without sex after the HSG: the longer of the two settings, so the FAQ answers
            # and the cycle plan always give the same wait.
            "sex_wait_hours": max(
                int(raw["abstinence"].get("until_hours_after", 0)), int(raw["aftercare"]["intercourse_hours"])
            ),
            **{key: raw["practice"][key] for key in PRACTICE_CHOICES},
        }


def _validate(raw: Any, path: Path) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise ProfileError(f"{path}: the profile must be a mapping")
    missing = [key for key in _REQUIRED if key not in raw]
    if missing:
        raise ProfileError(f"{path}: missing settings: {', '.join(missing)}")
    if raw["default_language"] not in LANGUAGES:
        raise ProfileError(f"{path}: default_language must be one of {LANGUAGES}")
    for key in ("clinic", "out_of_hours", "emergency"):
        if not str(raw["phones"].get(key, "")).strip():
            raise ProfileError(f"{path}: phones.{key} is required")
    window = raw["cycle_window"]
    if not 1 <= int(window["first_day"]) <= int(window["last_day"]) <= 28:
        raise ProfileError(f"{path}: cycle_window must satisfy 1 <= first_day <= last_day <= 28")
    if raw["abstinence"]["start"] not in ABSTINENCE_STARTS:
        raise ProfileError(f"{path}: abstinence.start must be none, cycle_day_1 or cycle_day_10")
    if raw["pregnancy_test"]["kind"] not in PREGNANCY_TESTS:
        raise ProfileError(f"{path}: pregnancy_test.kind is not one of the known kinds")
    if raw["results"]["who"] not in RESULTS_WHO:
        raise ProfileError(f"{path}: results.who must be fertility_consultation or referring_doctor")
    if window.get("if_still_bleeding", "call_to_move") not in IF_STILL_BLEEDING:
        raise ProfileError(f"{path}: cycle_window.if_still_bleeding must be one of {IF_STILL_BLEEDING}")
    days = raw["open_days"]
    if not isinstance(days, list) or not days or any(day not in WEEKDAY_KEYS for day in days):
        raise ProfileError(f"{path}: open_days must list days from {WEEKDAY_KEYS}")
    practice = raw["practice"]
    if not isinstance(practice, dict):
        raise ProfileError(f"{path}: practice must be a mapping")
    for key, allowed in PRACTICE_CHOICES.items():
        if key not in practice:
            raise ProfileError(f"{path}: practice.{key} is required")
        value = practice[key]
        if type(value) is int and type(allowed[0]) is int:
            if value < 0:
                raise ProfileError(f"{path}: practice.{key} must be 0 or more")
        elif value not in allowed or type(value) is not type(allowed[0]):
            raise ProfileError(f"{path}: practice.{key} must be one of {allowed}")
    retention = raw.get("retention_days", DEFAULT_RETENTION_DAYS)
    if isinstance(retention, bool) or not isinstance(retention, int) or retention < MIN_RETENTION_DAYS:
        raise ProfileError(
            f"{path}: retention_days must be a whole number of days, at least {MIN_RETENTION_DAYS}"
        )
    return raw


def load_profile(path: Path | str) -> ClinicProfile:
    """Read and validate a profile file."""
    path = Path(path)
    with path.open(encoding="utf-8") as handle:
        raw = yaml.safe_load(handle)
    return ClinicProfile(raw=_validate(raw, path), path=path)


_cache: dict[tuple[str, float], ClinicProfile] = {}


def get_profile() -> ClinicProfile:
    """The configured profile, re-read when the file changes (so edits apply without a restart)."""
    path = get_settings().clinic_profile
    key = (str(path), path.stat().st_mtime)
    profile = _cache.get(key)
    if profile is None:
        _cache.clear()
        profile = _cache[key] = load_profile(path)
    return profile
