"""Web app memory under a burst of wrong sign-ins: peak RSS of uvicorn over real HTTP.

    .venv/bin/python -m tools.bench.signin_memory_bench [--requests 40]

Starts the web app on a temporary SQLite database, sends `--requests` concurrent API calls with
wrong Basic credentials (unknown users, one client address), and prints the answers' status codes
and the process's resident memory before and at its peak (VmHWM). Each argon2 check takes 64 MiB;
the sign-in path bounds how many run at once and refuses an address that keeps failing.
"""

from __future__ import annotations

import argparse
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from bot.ops.supervisor import service_env, start, web_app
from bot.storage.db import upgrade
from tools.stack import free_port


def memory_mib(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) // 1024
    return -1


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=40)
    args = parser.parse_args()
    base = Path(tempfile.mkdtemp(prefix="hsg-signin-bench-"))
    url = f"sqlite:///{base / 'hsg.db'}"
    upgrade(url)
    port = free_port()
    env = service_env({"DATABASE_URL": url, "HSG_VAR_DIR": str(base / "var"), "WEB_PORT": str(port)})
    stack = start([web_app(port)], env, base / "logs")
    pid = stack.services[0].process.pid
    try:
        before = memory_mib(pid, "VmRSS")

        def attempt(i: int) -> int:
            return httpx.get(
                f"http://127.0.0.1:{port}/api/escalations", auth=(f"user{i}", "guess"), timeout=120
            ).status_code

        with ThreadPoolExecutor(args.requests) as pool:
            codes = list(pool.map(attempt, range(args.requests)))
        counts = {code: codes.count(code) for code in sorted(set(codes))}
        print(
            f"{args.requests} concurrent wrong sign-ins: statuses {counts}; "
            f"RSS before {before} MiB, peak {memory_mib(pid, 'VmHWM')} MiB"
        )
    finally:
        stack.stop()


if __name__ == "__main__":
    main()
