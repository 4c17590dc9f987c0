"""Answers that never guess, over REST: a did-you-mean offer, choosing from it, honest declines."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from bot.clinic import get_profile
from bot.content.render import faq_keys, render_faq
from bot.language import detect_language
from tests.support.offers import find_offered

pytestmark = pytest.mark.stack


def sender() -> str:
    return "test-" + uuid.uuid4().hex


def texts(replies: list[dict[str, Any]]) -> str:
    return "\n".join(reply.get("text", "") for reply in replies)


def custom(replies: list[dict[str, Any]], key: str) -> Any:
    for reply in replies:
        value = (reply.get("custom") or {}).get(key)
        if value:
            return value
    return None


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_unsure_topic_is_offered_with_buttons_and_something_else(stack: Any, lang: str) -> None:
    _, offer = find_offered(stack, lang)
    topics = offer["custom"]["offer"]["topics"]
    buttons = offer["buttons"]
    assert 1 <= len(topics) <= 3 and set(topics) <= set(faq_keys())
    assert len(buttons) == len(topics) + 1
    profile = get_profile().context(lang)
    titles = [render_faq(topic, lang, profile).title for topic in topics]
    assert [button["title"] for button in buttons[:-1]] == titles
    assert buttons[-1]["payload"] == "/something_else"
    assert detect_language(offer["text"]).lang == lang


def test_choosing_an_offered_topic_answers_that_topic(stack: Any) -> None:
    conversation = sender()
    text, _ = find_offered(stack, "en")
    offer = custom(stack.say(conversation, text), "offer")
    replies = stack.say(conversation, f'/faq{{"topic":"{offer["topics"][-1]}"}}')
    assert custom(replies, "answer")["topic"] == offer["topics"][-1]


def test_something_else_is_an_honest_reply_with_the_numbers_to_call(stack: Any) -> None:
    conversation = sender()
    text, _ = find_offered(stack, "nl")
    stack.say(conversation, text)
    replies = stack.say(conversation, "/something_else")
    assert custom(replies, "decline") == {"kind": "something_else"}
    assert custom(replies, "answer") is None
    profile = get_profile()
    for number in (profile.clinic_phone, profile.out_of_hours_phone, profile.emergency_number):
        assert number in texts(replies)
    assert detect_language(texts(replies)).lang == "nl"


def test_typed_something_else_also_gets_the_honest_reply(stack: Any) -> None:
    replies = stack.say(sender(), "none of these, something else")
    assert custom(replies, "decline") == {"kind": "something_else"}


@pytest.mark.parametrize(
    ("text", "kind", "words"),
    [
        ("could you have a look at my hsg report and tell me what it shows?", "results", "referred"),
        ("kunt u mij vertellen wat de uitslag van mijn foto betekent?", "results", "verwezen"),
        ("is ivf or iui the better choice for us?", "treatment", "treatments"),
        ("who should I ring to move my appointment at the eye department?", "admin", "departments"),
        ("wie wint er zondag de formule 1?", "unrelated", ""),
    ],
)
def test_out_of_scope_is_declined_by_kind_and_never_answered(
    stack: Any, text: str, kind: str, words: str
) -> None:
    replies = stack.say(sender(), text)
    assert custom(replies, "answer") is None and custom(replies, "offer") is None, replies
    assert custom(replies, "decline") == {"kind": kind}
    assert words in texts(replies)
    assert get_profile().clinic_phone in texts(replies)
