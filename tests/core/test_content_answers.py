"""Every FAQ topic has a sourced answer in both languages that renders for every clinic setting.

The topic list is the domain's `utter_faq/*` keys; the answers are bot/content/faq.yml; the NLU
training data and the held-out test set must cover each topic too, so nothing can drift apart.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.clinic import ABSTINENCE_STARTS, PRACTICE_CHOICES, PREGNANCY_TESTS, get_profile
from bot.content.render import FAQ_FILE, MESSAGES_FILE, load_content, render_faq, render_message
from bot.language import detect_language
from tests.conftest import ROOT

MAX_ANSWER_CHARS = 600  # a phone screen, four SMS segments (docs/content.md)
LEAFLET_IDS = {"000", "001", "002", "003", "004", "profile"}  # plus "CR: <section>" (test_content_safety)


def domain_topics() -> list[str]:
    domain = yaml.safe_load((ROOT / "domain.yml").read_text())
    return sorted(key.split("/", 1)[1] for key in domain["responses"] if key.startswith("utter_faq/"))


def nlu_topics(folder: Path) -> set[str]:
    topics: set[str] = set()
    for path in folder.rglob("*.yml"):
        if "independent" in path.parts:  # the independent question sets are not Rasa NLU files
            continue
        for block in (yaml.safe_load(path.read_text()) or {}).get("nlu", []) or []:
            intent = block.get("intent", "")
            if intent.startswith("faq/"):
                topics.add(intent.split("/", 1)[1])
    return topics


def profile_variants() -> list[dict[str, Any]]:
    """The demo profile, then every allowed value of every setting, one setting at a time."""
    base = get_profile().context("en")
    changes: list[dict[str, Any]] = [{}]
    changes += [{"abstinence_start": value} for value in ABSTINENCE_STARTS]
    changes += [{"pregnancy_test": value} for value in PREGNANCY_TESTS]
    changes += [{"results_who": value} for value in ("fertility_consultation", "referring_doctor")]
    changes += [{"results_days_min": 0, "results_days_max": 0}]
    changes += [
        {key: value} for key in ("tampons_hours", "sex_wait_hours", "bath_hours") for value in (0, 48)
    ]
    changes += [{key: value} for key, values in PRACTICE_CHOICES.items() for value in values]
    changes += [{"work_same_day": False}, {"cycle_not_while_bleeding": False}, {"demo": False}]
    changes += [{"cycle_first_day": 3, "cycle_last_day": 10}, {"duration_minutes": 15}]
    return [{**base, **change} for change in changes]


def test_topics_agree_across_domain_answers_and_nlu() -> None:
    topics = set(domain_topics())
    answers = set(load_content(FAQ_FILE)["answers"])
    assert answers == topics
    assert nlu_topics(ROOT / "data" / "nlu") == topics
    assert nlu_topics(ROOT / "tests" / "nlu") == topics


@pytest.mark.parametrize("topic", domain_topics())
def test_answer_is_sourced_and_bilingual(topic: str) -> None:
    entry = load_content(FAQ_FILE)["answers"][topic]
    assert entry["sources"] and {s for s in entry["sources"] if not s.startswith("CR:")} <= LEAFLET_IDS
    assert entry["title"]["en"] and entry["title"]["nl"]
    for lang in ("en", "nl"):
        answer = render_faq(topic, lang, get_profile().context(lang))
        assert answer is not None
        assert detect_language(answer.text).lang in (lang, None), answer.text


@pytest.mark.parametrize("topic", domain_topics())
def test_answer_renders_for_every_clinic_setting(topic: str) -> None:
    for context in profile_variants():
        for lang in ("en", "nl"):
            text = render_faq(topic, lang, context).text
            assert 20 < len(text) <= MAX_ANSWER_CHARS, (lang, context, text)
            assert not re.search(r"[{}<>]|\bNone\b|\bTrue\b|\bFalse\b", text), text


def test_answers_follow_the_profile() -> None:
    context = get_profile().context("en")
    assert "30" in render_faq("duration", "en", context).text
    assert "15" in render_faq("duration", "en", {**context, "duration_minutes": 15}).text
    assert context["clinic_phone"] in render_faq("contact", "en", context).text
    assert context["clinic_phone"] in render_faq("contact", "nl", get_profile().context("nl")).text


def test_own_messages_exist_in_both_languages() -> None:
    messages = load_content(MESSAGES_FILE)["messages"]
    values = {
        "period_start": "x",
        "hsg_days": ["x", "y"],
        "window_first": "x",
        "window_last": "y",
        "book_on": "x",
        "abstain_from": "x",
        "abstain_only_if_after_day_10": False,
        "hsg_date": "x",
        "past": True,
        "question": "x?",
        "day": 1,
        "emergency": 1,
        "urgent": 1,
    }
    for key, entry in messages.items():
        assert {"en", "nl"} <= set(entry) <= {"en", "nl", "sent_when", "sources"}, key
        for lang in ("en", "nl"):
            text = render_message(key, lang, get_profile().context(lang), **values)
            assert text and "{" not in text, (key, lang)


# The not-copied-from-a-leaflet test covers every content file: tests/core/test_content_safety.py.
