"""`GET /metrics` and `GET /ready` on the web app, with the real stack behind them."""

from __future__ import annotations

import re
import time
import uuid
from typing import Any

import httpx
import pytest

from bot.ops.metrics import LATENCY_BUCKETS, Totals, read_totals, recorder, render_text

pytestmark = pytest.mark.stack

SAMPLE = re.compile(r"^([a-z_]+)(\{[^}]*\})? (\S+)$")


def samples(text: str) -> dict[str, float]:
    found = {}
    for line in text.splitlines():
        if line.startswith("#") or not line:
            continue
        match = SAMPLE.match(line)
        assert match, f"not Prometheus text: {line!r}"
        found[match.group(1) + (match.group(2) or "")] = float(match.group(3))
    return found


def wait_for_sample(stack: Any, key: str, minimum: float = 1) -> dict[str, float]:
    deadline = time.monotonic() + 20
    while True:
        reply = httpx.get(f"{stack.web_url}/metrics", timeout=10)
        assert reply.status_code == 200 and reply.headers["content-type"].startswith("text/plain")
        found = samples(reply.text)
        if found.get(key, 0) >= minimum or time.monotonic() > deadline:
            return found
        time.sleep(0.5)


def test_metrics_count_messages_triage_and_escalations_without_patient_data(stack: Any) -> None:
    sender = "metrics-" + uuid.uuid4().hex
    text = "I have had a high fever of 39.5 since the hsg"
    stack.say(sender, text)
    stack.say(sender, "how long does the hsg take?")
    found = wait_for_sample(stack, 'hsg_triage_decisions_total{level="urgent"}')
    assert found.get('hsg_messages_total{channel="rest"}', 0) >= 2
    assert found.get('hsg_turn_seconds_count{channel="rest"}', 0) >= 2
    assert found.get('hsg_triage_decisions_total{level="urgent"}', 0) >= 1
    assert found.get('hsg_escalations_total{outcome="stored",source="triage"}', 0) >= 1
    assert "hsg_outbox_depth" in found and "hsg_outbox_oldest_age_seconds" in found
    body = httpx.get(f"{stack.web_url}/metrics", timeout=10).text
    assert sender not in body and "39.5" not in body and "fever" not in body


def test_ready_names_the_degraded_part(stack: Any) -> None:
    reply = httpx.get(f"{stack.web_url}/ready", timeout=10)
    assert reply.status_code == 200, reply.text
    assert reply.json()["status"] == "ok"
    stack.stop_service("action")
    try:
        reply = httpx.get(f"{stack.web_url}/ready", timeout=10)
        assert reply.status_code == 503
        body = reply.json()
        assert body["degraded"] == ["action_server"]
        assert body["parts"]["database"]["ok"] and body["parts"]["outbox"]["ok"]
        # The safety net answers meanwhile, and says so in the metrics.
        stack.say("ready-" + uuid.uuid4().hex, "help I can't breathe, my throat feels tight")
        found = wait_for_sample(stack, 'hsg_safety_net_activations_total{level="emergency"}')
        assert found.get('hsg_safety_net_activations_total{level="emergency"}', 0) >= 1
        assert found.get("hsg_action_server_errors_total", 0) >= 1
    finally:
        stack.start_service("action")
    assert httpx.get(f"{stack.web_url}/ready", timeout=10).status_code == 200


def test_snapshots_from_several_processes_are_summed(tmp_path: Any) -> None:
    import json

    for pid, value in ((1, 2.0), (2, 3.0)):
        row = [value] * len(LATENCY_BUCKETS) + [0.5, value]
        (tmp_path / f"rasa-{pid}.json").write_text(
            json.dumps(
                {
                    "counters": [["hsg_messages_total", {"channel": "rest"}, value]],
                    "histograms": [["hsg_turn_seconds", {"channel": "rest"}, row]],
                }
            )
        )
    totals = read_totals(tmp_path)
    found = samples(render_text(totals))
    assert found['hsg_messages_total{channel="rest"}'] == 5
    assert found['hsg_turn_seconds_count{channel="rest"}'] == 5
    assert found['hsg_turn_seconds_bucket{channel="rest",le="+Inf"}'] == 5
    assert isinstance(totals, Totals) and recorder("test") is recorder("test")
