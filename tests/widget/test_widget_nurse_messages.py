"""The nurse's reply reaches the patient in the web widget (Chromium), as a message from the clinic's
nurse, and only in her own conversation."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.e2e.test_outreach_stack import nurse  # noqa: F401 (fixture)
from tests.widget.test_widget_browser import ask, browser, open_chat, page, session_id  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.stack]


def test_nurse_reply_appears_in_the_patients_widget(page: Any, stack: Any, nurse: tuple[str, str]) -> None:  # noqa: F811
    open_chat(page, stack)
    ask(page, "I had my HSG yesterday and now I have a fever of 39.6")
    sender = session_id(page)
    items = httpx.get(f"{stack.web_url}/api/escalations", auth=nurse, params={"per_page": 200}, timeout=10)
    [escalation] = [item for item in items.json()["items"] if item["conversation_id"] == sender]
    text = "Nurse Anna here. <b>Please</b> call us on 020 555 0100 today."
    url = f"{stack.web_url}/api/escalations/{escalation['id']}/messages"
    sent = httpx.post(url, json={"text": text}, auth=nurse, timeout=10)
    assert sent.status_code == 201 and sent.json()["status"] == "pending"

    shown = page.locator(".hsg-chat__msg--nurse")
    shown.wait_for()  # the widget asks every few seconds
    assert shown.locator(".hsg-chat__text").text_content() == text  # as text, never as HTML
    assert shown.locator(".hsg-chat__from").text_content() == "Nurse from the clinic:"
    assert page.locator(".hsg-chat__msg--nurse b").count() == 0

    detail = httpx.get(f"{stack.web_url}/api/escalations/{escalation['id']}", auth=nurse, timeout=10).json()
    assert [turn["delivery"] for turn in detail["transcript"] if turn["kind"] == "nurse"] == ["delivered"]

    page.reload()  # kept with the conversation on this device
    page.locator(".hsg-chat__msg--nurse").wait_for()
    assert page.locator(".hsg-chat__msg--nurse").count() == 1
    # Someone else's widget (another conversation id) gets nothing.
    other = httpx.post(
        f"{stack.rasa_url}/webhooks/rest/nurse_messages", json={"sender": "web-" + "0" * 32}, timeout=10
    )
    assert other.json() == {"messages": []}
