"""CPU time per message of the embedded default, Rasa server and action server apart.

    python -m tools.bench.cpu_bench [--seconds 20] [--users 20] [--py-spy PATH]

Wall-clock throughput on two shared cores moves with whatever else runs; the CPU seconds the two
servers spend per message move much less, so this is the figure to compare before and after a speed
change (then confirm with `compare_bench` on a quiet machine). With `--py-spy` (a py-spy binary, not
a project dependency) the Rasa server is sampled during the load and the top frames are printed.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import httpx

from tools.bench.compare_bench import ROOT, load, one_user, postgres_database, process_tree
from tools.stack import start_isolated

_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process and its children still running."""
    total = 0.0
    for child in process_tree(pid):
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / _TICKS
    return total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--py-spy", dest="py_spy", help="path of a py-spy binary to sample the Rasa server")
    parser.add_argument(
        "--blocking",
        action="store_true",
        help="py-spy pauses the server for each sample: slower, but no torn stacks (for where, not how much)",
    )
    parser.add_argument(
        "--production",
        action="store_true",
        help="the production profile (PostgreSQL, Redis, two Rasa workers) instead of the embedded default",
    )
    args = parser.parse_args(argv)
    with contextlib.ExitStack() as resources:
        env: dict[str, str] = {}
        if args.production:
            database_url = resources.enter_context(postgres_database())
            redis_url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/4")
            env = {"DATABASE_URL": database_url, "REDIS_URL": redis_url, "SANIC_WORKERS": "2"}
        return measure(args, env)


def measure(args: argparse.Namespace, env: dict[str, str]) -> int:
    with tempfile.TemporaryDirectory(prefix="cpu-bench-") as base:
        stack = start_isolated(Path(base), ROOT / "models" / "current.tar.gz", env, with_web=False)
        try:
            url = f"{stack.rasa_url}/webhooks/rest/webhook"
            rasa_pid = stack.services["rasa"].process.pid  # type: ignore[union-attr]
            action_pid = stack.services["action"].process.pid  # type: ignore[union-attr]

            async def warm() -> None:
                async with httpx.AsyncClient(timeout=60) as client:
                    await one_user(client, url, 2)

            asyncio.run(warm())
            spy = None
            if args.py_spy:
                spy = subprocess.Popen(
                    [
                        args.py_spy,
                        "record",
                        "-p",
                        str(rasa_pid),
                        "-d",
                        str(int(args.seconds)),
                        "-f",
                        "raw",
                        "-o",
                        f"{base}/rasa.txt",
                        *([] if args.blocking else ["--nonblocking"]),
                        "--subprocesses",  # several Sanic workers are children of the main process
                        "--gil",
                    ],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            before = cpu_seconds(rasa_pid), cpu_seconds(action_pid)
            timings, errors, elapsed = asyncio.run(load(url, args.users, args.seconds))
            after = cpu_seconds(rasa_pid), cpu_seconds(action_pid)
            count = len(timings)
            rasa_ms = (after[0] - before[0]) * 1000 / max(count, 1)
            action_ms = (after[1] - before[1]) * 1000 / max(count, 1)
            print(f"messages {count} in {elapsed:.1f} s ({count / elapsed:.1f} msg/s), errors {errors}")
            print(
                f"CPU per message: Rasa server {rasa_ms:.1f} ms, action server {action_ms:.1f} ms, "
                f"together {rasa_ms + action_ms:.1f} ms"
            )
            if spy is not None:
                spy.wait(timeout=args.seconds + 60)
                print(top_frames(Path(f"{base}/rasa.txt")))
                print(f"raw samples copied to {shutil.copy(f'{base}/rasa.txt', tempfile.gettempdir())}")
        finally:
            stack.stop()
    return 0


def top_frames(raw: Path, limit: int = 70) -> str:
    """Inclusive and own sample shares per function from py-spy's raw (collapsed) output."""
    inclusive: dict[str, int] = {}
    own: dict[str, int] = {}
    total = 0
    for line in raw.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        samples = int(count)
        total += samples
        frames = stack.split(";")
        own[frames[-1]] = own.get(frames[-1], 0) + samples
        for frame in set(frames):
            inclusive[frame] = inclusive.get(frame, 0) + samples

    def rows(counts: dict[str, int], count: int) -> list[str]:
        top = sorted(counts.items(), key=lambda item: -item[1])[:count]
        return [f"{n * 100 / max(total, 1):5.1f}%  {frame[:150]}" for frame, n in top]

    return "\n".join(["inclusive:", *rows(inclusive, limit), "own:", *rows(own, 30)])


if __name__ == "__main__":
    raise SystemExit(main())
