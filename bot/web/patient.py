"""Patient-facing routes of the web app (placeholder until the widget lands)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route


async def chat_page(request: Request) -> HTMLResponse:
    return HTMLResponse("<!doctype html><title>HSG assistant</title><h1>HSG assistant</h1>")


def patient_routes() -> list[Route]:
    """Routes the web app mounts at the root: `/` and the widget's static files."""
    return [Route("/", chat_page)]
