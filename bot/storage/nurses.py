"""Nurse accounts: argon2 password hashes, lock-out after repeated failures, server-side sessions."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.exc import OperationalError

from bot.storage import audit
from bot.storage.db import read_session, write_session
from bot.storage.models import Nurse, NurseSession, utcnow

MAX_FAILURES = 5  # consecutive failed sign-ins before the account is locked
LOCK_MINUTES = 5
SESSION_IDLE = timedelta(minutes=30)
SESSION_MAX = timedelta(hours=12)
TOUCH_EVERY = timedelta(seconds=60)  # how often a session's last_seen_at is written
USERNAME_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789._-@")
MIN_PASSWORD = 10


@lru_cache(maxsize=1)
def hasher() -> PasswordHasher:
    return PasswordHasher()


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return hasher().hash(secrets.token_hex(16))


@dataclass(frozen=True)
class SignedIn:
    nurse_id: int
    username: str


@dataclass(frozen=True)
class SessionInfo:
    nurse_id: int
    username: str
    csrf_token: str


def normalise_username(username: str) -> str:
    name = (username or "").strip().lower()
    if not name or len(name) > 64 or not set(name) <= USERNAME_CHARS:
        raise ValueError("username: 1-64 characters of a-z, 0-9, . _ - @")
    return name


def set_password(username: str, password: str, database_url: str | None = None) -> str:
    """Create the account, or reset its password (and unlock it). Returns "created" or "reset"."""
    name = normalise_username(username)
    if len(password) < MIN_PASSWORD:
        raise ValueError(f"password: at least {MIN_PASSWORD} characters")
    digest = hasher().hash(password)
    now = utcnow()
    with write_session(database_url) as session:
        nurse = session.execute(sa.select(Nurse).where(Nurse.username == name)).scalar_one_or_none()
        if nurse is None:
            session.add(Nurse(username=name, password_hash=digest, created_at=now, password_changed_at=now))
            outcome = "created"
        else:
            nurse.password_hash = digest
            nurse.password_changed_at = now
            nurse.failed_logins = 0
            nurse.locked_until = None
            nurse.active = True
            session.execute(sa.delete(NurseSession).where(NurseSession.nurse_id == nurse.id))
            outcome = "reset"
        audit.append(session, "cli", f"nurse_{outcome}", username=name)
    return outcome


def list_nurses(database_url: str | None = None) -> list[dict]:
    with read_session(database_url) as session:
        rows = session.execute(sa.select(Nurse).order_by(Nurse.username)).scalars()
        return [{"username": n.username, "active": n.active, "locked_until": n.locked_until} for n in rows]


def set_active(username: str, active: bool, database_url: str | None = None) -> bool:
    name = normalise_username(username)
    with write_session(database_url) as session:
        nurse = session.execute(sa.select(Nurse).where(Nurse.username == name)).scalar_one_or_none()
        if nurse is None:
            return False
        nurse.active = active
        if not active:
            session.execute(sa.delete(NurseSession).where(NurseSession.nurse_id == nurse.id))
        audit.append(session, "cli", "nurse_enabled" if active else "nurse_disabled", username=name)
    return True


def check_password(
    username: str, password: str, database_url: str | None = None, how: str = "form"
) -> SignedIn | None:
    """The nurse if the password is right and the account usable; failures are counted and audited.

    The argon2 check runs outside any write transaction (SQLite has one writer for all processes);
    unknown names cost the same argon2 work as known ones, so timing does not reveal accounts.
    """
    try:
        name = normalise_username(username)
    except ValueError:
        _burn(password)
        return None
    now = utcnow()
    with read_session(database_url) as session:
        nurse = session.execute(sa.select(Nurse).where(Nurse.username == name)).scalar_one_or_none()
    if nurse is None:
        _burn(password)
        _failed(name, None, "unknown", how, database_url)
        return None
    if nurse.locked_until and nurse.locked_until > now:
        _burn(password)
        _failed(name, None, "locked", how, database_url)
        return None
    if not _verify(nurse.password_hash, password):
        _failed(name, nurse.id, "password", how, database_url)
        return None
    if not nurse.active:
        _failed(name, None, "inactive", how, database_url)
        return None
    rehash = hasher().check_needs_rehash(nurse.password_hash)
    if nurse.failed_logins or nurse.locked_until or rehash:
        with write_session(database_url) as session:
            values: dict = {"failed_logins": 0, "locked_until": None}
            if rehash:
                values["password_hash"] = hasher().hash(password)
            session.execute(sa.update(Nurse).where(Nurse.id == nurse.id).values(**values))
    return SignedIn(nurse.id, nurse.username)


def _failed(name: str, nurse_id: int | None, why: str, how: str, database_url: str | None) -> None:
    """Count a wrong password (locking the account at MAX_FAILURES) and audit every failure."""
    with write_session(database_url) as session:
        if nurse_id is not None:
            nurse = session.get(Nurse, nurse_id)
            nurse.failed_logins = (nurse.failed_logins or 0) + 1
            if nurse.failed_logins >= MAX_FAILURES:
                nurse.locked_until = utcnow() + timedelta(minutes=LOCK_MINUTES)
                nurse.failed_logins = 0
                why += ",locked"
        audit.append(session, name, "sign_in_failed", how=how, why=why)


def _verify(digest: str, password: str) -> bool:
    try:
        return hasher().verify(digest, password)
    except (VerificationError, InvalidHashError):
        return False


def _burn(password: str) -> None:
    _verify(_dummy_hash(), password)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def start_session(who: SignedIn, database_url: str | None = None) -> str:
    """A new session for a signed-in nurse; returns the token for the cookie."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    with write_session(database_url) as session:
        # Sessions nobody came back to are removed here, so the table stays small.
        session.execute(
            sa.delete(NurseSession).where(
                sa.or_(
                    NurseSession.created_at < now - SESSION_MAX,
                    NurseSession.last_seen_at < now - SESSION_IDLE,
                )
            )
        )
        session.add(
            NurseSession(
                token_hash=_token_hash(token),
                nurse_id=who.nurse_id,
                csrf_token=secrets.token_urlsafe(32),
                created_at=now,
                last_seen_at=now,
            )
        )
        nurse = session.get(Nurse, who.nurse_id)
        nurse.last_login_at = now
        audit.append(session, who.username, "sign_in")
    return token


def session_for(token: str, database_url: str | None = None) -> SessionInfo | None:
    """The live session for a cookie token, or None (unknown, idle too long, too old, account off)."""
    if not token:
        return None
    now = utcnow()
    key = _token_hash(token)
    with read_session(database_url) as session:
        found = session.execute(
            sa.select(NurseSession, Nurse)
            .join(Nurse, Nurse.id == NurseSession.nurse_id)
            .where(NurseSession.token_hash == key)
        ).first()
        if found is None:
            return None
        live, nurse = found
        expired = now - live.last_seen_at > SESSION_IDLE or now - live.created_at > SESSION_MAX
        info = SessionInfo(nurse.id, nurse.username, live.csrf_token)
        if expired or not nurse.active:
            session.execute(sa.delete(NurseSession).where(NurseSession.token_hash == key))
            info = None
        elif now - live.last_seen_at > TOUCH_EVERY:
            live.last_seen_at = now
        else:
            return info
        try:
            session.commit()
        except OperationalError:  # a busy database: tidying up can wait for the next request
            session.rollback()
        return info


def end_session(token: str, username: str, database_url: str | None = None) -> None:
    with write_session(database_url) as session:
        session.execute(sa.delete(NurseSession).where(NurseSession.token_hash == _token_hash(token)))
        audit.append(session, username, "sign_out")
