"""Escalation storage on SQLite and PostgreSQL: schema from empty, dedupe, raise, resolve, concurrency."""

from __future__ import annotations

import threading
import uuid
from datetime import date, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy.exc import DatabaseError

from bot.storage.db import VERSION_TABLE, current_revision, get_engine, head_revision, upgrade, write_session
from bot.storage.escalations import EscalationInput, record_escalation
from bot.storage.models import Base, Escalation, EscalationReport


def report(
    conversation: str, level: str = "urgent", reasons: list[str] | None = None, **extra
) -> EscalationInput:
    return EscalationInput(
        conversation_id=conversation,
        level=level,
        reasons=reasons if reasons is not None else ["fever"],
        patient_text=extra.pop("patient_text", "I have a fever of 38.6"),
        channel=extra.pop("channel", "rest"),
        language=extra.pop("language", "en"),
        **extra,
    )


def rows(url: str, conversation: str) -> list[Escalation]:
    with write_session(url) as session:
        return list(
            session.execute(
                sa.select(Escalation)
                .where(Escalation.conversation_id == conversation)
                .order_by(Escalation.id)
            ).scalars()
        )


def history(url: str, escalation_id: int) -> list[str]:
    with write_session(url) as session:
        return list(
            session.execute(
                sa.select(EscalationReport.action)
                .where(EscalationReport.escalation_id == escalation_id)
                .order_by(EscalationReport.id)
            ).scalars()
        )


def test_migrations_bring_an_empty_database_to_head_and_match_the_models(empty_url: str) -> None:
    assert current_revision(empty_url) is None
    upgrade(empty_url)
    upgrade(empty_url)  # idempotent
    assert current_revision(empty_url) == head_revision()
    with get_engine(empty_url).connect() as connection:
        tables = set(sa.inspect(connection).get_table_names())
        context = MigrationContext.configure(connection, opts={"version_table": VERSION_TABLE})
        differences = compare_metadata(context, Base.metadata)
    assert {
        "hsg_escalations",
        "hsg_escalation_reports",
        "hsg_nurses",
        "hsg_sessions",
        "hsg_audit_log",
    } <= tables
    assert all(name.startswith("hsg_") for name in tables), tables
    assert differences == []


def test_rasa_events_table_in_the_same_database_is_left_alone(empty_url: str) -> None:
    with get_engine(empty_url).begin() as connection:
        connection.exec_driver_sql("CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id VARCHAR(255))")
        connection.exec_driver_sql("INSERT INTO events (id, sender_id) VALUES (1, 'x')")
    upgrade(empty_url)
    with get_engine(empty_url).connect() as connection:
        assert connection.exec_driver_sql("SELECT count(*) FROM events").scalar_one() == 1


def test_self_care_is_not_an_escalation(url: str) -> None:
    with pytest.raises(ValueError):
        record_escalation(report("c-" + uuid.uuid4().hex, level="self_care"), url)


def test_fields_are_stored_bounded(url: str) -> None:
    conversation = "+31612345678"
    result = record_escalation(
        report(
            conversation,
            patient_text="x" * 5000,
            channel="twilio_sms",
            language="nl",
            hsg_date=date(2026, 11, 20),
            occurred_at=datetime(2026, 11, 23, 10, 0, tzinfo=timezone(timedelta(hours=1))),
        ),
        url,
    )
    assert result.action == "created" and result.status == "new"
    (row,) = rows(url, conversation)
    assert len(row.patient_text) == 2000
    assert (row.channel, row.language, row.hsg_date) == ("twilio_sms", "nl", date(2026, 11, 20))
    assert row.created_at == datetime(2026, 11, 23, 9, 0)  # stored as UTC
    assert row.reasons == ["fever"]


def test_saying_the_same_thing_twice_keeps_one_escalation(url: str) -> None:
    conversation = "web-" + uuid.uuid4().hex
    first = record_escalation(report(conversation), url)
    again = record_escalation(report(conversation), url)
    more = record_escalation(report(conversation, reasons=["foul_discharge"]), url)
    lower = record_escalation(report(conversation, level="inform_team", reasons=["asthma"]), url)
    assert (first.action, again.action, more.action, lower.action) == (
        "created",
        "unchanged",
        "merged",
        "merged",
    )
    assert first.id == again.id == more.id == lower.id
    (row,) = rows(url, conversation)
    assert row.level == "urgent"  # a milder report never lowers it
    assert row.reasons == ["fever", "foul_discharge", "asthma"]
    assert row.report_count == 4
    assert history(url, row.id) == ["created", "unchanged", "merged", "merged"]


