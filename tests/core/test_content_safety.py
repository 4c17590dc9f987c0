"""Every patient-facing text, with every profile and every value of each setting: what a clinician signs.

The texts are those of the review sheet (bot.content.review.review_items): every FAQ answer, every
advice wording, every follow-up question and every message, in English and Dutch. They must render
(a missing value is an error), say when to call whom whenever they mention a symptom, fit the SMS
alphabet, keep to one Dutch register and never repeat a run of six words from a leaflet.
"""

from __future__ import annotations

import os
import re
import subprocess
from datetime import date
from functools import lru_cache
from pathlib import Path

import pytest
from jinja2 import UndefinedError

from bot.clinic import ClinicProfile, get_profile
from bot.content.render import (
    CONTENT_FILES,
    FAQ_FILE,
    MESSAGES_FILE,
    load_content,
    render_faq,
    render_message,
)
from bot.content.review import LEAFLETS, ReviewItem, review_items
from bot.triage.advice import ADVICE_FILE, advice_text, render_question
from tests.conftest import ROOT
from tests.support.content_variants import profile_variants

TODAY = date(2026, 11, 23)  # a Monday
LIMITS = {"faq": 600, "advice": 700, "question": 400, "message": 600}

# Words that report a symptom after an HSG (not "period", which is planning, nor "bleeding problem",
# which is a condition to report). A text with any of them must say when to call whom.
SYMPTOMS = {
    "en": re.compile(
        r"\b(bleed(ing)?(?! problem| disorder)|blood loss|spotting|pain(?!killer)|cramps?|cramping|fever|"
        r"temperature|discharge|dizz\w*|light-headed|faint\w*|rash|hives|breath\w*|swell\w*|swollen|"
        r"vomit\w*|unwell|clots?|itch\w*)\b",
        re.IGNORECASE,
    ),
    "nl": re.compile(
        r"\b(bloed(en|t|verlies)|meer bloed|pijn(?!stiller)|kramp(en)?|koorts|"
        r"verhoging|afscheiding|duizelig\w*|licht gevoel|flauw\w*|huiduitslag|bult\w*|jeuk\w*|"
        r"benauwd\w*|adem\w*|zwel\w*|opgezwollen|braken|overgeven|stolsels?|ziek|niet goed)\b",
        re.IGNORECASE,
    ),
}

# GSM 03.38 basic alphabet and extension table: anything else makes an SMS segment 70 characters.
GSM7 = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿"
    "abcdefghijklmnopqrstuvwxyzäöñüà"
) | set("^{}\\[~]|€")

DUTCH_AVOID = re.compile(r"\b(hebt|je|jij|jou|jouw|jezelf|kantooruren)\b", re.IGNORECASE)


@lru_cache(maxsize=1)
def all_items() -> list[tuple[str, ClinicProfile, ReviewItem]]:
    """(profile variant, profile, item) for every text of every profile variant."""
    return [
        (label, profile, item)
        for label, profile in profile_variants()
        for item in review_items(profile.context, TODAY)
    ]


def texts():
    for label, _, item in all_items():
        for lang, text in item.texts.items():
            yield label, item, lang, text


def test_there_is_a_second_profile_and_each_variant_renders() -> None:
    labels = {label.split()[0] for label, _, _ in all_items()}
    assert {"demo.yml", "demo-alt.yml"} <= labels
    kinds = {item.kind for _, _, item in all_items()}
    assert kinds == {"faq", "advice", "question", "message"}


def test_the_two_example_profiles_use_every_choice_of_each_practice_setting() -> None:
    from bot.clinic import IF_STILL_BLEEDING, PRACTICE_CHOICES, load_profile

    profiles = [load_profile(ROOT / "profiles" / name) for name in ("demo.yml", "demo-alt.yml")]
    for key, choices in PRACTICE_CHOICES.items():
        used = {profile.raw["practice"][key] for profile in profiles}
        assert set(choices) <= used or (isinstance(choices[0], int) and len(used) == 2), key
    assert {profile.raw["cycle_window"]["if_still_bleeding"] for profile in profiles} == set(
        IF_STILL_BLEEDING
    )


