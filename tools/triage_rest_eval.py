"""Triage measured through the running stack over REST, on the independent sets.

    python -m tools.triage_rest_eval tests/triage/independent/dev.yml           # figures + failures
    python -m tools.triage_rest_eval tests/triage/independent/sealed.yml        # totals only
    python -m tools.triage_rest_eval --url http://127.0.0.1:5005 dev.yml        # a stack already running

Each case's turns are sent as one conversation (a fresh sender id), the whole turn included: the NLU
override, the action, follow-up questions and the channel's safety net. The decision is the highest
`custom.triage.level` seen in the replies; no triage payload means no decision. Without `--url` an
isolated stack is started with the clock fixed to the day the sets were written for (`HSG_TODAY`).

A file named `sealed*.yml` (or `--totals-only`) never has a case printed: it is the generalisation
figure, and reading its failures would turn it into a development set.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import uuid
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import yaml
from dateutil import parser as date_parser

from bot.config import PROJECT_ROOT
from bot.vocabulary import RED_FLAG_LEVELS, level_rank

SETS_DIR = PROJECT_ROOT / "tests" / "triage" / "independent"
MODEL = PROJECT_ROOT / "models" / "current.tar.gz"
SET_TODAY = "2026-11-23"  # the Monday most independent sets' relative dates are written against
SET_TIME = "12:00"  # the time of day every set is run at
# A set's header may name its own day ("Clock fixed to Tuesday 24 November 2026."): batch 5 was
# written a day later, and "yesterday" in it means Monday.
_CLOCK_LINE = re.compile(r"Clock fixed to \w+ (\d{1,2} \w+ \d{4})")
NOT_RED_FLAG = ("inform_team", "self_care", "none")


@dataclass(repr=False)
class CaseResult:
    id: str
    lang: str
    expected: str
    got: str | None
    turns: list[str] = field(default_factory=list)
    replies: list[list[str]] = field(default_factory=list)
    kind: str = ""

    @property
    def exact(self) -> bool:
        if self.expected == "none":
            return self.got in (None, "self_care")
        return self.got == self.expected


def _share(hits: int, total: int) -> str:
    return f"{hits}/{total} ({hits / total:.1%})" if total else "0/0 (-)"


@dataclass(repr=False)
class Figures:
    """The five measures of issue 8 over a list of results (all counts, so nothing is rounded away)."""

    results: list[CaseResult]

    def _count(
        self, wanted: Callable[[CaseResult], bool], hit: Callable[[CaseResult], bool]
    ) -> tuple[int, int]:
        chosen = [r for r in self.results if wanted(r)]
        return sum(1 for r in chosen if hit(r)), len(chosen)

    @property
    def red_flag_recall(self) -> tuple[int, int]:
        return self._count(lambda r: r.expected in RED_FLAG_LEVELS, lambda r: r.got in RED_FLAG_LEVELS)

    @property
    def emergencies(self) -> tuple[int, int]:
        return self._count(lambda r: r.expected == "emergency", lambda r: r.got == "emergency")

    @property
    def inform_team_recall(self) -> tuple[int, int]:
        return self._count(
            lambda r: r.expected == "inform_team",
            lambda r: level_rank(r.got) >= level_rank("inform_team"),
        )

    @property
    def exact(self) -> tuple[int, int]:
        return self._count(lambda r: True, lambda r: r.exact)

    @property
    def over_triage(self) -> tuple[int, int]:
        return self._count(lambda r: r.expected in NOT_RED_FLAG, lambda r: r.got in RED_FLAG_LEVELS)

    @staticmethod
    def rate(pair: tuple[int, int]) -> float:
        hits, total = pair
        return hits / total if total else 1.0

    def lines(self) -> list[str]:
        return [
            f"cases: {len(self.results)}",
            f"red-flag recall (emergency + urgent): {_share(*self.red_flag_recall)}",
            f"emergencies exact: {_share(*self.emergencies)}",
            f"inform-team recall: {_share(*self.inform_team_recall)}",
            f"exact level: {_share(*self.exact)}",
            f"over-triage of non-red-flag cases: {_share(*self.over_triage)}",
        ]


def load_cases(path: Path) -> list[dict[str, Any]]:
    with Path(path).open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    return data["cases"] if isinstance(data, dict) else data


def sender_id(case_id: str) -> str:
    """A fresh conversation id that follows the REST rules (8-128 characters of [A-Za-z0-9_-])."""
    safe = "".join(ch if ch.isalnum() or ch in "_-" else "-" for ch in str(case_id))[:60]
    return f"eval-{safe}-{uuid.uuid4().hex[:12]}"


def run_case(client: httpx.Client, rasa_url: str, case: dict[str, Any]) -> CaseResult:
    sender = sender_id(case["id"])
    got: str | None = None
    replies: list[list[str]] = []
    turns = [str(turn) for turn in case["turns"]]
    for turn in turns:
        answer = client.post(
            f"{rasa_url}/webhooks/rest/webhook", json={"sender": sender, "message": turn}, timeout=120
        )
        answer.raise_for_status()
        texts: list[str] = []
        for reply in answer.json():
            texts.append(str(reply.get("text") or ""))
            custom = reply.get("custom")
            triage = custom.get("triage") if isinstance(custom, dict) else None
            level = triage.get("level") if isinstance(triage, dict) else None
            if level and level_rank(level) > level_rank(got):
                got = level
        replies.append(texts)
    return CaseResult(
        id=str(case["id"]),
        lang=str(case.get("lang", "en")),
        expected=str(case.get("expected") or "none"),
        got=got,
        turns=turns,
        replies=replies,
        kind=str(case.get("kind", "")),
    )


def run_cases(rasa_url: str, cases: Iterable[dict[str, Any]], workers: int = 2) -> list[CaseResult]:
    cases = list(cases)
    with httpx.Client() as client, ThreadPoolExecutor(max_workers=workers) as pool:
        # One conversation first, alone: the action server builds its pipelines on its first call, and
        # parallel first calls would time out in Rasa ("part of the system is not responding").
        run_case(client, rasa_url, {"id": "warm-up", "turns": ["I have a little spotting"]})
        return list(pool.map(lambda case: run_case(client, rasa_url, case), cases))


def report(results: list[CaseResult], *, totals_only: bool) -> list[str]:
    lines = Figures(results).lines()
    languages = sorted({r.lang for r in results})
    for lang in languages:
        lines.append(f"--- {lang}")
        lines.extend("  " + line for line in Figures([r for r in results if r.lang == lang]).lines())
    if totals_only:
        return lines
    failures = [r for r in results if not r.exact]
    lines.append(f"--- failures ({len(failures)})")
    for r in sorted(failures, key=lambda r: (level_rank(r.got) - level_rank(r.expected), r.id)):
        lines.append(f"{r.id} [{r.lang} {r.kind}] expected={r.expected} got={r.got or 'none'}")
        for turn, texts in zip(r.turns, r.replies, strict=False):
            lines.append(f"    > {turn}")
            for text in texts:
                lines.append(f"      < {' '.join(text.split())[:160]}")
    return lines


def set_today(path: Path) -> str:
    """The clock a set's relative dates were written against: its header's day, else SET_TODAY, at noon
    (the writers were told noon; "HSG yesterday at 4pm" is then 20 hours ago, on any day it is run)."""
    with path.open(encoding="utf-8") as handle:
        head = "".join(line for _, line in zip(range(3), handle, strict=False))
    found = _CLOCK_LINE.search(head)
    day = date_parser.parse(found.group(1)).date().isoformat() if found else SET_TODAY
    return f"{day}T{SET_TIME}"


def evaluate_many(paths: list[Path], workers: int = 2) -> list[CaseResult]:
    """Results for every case of several sets: one fresh isolated stack per clock the sets need."""
    return [result for results in evaluate_by_set(paths, workers).values() for result in results]


def evaluate_by_set(paths: list[Path], workers: int = 2) -> dict[Path, list[CaseResult]]:
    """Each set's results (ids may repeat across sets), one fresh isolated stack per clock."""
    from tools import stack as runner

    by_day: dict[str, list[Path]] = {}
    for path in paths:
        by_day.setdefault(set_today(path), []).append(path)
    results: dict[Path, list[CaseResult]] = {}
    for today, day_paths in by_day.items():
        with tempfile.TemporaryDirectory(prefix="triage-rest-eval-") as base:
            isolated = runner.start_isolated(Path(base), MODEL, {"HSG_TODAY": today}, with_web=False)
            try:
                for path in day_paths:
                    results[path] = run_cases(isolated.rasa_url, load_cases(path), workers)
            finally:
                isolated.stop()
    return {path: results[path] for path in paths if path in results}


def evaluate(path: Path, rasa_url: str | None = None, workers: int = 2) -> list[CaseResult]:
    """Results for every case of `path`, against `rasa_url` or a fresh isolated stack."""
    if rasa_url:
        return run_cases(rasa_url, load_cases(path), workers)
    return evaluate_many([path], workers)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sets", nargs="*", type=Path, default=[SETS_DIR / "dev.yml"])
    parser.add_argument("--url", help="Rasa server of a running stack (started with HSG_TODAY)")
    parser.add_argument("--totals-only", action="store_true")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    # Without --url, one isolated stack per clock for all the sets together (not one per set): the sets
    # are then reported one by one from their own cases.
    by_set = None if args.url else evaluate_by_set(list(args.sets), args.workers)
    for path in args.sets:
        totals_only = args.totals_only or path.name.startswith("sealed")
        results = evaluate(path, args.url, args.workers) if by_set is None else by_set.get(path, [])
        print(f"=== {path.name}" + (" (totals only)" if totals_only else ""))
        print("\n".join(report(results, totals_only=totals_only)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
