"""Patient-facing advice and follow-up questions, rendered from advice.yml and the clinic profile."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from bot.vocabulary import LANGUAGES

ADVICE_PATH = Path(__file__).with_name("advice.yml")


class _Blank(dict):
    """Missing profile keys render as nothing rather than raising in front of a patient."""

    def __missing__(self, key: str) -> str:
        return ""


@lru_cache(maxsize=1)
def load_texts() -> dict[str, Any]:
    with ADVICE_PATH.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _lang(lang: str) -> str:
    return lang if lang in LANGUAGES else "en"


def advice_text(level: str, lang: str, profile: dict[str, Any]) -> str:
    """The advice for `level` in `lang`, with the clinic's numbers filled in."""
    template = load_texts()["advice"][level][_lang(lang)]
    return " ".join(template.format_map(_Blank(profile or {})).split())


def render_advice(outcome: Any, lang: str, profile: dict[str, Any]) -> str:
    """Advice for `outcome.level` (empty when there is no level to advise on)."""
    level = getattr(outcome, "level", None)
    if level not in load_texts()["advice"]:
        return ""
    return advice_text(level, lang, profile)


def render_question(ask: str, lang: str) -> str:
    """The follow-up question for `ask` ("duration", "heaviness", ...) in `lang`."""
    questions = load_texts()["questions"]
    entry = questions.get(ask) or questions["duration"]
    return str(entry[_lang(lang)])
