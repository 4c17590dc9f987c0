"""Side by side: the stock `rasa init` bot and this project, embedded default and production profile.

    python -m tools.bench.compare_bench [--seconds 20] [--rounds 3] [--users 20]
                                        [--only stock,embedded,production]

The stock bot is built once with the project's own Rasa (`rasa init --no-prompt`, which trains it)
into `.cache/bench/stock/` and run with Rasa's defaults (in-memory tracker store, one worker).
The project runs as `tools.stack` starts it: the embedded default (SQLite, one worker) and the
production profile (PostgreSQL + Redis, SANIC_WORKERS workers, default 2), each on free ports with
a fresh database. Every system gets the same REST messages (leaflet questions and symptom reports,
English and Dutch): one user in sequence for the latency, then `--users` conversations at once for
`--seconds` for the throughput. All systems run at once and take turns, `--rounds` times over, so the
drift of a shared machine lands on all of them alike instead of in the ratio. Memory is the
resident memory of all processes of the Rasa server
and the action server (the web app is not counted; the stock bot has no action server running).

PostgreSQL: BENCH_PG_ADMIN_URL (default postgresql://postgres@127.0.0.1:5432/postgres, a database
is created and dropped); Redis: BENCH_REDIS_URL (default redis://127.0.0.1:6379/4).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx

from bot.ops.supervisor import Service, Stack, service_env, start
from tools.bench.latency_bench import MESSAGES, percentile
from tools.stack import free_port, start_isolated

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / ".cache" / "bench"
STOCK_DIR = CACHE / "stock"
RASA = Path(sys.executable).parent / "rasa"


@dataclass
class Result:
    name: str
    single_p50: float
    single_p95: float
    throughput: float
    load_p50: float
    load_p95: float
    errors: int
    memory_mb: float
    workers: int


# -- the systems under test ---------------------------------------------------------------------------


def stock_model() -> Path:
    """The stock bot's model, built on first use."""
    models = sorted((STOCK_DIR / "models").glob("*.tar.gz")) if STOCK_DIR.exists() else []
    if models:
        return models[-1]
    print("building the stock `rasa init` bot once (trains a model) ...", file=sys.stderr, flush=True)
    shutil.rmtree(STOCK_DIR, ignore_errors=True)
    STOCK_DIR.mkdir(parents=True)
    subprocess.run(
        [str(RASA), "init", "--no-prompt", "--init-dir", str(STOCK_DIR)],
        cwd=STOCK_DIR,
        check=True,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
    )
    return sorted((STOCK_DIR / "models").glob("*.tar.gz"))[-1]


@contextlib.contextmanager
def stock_system(log_dir: Path) -> Iterator[tuple[str, list[Service]]]:
    port = free_port()
    service = Service(
        "stock rasa",
        [
            str(RASA),
            "run",
            "--model",
            str(stock_model()),
            "--port",
            str(port),
            "--interface",
            "127.0.0.1",
            "--credentials",
            str(STOCK_DIR / "credentials.yml"),
            "--endpoints",
            str(STOCK_DIR / "endpoints.yml"),
        ],
        f"http://127.0.0.1:{port}/",
    )
    env = {key: value for key, value in os.environ.items() if not key.startswith("TF_")}
    env["TF_CPP_MIN_LOG_LEVEL"] = "2"
    env["PYTHONUNBUFFERED"] = "1"
    stack: Stack = start([service], env, log_dir)
    try:
        yield f"http://127.0.0.1:{port}", [service]
    finally:
        stack.stop()


@contextlib.contextmanager
def project_system(base: Path, extra_env: dict[str, str]) -> Iterator[tuple[str, list[Service]]]:
    stack = start_isolated(base, ROOT / "models" / "current.tar.gz", extra_env, with_web=False)
    try:
        yield stack.rasa_url, [stack.services["rasa"], stack.services["action"]]
    finally:
        stack.stop()


