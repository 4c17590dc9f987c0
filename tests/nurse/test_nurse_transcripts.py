"""Reading Rasa's `events` table: turns in order, triage decisions marked, tolerant of no table yet."""

from __future__ import annotations

import json

import sqlalchemy as sa

from bot.storage.db import get_engine
from bot.storage.transcripts import read_transcript, triage_of
from tests.nurse.nurse_support import create_events_table, seed_conversation


def test_no_events_table_yet_means_an_empty_transcript(db_url: str) -> None:
    assert read_transcript("web-nobody", db_url) == []


def test_turns_in_order_with_triage_marked_and_other_events_left_out(db_url: str) -> None:
    seed_conversation(
        db_url,
        "web-1",
        [
            ("user", "I have a fever", None),
            ("bot", "Call the clinic today.", {"level": "urgent", "reasons": ["fever"]}),
        ],
    )
    seed_conversation(db_url, "web-2", [("user", "someone else", None)])
    turns = read_transcript("web-1", db_url)
    assert [(turn.kind, turn.text) for turn in turns] == [
        ("user", "I have a fever"),
        ("bot", "Call the clinic today."),
    ]
    assert turns[0].triage is None and turns[1].triage == {"level": "urgent", "reasons": ["fever"]}
    assert turns[0].at is not None and turns[0].at <= turns[1].at
    assert turns[0].channel == "rest"


def test_triage_found_at_either_place_and_junk_ignored(db_url: str) -> None:
    assert (
        triage_of({"custom": {"triage": {"level": "emergency", "reasons": ["breathing"]}}})["level"]
        == "emergency"
    )
    assert triage_of({"data": {"custom": {"triage": {"level": "urgent"}}}}) == {
        "level": "urgent",
        "reasons": [],
    }
    assert triage_of({"data": {"custom": {"faq": "x"}}}) is None
    create_events_table(db_url)
    with get_engine(db_url).begin() as connection:
        for data in ("not json", json.dumps([1, 2]), json.dumps({"event": "bot", "data": {"buttons": []}})):
            connection.execute(
                sa.text(
                    "INSERT INTO events (sender_id, type_name, timestamp, data) "
                    "VALUES ('web-3', 'bot', 1.0, :d)"
                ),
                {"d": data},
            )
    assert read_transcript("web-3", db_url) == []
