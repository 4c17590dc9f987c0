"""Text for phones: markup removed, buttons numbered, red flags first, bodies within Twilio's limit."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.phone.choices import ChoiceMemory
from bot.phone.sms_format import (
    MAX_BODY_CHARS,
    choice_payload,
    format_for_phone,
    red_flags_first,
    split_message,
    strip_markup,
    utf16_len,
)


def test_markup_is_removed_and_links_written_out() -> None:
    text = "**Call now** on <b>112</b>. See [the leaflet](https://example.org/hsg) or _rest_ a bit."
    assert strip_markup(text) == "Call now on 112. See the leaflet: https://example.org/hsg or rest a bit."
    assert strip_markup("# Heading\n\n\n\nsnake_case_name stays, 2 * 3 * 4 too") == (
        "Heading\n\nsnake_case_name stays, 2 * 3 * 4 too"
    )
    assert strip_markup("***both***") == "both"


def test_short_text_is_one_body() -> None:
    assert split_message("Hello.") == ["Hello."]
    assert split_message("   ") == []


def test_long_text_splits_at_sentence_boundaries() -> None:
    sentence = "This sentence about the contrast fluid is exactly as long as it needs to be. "
    text = sentence * 60  # ~4,600 characters
    bodies = split_message(text)
    assert len(bodies) == 3
    for body in bodies:
        assert utf16_len(body) <= MAX_BODY_CHARS
        assert body.endswith("be.")
        assert body.startswith("This sentence")
    assert " ".join(bodies) == text.strip()


def test_emoji_count_double_and_are_never_cut_in_half() -> None:
    text = "🙂" * 1000  # 2,000 UTF-16 units, no space, no sentence end
    bodies = split_message(text)
    assert [utf16_len(body) for body in bodies] == [1600, 400]
    assert "".join(bodies) == text
    for body in bodies:
        body.encode("utf-8")  # a broken surrogate pair would raise here


def test_dutch_and_turkish_characters_survive() -> None:
    text = (
        "Neem contact op met de kliniek als de koorts boven 38 °C komt. Ağrı şiddetli ise İstanbul'u ara. "
    ) * 30
    bodies = split_message(text)
    assert all(utf16_len(body) <= MAX_BODY_CHARS for body in bodies)
    assert " ".join(bodies) == text.strip()
    assert "Ağrı şiddetli" in bodies[0]


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=0, max_size=5000))
def test_any_text_fits_and_loses_no_words(text: str) -> None:
    bodies = split_message(text)
    assert all(0 < utf16_len(body) <= MAX_BODY_CHARS for body in bodies)
    assert "".join("".join(bodies).split()) == "".join(text.split())


def test_buttons_become_numbered_choices_and_numbers_map_back() -> None:
    replies = [
        {
            "text": "What would you like to know?",
            "buttons": [
                {"title": "When in my cycle?", "payload": "When in my cycle should the HSG be done?"},
                {"title": "What happens?", "payload": "What happens during the HSG?"},
            ],
        }
    ]
    phone = format_for_phone(replies)
    assert phone.bodies == ["What would you like to know?\n\n1. When in my cycle?\n2. What happens?"]
    assert choice_payload("2", phone.choices) == "What happens during the HSG?"
    assert choice_payload(" 1. ", phone.choices) == "When in my cycle should the HSG be done?"
    assert choice_payload("3", phone.choices) is None
    assert choice_payload("1 please", phone.choices) is None


def test_red_flag_advice_is_sent_first() -> None:
    replies = [
        {"text": "Here is the answer to your question."},
        {"text": "Call 112 now.", "custom": {"triage": {"level": "emergency", "reasons": [], "call": "112"}}},
        {"text": "Care team will review.", "custom": {"triage": {"level": "inform_team", "reasons": []}}},
        {"text": "Contact the clinic today.", "custom": {"triage": {"level": "urgent", "reasons": []}}},
    ]
    assert [r["text"] for r in red_flags_first(replies)] == [
        "Call 112 now.",
        "Contact the clinic today.",
        "Here is the answer to your question.",
        "Care team will review.",
    ]
    assert format_for_phone(replies).bodies[0] == "Call 112 now."


def test_choice_memory_forgets_old_and_stale_choices() -> None:
    now = [0.0]
    memory = ChoiceMemory(max_senders=2, ttl_seconds=60, clock=lambda: now[0])
    memory.remember("+31600000001", {"1": "yes"})
    assert memory.resolve("+31600000001", "1") == "yes"
    assert memory.resolve("+31600000002", "1") is None
    memory.remember("+31600000001", {})  # a newer reply without choices
    assert memory.resolve("+31600000001", "1") is None
    memory.remember("+31600000001", {"1": "yes"})
    now[0] = 61
    assert memory.resolve("+31600000001", "1") is None
    for n in range(5):
        memory.remember(f"+3160000001{n}", {"1": str(n)})
    assert len(memory) == 2
    assert memory.resolve("+31600000014", "1") == "4"
