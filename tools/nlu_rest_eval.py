"""End-to-end NLU quality over REST: `python -m tools.nlu_rest_eval tests/nlu/independent/dev.yml`.

Why end to end: what a patient gets is not the classifier's label but the reply, after the
response selector, the fallback, the rule-based analyzer and the actions. So each question is sent
as the first message of a fresh conversation to a real, isolated stack, and the reply is classified:

- `answered`  a leaflet answer (`custom.answer.topic`);
- `offered`   a "did you mean" offer (`custom.offer.topics`);
- `declined`  an honest "not something I can answer" (`custom.decline.kind`);
- `chitchat`  a greeting or the "I am an automated assistant" reply (`custom.chitchat.kind`);
- `other`     anything else (a triage decision, a date reply...).

Scores: an in-scope question counts when the answered topic is the expected one (or one of its
`also_ok` topics); "right topic among the offers" is reported separately, never as a success. An
out-of-scope question counts when it is declined (an offer is not a decline). Small talk ("hi",
"are you a bot?") gets a greeting or the honest bot-identity reply, which answers it without any
leaflet content: by default that counts as an honest decline too, and the strict figure (declines
only) is printed beside it (`--strict` counts declines only, for comparison with older figures).

A set whose file name starts with `sealed` is only ever reported as totals: no per-case line, no
per-kind table, nothing written to disk. That keeps the sealed third a measurement, not a target.
"""

from __future__ import annotations

import argparse
import json
import re
import secrets
import sys
import tempfile
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import yaml

from bot.config import PROJECT_ROOT
from bot.vocabulary import LANGUAGES

OUT_OF_SCOPE = "out_of_scope"
GROUPS = ("en", "nl", OUT_OF_SCOPE)
INDEPENDENT_DIR = PROJECT_ROOT / "tests" / "nlu" / "independent"
# `make test` fails below these end-to-end rates on the sealed sets together (sealed.yml to
# sealed10.yml; tests/quality/). Issue 9's goals are EN 0.95, NL 0.90, out of scope 0.95 and are NOT
# reached for English nor, since sealed9, for out of scope: these gates are the measured values less a
# margin (a ratchet so CI passes;
# docs/nlu.md). Raise them, never lower them.
GOALS = {"en": 0.95, "nl": 0.90, OUT_OF_SCOPE: 0.95}
# Ratchet of 2026-11-24 (fifth session), ten sealed sets together (654 questions): EN 294/322 =
# 0.913, NL 164/165 = 0.994, out of scope 157/167 = 0.940 counting greeting/thanks/bot-identity replies
# to small talk (sealed9's out-of-scope questions borrow HSG words on purpose: 12/16 at first contact);
# less a margin of about three questions each. Before: 0.85 / 0.95 / 0.92 on seven sets.
GATES = {"en": 0.89, "nl": 0.97, OUT_OF_SCOPE: 0.92}
FIRST_TEN = tuple(["sealed.yml"] + [f"sealed{n}.yml" for n in range(2, 11)])
# The sealed thirds written in the sixth session (batches 11 to 13: context and statements, out of scope
# close to the topics, many voices) are gated on their own, so harder new sets never loosen the gate of
# the first ten. Measured at first contact and unchanged after this session's changes (docs/nlu.md): EN
# 90/107 = 0.841, NL 25/25, out of scope 27/33 = 0.818; less a margin of about two or three questions.
NEWER = ("sealed11.yml", "sealed12.yml", "sealed13.yml")
GATES_NEWER = {"en": 0.81, "nl": 0.92, OUT_OF_SCOPE: 0.75}
# The sealed thirds of the seventh session (batch 14: everyday and indirect wording; batch 15: who asks
# and how). First contact EN 62/75, NL 15/16, out of scope 18/19; after this session's training lines
# EN 64/75 = 0.853, NL 15/16 = 0.938, out of scope 18/19 = 0.947; less a margin of about two questions.
SEVENTH = ("sealed14.yml", "sealed15.yml")
# Raised in the eighth session: EN 67/75 = 0.893 with this session's code and model (less two questions)
GATES_SEVENTH = {"en": 0.86, "nl": 0.87, OUT_OF_SCOPE: 0.84}
# The sealed thirds of the eighth session (batch 16: context before the question, very short and
# long-winded questions, a topic word that is not the question, near-miss out of scope; batch 17: plans
# and times). First contact sealed16 EN 31/35, NL 8/9, out of scope 9/11; sealed17 27/32, 10/11, 12/12.
# Final (docs/nlu.md): together EN 59/67 = 0.881, NL 19/20 = 0.95, out of scope 20/23 = 0.870; less a
# margin of about two questions (one for the small NL part).
EIGHTH = ("sealed16.yml", "sealed17.yml")
GATES_EIGHTH = {"en": 0.85, "nl": 0.90, OUT_OF_SCOPE: 0.78}
# The sealed thirds of the ninth session (batch 18: the situation instead of the topic's words, other
# people asking, short phone-typed; batch 19: a word from one topic and a question about another; batch
# 20: the everyday question, written after that session's changes). First contact sealed18 EN 27/38, NL
# 3/5, out of scope 12/12; sealed19 28/31, 11/12, 12/12; sealed20 37/37, 10/10, 7/8. Final (docs/nlu.md):
# together EN 95/106 = 0.896, NL 25/27 = 0.926, out of scope 31/32 = 0.969; less about two questions.
NINTH = ("sealed18.yml", "sealed19.yml", "sealed20.yml")
GATES_NINTH = {"en": 0.86, "nl": 0.85, OUT_OF_SCOPE: 0.90}
# The sealed thirds of the tenth session (batch 21: everyday words, why, fears, very short, medicine
# questions, relatives asking; batch 22: English as different people write it, written after that
# session's changes). First contact sealed21 EN 26/31, NL 13/13, out of scope 9/11; sealed22 31/33, 8/8,
# 13/14; the same after the session's changes (docs/nlu.md). Together EN 57/64 = 0.891, NL 21/21, out of
# scope 22/25 = 0.88; less about two questions.
TENTH = ("sealed21.yml", "sealed22.yml")
GATES_TENTH = {"en": 0.85, "nl": 0.90, OUT_OF_SCOPE: 0.80}
# What counts as an honest decline of an out-of-scope question (`--strict`: "declined" only).
DECLINING_OUTCOMES = {"declined", "chitchat"}
_SENDER_SAFE = re.compile(r"[^A-Za-z0-9_-]")


