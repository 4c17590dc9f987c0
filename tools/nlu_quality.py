"""Measured quality of the NLU model: `python -m tools.nlu_quality nlu [--cross-validation]`.

Runs `rasa test nlu` on the held-out test set (tests/nlu/, phrasings the training data does not
have) and prints intent and FAQ-topic (response selection) precision, recall and F1. Exits 1 when a
weighted F1 is below the gate, so `make test` fails on a model that got worse.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from bot.config import PROJECT_ROOT

RASA = Path(sys.executable).parent / "rasa"
GATE_F1 = 0.90


@dataclass(frozen=True)
class Scores:
    precision: float
    recall: float
    f1: float
    support: int


def read_scores(report: Path) -> Scores:
    data = json.loads(report.read_text())
    weighted = data["weighted avg"]
    return Scores(weighted["precision"], weighted["recall"], weighted["f1-score"], int(weighted["support"]))


def run_rasa(args: list[str]) -> None:
    subprocess.run([str(RASA), *args], cwd=PROJECT_ROOT, check=True, stdout=subprocess.DEVNULL)


def held_out_scores(model: Path, out: Path, test_data: Path) -> dict[str, Scores]:
    run_rasa(["test", "nlu", "--nlu", str(test_data), "--model", str(model), "--out", str(out), "--no-plot"])
    return {
        "intent": read_scores(out / "intent_report.json"),
        "faq topic": read_scores(out / "response_selection_report.json"),
    }


def cross_validation_scores(out: Path, folds: int) -> dict[str, Scores]:
    run_rasa(
        [
            "test",
            "nlu",
            "--nlu",
            "data/nlu",
            "--config",
            "config.yml",
            "--cross-validation",
            "--folds",
            str(folds),
            "--out",
            str(out),
            "--no-plot",
        ]
    )
    return {
        "intent": read_scores(out / "intent_report.json"),
        "faq topic": read_scores(out / "response_selection_report.json"),
    }


def print_scores(title: str, scores: dict[str, Scores]) -> None:
    print(title)
    for name, value in scores.items():
        print(
            f"  {name:10s} precision {value.precision:.3f}  recall {value.recall:.3f}  "
            f"F1 {value.f1:.3f}  (n={value.support})"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("what", choices=["nlu"])
    parser.add_argument("--model", default=str(PROJECT_ROOT / "models" / "current.tar.gz"))
    parser.add_argument("--test-data", default=str(PROJECT_ROOT / "tests" / "nlu"))
    parser.add_argument("--out", default=str(PROJECT_ROOT / "results"))
    parser.add_argument("--cross-validation", action="store_true")
    parser.add_argument("--folds", type=int, default=3)
    parser.add_argument("--gate", type=float, default=GATE_F1)
    args = parser.parse_args(argv)
    out = Path(args.out)
    scores = held_out_scores(Path(args.model), out / "nlu-test", Path(args.test_data))
    print_scores("NLU on the held-out test set (tests/nlu):", scores)
    if args.cross_validation:
        print_scores(
            f"NLU {args.folds}-fold cross-validation on the training data:",
            cross_validation_scores(out / "nlu-cv", args.folds),
        )
    failed = [name for name, value in scores.items() if value.f1 < args.gate]
    if failed:
        print(f"FAIL: weighted F1 below {args.gate:.2f} for {', '.join(failed)}")
        return 1
    print(f"OK: weighted F1 at or above {args.gate:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
