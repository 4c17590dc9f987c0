"""The figure that counts: right topic or honest decline, end to end over REST, on the sealed set.

The sealed thirds of the ten independent question sets (tests/nlu/independent/sealed*.yml) were
written by people who never saw the training data; they are never read to improve the model. This
test prints its totals only (no per-question line), so the sets stay a measurement.
"""

from __future__ import annotations

from typing import Any

import pytest

from tools.nlu_rest_eval import GATES, INDEPENDENT_DIR, format_totals, load_cases, run_cases, totals

pytestmark = pytest.mark.stack


def test_sealed_set_end_to_end_over_rest(stack: Any) -> None:
    sealed = sorted(INDEPENDENT_DIR.glob("sealed*.yml"))
    assert len(sealed) >= 10, "the ten sealed sets are missing"
    cases = [case for path in sealed for case in load_cases(path)]
    assert len(cases) >= 650, "the sealed sets are too small to mean anything"
    results = run_cases(cases, stack.say)
    by_group = totals(results, lambda result: result.case.group)
    print("\nsealed sets, end to end over REST:\n" + "\n".join(format_totals(by_group)))
    below = {
        group: round(by_group[group].rate, 3) for group, gate in GATES.items() if by_group[group].rate < gate
    }
    assert not below, f"end-to-end rate below the gate {GATES}: {below}"
