"""The triage test set gates: red-flag recall 100 %, over-triage at most 10 %, at least 150 cases."""

from __future__ import annotations

from tools.triage_eval import MAX_OVER_TRIAGE, evaluate, load_cases


def test_case_set_is_large_and_bilingual() -> None:
    cases = load_cases()
    assert len(cases) >= 150
    assert sum(case["lang"] == "nl" for case in cases) >= 50
    assert {case["level"] for case in cases} == {"emergency", "urgent", "inform_team", "self_care", "none"}


def test_red_flag_recall_and_over_triage_gates() -> None:
    report = evaluate()
    missed = [
        r.text for r in report.red_flags if r.predicted != r.expected and r.predicted not in ("emergency",)
    ]
    assert report.recall == 1.0, missed
    assert report.over_triage <= MAX_OVER_TRIAGE