def test_a_worse_report_raises_the_open_escalation_back_to_new(url: str) -> None:
    conversation = "web-" + uuid.uuid4().hex
    first = record_escalation(report(conversation), url)
    with write_session(url) as session:
        session.get(Escalation, first.id).status = "in_review"
    raised = record_escalation(
        report(conversation, level="emergency", reasons=["breathing"], patient_text="I can't breathe"), url
    )
    assert raised.action == "raised" and raised.id == first.id
    (row,) = rows(url, conversation)
    assert (row.level, row.level_rank, row.status) == ("emergency", 0, "new")
    assert row.reasons == ["fever", "breathing"]
    assert row.patient_text == "I can't breathe"
    assert history(url, row.id) == ["created", "raised"]


def test_after_resolution_a_new_report_opens_a_new_escalation(url: str) -> None:
    conversation = "web-" + uuid.uuid4().hex
    first = record_escalation(report(conversation), url)
    with write_session(url) as session:
        session.get(Escalation, first.id).status = "resolved"
    second = record_escalation(report(conversation), url)
    assert second.action == "created" and second.id != first.id
    assert [row.status for row in rows(url, conversation)] == ["resolved", "new"]


def test_the_same_report_stored_twice_is_one_report(url: str) -> None:
    conversation = "web-" + uuid.uuid4().hex
    inp = report(conversation)
    assert record_escalation(inp, url).action == "created"
    assert record_escalation(inp, url).action == "unchanged"
    (row,) = rows(url, conversation)
    assert row.report_count == 1 and history(url, row.id) == ["created"]


def test_the_audit_log_refuses_updates_and_deletes(url: str) -> None:
    from bot.storage import audit

    with write_session(url) as session:
        audit.append(session, "tester", "view_inbox")
    for statement in ("UPDATE hsg_audit_log SET actor = 'someone else'", "DELETE FROM hsg_audit_log"):
        with pytest.raises(DatabaseError), write_session(url) as session:
            session.execute(sa.text(statement))
    with get_engine(url).connect() as connection:
        assert connection.exec_driver_sql("SELECT actor FROM hsg_audit_log").scalars().all() == ["tester"]


def test_concurrent_writers_keep_one_open_escalation_per_conversation(url: str) -> None:
    conversations = [f"web-{uuid.uuid4().hex}" for _ in range(4)]
    levels = ["inform_team", "urgent", "emergency"]
    errors: list[BaseException] = []

    def writer(worker: int) -> None:
        try:
            for round_ in range(6):
                for conversation in conversations:
                    level = levels[(worker + round_) % 3]
                    record_escalation(report(conversation, level=level, reasons=[f"r{worker}"]), url)
        except BaseException as error:  # reported below, in the test's thread
            errors.append(error)

    threads = [threading.Thread(target=writer, args=(worker,)) for worker in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not errors, errors
    for conversation in conversations:
        (row,) = rows(url, conversation)
        assert row.level == "emergency"
        assert sorted(row.reasons) == [f"r{worker}" for worker in range(6)]
        assert row.report_count == 36
        assert len(history(url, row.id)) == 36


WRITER = """
import sys
from bot.storage.escalations import EscalationInput, record_escalation
url, worker, conversations = sys.argv[1], int(sys.argv[2]), sys.argv[3].split(",")
levels = ["inform_team", "urgent", "emergency"]
for round_ in range(5):
    for conversation in conversations:
        record_escalation(EscalationInput(conversation, levels[(worker + round_) % 3], [f"p{worker}"], "text",
                                          "rest", "en"), url)
"""


def test_writers_in_separate_processes_share_one_database(url: str) -> None:
    """Rasa's server, the action server and the web app are separate processes on one database."""
    import subprocess
    import sys

    from bot.config import PROJECT_ROOT

    conversations = [f"web-{uuid.uuid4().hex}" for _ in range(3)]
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, url, str(worker), ",".join(conversations)],
            cwd=PROJECT_ROOT,
            stderr=subprocess.PIPE,
            text=True,
        )
        for worker in range(4)
    ]
    for process in processes:
        _, errors = process.communicate(timeout=120)
        assert process.returncode == 0, errors
    for conversation in conversations:
        (row,) = rows(url, conversation)
        assert row.level == "emergency" and row.report_count == 20
        assert sorted(row.reasons) == [f"p{worker}" for worker in range(4)]