@dataclass(frozen=True)
class Case:
    id: str
    lang: str
    text: str
    expected: str
    also_ok: tuple[str, ...]
    kind: str

    @property
    def group(self) -> str:
        return OUT_OF_SCOPE if self.expected == OUT_OF_SCOPE else self.lang

    @property
    def accepted(self) -> set[str]:
        return {self.expected, *self.also_ok}


@dataclass(frozen=True)
class Outcome:
    """What the patient got: answered / offered / declined / chitchat / other, and the topics involved."""

    kind: str
    topics: tuple[str, ...] = ()
    detail: str = ""


@dataclass
class Result:
    case: Case
    outcome: Outcome

    @property
    def correct(self) -> bool:
        if self.case.group == OUT_OF_SCOPE:
            return self.outcome.kind in DECLINING_OUTCOMES
        return self.outcome.kind == "answered" and bool(set(self.outcome.topics) & self.case.accepted)

    @property
    def strict_correct(self) -> bool:
        """As `correct`, but a greeting or bot-identity reply to small talk is not a decline."""
        if self.case.group == OUT_OF_SCOPE:
            return self.outcome.kind == "declined"
        return self.correct

    @property
    def offered_right(self) -> bool:
        return self.outcome.kind == "offered" and bool(set(self.outcome.topics) & self.case.accepted)


@dataclass
class Totals:
    n: int = 0
    correct: int = 0
    strict: int = 0
    offered_right: int = 0
    outcomes: Counter = field(default_factory=Counter)

    def add(self, result: Result) -> None:
        self.n += 1
        self.correct += result.correct
        self.strict += result.strict_correct
        self.offered_right += result.offered_right
        self.outcomes[result.outcome.kind] += 1

    @property
    def rate(self) -> float:
        return self.correct / self.n if self.n else 0.0


def load_cases(path: Path) -> list[Case]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    return [
        Case(
            id=str(item["id"]),
            lang=str(item["lang"]),
            text=str(item["text"]),
            expected=str(item["expected"]),
            also_ok=tuple(str(key) for key in item.get("also_ok") or ()),
            kind=str(item.get("kind") or ""),
        )
        for item in raw
    ]


def is_sealed(path: Path) -> bool:
    return path.name.startswith("sealed")


def _legacy_declines() -> set[str]:
    """The texts of the honest replies of the version before markers existed (first contact only)."""
    from bot.clinic import get_profile
    from bot.content.render import render_message

    texts = set()
    for lang in LANGUAGES:
        context = get_profile().context(lang)
        for key in ("out_of_scope", "not_understood", "other_language"):
            try:
                texts.add(render_message(key, lang, context))
            except KeyError:
                continue
    return texts


def classify(replies: list[dict[str, Any]], legacy_declines: Iterable[str] = ()) -> Outcome:
    """The outcome of one turn from the REST replies (see the module docstring)."""
    customs = [reply["custom"] for reply in replies if isinstance(reply.get("custom"), dict)]
    for custom in customs:
        answer = custom.get("answer")
        if isinstance(answer, dict) and answer.get("topic"):
            return Outcome("answered", (str(answer["topic"]),))
    for custom in customs:
        offer = custom.get("offer")
        if isinstance(offer, dict):
            return Outcome("offered", tuple(str(topic) for topic in offer.get("topics") or ()))
    for custom in customs:
        decline = custom.get("decline")
        if isinstance(decline, dict):
            return Outcome("declined", detail=str(decline.get("kind") or ""))
    for custom in customs:
        chitchat = custom.get("chitchat")
        if isinstance(chitchat, dict):
            return Outcome("chitchat", detail=str(chitchat.get("kind") or ""))
    for custom in customs:
        if custom.get("triage"):
            return Outcome("other", detail=f"triage:{custom['triage'].get('level', '?')}")
    legacy = set(legacy_declines)
    if legacy and any(reply.get("text") in legacy for reply in replies):
        return Outcome("declined", detail="legacy-text")
    first = next((reply.get("text") or "" for reply in replies), "")
    return Outcome("other", detail=first[:60].replace("\n", " "))


