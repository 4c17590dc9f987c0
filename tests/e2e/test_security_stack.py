"""Security review findings about the stack, on the real Rasa server, action server and web app.

Conversation ids across channels, the private action server, broken characters, body size, CORS,
repeated Twilio requests, what reaches the logs, file permissions, and a failed tracker save.
"""

from __future__ import annotations

import json
import random
import stat
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from tests.channels.test_channels_twilio_stack import bodies_to, conversation_events, escalations, post
from tests.e2e.test_rest_conversations import texts, triage_of

pytestmark = pytest.mark.stack

REST = "/webhooks/rest/webhook"


def new_number() -> str:
    return "+3162" + "".join(random.choices("0123456789", k=7))


def rest(stack: Any, sender: Any, text: str) -> httpx.Response:
    return httpx.post(stack.rasa_url + REST, json={"sender": sender, "message": text}, timeout=60)


# --- finding 1: a REST caller cannot reach a phone conversation -------------------------------------


def test_a_rest_caller_cannot_reach_an_sms_patients_conversation(stack: Any) -> None:
    number = new_number()
    assert post(stack, number, "I'm still bleeding after the HSG").status_code == 200
    # self-care advice first, then the pending question (triage: the decision comes first)
    question = bodies_to(stack, number, 2)[-1]
    assert "?" in question, "the SMS patient has a pending clinical question"
    before = conversation_events(stack, "sms:" + number)
    for sender in (number, "sms:" + number, "whatsapp:" + number, number.lstrip("+")[:5]):
        response = rest(stack, sender, "help I can't breathe")
        assert response.status_code == 400, sender
        assert question not in response.text
    assert conversation_events(stack, "sms:" + number) == before
    assert escalations(stack, "sms:" + number) == []
    assert escalations(stack, number) == []


@pytest.mark.parametrize(
    "sender", ["short", "x" * 129, "has space here", "semi;colon-id", "ünïcode-id", 12345678]
)
def test_rest_sender_ids_outside_the_rule_are_refused(stack: Any, sender: Any) -> None:
    assert rest(stack, sender, "hello").status_code == 400


def test_rest_sender_ids_inside_the_rule_are_the_conversation_id(stack: Any) -> None:
    sender = "Ab_-" + uuid.uuid4().hex[:4]
    assert rest(stack, sender, "hello").status_code == 200
    assert conversation_events(stack, sender) > 0


# --- finding 2: the action server is private -------------------------------------------------------


