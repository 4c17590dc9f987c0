"""Security review findings about storage, each on SQLite and the real PostgreSQL where it matters.

NUL and surrogates in patient text, malformed outbox files, sign-in counting under concurrency, the
lock-out, Twilio message ids, the phone-conversation migration, notes out of the audit log, retention.
"""

from __future__ import annotations

import json
import os
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta, timezone
from pathlib import Path

import pytest
import sqlalchemy as sa
import yaml

from bot.clinic import ProfileError, load_profile
from bot.config import PROJECT_ROOT
from bot.storage import inbox, nurses
from bot.storage.db import get_engine, upgrade, write_session
from bot.storage.escalations import EscalationInput
from bot.storage.models import utcnow
from bot.storage.outbox import flush_outbox, queued_files, record_or_queue, set_aside_files, write_queued
from bot.storage.retention import apply_retention
from bot.storage.twilio_seen import first_sight
from bot.text_input import bound_text, clean_text

INSERT_EVENT = (
    "INSERT INTO events (id, sender_id, type_name, timestamp, data) VALUES (:i, :s, 'user', :t, '{}')"
)


def report(conversation: str, text: str = "Koorts 39 graden", level: str = "urgent") -> EscalationInput:
    return EscalationInput(
        conversation_id=conversation,
        level=level,
        reasons=["fever"],
        patient_text=text,
        channel="rest",
        language="nl",
    )


def texts_of(url: str, conversation: str) -> list[str]:
    with get_engine(url).connect() as connection:
        rows = connection.execute(
            sa.text("SELECT patient_text FROM hsg_escalations WHERE conversation_id = :c"),
            {"c": conversation},
        )
        return [row[0] for row in rows]


# --- finding 3: characters that break storage -------------------------------------------------------


def test_clean_text_drops_lone_surrogates_nul_and_controls_and_cuts_by_code_point() -> None:
    assert clean_text("fever 39\ud83d") == "fever 39"
    assert clean_text("a\x00b\x07c\u202ed") == "abcd"
    assert clean_text("line one\r\nline two\tx") == "line one\nline two\tx"
    assert clean_text("😀 ok") == "😀 ok", "a whole emoji is kept"
    assert bound_text("😀😀😀", 2) == ("😀😀", True)
    assert bound_text(None, 5) == ("", False)


def test_nul_and_a_lone_surrogate_in_patient_text_still_reach_the_inbox(url: str, var_dir: Path) -> None:
    conversation = "web-" + uuid.uuid4().hex
    text = "I have a fever of 39\x00.5 since the HSG \ud83d"
    assert record_or_queue(report(conversation, text), url) == "stored"
    assert texts_of(url, conversation) == ["I have a fever of 39.5 since the HSG "]
    assert queued_files() == [] and set_aside_files() == []


def test_a_queued_file_with_nul_is_stored_not_set_aside(url: str, var_dir: Path) -> None:
    conversation = "web-" + uuid.uuid4().hex
    write_queued(report(conversation, "help\x00 I can't breathe"))
    assert flush_outbox(url) == 1
    assert texts_of(url, conversation) == ["help I can't breathe"]
    assert set_aside_files() == []


# --- finding 4: one malformed file must not stop the others ------------------------------------------


@pytest.mark.parametrize(
    "payload",
    [
        {"reasons": 5},  # valid JSON, wrong type deep inside: used to stop every later flush
        {"occurred_at": 12},
        {"level": ["urgent"]},
        {"hsg_date": "not a date"},
    ],
    ids=["reasons-not-a-list", "time-not-text", "level-not-text", "bad-date"],
)
def test_a_malformed_file_is_set_aside_and_later_files_still_flush(
    payload: dict, url: str, var_dir: Path
) -> None:
    broken = report("web-" + uuid.uuid4().hex)
    path = write_queued(broken)
    data = json.loads(path.read_text())
    data.update(payload)
    path.write_text(json.dumps(data))
    later = [report("web-" + uuid.uuid4().hex, level="emergency") for _ in range(2)]
    for item in later:
        write_queued(item)
    assert flush_outbox(url) == 2
    for item in later:
        assert len(texts_of(url, item.conversation_id)) == 1
    assert [p.name for p in set_aside_files()] == [path.with_suffix(".bad").name]
    assert queued_files() == []


def test_a_folder_named_like_a_queued_file_does_not_stop_the_flush(url: str, var_dir: Path) -> None:
    (var_dir / "outbox" / "00000000T000000000000-x.json").mkdir(parents=True)
    item = report("web-" + uuid.uuid4().hex)
    write_queued(item)
    assert flush_outbox(url) == 1
    assert texts_of(url, item.conversation_id)


# --- finding 5: sign-in counting, lock-out, hashing -------------------------------------------------


