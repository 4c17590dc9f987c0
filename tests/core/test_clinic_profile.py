"""The clinic profile: validated on load, and edits apply without a restart."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
import yaml

from bot.clinic import ProfileError, get_profile, load_profile
from bot.config import PROJECT_ROOT, get_settings

DEMO = PROJECT_ROOT / "profiles" / "demo.yml"
DEMO_PRACTICE = yaml.safe_load(DEMO.read_text())["practice"]


def test_demo_profile_says_it_is_a_demo() -> None:
    profile = load_profile(DEMO)
    assert profile.is_demo
    assert "demo" in profile.text("name", "en").lower()
    assert "demo" in profile.text("name", "nl").lower()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"default_language": "fr"}, "default_language"),
        ({"phones": {"clinic": "1", "out_of_hours": "2", "emergency": ""}}, "phones.emergency"),
        ({"cycle_window": {"first_day": 9, "last_day": 6}}, "cycle_window"),
        ({"abstinence": {"start": "sometimes"}}, "abstinence"),
        ({"results": {"who": "the neighbour"}}, "results.who"),
        ({"open_days": ["monday"]}, "open_days"),
        ({"practice": {"results_on_the_day": False}}, "practice.chaperone"),
        ({"practice": {**DEMO_PRACTICE, "chaperone": "sometimes"}}, "practice.chaperone"),
        ({"practice": {**DEMO_PRACTICE, "balloon_catheter": "yes"}}, "practice.balloon_catheter"),
        ({"practice": {**DEMO_PRACTICE, "extra_images_minutes": -5}}, "practice.extra_images_minutes"),
        ({"pregnancy_test": {"kind": "urine_test"}}, "pregnancy_test"),
    ],
)
def test_invalid_profiles_are_refused(tmp_path: Path, change: dict, message: str) -> None:
    raw = yaml.safe_load(DEMO.read_text())
    raw.update(change)
    path = tmp_path / "clinic.yml"
    path.write_text(yaml.safe_dump(raw))
    with pytest.raises(ProfileError, match=message):
        load_profile(path)


def test_profile_changes_apply_without_restart(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    raw = yaml.safe_load(DEMO.read_text())
    path = tmp_path / "clinic.yml"
    path.write_text(yaml.safe_dump(raw))
    monkeypatch.setenv("CLINIC_PROFILE", str(path))
    get_settings.cache_clear()
    try:
        assert get_profile().emergency_number == "112"
        raw["phones"]["emergency"] = "999"
        path.write_text(yaml.safe_dump(raw))
        later = time.time() + 5
        os.utime(path, (later, later))
        assert get_profile().emergency_number == "999"
    finally:
        get_settings.cache_clear()