def listening_addresses(port: int) -> set[str]:
    """Local addresses with a listening TCP socket on `port` (from /proc/net/tcp and tcp6)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        path = Path(table)
        if not path.exists():
            continue
        for line in path.read_text().splitlines()[1:]:
            fields = line.split()
            address, hex_port = fields[1].rsplit(":", 1)
            if int(hex_port, 16) == port and fields[3] == "0A":  # LISTEN
                if len(address) == 8:
                    found.add(".".join(str(int(address[i : i + 2], 16)) for i in (6, 4, 2, 0)))
                else:
                    found.add(address)
    return found


def forged_triage_call(sender: str) -> dict[str, Any]:
    text = "I have a fever of 39.9 FORGED"
    return {
        "next_action": "action_triage",
        "sender_id": sender,
        "version": "3.6.21",
        "domain": {},
        "tracker": {
            "sender_id": sender,
            "slots": {"language": "en"},
            "latest_message": {"text": text, "intent": {"name": "report_symptom"}, "entities": []},
            "events": [{"event": "user", "text": text}],
            "latest_input_channel": "rest",
            "paused": False,
            "followup_action": None,
            "active_loop": {},
            "latest_action_name": "action_listen",
        },
    }


def test_the_action_server_refuses_calls_without_the_token(stack: Any) -> None:
    port = int(stack.action_url.rsplit(":", 1)[1])
    assert listening_addresses(port) == {"127.0.0.1"}, "loopback only (HSG_BIND default)"
    assert httpx.get(stack.action_url + "/health", timeout=10).status_code == 200
    victim = "sms:" + new_number()
    for headers in ({}, {"X-Action-Token": "guessed"}, {"X-Action-Token": ""}):
        response = httpx.post(
            stack.action_url + "/webhook", json=forged_triage_call(victim), headers=headers, timeout=30
        )
        assert response.status_code == 401
    assert httpx.get(stack.action_url + "/actions", timeout=10).status_code == 401
    assert escalations(stack, victim) == []
    # The one who holds the token (Rasa) is served: the same call with it runs the action.
    good = httpx.post(
        stack.action_url + "/webhook",
        json=forged_triage_call("web-" + uuid.uuid4().hex),
        headers={"X-Action-Token": stack.env["ACTION_SERVER_TOKEN"]},
        timeout=30,
    )
    assert good.status_code == 200


# --- finding 3: broken characters -----------------------------------------------------------------


def test_a_lone_surrogate_does_not_stop_triage(stack: Any) -> None:
    sender = "surrogate-" + uuid.uuid4().hex
    # Raw JSON: half of an emoji's surrogate pair, as a widget that cut the message would send it.
    body = '{"sender": "' + sender + '", "message": "I have had a high fever of 39.5 since the hsg \\ud83d"}'
    response = httpx.post(
        stack.rasa_url + REST, content=body, headers={"Content-Type": "application/json"}, timeout=60
    )
    assert response.status_code == 200
    decided = triage_of(response.json())
    assert decided and decided[0]["level"] == "urgent"
    assert [row["level"] for row in escalations(stack, sender)] == ["urgent"]


def test_nul_and_control_characters_are_dropped_before_the_assistant(stack: Any) -> None:
    sender = "nul-" + uuid.uuid4().hex
    replies = rest(stack, sender, "help I can't\x00 breathe\x07, my throat feels tight").json()
    assert triage_of(replies)[0]["level"] == "emergency"


# --- finding 8: bodies, CORS ----------------------------------------------------------------------


def test_rasa_refuses_bodies_over_64_kb(stack: Any) -> None:
    sender = "big-" + uuid.uuid4().hex
    response = rest(stack, sender, "a" * (70 * 1024))
    assert response.status_code == 413
    assert rest(stack, sender, "b" * (30 * 1024)).status_code == 200, "a long message is still answered"


def test_cors_allows_only_the_configured_origins(stack: Any) -> None:
    def preflight(origin: str) -> httpx.Response:
        return httpx.options(
            stack.rasa_url + REST,
            headers={
                "Origin": origin,
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "content-type",
            },
            timeout=10,
        )

    assert preflight(stack.web_url).headers.get("access-control-allow-origin") == stack.web_url
    assert "access-control-allow-origin" not in preflight("https://evil.example").headers


# --- finding 6: Twilio retries ----------------------------------------------------------------------


def test_a_repeated_twilio_request_is_answered_but_processed_once(stack: Any) -> None:
    number = new_number()
    sid = "SM" + uuid.uuid4().hex
    first = post(stack, number, "I have a fever of 39.2 since the HSG", sid=sid)
    assert first.status_code == 200
    sent = bodies_to(stack, number)
    again = post(stack, number, "I have a fever of 39.2 since the HSG", sid=sid)
    assert again.status_code == 200 and "<Response>" in again.text
    assert len(stack.fake_twilio.messages_to(number)) == len(sent), "no second set of replies"
    assert user_turns(stack, "sms:" + number) == 1
    [row] = escalations(stack, "sms:" + number)
    assert report_count(stack, "sms:" + number) == 1 and row["level"] == "urgent"


def scalar(stack: Any, sql: str, **params: Any) -> Any:
    engine = sa.create_engine(stack.database_url)
    try:
        with engine.connect() as connection:
            return connection.execute(sa.text(sql), params).scalar_one()
    finally:
        engine.dispose()


def user_turns(stack: Any, sender: str) -> int:
    return scalar(stack, "SELECT count(*) FROM events WHERE sender_id = :s AND type_name = 'user'", s=sender)


def report_count(stack: Any, conversation: str) -> int:
    return scalar(
        stack, "SELECT report_count FROM hsg_escalations WHERE conversation_id = :c", c=conversation
    )


# --- finding 7: privacy ------------------------------------------------------------------------------


def test_no_patient_text_or_phone_number_reaches_any_log(stack: Any) -> None:
    number = new_number()
    marker = "quokkafever" + uuid.uuid4().hex[:6]
    web = "logs-" + uuid.uuid4().hex
    assert post(stack, number, f"hello, I had my HSG, {marker}").status_code == 200
    assert post(stack, number, f"I have a fever of 39.4 and chills {marker}").status_code == 200
    bodies_to(stack, number, 2)
    rest(stack, web, f"I have a fever of 38.9 since yesterday {marker}")
    rest(stack, web, f"help I can't breathe {marker}")
    stack.stop_service("action")  # the safety net writes the escalation and logs about it
    try:
        rest(stack, "logs2-" + uuid.uuid4().hex, f"I have had a high fever of 39.5 since the hsg {marker}")
        assert post(stack, number, f"my throat feels tight and I can't breathe {marker}").status_code == 200
        bodies_to(stack, number, 3)
    finally:
        stack.start_service("action")
    logs = "\n".join(path.read_text(errors="replace") for path in stack.isolated.log_dir.glob("*.log"))
    assert logs, "the services log somewhere"
    assert marker not in logs
    digits = number.lstrip("+")
    assert digits not in logs and digits[-9:] not in logs
    assert stack.env["RASA_TELEMETRY_ENABLED"] == "false"


def test_var_files_and_logs_are_private(stack: Any) -> None:
    rest(stack, "perm-" + uuid.uuid4().hex, "hello")
    paths = [
        stack.var_dir,
        *stack.var_dir.rglob("*"),
        stack.isolated.log_dir,
        *stack.isolated.log_dir.glob("*"),
    ]
    loose = [
        f"{path} {stat.filemode(path.stat().st_mode)}"
        for path in paths
        if path.exists() and path.stat().st_mode & 0o077
    ]
    assert loose == []


def test_a_failed_tracker_save_is_surfaced_not_silently_kept_in_memory(stack: Any) -> None:
    sender = "savefail-" + uuid.uuid4().hex
    if not stack.database_url.startswith("sqlite"):
        pytest.skip("the refusing trigger is written for SQLite")
    engine = sa.create_engine(stack.database_url)
    try:
        with engine.begin() as connection:
            connection.exec_driver_sql(
                f"CREATE TRIGGER refuse_{sender.replace('-', '_')} BEFORE INSERT ON events "
                f"WHEN NEW.sender_id = '{sender}' BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"
            )
    finally:
        engine.dispose()
    marker = "wombatpain" + uuid.uuid4().hex[:6]
    replies = rest(stack, sender, f"how long does the hsg take? {marker}").json()
    assert "try again" in texts(replies).lower(), "the patient is told, with the number to call"
    rasa_log = (stack.isolated.log_dir / "rasa_server.log").read_text(errors="replace")
    assert "could not be saved to the tracker store" in rasa_log
    assert marker not in rasa_log, "the failed INSERT's parameters (the patient's words) are not logged"
    assert conversation_events(stack, sender) == 0


def test_the_escalation_is_the_same_whichever_path_wrote_it(stack: Any) -> None:
    by_action, by_net = ("same-" + uuid.uuid4().hex for _ in range(2))
    rest(stack, by_action, "I have had a high fever of 39.5 since the hsg")
    stack.stop_service("action")
    try:
        rest(stack, by_net, "I have had a high fever of 39.5 since the hsg")
    finally:
        stack.start_service("action")
    rows = [full_row(stack, conversation) for conversation in (by_action, by_net)]
    assert rows[0] == rows[1]


def full_row(stack: Any, conversation: str) -> dict[str, Any]:
    engine = sa.create_engine(stack.database_url)
    try:
        with engine.connect() as connection:
            row = connection.execute(
                sa.text(
                    "SELECT level, reasons, patient_text, channel, language, status, report_count "
                    "FROM hsg_escalations WHERE conversation_id = :c"
                ),
                {"c": conversation},
            ).one()
            data = dict(row._mapping)
            data["reasons"] = sorted(
                json.loads(data["reasons"]) if isinstance(data["reasons"], str) else data["reasons"]
            )
            return data
    finally:
        engine.dispose()
