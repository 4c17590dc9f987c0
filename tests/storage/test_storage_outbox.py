"""Escalations survive an unreachable database: queued on disk atomically, stored once when it is back."""

from __future__ import annotations

import json
import shutil
import socket
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from bot.storage.db import get_engine
from bot.storage.escalations import EscalationInput
from bot.storage.outbox import flush_outbox, queued_files, record_or_queue


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def unreachable_urls(tmp_path: Path) -> list[str]:
    unwritable = tmp_path / "not-a-folder"
    unwritable.write_text("a file where the database folder should be")
    return [
        f"sqlite:///{unwritable / 'hsg.db'}",
        f"postgresql://postgres@127.0.0.1:{closed_port()}/test",
    ]


def inp(conversation: str, level: str = "urgent") -> EscalationInput:
    return EscalationInput(
        conversation_id=conversation,
        level=level,
        reasons=["fever"],
        patient_text="Koorts 39 graden sinds gisteren",
        channel="twilio_whatsapp",
        language="nl",
    )


def stored(url: str, conversation: str) -> list[tuple[str, int]]:
    with get_engine(url).connect() as connection:
        result = connection.execute(
            sa.text("SELECT level, report_count FROM hsg_escalations WHERE conversation_id = :c"),
            {"c": conversation},
        )
        return [tuple(row) for row in result]


@pytest.mark.parametrize("which", [0, 1], ids=["sqlite-unwritable", "postgres-closed-port"])
def test_unreachable_database_queues_then_flush_stores_once(
    which: int, url: str, tmp_path: Path, var_dir: Path
) -> None:
    down = unreachable_urls(tmp_path)[which]
    conversation = "whatsapp:+3161234" + uuid.uuid4().hex[:4]
    assert record_or_queue(inp(conversation), down) == "queued"
    assert record_or_queue(inp(conversation, "emergency"), down) == "queued"
    files = queued_files()
    assert len(files) == 2 and all(path.parent == var_dir / "outbox" for path in files)
    saved = json.loads(files[0].read_text())
    assert saved["conversation_id"] == conversation and saved["report_id"]
    assert not list((var_dir / "outbox").glob(".tmp-*")), "no half-written files"
    keep = tmp_path / "copy.json"
    shutil.copy(files[0], keep)

    assert flush_outbox(down) == 0, "still down: nothing removed"
    assert len(queued_files()) == 2
    assert flush_outbox(url) == 2
    assert queued_files() == []
    assert stored(url, conversation) == [("emergency", 2)]

    # The same file flushed again (say a crash between commit and delete) adds nothing.
    shutil.copy(keep, var_dir / "outbox" / keep.name.replace("copy", "00000000T000000000000-again"))
    assert flush_outbox(url) == 1
    assert stored(url, conversation) == [("emergency", 2)]
    assert flush_outbox(url) == 0


def test_record_or_queue_stores_directly_when_the_database_is_up(url: str, var_dir: Path) -> None:
    conversation = "web-" + uuid.uuid4().hex
    assert record_or_queue(inp(conversation), url) == "stored"
    assert queued_files() == []
    assert stored(url, conversation) == [("urgent", 1)]


def test_self_care_is_refused_not_queued(tmp_path: Path, var_dir: Path) -> None:
    with pytest.raises(ValueError):
        record_or_queue(inp("web-x", "self_care"), unreachable_urls(tmp_path)[0])
    assert queued_files() == []


def test_a_broken_file_is_set_aside_and_blocks_nothing(url: str, var_dir: Path) -> None:
    (var_dir / "outbox").mkdir(parents=True)
    (var_dir / "outbox" / "00000000T000000000000-broken.json").write_text("{not json")
    conversation = "web-" + uuid.uuid4().hex
    down = f"postgresql://postgres@127.0.0.1:{closed_port()}/test"
    assert record_or_queue(inp(conversation), down) == "queued"
    assert flush_outbox(url) == 1
    assert stored(url, conversation) == [("urgent", 1)]
    assert [path.name for path in (var_dir / "outbox").iterdir()] == ["00000000T000000000000-broken.bad"]
