"""The figure that counts: right topic or honest decline, end to end over REST, on the sealed set.

The sealed thirds of the twenty-two independent question sets (tests/nlu/independent/sealed*.yml) were
written by people who never saw the training data; they are never read to improve the model. This
test prints its totals only (no per-question line), so the sets stay a measurement.
"""

from __future__ import annotations

from typing import Any

import pytest

from tools.nlu_rest_eval import (
    EIGHTH,
    FIRST_TEN,
    GATES,
    GATES_EIGHTH,
    GATES_NEWER,
    GATES_NINTH,
    GATES_SEVENTH,
    GATES_TENTH,
    INDEPENDENT_DIR,
    NEWER,
    NINTH,
    SEVENTH,
    TENTH,
    format_totals,
    load_cases,
    run_cases,
    totals,
)

pytestmark = pytest.mark.stack


def test_sealed_set_end_to_end_over_rest(stack: Any) -> None:
    sealed = sorted(INDEPENDENT_DIR.glob("sealed*.yml"))
    names = {path.name for path in sealed}
    assert names >= {*FIRST_TEN, *NEWER, *SEVENTH, *EIGHTH, *NINTH, *TENTH}, "sealed sets are missing"
    below: dict[str, float] = {}
    for name, files, gates in (
        ("first ten", FIRST_TEN, GATES),
        ("newer", NEWER, GATES_NEWER),
        ("seventh session", SEVENTH, GATES_SEVENTH),
        ("eighth session", EIGHTH, GATES_EIGHTH),
        ("ninth session", NINTH, GATES_NINTH),
        ("tenth session", TENTH, GATES_TENTH),
    ):
        cases = [case for path in sealed if path.name in files for case in load_cases(path)]
        results = run_cases(cases, stack.say)
        by_group = totals(results, lambda result: result.case.group)
        print(f"\nsealed sets ({name}), end to end over REST:\n" + "\n".join(format_totals(by_group)))
        below |= {
            f"{name} {group}": round(by_group[group].rate, 3)
            for group, gate in gates.items()
            if by_group[group].rate < gate
        }
    gates = (GATES, GATES_NEWER, GATES_SEVENTH, GATES_EIGHTH, GATES_NINTH, GATES_TENTH)
    assert not below, f"end-to-end rate below the gate {gates}: {below}"