def test_every_text_renders_within_its_length() -> None:
    for label, item, lang, text in texts():
        assert 10 < len(text) <= LIMITS[item.kind], (label, item.key, item.variant, lang, len(text), text)
        assert not re.search(r"[{}<>]|\bNone\b|\bTrue\b|\bFalse\b|\s[.,;]|\.\.", text), (
            label,
            item.key,
            text,
        )


def test_every_text_that_mentions_a_symptom_says_when_to_call_whom() -> None:
    """The out-of-hours and emergency numbers of the profile, and the clinic's own number, in the text.

    The emergency advice is the one exception to the clinic numbers: it sends the patient to the
    emergency number only, and must not offer a slower route.
    """
    checked = 0
    for label, profile, item in all_items():
        for lang, text in item.texts.items():
            if not SYMPTOMS[lang].search(text):
                continue
            checked += 1
            context = profile.context(lang)
            where = (label, item.kind, item.key, item.variant, lang, text)
            assert context["emergency_number"] in text, where
            if item.kind == "advice" and item.key == "emergency":
                continue
            assert context["out_of_hours_phone"] in text, where
            assert context["clinic_phone"] in text, where
    assert checked > 1000


def test_heavy_bleeding_and_fainting_always_come_with_the_emergency_number() -> None:
    pattern = {"en": re.compile(r"soak", re.I), "nl": re.compile(r"door een verband heen|flauwval", re.I)}
    for label, item, lang, text in texts():
        if pattern[lang].search(text):
            assert re.search(r"\b(112|999)\b", text), (label, item.key, lang, text)


def test_texts_fit_the_sms_alphabet() -> None:
    for label, item, lang, text in texts():
        outside = sorted(set(text) - GSM7)
        assert not outside, (label, item.key, lang, outside)


def test_dutch_keeps_one_register() -> None:
    """The u-form with "heeft u" / "u heeft" (never "hebt"), no "je" or "jij", one word for out of hours."""
    for label, item, lang, text in texts():
        if lang == "nl":
            assert not DUTCH_AVOID.search(text), (label, item.key, DUTCH_AVOID.search(text).group(0), text)


def test_dizziness_and_medicines_are_answered_as_the_clinical_rules_say() -> None:
    context = get_profile().context("en")
    normal = render_faq("after_normal", "en", context).text
    assert "light-headed" in normal and "dizziness that does not pass" in normal
    painkillers = render_faq("painkillers", "en", context).text
    assert "keep taking aspirin a doctor prescribed" in painkillers and "blood thinners" in painkillers
    self_care = advice_text("self_care", "en", context)
    assert "keep prescribed aspirin" in self_care and "kidney" in self_care
    thinners = advice_text("inform_team", "en", context, phase="before", rules=["anticoagulants"])
    assert "low-dose aspirin" in thinners and "stop" not in thinners.replace("Do not stop", "")


def test_inform_team_advice_follows_the_phase() -> None:
    context = get_profile().context("en")
    before = advice_text("inform_team", "en", context, phase="before", rules=["possible_pregnancy"])
    after = advice_text("inform_team", "en", context, phase="after", rules=["possible_pregnancy"])
    assert "before your HSG" in before and "on the day" in before
    assert "before your HSG" not in after and "on the day" not in after and "moved" not in after


def test_emergency_advice_for_airway_signs_says_call_not_go() -> None:
    context = get_profile().context("en")
    airway = advice_text("emergency", "en", context, rules=["contrast_reaction_airway"])
    other = advice_text("emergency", "en", context, rules=["soaking_pad_hourly"])
    assert "emergency department" not in airway and "Sit up" in airway
    assert "emergency department" in other and "sit up if breathing is hard" in other


def test_self_care_repeats_the_clinics_own_waits() -> None:
    context = get_profile().context("en")
    assert "No sex or bath for 24 hours" in advice_text("self_care", "en", context)
    none = {**context, "tampons_hours": 0, "sex_wait_hours": 0, "bath_hours": 0}
    text = advice_text("self_care", "en", none)
    assert "hours" not in text.split("Paracetamol")[0]


