"""Every flow in tests/stories is predicted exactly (`rasa test core --fail-on-prediction-errors`)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import MODEL, ROOT

RASA = Path(sys.executable).parent / "rasa"


def test_story_predictions_have_no_errors(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            str(RASA),
            "test",
            "core",
            "--stories",
            "tests/stories",
            "--model",
            str(MODEL),
            "--out",
            str(tmp_path),
            "--fail-on-prediction-errors",
            "--no-plot",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    failed = tmp_path / "failed_test_stories.yml"
    assert (
        not failed.exists()
        or "stories: []" in failed.read_text()
        or not failed.read_text().strip()
        or "None of the test stories failed" in failed.read_text()
    ), failed.read_text()
