"""Inbox and API speed with 10,000 escalations: p50/p95 in ms over real HTTP (uvicorn on loopback).

    .venv/bin/python tools/bench/inbox_bench.py [--rows 10000] [--requests 60]

Seeds a temporary SQLite database (migrated, WAL) with escalations spread over 90 days, levels,
channels and statuses (about a quarter still open), starts the web app with uvicorn in a subprocess,
signs a nurse in, and times the pages a nurse uses and the API calls a script makes. Target: ≤ 300 ms.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

import httpx

from bot.storage import nurses
from bot.storage.db import get_engine, upgrade
from bot.storage.models import LEVEL_RANK, LEVELS, Escalation
from tools import stack as runner

ROOT = Path(__file__).resolve().parents[2]

NURSE, PASSWORD = "bench.nurse", "bench-password-123"
REASONS = {
    "emergency": ["breathing", "collapse"],
    "urgent": ["fever", "foul_discharge", "pain_over_24h"],
    "inform_team": ["possible_pregnancy", "anticoagulants", "asthma"],
}
CHANNELS = ["rest", "twilio_sms", "twilio_whatsapp"]


def seed(url: str, count: int) -> None:
    rng = random.Random(7)
    now = datetime.utcnow()
    rows = []
    for n in range(count):
        level = rng.choices(LEVELS, weights=[1, 4, 5])[0]
        created = now - timedelta(minutes=rng.randint(0, 90 * 24 * 60))
        status = "resolved" if rng.random() < 0.75 else rng.choice(["new", "in_review"])
        channel = rng.choice(CHANNELS)
        conversation = f"+3161{n:07d}" if channel != "rest" else f"web-{n:08x}"
        rows.append(
            {
                "conversation_id": ("whatsapp:" + conversation)
                if channel == "twilio_whatsapp"
                else conversation,
                "level": level,
                "level_rank": LEVEL_RANK[level],
                "reasons": rng.sample(REASONS[level], 1),
                "patient_text": "Since the HSG I have "
                + " ".join(rng.choices(["pain", "fever", "bleeding", "cramps"], k=12)),
                "channel": channel,
                "language": rng.choice(["en", "nl"]),
                "hsg_date": created.date(),
                "status": status,
                "assigned_to": NURSE if status != "new" else None,
                "outcome": "called_patient" if status == "resolved" else None,
                "report_count": 1,
                "created_at": created,
                "reported_at": created,
                "updated_at": created,
                "resolved_at": created + timedelta(hours=1) if status == "resolved" else None,
            }
        )
    with get_engine(url).begin() as connection:
        connection.execute(Escalation.__table__.insert(), rows)
        connection.exec_driver_sql("ANALYZE")


def timed(client: httpx.Client, path: str, n: int, **kwargs) -> list[float]:
    client.get(path, **kwargs).raise_for_status()  # warm up
    samples = []
    for _ in range(n):
        start = time.perf_counter()
        response = client.get(path, **kwargs)
        samples.append((time.perf_counter() - start) * 1000)
        response.raise_for_status()
    return samples


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10000)
    parser.add_argument("--requests", type=int, default=60)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="inbox-bench-") as folder:
        base = Path(folder)
        url = f"sqlite:///{base / 'bench.db'}"
        upgrade(url)
        nurses.set_password(NURSE, PASSWORD, url)
        started = time.perf_counter()
        seed(url, args.rows)
        print(f"seeded {args.rows} escalations in {time.perf_counter() - started:.1f} s")
        port = runner.free_port()
        env = runner.service_env(
            {
                "DATABASE_URL": url,
                "HSG_VAR_DIR": str(base / "var"),
                "HSG_SECRET_KEY": "bench-secret",
                "WEB_PORT": str(port),
            }
        )
        service = runner.web_app(port)
        stack = runner.start([service], env, base / "logs", timeout=60)
        try:
            with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
                login = client.get("/nurse/login")
                token = re.search(r'name="csrf_token" value="([^"]+)"', login.text).group(1)
                client.post(
                    "/nurse/login", data={"username": NURSE, "password": PASSWORD, "csrf_token": token}
                )
                auth = (NURSE, PASSWORD)
                one = client.get("/api/escalations", auth=auth).json()["items"][0]["id"]
                cases = [
                    ("inbox page /nurse/ (open, by level then age)", "/nurse/", {}),
                    ("inbox page, all statuses", "/nurse/?status=all", {}),
                    ("inbox page, urgent + SMS", "/nurse/?level=urgent&channel=twilio_sms", {}),
                    ("inbox poll /nurse/inbox.json", "/nurse/inbox.json", {}),
                    ("API GET /api/escalations (Basic, newest first)", "/api/escalations", {"auth": auth}),
                    ("API page 100, per_page=50", "/api/escalations?page=100&per_page=50", {"auth": auth}),
                    ("API one escalation", f"/api/escalations/{one}", {"auth": auth}),
                ]
                print(f"{'request':52} {'p50 ms':>8} {'p95 ms':>8}")
                worst = 0.0
                for label, path, kwargs in cases:
                    samples = sorted(timed(client, path, args.requests, **kwargs))
                    p50 = statistics.median(samples)
                    p95 = samples[max(0, int(len(samples) * 0.95) - 1)]
                    worst = max(worst, p95)
                    print(f"{label:52} {p50:8.1f} {p95:8.1f}")
                print(f"worst p95 {worst:.1f} ms (target ≤ 300 ms): {'OK' if worst <= 300 else 'TOO SLOW'}")
        finally:
            stack.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
