"""Measure the engine on the triage test set: `python -m tools.triage_eval [cases.yml]`.

Prints red-flag recall (expected emergency/urgent reached at least that level), exact-level accuracy
and over-triage (share of cases decided higher than expected), lists every miss, and exits non-zero
unless recall is 100 % and over-triage is at most 10 %.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import yaml

from bot.config import PROJECT_ROOT
from bot.triage.engine import analyze
from bot.vocabulary import RED_FLAG_LEVELS, level_rank

CASES_PATH = PROJECT_ROOT / "tests" / "triage" / "cases.yml"
DEFAULT_NOW = datetime(2026, 11, 23, 14, 0)
RED_FLAGS = RED_FLAG_LEVELS
MAX_OVER_TRIAGE = 0.10


@dataclass
class Result:
    text: str
    expected: str | None
    predicted: str | None


@dataclass
class Report:
    results: list[Result]

    @property
    def red_flags(self) -> list[Result]:
        return [r for r in self.results if r.expected in RED_FLAGS]

    @property
    def recall(self) -> float:
        flags = self.red_flags
        hit = [r for r in flags if level_rank(r.predicted) >= level_rank(r.expected)]
        return len(hit) / len(flags) if flags else 1.0

    @property
    def accuracy(self) -> float:
        return sum(r.expected == r.predicted for r in self.results) / len(self.results)

    @property
    def over_triage(self) -> float:
        return sum(level_rank(r.predicted) > level_rank(r.expected) for r in self.results) / len(self.results)

    @property
    def passed(self) -> bool:
        return self.recall == 1.0 and self.over_triage <= MAX_OVER_TRIAGE


def load_cases(path: Path = CASES_PATH) -> list[dict[str, Any]]:
    with Path(path).open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)["cases"]


def run_case(case: dict[str, Any]) -> Result:
    now = datetime.fromisoformat(case["now"]) if case.get("now") else DEFAULT_NOW
    days = case.get("hsg_days_ago")
    hsg_date = (now - timedelta(days=int(days))).date() if days is not None else None
    outcome = analyze(str(case["text"]), str(case.get("lang", "en")), hsg_date=hsg_date, now=now)
    expected = None if case["level"] in (None, "none") else str(case["level"])
    return Result(str(case["text"]), expected, outcome.level if outcome.is_report else None)


def evaluate(path: Path = CASES_PATH) -> Report:
    return Report([run_case(case) for case in load_cases(path)])


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    report = evaluate(Path(args[0]) if args else CASES_PATH)
    for r in report.results:
        if r.expected != r.predicted:
            marker = "MISSED" if level_rank(r.predicted) < level_rank(r.expected) else "over"
            print(f"{marker:6} expected={r.expected or 'none':11} got={r.predicted or 'none':11} {r.text!r}")
    print(f"cases: {len(report.results)}  red flags: {len(report.red_flags)}")
    print(f"red-flag recall: {report.recall:.1%}")
    print(f"exact-level accuracy: {report.accuracy:.1%}")
    print(f"over-triage: {report.over_triage:.1%} (gate <= {MAX_OVER_TRIAGE:.0%})")
    print("PASS" if report.passed else "FAIL")
    return 0 if report.passed else 1


if __name__ == "__main__":
    raise SystemExit(main())
