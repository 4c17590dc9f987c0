"""Load rules.yml and evaluate a rule's condition on the facts with three values: True, False, None.

None means "could apply once a missing detail is known". The engine takes the highest level whose
rule is certainly True, and asks for a detail only when a None rule could raise that level, so an
unknown detail can never lower a level.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from bot.vocabulary import LEVELS

RULES_PATH = Path(__file__).with_name("rules.yml")
# Details that may be unknown; every other fact not in the facts is simply false (not mentioned).
OPEN_FACTS = frozenset(
    {"bleeding_heaviness", "bleeding_hours", "pain_hours", "pain_severity", "temperature_c"}
)
_COMPARE = {
    "gt": lambda a, b: a > b,
    "gte": lambda a, b: a >= b,
    "lt": lambda a, b: a < b,
    "lte": lambda a, b: a <= b,
    "in": lambda a, b: a in b,
    "is": lambda a, b: a == b,
}


class RuleError(ValueError):
    """rules.yml has a rule the engine cannot evaluate."""


@dataclass(frozen=True)
class Rule:
    id: str
    level: str
    when: dict[str, Any]
    source: str
    reason: str


def _check(node: Any, rule_id: str) -> None:
    if not isinstance(node, dict) or len(node) == 0:
        raise RuleError(f"{rule_id}: a condition must be a mapping")
    if "all" in node or "any" in node:
        for child in node.get("all", node.get("any")):
            _check(child, rule_id)
    elif "not" in node:
        _check(node["not"], rule_id)
    elif "fact" not in node:
        raise RuleError(f"{rule_id}: unknown condition {sorted(node)}")
    elif set(node) - {"fact", "missing", *_COMPARE}:
        raise RuleError(f"{rule_id}: unknown operator in {sorted(node)}")


@lru_cache(maxsize=1)
def load_rules() -> tuple[Rule, ...]:
    """The rules in file order, validated (a typo in rules.yml fails at the first use and in tests)."""
    with RULES_PATH.open(encoding="utf-8") as handle:
        raw = yaml.safe_load(handle)
    rules = []
    seen = set()
    for item in raw["rules"]:
        rule = Rule(
            str(item["id"]), str(item["level"]), item["when"], str(item["source"]), str(item["reason"])
        )
        if rule.level not in LEVELS:
            raise RuleError(f"{rule.id}: unknown level {rule.level}")
        if rule.id in seen:
            raise RuleError(f"{rule.id}: duplicate id")
        if not rule.source.strip() or not rule.reason.strip():
            raise RuleError(f"{rule.id}: source and reason are required")
        _check(rule.when, rule.id)
        seen.add(rule.id)
        rules.append(rule)
    return tuple(rules)


def evaluate(node: dict[str, Any], facts: dict[str, Any], missing: set[str]) -> bool | None:
    """Kleene three-valued logic. Absent OPEN_FACTS are unknown; when the result is None, `missing`
    receives the unknown details that could still make it True."""
    if "all" in node or "any" in node:
        is_all = "all" in node
        results = []
        unknown: set[str] = set()
        for child in node["all" if is_all else "any"]:
            child_missing: set[str] = set()
            result = evaluate(child, facts, child_missing)
            if result is (not is_all):  # any: a True decides; all: a False decides
                return result
            if result is None:
                unknown |= child_missing
            results.append(result)
        if None in results:
            missing |= unknown
            return None
        return is_all
    if "not" in node:
        result = evaluate(node["not"], facts, set())
        return None if result is None else not result
    name = node["fact"]
    value = facts.get(name)
    if value is None:
        if "missing" in node:
            return bool(node["missing"])
        if name in OPEN_FACTS:
            missing.add(name)
            return None
        return False
    for op, compare in _COMPARE.items():
        if op in node:
            try:
                return bool(compare(value, node[op]))
            except TypeError:
                return False
    return bool(value)