def sender_id(case: Case, run: str) -> str:
    """A fresh conversation per question; 8-128 characters of [A-Za-z0-9_-] as the REST channel wants."""
    return _SENDER_SAFE.sub("-", f"eval-{run}-{case.id}")[:128]


def run_cases(
    cases: list[Case], say: Callable[[str, str], list[dict[str, Any]]], legacy: bool = False
) -> list[Result]:
    run = secrets.token_hex(4)
    declines = _legacy_declines() if legacy else set()
    return [Result(case, classify(say(sender_id(case, run), case.text), declines)) for case in cases]


def totals(results: list[Result], key: Callable[[Result], str]) -> dict[str, Totals]:
    table: dict[str, Totals] = defaultdict(Totals)
    for result in results:
        table[key(result)].add(result)
    return dict(table)


def format_totals(by_group: dict[str, Totals]) -> list[str]:
    lines = []
    names = {"en": "EN in scope", "nl": "NL in scope", OUT_OF_SCOPE: "out of scope"}
    for group in GROUPS:
        value = by_group.get(group)
        if value is None:
            continue
        what = "declined" if group == OUT_OF_SCOPE else "right topic"
        if group == OUT_OF_SCOPE:
            strict = value.strict / value.n if value.n else 0.0
            extra = f", strictly declined {value.strict}/{value.n} ({100 * strict:.1f} %)"
        else:
            extra = f", right topic offered {value.offered_right}"
        outcomes = ", ".join(f"{k} {v}" for k, v in sorted(value.outcomes.items()))
        lines.append(
            f"  {names[group]:13s} {what} {value.correct}/{value.n} ({100 * value.rate:.1f} %)"
            f"{extra}  [{outcomes}]"
        )
    return lines


def report(path: Path, results: list[Result], details: bool) -> str:
    lines = [f"End-to-end over REST: {path.name} ({len(results)} questions)"]
    lines += format_totals(totals(results, lambda r: r.case.group))
    if not details:
        return "\n".join(lines)
    lines.append("By kind:")
    for kind, value in sorted(totals(results, lambda r: r.case.kind).items()):
        lines.append(f"  {kind:14s} {value.correct}/{value.n} ({100 * value.rate:.0f} %)")
    lines.append("Misses:")
    for result in results:
        if result.correct:
            continue
        case, outcome = result.case, result.outcome
        got = f"{outcome.kind} {','.join(outcome.topics)} {outcome.detail}".strip()
        lines.append(f"  {case.id} [{case.lang} {case.kind}] want {case.expected}: got {got} | {case.text}")
    return "\n".join(lines)


def evaluate_on_stack(rasa_url: str, cases: list[Case], legacy: bool = False) -> list[Result]:
    with httpx.Client(timeout=120) as client:

        def say(sender: str, text: str) -> list[dict[str, Any]]:
            reply = client.post(f"{rasa_url}/webhooks/rest/webhook", json={"sender": sender, "message": text})
            reply.raise_for_status()
            return reply.json()

        return run_cases(cases, say, legacy)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("sets", nargs="+", type=Path, help="question files (YAML lists)")
    parser.add_argument("--model", type=Path, default=PROJECT_ROOT / "models" / "current.tar.gz")
    parser.add_argument("--rasa-url", help="use a running Rasa server instead of starting a stack")
    parser.add_argument("--legacy", action="store_true", help="also count the old unmarked decline texts")
    parser.add_argument(
        "--strict", action="store_true", help="a greeting or bot-identity reply is not a decline"
    )
    parser.add_argument("--json", type=Path, help="write the dev results as JSON (never for a sealed set)")
    args = parser.parse_args(argv)

    isolated = None
    rasa_url = args.rasa_url
    if rasa_url is None:
        from tools.stack import start_isolated

        base = Path(tempfile.mkdtemp(prefix="nlu-rest-eval-"))
        isolated = start_isolated(base, args.model, with_web=False)
        rasa_url = isolated.rasa_url
    if args.strict:
        DECLINING_OUTCOMES.discard("chitchat")
    try:
        for path in args.sets:
            sealed = is_sealed(path)
            results = evaluate_on_stack(rasa_url, load_cases(path), args.legacy)
            print(report(path, results, details=not sealed))
            if args.json and not sealed:
                args.json.write_text(
                    json.dumps(
                        [
                            {
                                "id": r.case.id,
                                "correct": r.correct,
                                "outcome": r.outcome.kind,
                                "topics": list(r.outcome.topics),
                                "detail": r.outcome.detail,
                            }
                            for r in results
                        ],
                        indent=1,
                    )
                )
    finally:
        if isolated is not None:
            isolated.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
