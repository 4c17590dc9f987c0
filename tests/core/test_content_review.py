"""The clinician's review sheet: `python -m bot content review` writes every text, both languages."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from bot.clinic import load_profile
from bot.content.render import FAQ_FILE, MESSAGES_FILE, load_content
from bot.triage.advice import load_texts
from tests.conftest import ROOT


def run_review(*args: str, var_dir: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "HSG_VAR_DIR": str(var_dir)}
    return subprocess.run(
        [sys.executable, "-m", "bot", "content", "review", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_review_sheet_has_every_text_in_both_languages_with_sources_and_rules(tmp_path: Path) -> None:
    out = tmp_path / "sheet.md"
    result = run_review("--profile", "profiles/demo-alt.yml", "--out", str(out), var_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    sheet = out.read_text(encoding="utf-8")
    profile = load_profile(ROOT / "profiles" / "demo-alt.yml")
    assert profile.text("name", "en") in sheet and profile.clinic_phone in sheet
    for key in load_content(FAQ_FILE)["answers"]:
        assert f"### {key}\n" in sheet, key
    for key in load_content(MESSAGES_FILE)["messages"]:
        assert f"### {key}" in sheet, key
    for key in (*load_texts()["advice"], *load_texts()["questions"]):
        assert f"### {key}" in sheet, key
    assert sheet.count("**en**") == sheet.count("**nl**") > 60
    assert "Sources: 000 (" in sheet and "docs/clinical-rules.md, section" in sheet
    assert "Triage rules that send it:" in sheet and "soaking_pad_hourly (emergency)" in sheet
    assert "Sign-off" in sheet


def test_a_changed_profile_gives_a_new_copy_and_keeps_the_old(tmp_path: Path) -> None:
    profile = tmp_path / "clinic.yml"
    profile.write_text((ROOT / "profiles" / "demo.yml").read_text(encoding="utf-8"), encoding="utf-8")
    first = run_review("--profile", str(profile), var_dir=tmp_path)
    assert first.returncode == 0, first.stderr
    profile.write_text(profile.read_text(encoding="utf-8").replace('"112"', '"999"'), encoding="utf-8")
    second = run_review("--profile", str(profile), var_dir=tmp_path)
    written = sorted((tmp_path / "review").glob("review-clinic-*.md"))
    assert len(written) == 2
    assert first.stdout.strip() != second.stdout.strip()
    assert "999" in Path(second.stdout.strip()).read_text(encoding="utf-8")


def test_an_unreadable_profile_is_reported(tmp_path: Path) -> None:
    result = run_review("--profile", str(tmp_path / "missing.yml"), var_dir=tmp_path)
    assert result.returncode == 2 and "cannot read the profile" in result.stderr
