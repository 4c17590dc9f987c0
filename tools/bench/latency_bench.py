"""Reply latency over REST with the real stack: `python -m tools.bench.latency_bench [--users N]`.

Starts action server + Rasa server on free ports with a temporary SQLite database, warms up, then
sends a fixed mix of patient messages (leaflet questions and symptom reports, English and Dutch)
and prints p50 / p95 / max in milliseconds. With --users > 1 the users send concurrently.
TensorFlow thread counts come from TF_INTER_OP_PARALLELISM_THREADS / TF_INTRA_OP_PARALLELISM_THREADS.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

from tools.stack import start_isolated

ROOT = Path(__file__).resolve().parents[2]

MESSAGES = [
    "Can I use a tampon after the HSG?",
    "Mag ik daarna in bad?",
    "How long does the HSG take?",
    "Doet het onderzoek pijn?",
    "When will I get my results?",
    "Welke pijnstiller mag ik nemen?",
    "I have a fever of 38.9",
    "ik bloed al 5 dagen",
    "hello",
    "what is the radiation dose?",
]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def run_user(url: str, user: int, rounds: int, out: list[float]) -> None:
    with httpx.Client(timeout=30) as client:
        for round_ in range(rounds):
            for text in MESSAGES:
                start = time.perf_counter()
                reply = client.post(url, json={"sender": f"bench-{user}-{round_}", "message": text})
                reply.raise_for_status()
                out.append((time.perf_counter() - start) * 1000)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--users", type=int, default=1)
    parser.add_argument("--model", default=str(ROOT / "models" / "current.tar.gz"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="hsg-bench-") as base:
        stack = start_isolated(Path(base), Path(args.model), with_web=False)
        try:
            url = f"{stack.rasa_url}/webhooks/rest/webhook"
            run_user(url, 999, 2, [])  # warm-up: first calls load lazy parts
            timings: list[float] = []
            threads = [
                threading.Thread(target=run_user, args=(url, user, args.rounds, timings))
                for user in range(args.users)
            ]
            started = time.perf_counter()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            elapsed = time.perf_counter() - started
        finally:
            stack.stop()
    print(
        f"REST reply latency, {args.users} user(s), {len(timings)} messages, "
        f"TF inter={os.environ.get('TF_INTER_OP_PARALLELISM_THREADS', '1 (default)')} "
        f"intra={os.environ.get('TF_INTRA_OP_PARALLELISM_THREADS', '2 (default)')}:"
    )
    print(
        f"  p50 {statistics.median(timings):.1f} ms  p95 {percentile(timings, 0.95):.1f} ms  "
        f"max {max(timings):.1f} ms  throughput {len(timings) / elapsed:.1f} msg/s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
