"""The closed red-flag check (check.yml): one question with a button per red flag.

Why: recognising every phrasing of every red flag is impossible, recognising that a message is about
the body is not. When a message is body talk and the engine reaches no decision, the assistant asks
this check instead of "tell me more"; the option chosen (or typed, or its number on SMS) sets facts
that the ordinary rules decide on.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from bot.vocabulary import LANGUAGES

CHECK_PATH = Path(__file__).with_name("check.yml")
ASK = "redflag_check"


@lru_cache(maxsize=1)
def load_check() -> dict[str, Any]:
    with CHECK_PATH.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _norm(text: str) -> str:
    return " ".join(re.findall(r"[\w°]+", text.lower()))


def _lang(lang: str) -> str:
    return lang if lang in LANGUAGES else "en"


def option_for(text: str) -> dict[str, Any] | None:
    """The option whose title (in either language) is the whole message, else None."""
    said = _norm(text)
    if not said:
        return None
    for option in load_check()["options"]:
        if said in (_norm(option["en"]), _norm(option["nl"])):
            return option
    return None


# A short answer that opens with a one-word "none" of check.yml: "Neen, niks van da lijstje", "nope none"
_SHORT_ANSWER = 8


def says_none(text: str) -> bool:
    """A free-text "no" / "none of these" / "geen van deze" to the check, or a short answer opening with
    one (the engine also requires that no finding is reported in it)."""
    said = _norm(text)
    none_words = {_norm(str(word)) for word in load_check()["none_words"]}
    if said in none_words:
        return True
    words = said.split()
    return bool(words) and words[0] in none_words and len(words) <= _SHORT_ANSWER


def render_check(lang: str) -> tuple[str, list[dict[str, str]]]:
    """The question and its buttons; each payload is the title, so typing it works the same."""
    data = load_check()
    key = _lang(lang)
    buttons = [{"title": option[key], "payload": option[key]} for option in data["options"]]
    return " ".join(str(data["question"][key]).split()), buttons


def not_assessed(lang: str, profile: dict[str, Any]) -> str:
    """Safe advice when triage failed: the numbers to call, in the patient's language."""

    class _Blank(dict):
        def __missing__(self, key: str) -> str:
            return ""

    template = str(load_check()["not_assessed"][_lang(lang)])
    return " ".join(template.format_map(_Blank(profile or {})).split())


def not_assessed_reason() -> str:
    return str(load_check()["not_assessed"]["reason"])
