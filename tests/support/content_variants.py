"""Clinic profiles for the content tests: each shipped profile, and each with every value of each setting.

Variants change the YAML (not the template context), so derived values such as `sex_wait_hours`
follow exactly as they would in a real profile, and each variant must pass the profile validation.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import yaml

from bot.clinic import (
    ABSTINENCE_STARTS,
    IF_STILL_BLEEDING,
    PRACTICE_CHOICES,
    PREGNANCY_TESTS,
    RESULTS_WHO,
    ClinicProfile,
    load_profile,
)
from bot.config import PROJECT_ROOT

PROFILES = sorted((PROJECT_ROOT / "profiles").glob("*.yml"))


def _set(raw: dict[str, Any], dotted: str, value: Any) -> dict[str, Any]:
    changed = copy.deepcopy(raw)
    node = changed
    *parents, last = dotted.split(".")
    for key in parents:
        node = node.setdefault(key, {})
    node[last] = value
    return changed


def setting_changes() -> list[tuple[str, Any]]:
    """(dotted profile field, value): every allowed value of every setting the texts use."""
    changes: list[tuple[str, Any]] = []
    changes += [("abstinence.start", value) for value in ABSTINENCE_STARTS]
    changes += [("pregnancy_test.kind", value) for value in PREGNANCY_TESTS]
    changes += [("results.who", value) for value in RESULTS_WHO]
    changes += [("cycle_window.if_still_bleeding", value) for value in IF_STILL_BLEEDING]
    changes += [("cycle_window.not_while_bleeding", value) for value in (True, False)]
    changes += [(f"practice.{key}", value) for key, values in PRACTICE_CHOICES.items() for value in values]
    for field in ("aftercare.tampons_hours", "aftercare.intercourse_hours", "aftercare.bath_hours"):
        changes += [(field, value) for value in (0, 24, 48)]
    changes += [("abstinence.until_hours_after", value) for value in (0, 24)]
    changes += [("aftercare.work_same_day", value) for value in (True, False)]
    changes += [("results.days_min", value) for value in (0, 7)]
    changes += [("results.days_max", value) for value in (0, 14)]
    changes += [("booking.call_on_cycle_day", value) for value in (1, 3)]
    changes += [("cycle_window.first_day", 8), ("cycle_window.last_day", 12), ("duration_minutes", 15)]
    changes += [("open_days", ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]), ("demo", False)]
    changes += [("phones.clinic", "+31 (0)20 555 0100 ext. 1234"), ("phones.emergency", "999")]
    return changes


def profile_variants() -> Iterator[tuple[str, ClinicProfile]]:
    """(label, profile): each shipped profile as it is, then with each setting change."""
    for path in PROFILES:
        base = load_profile(path)
        yield path.name, base
        for dotted, value in setting_changes():
            raw = _set(base.raw, dotted, value)
            first, last = raw["cycle_window"]["first_day"], raw["cycle_window"]["last_day"]
            if first > last:
                raw["cycle_window"]["first_day"], raw["cycle_window"]["last_day"] = last, first
            if raw["results"].get("days_min", 0) > raw["results"].get("days_max", 0):
                raw["results"]["days_min"] = 0
            yield f"{path.name} {dotted}={value}", validated(raw, path)


def validated(raw: dict[str, Any], path: Path) -> ClinicProfile:
    """A variant through the same validation as a profile file."""
    from bot.clinic import _validate

    return ClinicProfile(raw=_validate(copy.deepcopy(raw), path), path=path)


def contexts() -> Iterator[tuple[str, Callable[[str], dict[str, Any]]]]:
    for label, profile in profile_variants():
        yield label, profile.context


def yaml_text(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))
