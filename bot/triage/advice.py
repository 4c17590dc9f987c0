"""Patient-facing advice and follow-up questions, rendered from advice.yml and the clinic profile.

The templates are Jinja2 like every other content file (bot.content.render): a missing profile value
raises instead of leaving a blank, and advice.yml is re-read when it changes. Besides the profile, the
advice sees `phase` ("before", "after" or "unknown": whether the HSG is over) and `rules` (the ids of
the triage rules that decided the level), so one text can speak to a pregnancy before the test and to
a fever after it.
"""

from __future__ import annotations

from typing import Any

from bot.content.render import ADVICE_FILE, load_content, render_template
from bot.vocabulary import language_or_default


def load_texts() -> dict[str, Any]:
    """advice.yml as data (read again when the file changes)."""
    return load_content(ADVICE_FILE)


def advice_text(
    level: str, lang: str, profile: dict[str, Any], *, phase: str = "unknown", rules: list[str] | None = None
) -> str:
    """The advice for `level` in `lang`, with the clinic's numbers and settings filled in."""
    lang = language_or_default(lang)
    template = load_texts()["advice"][level][lang]
    return render_template(
        template, {**profile, "lang": lang, "phase": phase or "unknown", "rules": rules or []}
    )


def render_advice(outcome: Any, lang: str, profile: dict[str, Any]) -> str:
    """Advice for `outcome.level` (empty when there is no level to advise on)."""
    level = getattr(outcome, "level", None)
    if level not in load_texts()["advice"]:
        return ""
    return advice_text(
        level,
        lang,
        profile,
        phase=getattr(outcome, "phase", None) or "unknown",
        rules=list(getattr(outcome, "rule_ids", None) or []),
    )


def render_question(ask: str, lang: str, profile: dict[str, Any] | None = None) -> str:
    """The follow-up question for `ask` ("duration", "heaviness", ...) in `lang`.

    With the profile, the question is followed by when to call whom: the first time it is asked it can
    be the only message a patient gets about a symptom until she answers (bot/triage/turn.py). When it
    is asked again (after a FAQ answer, or an unreadable reply) it goes without, so it ends the reply.
    """
    lang = language_or_default(lang)
    texts = load_texts()
    entry = texts["questions"].get(ask) or texts["questions"]["duration"]
    question = render_template(entry[lang], {"lang": lang})
    if profile is None:
        return question
    return f"{question} {render_template(texts['meanwhile'][lang], {**profile, 'lang': lang})}"
