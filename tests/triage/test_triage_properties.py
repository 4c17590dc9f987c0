"""Property tests: polite filler, typos or another sentence never lower a red flag's level."""

from __future__ import annotations

from datetime import datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.triage import analyze
from bot.vocabulary import level_rank

NOW = datetime(2026, 11, 23, 14, 0)

RED_FLAGS = [
    ("I have a fever of 38.8", "urgent"),
    ("my lips are swollen and I can't breathe", "emergency"),
    ("soaking a pad every hour", "emergency"),
    ("bleeding for 5 days", "urgent"),
    ("smelly green discharge", "urgent"),
    ("ik heb koorts", "urgent"),
    ("pijn op de borst", "emergency"),
    ("al 4 dagen bloedverlies", "urgent"),
    ("hevig bloedverlies met stolsels", "urgent"),
    ("severe cramps, painkillers don't help", "urgent"),
]
FILLER = [
    "Hi,",
    "Hello nurse,",
    "sorry to bother you.",
    "thanks so much!",
    "Hoi,",
    "Goedemorgen.",
    "alvast bedankt!",
    "I had my HSG yesterday.",
    "Ik had gisteren de HSG.",
    "my husband is with me.",
    "when will I get my results?",
    "is that normal?",
    "what should I do?",
    "lol",
    "😟",
    "Also the spotting is light.",
]


def typo(text: str, position: int) -> str:
    """Swap two neighbouring letters inside a word (a common phone typo)."""
    letters = list(text)
    i = position % max(1, len(letters) - 1)
    if letters[i].isalpha() and letters[i + 1 : i + 2] and letters[i + 1].isalpha():
        letters[i], letters[i + 1] = letters[i + 1], letters[i]
    return "".join(letters)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    flag=st.sampled_from(RED_FLAGS),
    before=st.lists(st.sampled_from(FILLER), max_size=3),
    after=st.lists(st.sampled_from(FILLER), max_size=3),
    lang=st.sampled_from(["en", "nl"]),
)
def test_filler_never_lowers_a_red_flag(
    flag: tuple[str, str], before: list[str], after: list[str], lang: str
) -> None:
    text, level = flag
    message = " ".join([*before, text + ".", *after])
    assert level_rank(analyze(message, lang, now=NOW).level) >= level_rank(level), message


@settings(max_examples=100, deadline=None)
@given(flag=st.sampled_from(RED_FLAGS), shout=st.booleans(), dots=st.booleans())
def test_case_and_punctuation_never_lower_a_red_flag(flag: tuple[str, str], shout: bool, dots: bool) -> None:
    text, level = flag
    message = (text.upper() if shout else text) + ("..." if dots else "!!")
    assert level_rank(analyze(message, "en", now=NOW).level) >= level_rank(level), message


TYPO_SAFE = [
    ("I have been bleeding heavily", "urgent"),
    ("I have a high temperature and chills", "urgent"),
    ("ik heb koorts en rillingen", "urgent"),
]


@settings(max_examples=100, deadline=None)
@given(flag=st.sampled_from(TYPO_SAFE), position=st.integers(min_value=0, max_value=200))
def test_a_typo_in_a_key_word_keeps_the_red_flag(flag: tuple[str, str], position: int) -> None:
    """One swapped pair of letters anywhere; at least one of the two red-flag words survives or is fixed."""
    text, level = flag
    message = typo(text, position)
    assert level_rank(analyze(message, "en", now=NOW).level) >= level_rank(level), message


@settings(max_examples=100, deadline=None)
@given(text=st.text(max_size=300), lang=st.sampled_from(["en", "nl", "de"]))
def test_any_text_is_safe(text: str, lang: str) -> None:
    outcome = analyze(text, lang, now=NOW)
    assert outcome.level in (None, "self_care", "inform_team", "urgent", "emergency")
