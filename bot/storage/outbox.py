"""Escalations never get lost: when the database cannot be reached they wait on disk, one JSON file each.

Files are written atomically (temporary file, fsync, rename) under settings.outbox_dir and deleted
only after the database committed them. Each carries its report id, so a file stored twice (two
processes flushing at once, or a crash between commit and delete) is still one report.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import tempfile
from dataclasses import asdict, replace
from datetime import date, datetime
from pathlib import Path

from bot.config import get_settings
from bot.storage.escalations import EscalationInput, record_escalation, validate
from bot.storage.models import utcnow

logger = logging.getLogger(__name__)


def outbox_dir() -> Path:
    return get_settings().outbox_dir


def record_or_queue(inp: EscalationInput, database_url: str | None = None) -> str:
    """ "stored" when the database took it, "queued" when it waits on disk. ValueError for self_care.

    Raises only if the database failed AND the disk did too.
    """
    clean = validate(inp)
    try:
        record_escalation(clean, database_url)
        return "stored"
    except Exception as error:  # any database failure: the report must not be lost
        logger.warning("escalation queued on disk, database unavailable: %s", type(error).__name__)
    write_queued(clean)
    return "queued"


def write_queued(inp: EscalationInput) -> Path:
    folder = outbox_dir()
    folder.mkdir(parents=True, exist_ok=True)
    payload = asdict(inp)
    payload["hsg_date"] = inp.hsg_date.isoformat() if inp.hsg_date else None
    payload["occurred_at"] = inp.occurred_at.isoformat() if inp.occurred_at else None
    stamp = (inp.occurred_at or utcnow()).strftime("%Y%m%dT%H%M%S%f")
    target = folder / f"{stamp}-{inp.report_id}.json"
    fd, temp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".json")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(payload, handle, ensure_ascii=False)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    with contextlib.suppress(OSError):  # make the rename itself durable
        dir_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    return target


def read_queued(path: Path) -> EscalationInput:
    payload = json.loads(path.read_text(encoding="utf-8"))
    inp = EscalationInput(**payload)
    return replace(
        inp,
        hsg_date=date.fromisoformat(payload["hsg_date"]) if payload.get("hsg_date") else None,
        occurred_at=datetime.fromisoformat(payload["occurred_at"]) if payload.get("occurred_at") else None,
    )


def queued_files() -> list[Path]:
    folder = outbox_dir()
    if not folder.is_dir():
        return []
    return sorted(folder.glob("[0-9]*.json"))


def flush_outbox(database_url: str | None = None) -> int:
    """Store what waits on disk, oldest first; returns how many files were stored and removed.

    Stops at the first database failure (the rest waits for the next flush). A file that cannot be
    read as an escalation is renamed `*.bad` so it stays for a person to look at but blocks nothing.
    """
    flushed = 0
    for path in queued_files():
        try:
            inp = read_queued(path)
        except FileNotFoundError:
            continue  # another process flushed it
        except (ValueError, TypeError, KeyError):
            logger.error("outbox file %s is not an escalation; kept as .bad", path.name)
            with contextlib.suppress(OSError):
                path.rename(path.with_suffix(".bad"))
            continue
        try:
            record_escalation(inp, database_url)
        except ValueError:
            logger.error("outbox file %s is not an escalation; kept as .bad", path.name)
            with contextlib.suppress(OSError):
                path.rename(path.with_suffix(".bad"))
            continue
        except Exception as error:
            logger.warning("outbox flush stopped, database unavailable: %s", type(error).__name__)
            break
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
        flushed += 1
    if flushed:
        logger.info("outbox: %d queued escalation(s) stored", flushed)
    return flushed
