"""Render patient-facing text from the content files and the clinic profile.

One engine for every patient-facing text file (faq.yml, messages.yml and bot/triage/advice.yml):
Jinja2 with StrictUndefined, so a missing profile value is an error, never a silent gap (the content
tests render every text with every profile and every setting value, so such an error is caught
before it reaches a patient), and no autoescaping: the output is plain text for a chat bubble or an
SMS, and every channel that shows it as HTML escapes it there.

One reload policy for all of them (and for the clinic profile, bot/clinic.py): a file is read again
when its modification time changes, so an edit reaches patients without a restart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from bot.vocabulary import LANGUAGES

CONTENT_DIR = Path(__file__).resolve().parent
FAQ_FILE = CONTENT_DIR / "faq.yml"
MESSAGES_FILE = CONTENT_DIR / "messages.yml"
ADVICE_FILE = CONTENT_DIR.parent / "triage" / "advice.yml"
CONTENT_FILES = (FAQ_FILE, MESSAGES_FILE, ADVICE_FILE)

_SPACES = re.compile(r"[ \t]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")


@lru_cache(maxsize=1)
def _environment() -> SandboxedEnvironment:
    return SandboxedEnvironment(
        undefined=StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )


def _tidy(text: str) -> str:
    """Collapse the whitespace left by template branches."""
    lines = [_SPACES.sub(" ", line).strip() for line in text.strip().splitlines()]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).replace(" .", ".").replace(" ,", ",").strip()


def render_template(template: str, context: dict[str, Any]) -> str:
    return _tidy(_environment().from_string(template).render(**context))


@lru_cache(maxsize=8)
def _load(path: Path, mtime: float) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle) or {}


def load_content(path: Path) -> dict[str, Any]:
    """The YAML file, re-read when it changes so content edits apply without a restart."""
    return _load(path, path.stat().st_mtime)


@dataclass(frozen=True)
class Answer:
    key: str
    text: str
    sources: list[str]
    title: str


def faq_keys() -> list[str]:
    return list(load_content(FAQ_FILE).get("answers", {}))


def render_faq(key: str, lang: str, profile: dict[str, Any]) -> Answer | None:
    """The answer to FAQ topic `key` in `lang`, filled from the profile context; None if unknown."""
    entry = load_content(FAQ_FILE).get("answers", {}).get(key)
    if entry is None:
        return None
    lang = lang if lang in LANGUAGES and lang in entry else "en"
    title = entry.get("title", {})
    return Answer(
        key=key,
        text=render_template(entry[lang], {**profile, "lang": lang}),
        sources=[str(source) for source in entry.get("sources", [])],
        title=str(title.get(lang) or title.get("en") or key),
    )


def render_message(key: str, lang: str, profile: dict[str, Any], **values: Any) -> str:
    """One of the assistant's own messages (messages.yml) in `lang`."""
    entry = load_content(MESSAGES_FILE)["messages"][key]
    lang = lang if lang in LANGUAGES and lang in entry else "en"
    return render_template(entry[lang], {**profile, **values, "lang": lang})
