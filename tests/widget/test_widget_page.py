"""The patient chat page and the widget's files, served by the routes the web app mounts."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from bot.clinic import get_profile
from bot.config import get_settings
from bot.web.patient import patient_routes


@pytest.fixture
def client(monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://assistant.example.org/")
    get_settings.cache_clear()
    with TestClient(Starlette(routes=patient_routes())) as test_client:
        yield test_client
    get_settings.cache_clear()


def test_chat_page_points_the_widget_at_the_rasa_server(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    html = response.text
    assert 'src="/widget/widget.js"' in html
    assert 'data-server-url="https://assistant.example.org"' in html
    assert f'data-emergency-number="{get_profile().emergency_number}"' in html
    assert 'data-container="#hsg-chat"' in html
    assert f'<html lang="{get_profile().default_language}">' in html
    assert "<script>" not in html, "no inline script: works under a strict Content-Security-Policy"


def test_chat_page_in_dutch(client: TestClient) -> None:
    html = client.get("/?lang=nl").text
    assert '<html lang="nl">' in html
    assert 'data-language="nl"' in html
    assert get_profile().text("name", "nl").split()[0] in html
    assert client.get("/?lang=<script>").text.count("<script") == 1, "unknown languages are ignored"


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("/widget/widget.js", "javascript"),
        ("/widget/widget.css", "text/css"),
        ("/widget/page.css", "text/css"),
    ],
)
def test_widget_files_are_served(client: TestClient, path: str, kind: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert kind in response.headers["content-type"]


def test_widget_never_puts_text_into_innerhtml(client: TestClient) -> None:
    script = client.get("/widget/widget.js").text
    assert "innerHTML" not in script
    assert "insertAdjacentHTML" not in script
    assert "document.write" not in script
    assert "getRandomValues(bytes)" in script and "new Uint8Array(16)" in script
