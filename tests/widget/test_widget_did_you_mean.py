"""A "did you mean" offer in the widget (real Chromium): topic buttons, choosing one, something else."""

# The browser fixtures live in test_widget_browser.py; importing them shadows names on purpose.
# ruff: noqa: F811

from __future__ import annotations

from typing import Any

import pytest

from bot.clinic import get_profile
from tests.support.offers import find_offered
from tests.widget.test_widget_browser import (  # noqa: F401  (fixtures)
    SETTLED,
    ask,
    bot_texts,
    browser,
    open_chat,
    page,
)

pytestmark = [pytest.mark.browser, pytest.mark.stack]


def click_chip(page: Any, title: str) -> list[str]:
    before = len(bot_texts(page))
    page.locator(".hsg-chat__chip", has_text=title).first.click()
    page.wait_for_function(f"() => document.querySelectorAll('.hsg-chat__msg--bot').length > {before}")
    page.wait_for_function(SETTLED)
    return bot_texts(page)[before:]


def test_offer_shows_topic_buttons_and_a_click_answers_that_topic(page: Any, stack: Any) -> None:
    text, offer = find_offered(stack, "en")
    open_chat(page, stack)
    ask(page, text)
    chips = page.locator(".hsg-chat__chip").all_text_contents()
    titles = [button["title"] for button in offer["buttons"]]
    assert chips == titles and chips[-1] == "Something else"
    shown = click_chip(page, titles[0])
    expected = [
        reply["text"]
        for reply in stack.say("web-check-offer-1", offer["buttons"][0]["payload"])
        if reply.get("text")
    ]
    assert shown == expected
    # The patient's bubble shows the button's title, never the payload.
    assert page.locator(".hsg-chat__msg--user .hsg-chat__text").last.text_content() == titles[0]


def test_something_else_button_gives_the_clinics_number(page: Any, stack: Any) -> None:
    text, _ = find_offered(stack, "en")
    open_chat(page, stack)
    ask(page, text)
    shown = " ".join(click_chip(page, "Something else"))
    assert get_profile().clinic_phone in shown
