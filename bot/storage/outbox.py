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

from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

from bot.config import get_settings
from bot.privacy import private_dir
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
    folder = private_dir(outbox_dir())
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
    """The escalation in a queued file, validated; ValueError for anything that is not one."""
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(payload, dict):
            raise ValueError("not a JSON object")
        inp = EscalationInput(**payload)
        inp = replace(
            inp,
            hsg_date=date.fromisoformat(payload["hsg_date"]) if payload.get("hsg_date") else None,
            occurred_at=(
                datetime.fromisoformat(payload["occurred_at"]) if payload.get("occurred_at") else None
            ),
        )
        return validate(inp)
    except (TypeError, KeyError, AttributeError, RecursionError) as error:
        raise ValueError(f"not an escalation: {type(error).__name__}") from error


def queued_files() -> list[Path]:
    folder = outbox_dir()
    if not folder.is_dir():
        return []
    return sorted(path for path in folder.glob("[0-9]*.json") if not path.is_symlink())


def set_aside_files() -> list[Path]:
    """Files that could not be stored as escalations, kept for a person to look at."""
    folder = outbox_dir()
    return sorted(folder.glob("*.bad")) if folder.is_dir() else []


def set_aside(path: Path, why: str) -> None:
    """Rename a file that is not a storable escalation to `*.bad`: reported, and out of the way."""
    logger.error("outbox file %s set aside as .bad (%s); the other files go on", path.name, why)
    with contextlib.suppress(OSError):
        path.rename(path.with_suffix(".bad"))


def database_unreachable(error: Exception) -> bool:
    """A failure of the connection (wait and retry later), not of this one file's content."""
    if isinstance(error, (OperationalError, InterfaceError)):
        return True
    return isinstance(error, DBAPIError) and error.connection_invalidated


def flush_outbox(database_url: str | None = None) -> int:
    """Store what waits on disk, oldest first; returns how many files were stored and removed.

    Each file on its own: one that cannot be read or stored as an escalation (malformed, refused by
    the database) is set aside as `*.bad` and reported, and the rest still flush. Only an
    unreachable database stops the flush (the rest waits for the next one).
    """
    flushed = 0
    for path in queued_files():
        try:
            inp = read_queued(path)
        except FileNotFoundError:
            continue  # another process flushed it
        except (ValueError, OSError) as error:
            set_aside(path, type(error).__name__)
            continue
        try:
            record_escalation(inp, database_url)
        except Exception as error:
            if database_unreachable(error):
                logger.warning("outbox flush stopped, database unavailable: %s", type(error).__name__)
                break
            set_aside(path, type(error).__name__)
            continue
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
        flushed += 1
    if flushed:
        logger.info("outbox: %d queued escalation(s) stored", flushed)
    return flushed
