"""Latency of bot.triage.analyze() over the triage test set: `python -m tools.bench.triage_bench [rounds]`.

Prints the cold first call (pipelines and YAML built on first use) separately, then p50/p95/max in
milliseconds over all cases after warm-up, plus the 10,000-character worst case.
"""

from __future__ import annotations

import statistics
import sys
import time
from datetime import datetime

from bot.triage import analyze
from tools.triage_eval import load_cases

NOW = datetime(2026, 11, 23, 14, 0)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    cases = load_cases()
    start = time.perf_counter()
    analyze(cases[0]["text"], cases[0]["lang"], now=NOW)
    cold_en = (time.perf_counter() - start) * 1000
    start = time.perf_counter()
    analyze("ik heb koorts", "nl", now=NOW)
    cold_nl = (time.perf_counter() - start) * 1000
    for case in cases:  # warm-up
        analyze(case["text"], case["lang"], now=NOW)
    timings = []
    for _ in range(rounds):
        for case in cases:
            start = time.perf_counter()
            analyze(case["text"], case["lang"], now=NOW)
            timings.append((time.perf_counter() - start) * 1000)
    long_text = "I have some cramps and a bit of spotting, no fever. " * 200
    long_timings = []
    for _ in range(20):
        start = time.perf_counter()
        analyze(long_text, "en", now=NOW)
        long_timings.append((time.perf_counter() - start) * 1000)
    print(f"cold first call: en {cold_en:.0f} ms (builds the English pipeline), nl {cold_nl:.0f} ms")
    print(
        f"warm, {len(cases)} cases x {rounds} rounds: p50 {statistics.median(timings):.2f} ms, "
        f"p95 {percentile(timings, 0.95):.2f} ms, max {max(timings):.2f} ms"
    )
    print(f"10,000-character message (first 2,000 read): median {statistics.median(long_timings):.1f} ms")


if __name__ == "__main__":
    main()
