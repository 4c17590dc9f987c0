"""The trained model must generalise: macro-averaged intent and FAQ-topic F1 on held-out phrasings."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import MODEL, ROOT
from tools.nlu_quality import GATES_F1, held_out_scores


def test_nlu_f1_on_held_out_test_set(tmp_path: Path) -> None:
    scores = held_out_scores(MODEL, tmp_path, ROOT / "tests" / "nlu" / "test_nlu.yml")
    for name, value in scores.items():
        print(f"{name}: precision {value.precision:.3f} recall {value.recall:.3f} F1 {value.f1:.3f}")
    assert scores["intent"].support >= 200, "the test set is too small to mean anything"
    assert scores["intent"].f1 >= GATES_F1["intent"], scores
    assert scores["faq topic"].f1 >= GATES_F1["faq topic"], scores
