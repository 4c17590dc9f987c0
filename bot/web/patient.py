"""Patient-facing routes of the web app: the chat page at `/` and the widget's files under `/widget/`.

The widget is plain static files (no build step), so any clinic page can embed it with one script
tag; the chat page is the same widget shown inline. The page tells the widget where the Rasa server
is (`PUBLIC_BASE_URL`, the address patients' browsers and Twilio reach) through data attributes,
which keeps the page free of inline script for a strict Content-Security-Policy.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from bot.clinic import get_profile
from bot.config import get_settings

WEB_DIR = Path(__file__).resolve().parent
WIDGET_DIR = WEB_DIR / "static" / "widget"
TEMPLATES_DIR = WEB_DIR / "templates"

PAGE_TEXT = {
    "en": {
        "title": "HSG patient assistant",
        "skip": "Go to the chat",
        "intro": "Questions about your HSG, before or after the procedure? Ask them here.",
        "noscript": "The chat needs JavaScript. You can also call the clinic.",
        "privacy": "Your conversation is kept on this device and by the clinic's assistant. "
        "Use “New chat” to remove it from this device.",
    },
    "nl": {
        "title": "HSG-patiëntassistent",
        "skip": "Naar de chat",
        "intro": "Vragen over uw HSG, voor of na het onderzoek? Stel ze hier.",
        "noscript": "De chat werkt alleen met JavaScript. U kunt ook de kliniek bellen.",
        "privacy": "Uw gesprek wordt bewaard op dit apparaat en door de assistent van de kliniek. "
        "Met “Nieuw gesprek” verwijdert u het van dit apparaat.",
    },
}


@lru_cache(maxsize=1)
def _templates() -> Jinja2Templates:
    return Jinja2Templates(directory=str(TEMPLATES_DIR))


def page_language(request: Request) -> str:
    """`?lang=nl|en` if given, else the clinic's default language."""
    wanted = request.query_params.get("lang", "")
    if wanted in PAGE_TEXT:
        return wanted
    default = get_profile().default_language
    return default if default in PAGE_TEXT else "en"


async def chat_page(request: Request) -> Response:
    settings = get_settings()
    profile = get_profile()
    lang = page_language(request)
    response = _templates().TemplateResponse(
        request,
        "patient/chat.html",
        {
            "lang": lang,
            "text": PAGE_TEXT[lang],
            "clinic_name": profile.text("name", lang),
            "server_url": settings.public_base_url,
            "emergency_number": profile.emergency_number,
            "max_length": settings.max_message_chars,
            "widget_base": "/widget",
        },
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def patient_routes() -> list[BaseRoute]:
    """Routes the web app mounts at the root: `/` and the widget's static files under `/widget/`."""
    return [
        Route("/", chat_page, methods=["GET"]),
        Mount("/widget", app=StaticFiles(directory=str(WIDGET_DIR)), name="widget"),
    ]
