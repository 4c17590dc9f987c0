"""The nurse inbox in a real browser (Debian Chromium through Playwright) against uvicorn in a subprocess.

Sign in, watch an escalation arrive without reloading, open its conversation, review and resolve it,
sign out and be refused; patient text that looks like HTML stays text. Saves docs/img/nurse-inbox.png.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.config import PROJECT_ROOT
from bot.storage import nurses
from bot.storage.db import upgrade
from bot.storage.escalations import EscalationInput, record_escalation
from tests.nurse.nurse_support import NURSE, PASSWORD, seed_conversation
from tests.support.browser import chromium
from tools import stack as runner

pytestmark = pytest.mark.browser

SCREENSHOT = PROJECT_ROOT / "docs" / "img" / "nurse-inbox.png"


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    base = Path(tmp_path_factory.mktemp("nurse-web"))
    url = f"sqlite:///{base / 'hsg.db'}"
    upgrade(url)
    nurses.set_password(NURSE, PASSWORD, url)
    port = runner.free_port()
    env = runner.service_env(
        {
            "DATABASE_URL": url,
            "HSG_VAR_DIR": str(base / "var"),
            "HSG_SECRET_KEY": "browser-test-" + uuid.uuid4().hex,
            "WEB_PORT": str(port),
        }
    )
    service = runner.web_app(port)
    stack = runner.start([service], env, base / "logs", timeout=60)
    try:
        yield {"base": f"http://127.0.0.1:{port}", "db": url}
    finally:
        stack.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(
        viewport={"width": 1360, "height": 860}, locale="en-GB", timezone_id="Europe/Amsterdam"
    )
    page = context.new_page()
    page.set_default_timeout(20000)
    page.csp_errors = []
    page.on(
        "console",
        lambda message: "Content Security Policy" in message.text and page.csp_errors.append(message.text),
    )
    yield page
    context.close()


def escalate(url: str, conversation: str, level: str, reasons: list[str], text: str, **extra: Any) -> int:
    return record_escalation(
        EscalationInput(
            conversation,
            level,
            reasons,
            text,
            extra.pop("channel", "rest"),
            extra.pop("language", "en"),
            **extra,
        ),
        url,
    ).id


def sign_in(page: Any, base: str) -> None:
    page.goto(f"{base}/nurse/")
    assert "/nurse/login" in page.url
    page.fill("#username", NURSE)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("#inbox")


def test_nurse_sees_a_new_escalation_live_then_reviews_resolves_and_signs_out(web: dict, page: Any) -> None:
    base, url = web["base"], web["db"]
    now = datetime.utcnow()
    escalate(
        url,
        "whatsapp:+31611122233",
        "inform_team",
        ["possible_pregnancy"],
        "Mijn menstruatie is een week laat.",
        channel="twilio_whatsapp",
        language="nl",
        hsg_date=date.today() + timedelta(days=3),
        occurred_at=now - timedelta(minutes=50),
    )
    escalate(
        url,
        "web-" + uuid.uuid4().hex[:8],
        "urgent",
        ["fever"],
        "I have had a fever of 38.5 since last night",
        hsg_date=date.today() - timedelta(days=1),
        occurred_at=now - timedelta(minutes=20),
    )
    escalate(
        url,
        "+447700900123",
        "urgent",
        ["bleeding_over_3_days"],
        "Still bleeding four days after the HSG",
        channel="twilio_sms",
        occurred_at=now - timedelta(minutes=35),
    )
    sign_in(page, base)
    page.evaluate("window.__sameDocument = true")

    conversation = "web-" + uuid.uuid4().hex[:8]
    seed_conversation(
        url,
        conversation,
        [
            ("user", "Hi, I had my HSG this morning", None),
            ("bot", "Thank you. How are you feeling now?", None),
            ("user", "I suddenly can't breathe properly and my lips are swelling", None),
            (
                "bot",
                "Call 112 now: this can be a reaction to the contrast.",
                {"level": "emergency", "reasons": ["breathing"]},
            ),
        ],
    )
    new_id = escalate(
        url,
        conversation,
        "emergency",
        ["breathing", "swelling"],
        "I suddenly can't breathe properly and my lips are swelling",
        hsg_date=date.today(),
    )
    row = page.wait_for_selector(f'#rows tr[data-id="{new_id}"]')
    assert page.evaluate("window.__sameDocument") is True, "appeared without a reload"
    assert "swelling" in row.inner_text()
    first = page.query_selector("#rows tr")
    assert first.get_attribute("data-id") == str(new_id), "emergency at the top"
    assert page.inner_text("#count-emergency") == "1"
    assert "+31611122233" not in page.content() and "233" in page.inner_text("#rows")
    if os.environ.get("HSG_UPDATE_SCREENSHOTS") == "1":  # docs/img/nurse-inbox.png, on request only
        page.wait_for_timeout(3500)  # let the highlight fade before the picture
        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOT), full_page=True)

    page.click(f'#rows tr[data-id="{new_id}"] a')
    page.wait_for_selector("#transcript")
    transcript = page.inner_text("#transcript")
    assert "Hi, I had my HSG this morning" in transcript and "Call 112 now" in transcript
    assert "Triage decision" in page.inner_text("#transcript .turn.triage")
    page.click("#mark-in-review")
    page.wait_for_selector(f"#status:has-text('In review — {NURSE}')")
    page.select_option("#outcome-select", "advised_emergency_care")
    page.fill("#note-text", "Called her, ambulance on the way.")
    page.click("#resolve")
    page.wait_for_selector("#outcome")
    assert page.inner_text("#status").startswith("Resolved")
    assert page.inner_text("#note") == "Called her, ambulance on the way."
    history = page.inner_text("#history")
    assert "new → in review" in history and "in review → resolved" in history and NURSE in history

    page.click("#sign-out")
    page.wait_for_selector("text=You are signed out.")
    page.goto(f"{base}/nurse/escalations/{new_id}")
    assert "/nurse/login" in page.url and "ambulance" not in page.content()
    response = page.request.get(f"{base}/nurse/inbox.json")
    assert response.status == 401
    assert page.csp_errors == []


def test_patient_text_that_looks_like_html_stays_text(web: dict, page: Any) -> None:
    base, url = web["base"], web["db"]
    evil = '<script>window.__xss = 1</script><img src=x onerror="window.__xss = 2">bleeding <b>a lot</b>'
    conversation = "web-" + uuid.uuid4().hex[:8]
    seed_conversation(url, conversation, [("user", evil, None)])
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    sign_in(page, base)
    escalation_id = escalate(url, conversation, "urgent", ["heavy_bleeding"], evil)
    row = page.wait_for_selector(f'#rows tr[data-id="{escalation_id}"]')  # drawn by the script, from JSON
    assert evil in row.inner_text()
    page.reload()
    row = page.wait_for_selector(f'#rows tr[data-id="{escalation_id}"]')  # drawn by the server template
    assert evil in row.inner_text()
    assert page.query_selector("#rows img") is None and page.query_selector("#rows b") is None
    page.goto(f"{base}/nurse/escalations/{escalation_id}")
    assert evil in page.inner_text("#patient-words") and evil in page.inner_text("#transcript")
    assert page.query_selector("main img") is None
    assert page.evaluate("window.__xss") is None and dialogs == []


def test_login_page_has_no_csp_violations(web: dict, page: Any) -> None:
    page.goto(f"{web['base']}/nurse/login")
    page.wait_for_selector("#username")
    assert os.path.basename(page.url).startswith("login")
    assert page.csp_errors == []
