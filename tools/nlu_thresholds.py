"""Choose the answer/offer thresholds of bot.answer_policy on the development set.

`python -m tools.nlu_thresholds tests/nlu/independent/dev.yml tests/nlu/independent/dev2.yml` parses
each question with the trained model (in process, no servers), then replays
`bot.answer_policy.decide` with a grid of thresholds and prints, per setting, what the end-to-end
evaluator would count: right answers per language, right topic among the offers, out-of-scope
questions declined. It refuses a sealed set: thresholds tuned on the sealed third would make its
figure meaningless.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import sys
from pathlib import Path
from typing import Any

from bot.answer_policy import FALLBACK_INTENT, FAQ_INTENT, Thresholds, decide
from bot.config import PROJECT_ROOT
from tools.nlu_rest_eval import OUT_OF_SCOPE, Case, is_sealed, load_cases

DECLINING_INTENTS = {OUT_OF_SCOPE}


def parse_all(model: Path, cases: list[Case]) -> list[dict[str, Any]]:
    from rasa.core.agent import Agent

    agent = Agent.load(str(model))

    async def run() -> list[dict[str, Any]]:
        return [await agent.parse_message(case.text) for case in cases]

    return asyncio.run(run())


def outcome(parse: dict[str, Any], thresholds: Thresholds) -> tuple[str, tuple[str, ...]]:
    """What the patient would get on a fresh conversation (answered / offered / declined / other)."""
    intent = (parse.get("intent") or {}).get("name")
    if intent in DECLINING_INTENTS:
        return "declined", ()
    if intent not in (FAQ_INTENT, FALLBACK_INTENT):
        return "other", ()
    decision = decide(parse, thresholds)
    kind = {"answer": "answered", "offer": "offered", "decline": "declined"}[decision.kind]
    return kind, decision.topics


def score(cases: list[Case], parses: list[dict[str, Any]], thresholds: Thresholds) -> dict[str, list[int]]:
    # right, offered-right, n, wrong answers (wrong topic, or a leaflet answer to an out-of-scope question)
    table = {group: [0, 0, 0, 0] for group in ("en", "nl", OUT_OF_SCOPE)}
    for case, parse in zip(cases, parses, strict=True):
        kind, topics = outcome(parse, thresholds)
        row = table[case.group]
        row[2] += 1
        if kind == "answered" and not set(topics) & case.accepted:
            row[3] += 1
        if case.group == OUT_OF_SCOPE:
            row[0] += kind == "declined"
        else:
            hit = bool(set(topics) & case.accepted)
            row[0] += kind == "answered" and hit
            row[1] += kind == "offered" and hit
    return table


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("sets", nargs="+", type=Path, help="development sets (never a sealed one)")
    parser.add_argument("--model", type=Path, default=PROJECT_ROOT / "models" / "current.tar.gz")
    parser.add_argument(
        "--check",
        action="store_true",
        help="grid the thresholds that apply when the model has the second opinion (topic_check)",
    )
    args = parser.parse_args(argv)
    if any(is_sealed(path) for path in args.sets):
        print("refusing: thresholds are never tuned on a sealed set", file=sys.stderr)
        return 2
    cases = [case for path in args.sets for case in load_cases(path)]
    parses = parse_all(args.model, cases)
    if args.check:
        return _check_grid(cases, parses)
    grid = {
        "answer_intent": (0.0, 0.45),
        "answer_topic": (0.1, 0.15, 0.2, 0.25, 0.3, 0.45),
        "answer_margin": (0.0, 0.05, 0.1, 0.2),
        "offer_intent": (0.25,),
    }
    return _print_grid(cases, parses, grid)


def _check_grid(cases: list[Case], parses: list[dict[str, Any]]) -> int:
    """The thresholds of the two-model path (`_decide_with_check`): when both topic models agree, and
    when their mean confidence alone is enough to answer."""
    grid = {
        "agree_topic": (0.1, 0.15, 0.2),
        "agree_check": (0.05, 0.1),
        "answer_mean": (0.25, 0.3, 0.35, 0.4),
        "answer_mean_margin": (0.05, 0.1, 0.15),
    }
    return _print_grid(cases, parses, grid)


def _print_grid(cases: list[Case], parses: list[dict[str, Any]], grid: dict[str, tuple[float, ...]]) -> int:
    """One line per setting of the named Thresholds fields: what the end-to-end evaluator would count."""
    print(" ".join(grid) + " | EN right (+offered) | NL right (+offered) | OOS declined | wrong answers")
    for values in itertools.product(*grid.values()):
        t = score(cases, parses, Thresholds(**dict(zip(grid, values, strict=True))))
        print(
            " ".join(f"{value:{len(name)}.2f}" for name, value in zip(grid, values, strict=True))
            + " | "
            + " | ".join(f"{t[g][0]:3d}/{t[g][2]:3d} (+{t[g][1]:2d})" for g in ("en", "nl"))
            + f" | {t[OUT_OF_SCOPE][0]:3d}/{t[OUT_OF_SCOPE][2]:3d}"
            + f" | {sum(row[3] for row in t.values()):3d}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
