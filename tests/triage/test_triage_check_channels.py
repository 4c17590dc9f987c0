"""The red-flag check on the real stack: quick-reply buttons in the widget (Chromium, EN and NL) and
numbered choices on SMS (signed Twilio webhook, fake Twilio API). Issue 8."""

from __future__ import annotations

from typing import Any

import pytest

from bot.clinic import get_profile
from bot.triage.check import load_check
from tests.channels.test_channels_twilio_stack import bodies_to, conversation, escalations, new_number, post
from tests.widget.test_widget_browser import SETTLED, ask, bot_texts, browser, open_chat, page, session_id

pytestmark = [pytest.mark.stack]
__all__ = ["browser", "page"]  # fixtures used below

VAGUE = {"en": "I feel really strange and unwell", "nl": "ik voel me heel raar en beroerd"}


def _titles(lang: str) -> dict[str, str]:
    return {option["id"]: option[lang] for option in load_check()["options"]}


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["en", "nl"])
def test_widget_check_buttons_decide_the_level(page: Any, stack: Any, lang: str) -> None:
    open_chat(page, stack)
    if lang == "nl":
        page.get_by_role("button", name="Nederlands").click()
        page.wait_for_function(SETTLED)
    ask(page, VAGUE[lang])
    titles = _titles(lang)
    chips = page.locator(".hsg-chat__chip")
    shown = chips.all_text_contents()
    assert shown == list(titles.values()), shown
    assert page.locator(".hsg-chat__banner").is_hidden(), "the check itself is no decision"
    before = len(bot_texts(page))
    page.get_by_role("button", name=titles["breathing"]).click()
    page.wait_for_function(f"() => document.querySelectorAll('.hsg-chat__msg--bot').length > {before}")
    page.wait_for_function(SETTLED)
    page.wait_for_selector(".hsg-chat__banner[data-level=emergency]")
    assert get_profile().emergency_number in page.get_by_role("alert").text_content()
    assert page.locator(".hsg-chat__msg--user .hsg-chat__text").last.text_content() == titles["breathing"]
    from tests.widget.test_widget_browser import escalation_levels

    assert escalation_levels(stack, session_id(page)) == ["emergency"]


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_sms_check_numbered_choices_decide_the_level(stack: Any, lang: str) -> None:
    sender = new_number()
    assert post(stack, sender, VAGUE[lang]).status_code == 200
    [question] = bodies_to(stack, sender, 1)
    titles = list(_titles(lang).values())
    for number, title in enumerate(titles, start=1):
        assert f"{number}. {title}" in question or f"{number}) {title}" in question, question
    fever = titles.index(_titles(lang)["fever"]) + 1
    assert post(stack, sender, str(fever)).status_code == 200
    advice = bodies_to(stack, sender, 2)[-1]
    assert get_profile().clinic_phone in advice
    assert [row["level"] for row in escalations(stack, conversation(sender))] == ["urgent"]
