"""The figure that counts: right topic or honest decline, end to end over REST, on the sealed set.

The sealed third of the independent question set (tests/nlu/independent/sealed.yml) was written by
someone who never saw the training data; it is never read to improve the model. This test prints
its totals only (no per-question line), so the set stays a measurement.
"""

from __future__ import annotations

from typing import Any

import pytest

from tools.nlu_rest_eval import GATES, INDEPENDENT_DIR, format_totals, load_cases, run_cases, totals

pytestmark = pytest.mark.stack


def test_sealed_set_end_to_end_over_rest(stack: Any) -> None:
    cases = load_cases(INDEPENDENT_DIR / "sealed.yml")
    assert len(cases) >= 100, "the sealed set is too small to mean anything"
    results = run_cases(cases, stack.say)
    by_group = totals(results, lambda result: result.case.group)
    print("\nsealed set, end to end over REST:\n" + "\n".join(format_totals(by_group)))
    below = {
        group: round(by_group[group].rate, 3) for group, gate in GATES.items() if by_group[group].rate < gate
    }
    assert not below, f"end-to-end rate below the gate {GATES}: {below}"
