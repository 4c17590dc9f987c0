"""The web chat widget in real Chromium (Debian's) against the real stack, on a 360 × 740 phone screen."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from functools import partial
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from bot.clinic import get_profile
from bot.language import detect_language
from tests.support.browser import chromium

pytestmark = [pytest.mark.browser, pytest.mark.stack]

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOT = ROOT / "docs" / "img" / "widget.png"
WAIT_MS = 90_000

# Widget state in the page: settled when nothing is queued and no request is running.
SETTLED = """() => {
  const status = document.querySelector('.hsg-chat__status');
  return !!status && !document.querySelector('.hsg-chat__msg--pending')
    && (status.getAttribute('data-state') || 'idle') === 'idle';
}"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console",
        lambda message: errors.append(message.text) if "Content Security Policy" in message.text else None,
    )
    page.set_default_timeout(WAIT_MS)
    yield page
    context.close()
    assert errors == [], f"JavaScript errors or CSP violations on the page: {errors}"


def open_chat(page: Any, stack: Any) -> None:
    page.goto(stack.web_url + "/")
    page.wait_for_selector(".hsg-chat__input")


def bot_texts(page: Any) -> list[str]:
    return page.locator(".hsg-chat__msg--bot .hsg-chat__text").all_text_contents()


def ask(page: Any, text: str) -> list[str]:
    """Type a message, send it with Enter, wait for the answer; the new assistant messages."""
    before = len(bot_texts(page))
    box = page.locator(".hsg-chat__input")
    box.fill(text)
    box.press("Enter")
    page.wait_for_function(f"() => document.querySelectorAll('.hsg-chat__msg--bot').length > {before}")
    page.wait_for_function(SETTLED)
    return bot_texts(page)[before:]


def session_id(page: Any) -> str:
    return page.evaluate("window.HSGChatWidget.sessionId()")


def escalation_levels(stack: Any, conversation_id: str) -> list[str]:
    engine = sa.create_engine(stack.database_url)
    try:
        with engine.connect() as connection:
            query = sa.text("SELECT level FROM hsg_escalations WHERE conversation_id = :c")
            rows = connection.execute(query, {"c": conversation_id})
            return [row[0] for row in rows]
    finally:
        engine.dispose()


def test_leaflet_question_is_answered(page: Any, stack: Any) -> None:
    open_chat(page, stack)
    question = "How long does the HSG take?"
    shown = ask(page, question)
    expected = [
        reply["text"]
        for reply in stack.say("web-check-duration", question, metadata={"language": "en"})
        if reply.get("text")
    ]
    assert shown == expected
    assert page.locator(".hsg-chat__msg--user .hsg-chat__text").last.text_content() == question
    assert page.locator(".hsg-chat__banner").is_hidden(), "a question is no triage decision"
    assert len(session_id(page)) == len("web-") + 32


def test_red_flag_shows_the_banner_with_the_number_to_call(page: Any, stack: Any) -> None:
    open_chat(page, stack)
    ask(page, "I had my HSG yesterday and now I have a fever of 39.4")
    banner = page.get_by_role("alert")
    banner.wait_for()
    assert banner.get_attribute("data-level") == "urgent"
    clinic = get_profile().clinic_phone
    assert clinic in banner.text_content()
    call = banner.get_by_role("link")
    assert call.get_attribute("href") == "tel:" + "".join(c for c in clinic if c.isdigit() or c == "+")
    assert escalation_levels(stack, session_id(page)) == ["urgent"]
    if os.environ.get("HSG_UPDATE_SCREENSHOTS") == "1":  # docs/img/widget.png, on request only
        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOT))

    ask(page, "now I can't breathe and my lips are swelling")
    page.wait_for_selector(".hsg-chat__banner[data-level=emergency]")
    assert get_profile().emergency_number in banner.text_content()


def test_conversation_survives_a_reload(page: Any, stack: Any) -> None:
    open_chat(page, stack)
    first = ask(page, "Can I use a tampon after the HSG?")
    sender = session_id(page)
    page.reload()
    page.wait_for_selector(".hsg-chat__msg--bot")
    assert session_id(page) == sender
    assert bot_texts(page) == first
    assert page.locator(".hsg-chat__msg--user .hsg-chat__text").all_text_contents() == [
        "Can I use a tampon after the HSG?"
    ]
    # The same conversation goes on at the server: a report now is escalated under the same id.
    ask(page, "I have a fever of 39 since the HSG")
    assert escalation_levels(stack, sender) == ["urgent"]


def test_switch_to_dutch(page: Any, stack: Any) -> None:
    open_chat(page, stack)
    page.get_by_role("button", name="Nederlands").click()
    page.wait_for_function(SETTLED)
    assert page.get_by_label("Uw bericht").is_visible()
    assert page.locator(".hsg-chat").get_attribute("lang") == "nl"
    assert page.get_by_role("button", name="Nederlands").get_attribute("aria-pressed") == "true"
    assert page.locator(".hsg-chat__msg--user .hsg-chat__text").last.text_content() == (
        "Graag verder in het Nederlands"
    )
    reply = " ".join(bot_texts(page))
    assert detect_language(reply).lang == "nl", reply
    answer = ask(page, "Hoelang duurt het onderzoek?")
    assert detect_language(" ".join(answer)).lang == "nl"
    sent_language = page.evaluate("JSON.parse(localStorage.getItem('hsg-chat:v1:language'))")
    assert sent_language == "nl"


