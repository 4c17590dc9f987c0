"""`python -m bot db upgrade` and `python -m bot nurse add` as an operator runs them (real subprocesses)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import sqlalchemy as sa

from bot.config import PROJECT_ROOT
from bot.storage import nurses
from bot.storage.db import get_engine


def run(args: list[str], env: dict[str, str], stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        cwd=PROJECT_ROOT,
        timeout=120,
    )


def test_db_upgrade_then_nurse_add_and_reset(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    env = {**os.environ, "DATABASE_URL": url, "HSG_VAR_DIR": str(tmp_path / "var")}
    first = run(["db", "upgrade"], env)
    assert first.returncode == 0, first.stderr
    assert run(["db", "upgrade"], env).returncode == 0

    created = run(["nurse", "add", "Sanne"], env, "first-password-1\n")
    assert created.returncode == 0 and "created" in created.stdout, created.stderr
    assert nurses.check_password("sanne", "first-password-1", url)
    reset = run(["nurse", "add", "sanne"], env, "second-password-2\n")
    assert reset.returncode == 0 and "reset" in reset.stdout
    assert not nurses.check_password("sanne", "first-password-1", url)
    assert nurses.check_password("sanne", "second-password-2", url)

    too_short = run(["nurse", "add", "kees"], env, "short\n")
    assert too_short.returncode == 2
    with get_engine(url).connect() as connection:
        names = connection.execute(sa.text("SELECT username FROM hsg_nurses")).scalars().all()
        assert names == ["sanne"]
        assert "first-password-1" not in str(connection.execute(sa.text("SELECT * FROM hsg_nurses")).all())
