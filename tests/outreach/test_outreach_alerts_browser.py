"""Inbox alerts in Chromium: after "Turn on alerts", a new urgent escalation is announced in the
assertive live region (and with a sound and a notification, which a headless browser cannot hear or
show); an inform-team escalation is not."""

from __future__ import annotations

import subprocess
import sys
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from tests.conftest import ROOT
from tests.support.browser import chromium

pytestmark = [pytest.mark.browser, pytest.mark.stack]
NURSE = ("nurse-alerts", "a long password for the alert test")


@pytest.fixture(scope="module")
def signed_in(stack: Any) -> Iterator[Any]:
    subprocess.run(
        [sys.executable, "-m", "bot", "nurse", "add", NURSE[0]],
        input=NURSE[1] + "\n",
        text=True,
        cwd=ROOT,
        env=stack.env,
        check=True,
        capture_output=True,
    )
    with chromium() as browser:
        context = browser.new_context(viewport={"width": 1100, "height": 900})
        context.grant_permissions(["notifications"], origin=stack.web_url)
        page = context.new_page()
        page.set_default_timeout(60_000)
        page.goto(stack.web_url + "/nurse/login")
        page.fill("#username", NURSE[0])
        page.fill("#password", NURSE[1])
        page.click("button[type=submit]")
        page.wait_for_selector("#inbox")
        yield page
        context.close()


def test_new_urgent_escalation_is_announced(signed_in: Any, stack: Any) -> None:
    page = signed_in
    button = page.get_by_role("button", name="Turn on alerts")
    button.click()
    assert page.get_by_role("button", name="Alerts are on").get_attribute("aria-pressed") == "true"
    stack.say("web-" + uuid.uuid4().hex, "I have asthma, is the HSG safe for me?")  # inform_team at most
    stack.say("web-" + uuid.uuid4().hex, "I had my HSG yesterday and now I have a fever of 39.5")
    page.wait_for_function("() => document.getElementById('alert-status').textContent.length > 0")
    assert page.locator("#alert-status").text_content() == "1 new urgent escalation."
    assert page.locator("#alert-status").get_attribute("role") == "alert"