@contextlib.contextmanager
def postgres_database() -> Iterator[str]:
    import psycopg2
    from sqlalchemy.engine import make_url

    admin_url = make_url(
        os.environ.get("BENCH_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
    )
    name = "hsg_bench_" + uuid.uuid4().hex[:10]
    admin = psycopg2.connect(
        host=admin_url.host, port=admin_url.port or 5432, user=admin_url.username, dbname=admin_url.database
    )
    admin.autocommit = True
    admin.cursor().execute(f'CREATE DATABASE "{name}"')
    try:
        yield str(admin_url.set(database=name))
    finally:
        admin.cursor().execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


# -- measuring ------------------------------------------------------------------------------------------


def process_tree(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        with contextlib.suppress(OSError):
            for task in Path(f"/proc/{current}/task").iterdir():
                todo += [int(child) for child in (task / "children").read_text().split()]
    return found


def rss_mb(services: list[Service]) -> tuple[float, int]:
    """Resident memory of every process of these services (MB), and how many processes."""
    total_kb, count = 0, 0
    for service in services:
        if service.process is None:
            continue
        for pid in process_tree(service.process.pid):
            with contextlib.suppress(OSError):
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        total_kb += int(line.split()[1])
                        count += 1
    return total_kb / 1024, count


async def one_user(client: httpx.AsyncClient, url: str, rounds: int) -> list[float]:
    timings = []
    for round_ in range(rounds):
        sender = f"bench-single-{round_}-{uuid.uuid4().hex[:6]}"
        for text in MESSAGES:
            started = time.perf_counter()
            reply = await client.post(url, json={"sender": sender, "message": text})
            reply.raise_for_status()
            timings.append((time.perf_counter() - started) * 1000)
    return timings


async def load(url: str, users: int, seconds: float) -> tuple[list[float], int, float]:
    timings: list[float] = []
    errors = 0
    stop_at = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=users, max_keepalive_connections=users)

    async def user(client: httpx.AsyncClient, number: int) -> None:
        nonlocal errors
        round_ = 0
        while time.perf_counter() < stop_at:
            sender = f"bench-{number}-{round_}-{uuid.uuid4().hex[:6]}"
            for text in MESSAGES:
                if time.perf_counter() >= stop_at:
                    return
                started = time.perf_counter()
                try:
                    reply = await client.post(url, json={"sender": sender, "message": text})
                    reply.raise_for_status()
                    timings.append((time.perf_counter() - started) * 1000)
                except httpx.HTTPError:
                    errors += 1
            round_ += 1

    started = time.perf_counter()
    async with httpx.AsyncClient(timeout=60, limits=limits) as client:
        await asyncio.gather(*(user(client, number) for number in range(users)))
    return timings, errors, time.perf_counter() - started


def measure(name: str, base_url: str, services: list[Service], users: int, seconds: float) -> Result:
    """One system alone: latency of one user, then `users` at once for `seconds`."""
    return measure_interleaved([(name, base_url, services)], users, seconds, rounds=1)[0]


def measure_interleaved(
    systems: list[tuple[str, str, list[Service]]], users: int, seconds: float, rounds: int
) -> list[Result]:
    """All systems up at once, loaded in turn for `seconds` each, `rounds` times over (A B C A B C …).

    On a shared machine the speed drifts over minutes; measured one after the other, the drift lands
    in the ratio between systems. Taking turns spreads it over all of them, so the ratio says more
    than any single run (the idle systems use next to no CPU meanwhile).
    """
    single: dict[str, list[float]] = {name: [] for name, _, _ in systems}
    timings: dict[str, list[float]] = {name: [] for name, _, _ in systems}
    errors = dict.fromkeys(single, 0)
    elapsed = dict.fromkeys(single, 0.0)

    async def latency(url: str) -> list[float]:
        async with httpx.AsyncClient(timeout=60) as client:
            return await one_user(client, url, 2)

    for _name, base_url, _ in systems:  # warm-up: lazy parts load on the first calls
        asyncio.run(latency(f"{base_url}/webhooks/rest/webhook"))
    for _ in range(rounds):
        for name, base_url, _ in systems:
            url = f"{base_url}/webhooks/rest/webhook"
            single[name] += asyncio.run(latency(url))
            found, failed, took = asyncio.run(load(url, users, seconds))
            timings[name] += found
            errors[name] += failed
            elapsed[name] += took
    results = []
    for name, _, services in systems:
        memory, processes = rss_mb(services)
        measured = timings[name]
        results.append(
            Result(
                name=name,
                single_p50=statistics.median(single[name]),
                single_p95=percentile(single[name], 0.95),
                throughput=len(measured) / elapsed[name] if elapsed[name] else float("nan"),
                load_p50=statistics.median(measured) if measured else float("nan"),
                load_p95=percentile(measured, 0.95) if measured else float("nan"),
                errors=errors[name],
                memory_mb=memory,
                workers=processes,
            )
        )
    return results


def table(results: list[Result], users: int) -> str:
    stock = next((r for r in results if r.name.startswith("stock")), None)
    header = "| | " + " | ".join(r.name for r in results) + " |"
    rows = [
        header,
        "|---" * (len(results) + 1) + "|",
        "| single user p50 / p95 | "
        + " | ".join(f"{r.single_p50:.0f} / {r.single_p95:.0f} ms" for r in results)
        + " |",
        f"| throughput @{users} concurrent | "
        + " | ".join(
            f"{r.throughput:.1f} msg/s" + (f" ({r.throughput / stock.throughput:.2f}×)" if stock else "")
            for r in results
        )
        + " |",
        f"| p50 / p95 @{users} concurrent | "
        + " | ".join(f"{r.load_p50:,.0f} / {r.load_p95:,.0f} ms" for r in results)
        + " |",
        "| errors under load | " + " | ".join(str(r.errors) for r in results) + " |",
        "| memory (Rasa + actions, all processes) | "
        + " | ".join(f"{r.memory_mb / 1024:.2f} GB ({r.workers} proc.)" for r in results)
        + " |",
    ]
    return "\n".join(rows)


def main() -> int:
    formatter = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=formatter)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--only", default="stock,embedded,production")
    parser.add_argument("--workers", default=os.environ.get("BENCH_WORKERS", "2"))
    parser.add_argument(
        "--rounds", type=int, default=3, help="load each system this many times, in turn (drift cancels)"
    )
    args = parser.parse_args()
    wanted = args.only.split(",")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    with tempfile.TemporaryDirectory(prefix="hsg-compare-") as temp, contextlib.ExitStack() as running:
        base = Path(temp)
        systems: list[tuple[str, str, list[Service]]] = []
        if "stock" in wanted:
            url, services = running.enter_context(stock_system(base / "stock-logs"))
            systems.append(("stock `rasa init`", url, services))
        if "embedded" in wanted:
            url, services = running.enter_context(project_system(base / "embedded", {}))
            systems.append(("project, embedded default", url, services))
        if "production" in wanted:
            redis_url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/4")
            database_url = running.enter_context(postgres_database())
            env = {"DATABASE_URL": database_url, "REDIS_URL": redis_url, "SANIC_WORKERS": args.workers}
            url, services = running.enter_context(project_system(base / "production", env))
            systems.append((f"project, production ({args.workers} workers)", url, services))
        results = measure_interleaved(systems, args.users, args.seconds, args.rounds)
    single = service_env()
    several = service_env({"REDIS_URL": "redis://x", "SANIC_WORKERS": args.workers})
    print(
        f"\nREST, {args.users} concurrent conversations, {args.rounds} turns of {args.seconds:.0f} s each "
        f"(systems interleaved), {os.cpu_count()} cores; "
        f"project TF threads inter={single['TF_INTER_OP_PARALLELISM_THREADS']}, "
        f"intra={single['TF_INTRA_OP_PARALLELISM_THREADS']} (one worker) / "
        f"{several['TF_INTRA_OP_PARALLELISM_THREADS']} per worker ({args.workers} workers):\n"
    )
    print(table(results, args.users))
    return 0


if __name__ == "__main__":
    sys.exit(main())
