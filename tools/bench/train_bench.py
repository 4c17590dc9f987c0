"""Training time: from scratch (empty cache) and when nothing changed. `python -m tools.bench.train_bench`."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RASA = Path(sys.executable).parent / "rasa"


def timed(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(
        command, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    return time.perf_counter() - start


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="hsg-train-") as tmp:
        env = {**os.environ, "RASA_CACHE_DIRECTORY": str(Path(tmp) / "cache")}
        command = [
            str(RASA),
            "train",
            "--config",
            "config.yml",
            "--domain",
            "domain.yml",
            "--data",
            "data",
            "--out",
            str(Path(tmp) / "models"),
            "--fixed-model-name",
            "bench",
        ]
        scratch = timed(command, env)
        again = timed(command, env)
    unchanged = timed(["make", "-s", "train"], dict(os.environ))
    print(f"rasa train from scratch (empty cache): {scratch:.1f} s")
    print(f"rasa train again, nothing changed (Rasa's fingerprint check): {again:.1f} s")
    print(f"make train, nothing changed (make sees the model is newer than its inputs): {unchanged:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
