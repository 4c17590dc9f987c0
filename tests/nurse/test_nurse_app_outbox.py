"""The running web app stores escalations that waited on disk while the database was unreachable."""

from __future__ import annotations

import socket
import time

import sqlalchemy as sa
from starlette.testclient import TestClient

from bot.storage.db import get_engine
from bot.storage.escalations import EscalationInput
from bot.storage.outbox import queued_files, record_or_queue


def test_web_app_flushes_the_outbox_in_the_background(db_url: str) -> None:
    from bot.web.app import create_app

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed = sock.getsockname()[1]
    down = f"postgresql://postgres@127.0.0.1:{closed}/test"
    queued = EscalationInput("web-queued", "emergency", ["breathing"], "cannot breathe", "rest", "en")
    assert record_or_queue(queued, down) == "queued"
    assert len(queued_files()) == 1
    with TestClient(create_app()):
        deadline = time.monotonic() + 30
        while queued_files() and time.monotonic() < deadline:
            time.sleep(0.2)
    assert queued_files() == []
    with get_engine(db_url).connect() as connection:
        levels = (
            connection.execute(
                sa.text("SELECT level FROM hsg_escalations WHERE conversation_id = 'web-queued'")
            )
            .scalars()
            .all()
        )
    assert levels == ["emergency"]
