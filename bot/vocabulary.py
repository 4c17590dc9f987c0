"""The project's shared words: triage levels, languages and channels, defined once.

Triage, storage, the channels and the web app import these instead of spelling them out, so a new
level or language is added in one place (the database keeps its own CHECK constraint, tested
against `ESCALATED_LEVELS`).
"""

from __future__ import annotations

# Triage levels from least to most urgent (docs/clinical-rules.md).
LEVELS: tuple[str, ...] = ("self_care", "inform_team", "urgent", "emergency")
# Levels that create an escalation for the nurses, most urgent first (the inbox order).
ESCALATED_LEVELS: tuple[str, ...] = ("emergency", "urgent", "inform_team")
# Levels whose advice is sent at once, before any follow-up question, and first on SMS.
RED_FLAG_LEVELS: frozenset[str] = frozenset({"emergency", "urgent"})

# Patient languages; every patient-facing sentence exists in each.
LANGUAGES: tuple[str, ...] = ("en", "nl")
DEFAULT_LANGUAGE = "en"

# Input channels as Rasa records them in the tracker (`input_channel`).
CHANNEL_REST = "rest"
CHANNEL_SMS = "twilio_sms"
CHANNEL_WHATSAPP = "twilio_whatsapp"
CHANNELS: tuple[str, ...] = (CHANNEL_REST, CHANNEL_SMS, CHANNEL_WHATSAPP)

# Papers from another doctor or for an employer (a regular-expression alternation): the GP's or the
# employer's business. The answer policy declines them; triage does not ask its red-flag check for them.
PAPERWORK_PATTERN = (
    r"sick[ -]?notes?|fit notes?|doctor'?s notes?|medical certificates?|ziektebriefjes?|doktersbriefjes?"
    r"|doktersverklaring\w*|medisch attest\w*|ziekteattest\w*"
)


def level_rank(level: str | None) -> int:
    """Position on the ladder (-1 for no level), so `max(..., key=level_rank)` picks the most urgent."""
    return LEVELS.index(level) if level in LEVELS else -1


def higher_level(first: str | None, second: str | None) -> str | None:
    """The more urgent of two levels; None only when both are None."""
    return first if level_rank(first) >= level_rank(second) else second


def is_escalated(level: str | None) -> bool:
    return level in ESCALATED_LEVELS


def language_or_default(lang: str | None, default: str = DEFAULT_LANGUAGE) -> str:
    return lang if lang in LANGUAGES else default