def test_concurrent_wrong_passwords_get_no_more_guesses_than_the_limit(
    url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    nurses.set_password("anna", "right-password-1", url)
    checked = []
    real_verify = nurses._verify

    def counting_verify(digest: str, password: str) -> bool:
        checked.append(password)
        return real_verify(digest, password)

    monkeypatch.setattr(nurses, "_verify", counting_verify)
    with ThreadPoolExecutor(max_workers=12) as pool:
        results = list(
            pool.map(
                lambda i: nurses.check_password("anna", f"guess-{i}", url, "basic", "10.0.0.9"), range(24)
            )
        )
    assert not any(results)
    assert len(checked) <= nurses.MAX_FAILURES, f"{len(checked)} passwords were tried"
    assert nurses.check_password("anna", "right-password-1", url, address="10.0.0.9") is None, "locked"


def test_a_lock_out_from_one_address_does_not_keep_the_nurse_out(url: str) -> None:
    nurses.set_password("bram", "right-password-2", url)
    for _ in range(nurses.MAX_FAILURES + 2):
        assert nurses.check_password("bram", "wrong", url, address="203.0.113.7") is None
    assert nurses.check_password("bram", "right-password-2", url, address="203.0.113.7") is None
    assert nurses.check_password("bram", "right-password-2", url, address="192.0.2.10"), (
        "the nurse at her own desk still gets in"
    )
    assert nurses.list_nurses(url)[0]["locked_addresses"] == 1
    nurses.set_password("bram", "right-password-3", url)  # a reset clears every lock
    assert nurses.check_password("bram", "right-password-3", url, address="203.0.113.7")


def test_the_lock_ends(url: str) -> None:
    nurses.set_password("cees", "right-password-4", url)
    for _ in range(nurses.MAX_FAILURES + 1):
        nurses.check_password("cees", "wrong", url, address="198.51.100.1")
    assert nurses.check_password("cees", "right-password-4", url, address="198.51.100.1") is None
    with write_session(url) as session:
        session.execute(
            sa.text("UPDATE hsg_sign_in_failures SET locked_until = :t"),
            {"t": utcnow() - timedelta(seconds=1)},
        )
    assert nurses.check_password("cees", "right-password-4", url, address="198.51.100.1")


def test_password_hashing_runs_at_most_a_few_at_a_time(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    running, most = 0, 0
    lock = threading.Lock()

    def slow_burn(password: str) -> None:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        time.sleep(0.05)
        with lock:
            running -= 1

    monkeypatch.setattr(nurses, "_burn", slow_burn)
    with ThreadPoolExecutor(max_workers=16) as pool:
        list(pool.map(lambda i: nurses.check_password(f"nobody{i}", "x", url, address=f"a{i}"), range(32)))
    assert 1 <= most <= nurses.HASH_CONCURRENCY


# --- finding 6: Twilio retries ------------------------------------------------------------------------


def test_a_twilio_message_id_is_processed_once(url: str) -> None:
    sid = "SM" + uuid.uuid4().hex
    assert first_sight(sid, url)
    assert not first_sight(sid, url)
    assert first_sight("SM" + uuid.uuid4().hex, url)
    assert first_sight("", url), "no id: nothing to compare, processed"


# --- conversation ids: the migration ------------------------------------------------------------------


def test_migration_gives_phone_conversations_their_channel_prefix(empty_url: str) -> None:
    upgrade(empty_url, "0002")
    with get_engine(empty_url).begin() as connection:
        connection.exec_driver_sql(
            "CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id VARCHAR(255), type_name VARCHAR(255), "
            "timestamp FLOAT, data TEXT)"
        )
        for number, sender in enumerate(["+31612345678", "whatsapp:+31687654321", "web-abcdef12"], 1):
            connection.execute(sa.text(INSERT_EVENT), {"i": number, "s": sender, "t": 0})
        for sender, channel in (("+31612345678", "twilio_sms"), ("whatsapp:+31687654321", "twilio_whatsapp")):
            connection.execute(
                sa.text(
                    "INSERT INTO hsg_escalations (conversation_id, level, level_rank, reasons, patient_text, "
                    "channel, language, status, report_count, created_at, reported_at, updated_at) VALUES "
                    "(:c, 'urgent', 1, '[]', '', :ch, 'en', 'new', 1, :t, :t, :t)"
                ),
                {"c": sender, "ch": channel, "t": utcnow()},
            )
    upgrade(empty_url)
    with get_engine(empty_url).connect() as connection:
        senders = sorted(row[0] for row in connection.exec_driver_sql("SELECT sender_id FROM events"))
        conversations = sorted(
            row[0] for row in connection.exec_driver_sql("SELECT conversation_id FROM hsg_escalations")
        )
    assert senders == ["sms:+31612345678", "web-abcdef12", "whatsapp:+31687654321"]
    assert conversations == ["sms:+31612345678", "whatsapp:+31687654321"]


# --- finding 9: no free text in the audit log; retention ---------------------------------------------


def test_a_resolution_note_stays_on_the_escalation_not_in_the_audit_log(url: str) -> None:
    conversation = "web-" + uuid.uuid4().hex
    record_or_queue(report(conversation), url)
    with write_session(url) as session:
        escalation_id = session.execute(
            sa.text("SELECT id FROM hsg_escalations WHERE conversation_id = :c"), {"c": conversation}
        ).scalar_one()
        inbox.change_status(
            session, escalation_id, "resolved", "anna", "called_patient", "Called Mrs X, fine"
        )
    with get_engine(url).connect() as connection:
        details = [row[0] for row in connection.exec_driver_sql("SELECT detail FROM hsg_audit_log")]
        note = connection.execute(
            sa.text("SELECT note FROM hsg_escalations WHERE id = :i"), {"i": escalation_id}
        ).scalar_one()
    assert note == "Called Mrs X, fine"
    assert not any("Mrs X" in str(detail) for detail in details)


def test_migration_moves_old_notes_out_of_the_audit_log(empty_url: str) -> None:
    upgrade(empty_url, "0002")
    conversation = "web-" + uuid.uuid4().hex
    record_or_queue(report(conversation), empty_url)
    with get_engine(empty_url).begin() as connection:
        escalation_id = connection.exec_driver_sql("SELECT id FROM hsg_escalations").scalar_one()
        connection.execute(
            sa.text(
                "INSERT INTO hsg_audit_log (at, actor, action, escalation_id, detail) "
                "VALUES (:t, 'anna', 'status_change', :e, :d)"
            ),
            {
                "t": utcnow(),
                "e": escalation_id,
                "d": json.dumps({"after": "resolved", "note": "Spoke to Mrs Y"}),
            },
        )
    upgrade(empty_url)
    with get_engine(empty_url).connect() as connection:
        details = [str(row[0]) for row in connection.exec_driver_sql("SELECT detail FROM hsg_audit_log")]
        note = connection.exec_driver_sql("SELECT note FROM hsg_escalations").scalar_one()
    assert note == "Spoke to Mrs Y"
    assert not any("Mrs Y" in detail for detail in details)
    with pytest.raises(sa.exc.DatabaseError), get_engine(empty_url).begin() as connection:
        connection.exec_driver_sql("DELETE FROM hsg_audit_log")  # still append-only afterwards


def test_retention_deletes_old_conversations_escalations_and_files(url: str, var_dir: Path) -> None:
    old, recent, still_open = ("web-" + uuid.uuid4().hex for _ in range(3))
    long_ago = utcnow() - timedelta(days=40)
    for conversation in (old, recent, still_open):
        record_or_queue(report(conversation), url)
    with write_session(url) as session:
        session.execute(
            sa.text(
                "UPDATE hsg_escalations SET status = 'resolved', updated_at = :t, created_at = :t "
                "WHERE conversation_id = :c"
            ),
            {"t": long_ago, "c": old},
        )
        session.execute(
            sa.text("UPDATE hsg_escalations SET created_at = :t, updated_at = :t WHERE conversation_id = :c"),
            {"t": long_ago, "c": still_open},
        )
    with get_engine(url).begin() as connection:
        connection.exec_driver_sql(
            "CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id VARCHAR(255), type_name VARCHAR(255), "
            "timestamp FLOAT, data TEXT)"
        )
        then = long_ago.replace(tzinfo=timezone.utc).timestamp()
        stamps = {old: then, recent: time.time(), still_open: then}
        for number, (conversation, stamp) in enumerate(stamps.items(), 1):
            connection.execute(sa.text(INSERT_EVENT), {"i": number, "s": conversation, "t": stamp - 7200})
    queued = write_queued(report("web-" + uuid.uuid4().hex))
    os.utime(queued, (then, then))
    result = apply_retention(30, url)
    assert (result.conversations, result.escalations, result.files, result.open_kept) == (1, 1, 1, 1)
    assert texts_of(url, old) == [] and texts_of(url, recent) and texts_of(url, still_open)
    with get_engine(url).connect() as connection:
        left = {row[0] for row in connection.exec_driver_sql("SELECT sender_id FROM events")}
    assert left == {recent, still_open}
    assert not queued.exists()


def test_database_errors_do_not_carry_patient_data(url: str) -> None:
    """SQL parameters (patient text, phone numbers) must not appear in error messages, which reach logs."""
    number = "+31699" + uuid.uuid4().hex[:6].translate(str.maketrans("abcdef", "123456"))
    with pytest.raises(sa.exc.DBAPIError) as raised, write_session(url) as session:
        session.execute(
            sa.text("INSERT INTO hsg_escalations (conversation_id, level) VALUES (:c, :l)"),
            {"c": "sms:" + number, "l": "not-a-level"},
        )
    assert number not in str(raised.value)
    assert "hidden" in str(raised.value)


@pytest.mark.parametrize("days", [0, 6, "30", True, 3.5])
def test_retention_days_in_the_profile_is_validated(days: object, tmp_path: Path) -> None:
    raw = yaml.safe_load((PROJECT_ROOT / "profiles" / "demo.yml").read_text(encoding="utf-8"))
    assert load_profile(PROJECT_ROOT / "profiles" / "demo.yml").retention_days == raw["retention_days"]
    raw["retention_days"] = days
    path = tmp_path / "profile.yml"
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    with pytest.raises(ProfileError, match="retention_days"):
        load_profile(path)