def test_keyboard_only_quick_replies(page: Any, stack: Any) -> None:
    open_chat(page, stack)
    greeting = ask(page, "hello")
    chips = page.locator(".hsg-chat__chip")
    assert chips.count() >= 2, greeting
    title = chips.first.text_content()
    # From the message box, Shift+Tab walks back to the suggested answers.
    page.locator(".hsg-chat__input").focus()
    for _ in range(chips.count()):
        page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.textContent") == title
    before = len(bot_texts(page))
    page.keyboard.press("Enter")
    page.wait_for_function(f"() => document.querySelectorAll('.hsg-chat__msg--bot').length > {before}")
    page.wait_for_function(SETTLED)
    assert page.locator(".hsg-chat__msg--user .hsg-chat__text").last.text_content() == title
    assert page.evaluate("document.activeElement.classList.contains('hsg-chat__input')")


def test_reconnects_without_losing_what_was_typed(page: Any, stack: Any) -> None:
    open_chat(page, stack)
    webhook = stack.rasa_url + "/webhooks/rest/webhook"
    page.route(webhook, lambda route: route.abort("internetdisconnected"))
    box = page.locator(".hsg-chat__input")
    box.fill("Can I take a bath after the HSG?")
    box.press("Enter")
    box.fill("And can I go swimming?")
    box.press("Enter")
    page.wait_for_selector(".hsg-chat__status[data-state=reconnecting]")
    assert page.locator(".hsg-chat__msg--pending").count() == 2
    assert "kept" in page.locator(".hsg-chat__status").text_content()
    page.reload()  # even a reload while offline keeps the queue
    page.wait_for_selector(".hsg-chat__msg--pending")
    assert page.locator(".hsg-chat__msg--pending").count() == 2
    page.unroute(webhook)
    page.get_by_role("button", name="Try now").click()
    page.wait_for_function(SETTLED)
    assert page.locator(".hsg-chat__msg--user .hsg-chat__text").all_text_contents() == [
        "Can I take a bath after the HSG?",
        "And can I go swimming?",
    ]
    assert len(bot_texts(page)) >= 2


def test_message_text_is_never_markup(page: Any, stack: Any) -> None:
    open_chat(page, stack)
    attack = '<img src=x onerror="window.__pwned=1"><b>bold</b>'
    ask(page, attack)
    assert page.locator(".hsg-chat__msg--user .hsg-chat__text").last.text_content() == attack
    assert page.locator(".hsg-chat__log img, .hsg-chat__log b").count() == 0
    assert page.evaluate("window.__pwned") is None


def test_accessible_at_360_px(page: Any, stack: Any) -> None:
    open_chat(page, stack)
    ask(page, "hello")
    log = page.get_by_role("log")
    assert log.get_attribute("aria-live") == "polite"
    assert page.get_by_label("Your message").is_visible()
    assert page.get_by_role("button", name="Send").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, "no sideways scrolling"
    # WCAG contrast of the text the patient reads (computed colours, not the stylesheet's intent).
    ratios = page.evaluate(
        """() => {
      const lum = (rgb) => {
        const [r, g, b] = rgb.match(/\\d+(\\.\\d+)?/g).slice(0, 3).map(Number).map((v) => {
          v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
        });
        return 0.2126 * r + 0.7152 * g + 0.0722 * b;
      };
      const ratio = (el) => {
        const s = getComputedStyle(el);
        let bg = s.backgroundColor, node = el;
        while (/rgba\\(.*, 0\\)|transparent/.test(bg) && node.parentElement) {
          node = node.parentElement; bg = getComputedStyle(node).backgroundColor;
        }
        const [a, b] = [lum(s.color), lum(bg)].sort((x, y) => y - x);
        return (a + 0.05) / (b + 0.05);
      };
      const pick = (sel) => Array.from(document.querySelectorAll(sel));
      return pick('.hsg-chat__msg, .hsg-chat__send, .hsg-chat__chip, .hsg-chat__label, .hsg-chat__footer, '
        + '.hsg-chat__title, .hsg-chat__lang').map(ratio);
    }"""
    )
    assert ratios and min(ratios) >= 4.5, ratios


class _HostPage(BaseHTTPRequestHandler):
    """Some clinic page that embeds the widget with one script tag."""

    def __init__(self, html: str, *args: Any, **kwargs: Any) -> None:
        self.html = html
        super().__init__(*args, **kwargs)

    def log_message(self, format: str, *args: Any) -> None:
        return

    def do_GET(self) -> None:  # noqa: N802
        data = self.html.encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def test_embeds_on_another_page_with_one_script_tag(page: Any, stack: Any) -> None:
    html = f"""<!doctype html><html lang="en"><head><title>Clinic</title></head><body>
<h1>Radiology department</h1><p>Some clinic page.</p>
<script>window.HSGChatConfig = {{serverUrl: "{stack.rasa_url}", colors: {{primary: "#5a2d82"}}}};</script>
<script src="{stack.web_url}/widget/widget.js"></script></body></html>"""
    server = ThreadingHTTPServer(("127.0.0.1", stack.embed_port), partial(_HostPage, html))  # CORS-allowed
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/")
        launcher = page.get_by_role("button", name="Chat with the HSG assistant")
        assert launcher.get_attribute("aria-expanded") == "false"
        launcher.click()
        assert launcher.get_attribute("aria-expanded") == "true"
        assert page.evaluate("document.activeElement.classList.contains('hsg-chat__input')")
        answer = ask(page, "When do I get the results?")
        assert answer and all(answer)
        primary = page.evaluate("getComputedStyle(document.querySelector('.hsg-chat__send')).backgroundColor")
        assert primary == "rgb(90, 45, 130)"
        page.keyboard.press("Escape")
        assert page.locator(".hsg-chat__panel").is_hidden()
        assert page.evaluate("document.activeElement.classList.contains('hsg-chat__launcher')")
    finally:
        server.shutdown()
        server.server_close()