def test_questions_without_a_profile_are_bare_and_with_one_say_when_to_call() -> None:
    context = get_profile().context("en")
    assert render_question("duration", "en") == "How many days has the bleeding lasted so far?"
    with_line = render_question("duration", "en", context)
    assert with_line.startswith("How many days") and context["emergency_number"] in with_line


@pytest.mark.parametrize(
    "render",
    [
        lambda context: render_faq("contact", "en", context),
        lambda context: render_message("out_of_scope", "en", context),
        lambda context: advice_text("urgent", "en", context),
    ],
    ids=["faq", "message", "advice"],
)
def test_a_missing_value_is_an_error_in_every_content_file(render) -> None:  # noqa: ANN001
    context = dict(get_profile().context("en"))
    del context["clinic_phone"]
    with pytest.raises(UndefinedError):
        render(context)


def test_every_source_is_a_leaflet_a_profile_setting_or_a_section_of_the_clinical_rules() -> None:
    headings = {
        line[3:].strip().lower()
        for line in (ROOT / "docs" / "clinical-rules.md").read_text(encoding="utf-8").splitlines()
        if line.startswith("## ")
    }
    entries = list(load_content(FAQ_FILE)["answers"].values()) + list(
        load_content(ADVICE_FILE)["advice"].values()
    )
    for entry in entries:
        assert entry["sources"]
        for source in entry["sources"]:
            if source.startswith("CR:"):
                assert source[3:].strip().lower() in headings, source
            else:
                assert source in LEAFLETS or source == "profile", source
    for key, entry in load_content(MESSAGES_FILE)["messages"].items():
        assert set(entry) <= {"en", "nl", "sent_when", "sources"}, key


def _leaflet_dir() -> Path:
    return Path(os.environ.get("HSG_LEAFLETS_DIR") or ROOT.parent / "shared" / "leaflets")


def _words(text: str) -> list[str]:
    return re.findall(r"[a-zà-ÿ0-9']+", text.lower().replace("’", "'"))


def test_texts_are_in_our_own_words_not_copied_from_the_leaflets() -> None:
    """No run of six words of any text, rendered with any profile variant, appears in a leaflet.

    The leaflets are third-party texts kept outside the repository; without them the test skips and
    says where it looked.
    """
    leaflets = sorted(_leaflet_dir().glob("*.txt"))
    if not leaflets:
        pytest.skip(f"no leaflets in {_leaflet_dir()} (set HSG_LEAFLETS_DIR)")
    runs: set[tuple[str, ...]] = set()
    for leaflet in leaflets:
        words = _words(leaflet.read_text(encoding="utf-8"))
        runs.update(tuple(words[i : i + 6]) for i in range(len(words) - 5))
    seen: set[str] = set()
    for label, item, lang, text in texts():
        if text in seen:
            continue
        seen.add(text)
        words = _words(text)
        copied = [
            " ".join(words[i : i + 6]) for i in range(len(words) - 5) if tuple(words[i : i + 6]) in runs
        ]
        assert not copied, (label, item.kind, item.key, lang, copied)
    assert len(seen) > 200


def test_the_repository_does_not_point_at_files_outside_it() -> None:
    """No `shared/` paths or CLINICAL_RULES.md outside the tests: docs/clinical-rules.md is the account."""
    listed = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    offenders = []
    for name in listed.splitlines():
        path = ROOT / name
        if name.startswith("tests/") or path.suffix not in {
            ".py",
            ".md",
            ".yml",
            ".yaml",
            ".js",
            ".html",
            ".txt",
        }:
            continue
        if not path.exists():
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        if re.search(r"shared/|CLINICAL_RULES", text):
            offenders.append(name)
    assert not offenders


def test_content_files_reload_on_change_like_the_profile(tmp_path: Path) -> None:
    """One reload policy: every content file is read again when its modification time changes."""
    from bot.content.render import _load

    for path in CONTENT_FILES:
        copy = tmp_path / path.name
        copy.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
        first = load_content(copy)
        copy.write_text("changed: true\n", encoding="utf-8")
        later = copy.stat().st_mtime + 5
        os.utime(copy, (later, later))
        assert load_content(copy) == {"changed": True} and first != {"changed": True}
    _load.cache_clear()
