"""Nurse accounts: argon2 password hashes, lock-out per account and address, server-side sessions."""

from __future__ import annotations

import hashlib
import secrets
import threading
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.exc import IntegrityError, OperationalError

from bot.storage import audit
from bot.storage.db import read_session, write_session
from bot.storage.models import Nurse, NurseSession, SignInFailure, utcnow

MAX_FAILURES = 5  # attempts per account and client address before that address is locked out
LOCK_MINUTES = 5
RETRIES = 3
HASH_CONCURRENCY = 2  # argon2 checks at once per process (64 MiB each)
HASH_WAIT_S = 10.0
_HASH_SLOTS = threading.BoundedSemaphore(HASH_CONCURRENCY)
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
            session.execute(sa.delete(SignInFailure).where(SignInFailure.username == name))
            outcome = "reset"
        audit.append(session, "cli", f"nurse_{outcome}", username=name)
    return outcome


def list_nurses(database_url: str | None = None) -> list[dict]:
    with read_session(database_url) as session:
        rows = session.execute(sa.select(Nurse).order_by(Nurse.username)).scalars()
        nurses = [{"username": n.username, "active": n.active} for n in rows]
    for row in nurses:
        row["locked_addresses"] = locked_addresses(row["username"], database_url)
    return nurses


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


class HashingBusy(Exception):
    """Too many password checks are running: refuse rather than queue (each argon2 check takes 64 MiB)."""


def _hashing(work, *args):  # noqa: ANN001, ANN202 (a callable and its arguments)
    """Run one argon2 operation under the process-wide bound on concurrent hashing."""
    if not _HASH_SLOTS.acquire(timeout=HASH_WAIT_S):
        raise HashingBusy
    try:
        return work(*args)
    finally:
        _HASH_SLOTS.release()


def check_password(
    username: str, password: str, database_url: str | None = None, how: str = "form", address: str = "-"
) -> SignedIn | None:
    """The nurse if the password is right and the account usable; failures are counted and audited.

    An attempt is counted BEFORE the password is checked, in one write transaction per account and
    client address: concurrent guesses cannot slip past the limit, and after MAX_FAILURES the address
    (not the account) is locked for LOCK_MINUTES, so nobody can keep a nurse out by failing from
    elsewhere. The argon2 check itself runs outside any transaction, at most HASH_CONCURRENCY at a
    time (HashingBusy beyond that); unknown names cost the same work as known ones.
    """
    try:
        name = normalise_username(username)
    except ValueError:
        return None
    address = (address or "-")[:64]
    if not _reserve_attempt(name, address, database_url):
        _audit_failure(name, "locked", how, database_url)
        return None
    with read_session(database_url) as session:
        nurse = session.execute(sa.select(Nurse).where(Nurse.username == name)).scalar_one_or_none()
    if nurse is None:
        _hashing(_burn, password)
        _audit_failure(name, "unknown", how, database_url)
        return None
    if not _hashing(_verify, nurse.password_hash, password):
        _audit_failure(name, "password", how, database_url)
        return None
    if not nurse.active:
        _audit_failure(name, "inactive", how, database_url)
        return None
    rehash = hasher().check_needs_rehash(nurse.password_hash)
    new_hash = _hashing(hasher().hash, password) if rehash else None
    with write_session(database_url) as session:
        session.execute(
            sa.delete(SignInFailure).where(SignInFailure.username == name, SignInFailure.address == address)
        )
        if new_hash:
            session.execute(sa.update(Nurse).where(Nurse.id == nurse.id).values(password_hash=new_hash))
    return SignedIn(nurse.id, nurse.username)


def _reserve_attempt(name: str, address: str, database_url: str | None) -> bool:
    """Count one attempt for (account, address) atomically; False while that address is locked out."""
    for attempt in range(RETRIES):
        now = utcnow()
        try:
            with write_session(database_url) as session:
                row = session.get(SignInFailure, (name, address), with_for_update=True)
                if row is None:
                    row = SignInFailure(username=name, address=address, failures=0, updated_at=now)
                    session.add(row)
                if row.locked_until and row.locked_until > now:
                    return False
                if row.locked_until:  # the lock has ended: a fresh start
                    row.locked_until, row.failures = None, 0
                row.failures = (row.failures or 0) + 1
                row.updated_at = now
                if row.failures > MAX_FAILURES:
                    row.locked_until = now + timedelta(minutes=LOCK_MINUTES)
                    row.failures = 0
                    return False
                return True
        except IntegrityError:  # two first attempts at once (PostgreSQL): the loser counts again
            if attempt == RETRIES - 1:
                raise
    return False


def _audit_failure(name: str, why: str, how: str, database_url: str | None) -> None:
    with write_session(database_url) as session:
        audit.append(session, name, "sign_in_failed", how=how, why=why)


def locked_addresses(username: str, database_url: str | None = None) -> int:
    """How many client addresses are locked out of this account now (for `nurse list`)."""
    with read_session(database_url) as session:
        return session.execute(
            sa.select(sa.func.count())
            .select_from(SignInFailure)
            .where(SignInFailure.username == username, SignInFailure.locked_until > utcnow())
        ).scalar_one()


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
