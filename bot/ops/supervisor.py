"""`make run`: start every service in the foreground, watch them, restart the one that dies.

Test and benchmark stacks on free ports are built from the same pieces in `tools/stack.py`.

Three processes: the action server, the Rasa server (REST, Twilio channels) and the web app. They
start in dependency order, each is waited for on its health URL. When one dies the others keep
serving (the Rasa server's safety net answers red flags without the action server) and the dead one
is restarted after a back-off that doubles on each quick death (1 s, 2 s, 4 s ... 30 s) and resets
once it has run for a minute. A signal (Ctrl-C, SIGTERM) stops all of them. The supervisor writes
what it sees (pids, restarts, up/down) to `var/run/supervisor.json` for /metrics and /ready.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.config import PROJECT_ROOT, Settings, get_settings

BIN = Path(sys.executable).parent
REQUEST_MAX_BYTES = 64 * 1024  # Rasa's request bodies (a patient message is at most a few KB)
PRIVATE_UMASK = 0o077  # var/, the SQLite file, the outbox and the logs: owner only


@dataclass
class Service:
    name: str
    command: list[str]
    health_url: str
    process: subprocess.Popen | None = None


@dataclass
class Stack:
    services: list[Service] = field(default_factory=list)

    def stop(self, timeout: float = 15.0) -> None:
        """SIGTERM each process group, then SIGKILL whatever is still there."""
        for service in reversed(self.services):
            if service.process and service.process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(service.process.pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for service in self.services:
            if service.process is None:
                continue
            try:
                service.process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(service.process.pid, signal.SIGKILL)
                service.process.wait(5)


def service_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """Environment for the child processes: settings made explicit, TensorFlow kept to its cores."""
    settings = get_settings()
    env = dict(os.environ)
    env.setdefault("ACTION_SERVER_URL", settings.action_server_url)
    # The action server refuses calls without this secret; Rasa sends it (endpoints.yml).
    if not env.get("ACTION_SERVER_TOKEN", "").strip():
        env["ACTION_SERVER_TOKEN"] = secrets.token_urlsafe(32)
    env["RASA_TELEMETRY_ENABLED"] = "false"  # nothing about conversations leaves the machine
    env.setdefault("SANIC_REQUEST_MAX_SIZE", str(REQUEST_MAX_BYTES))
    env.setdefault("DATABASE_URL", settings.database_url)
    env.setdefault("TF_INTER_OP_PARALLELISM_THREADS", "1")
    # One TF thread: the Rasa server shares the two cores with the action server and the web app.
    # make bench, embedded default, two runs each: 39.1-40.2 msg/s and p95 774-819 ms with 1 thread,
    # 32.4-34.2 msg/s and p95 910-965 ms with 2.
    env.setdefault("TF_INTRA_OP_PARALLELISM_THREADS", "1")
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    env.setdefault("PYTHONUNBUFFERED", "1")
    env["PYTHONPATH"] = str(PROJECT_ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env.update(extra or {})
    # Several Rasa workers only with the Redis lock store they share (bot.rasa_server.lock_store).
    if not env.get("REDIS_URL", "").strip():
        env["SANIC_WORKERS"] = "1"
    workers = max(1, int(env.get("SANIC_WORKERS", "1") or 1))
    if workers > 1:
        # N workers each with 2 TF threads oversubscribe 2 cores: measured 22.5 msg/s with 2 threads
        # per worker vs 29.5 with 1 (make bench, 2 workers, 2 cores). Share the cores out instead.
        env["TF_INTRA_OP_PARALLELISM_THREADS"] = str(max(1, (os.cpu_count() or 2) // workers))
    return env


def action_server(port: int, host: str = "127.0.0.1") -> Service:
    """The private action server (bot.ops.action_server): on `host` only, token required."""
    return Service(
        "action server",
        [str(BIN / "python"), "-m", "bot.ops.action_server", "--port", str(port), "--host", host],
        f"http://{host}:{port}/health",
    )


def rasa_server(
    port: int, model: Path, host: str = "127.0.0.1", cors: tuple[str, ...] | None = None
) -> Service:
    return Service(
        "rasa server",
        [
            str(BIN / "rasa"),
            "run",
            "--model",
            str(model),
            "--port",
            str(port),
            "--interface",
            host,
            "--credentials",
            "credentials.yml",
            "--endpoints",
            "endpoints.yml",
            "--cors",
            *(cors if cors is not None else get_settings().cors_origins),
        ],
        f"http://{host}:{port}/",
    )


def web_app(port: int, host: str = "127.0.0.1") -> Service:
    return Service(
        "web app",
        [
            str(BIN / "python"),
            "-m",
            "uvicorn",
            "bot.web.app:create_app",
            "--factory",
            "--host",
            host,
            "--port",
            str(port),
            "--no-access-log",
            "--ws",
            "none",  # no websockets here; uvicorn's default import breaks on Rasa's pinned websockets
        ],
        f"http://{host}:{port}/",
    )


def wait_healthy(service: Service, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if service.process and service.process.poll() is not None:
            raise RuntimeError(f"{service.name} exited with code {service.process.returncode}")
        try:
            with urllib.request.urlopen(service.health_url, timeout=2) as response:  # noqa: S310 (loopback)
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            pass
        time.sleep(0.3)
    raise TimeoutError(f"{service.name} did not become healthy within {timeout:.0f} s")


def start(
    services: list[Service], env: dict[str, str], log_dir: Path | None = None, timeout: float = 180.0
) -> Stack:
    """Start services in order, each in its own process group, waiting for each to be healthy."""
    stack = Stack()
    try:
        for service in services:
            output = None
            if log_dir is not None:
                log_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
                path = log_dir / f"{service.name.replace(' ', '_')}.log"
                output = os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600), "ab")
            service.process = subprocess.Popen(
                service.command,
                cwd=PROJECT_ROOT,
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT if output else None,
                start_new_session=True,
                umask=PRIVATE_UMASK,
            )
            stack.services.append(service)
            wait_healthy(service, timeout)
    except BaseException:
        stack.stop()
        raise
    return stack


BACKOFF_START_S = 1.0
BACKOFF_MAX_S = 30.0
STABLE_AFTER_S = 60.0


def log(line: str) -> None:
    """The supervisor's own log lines: one line each, on stderr, with the time."""
    print(f"{time.strftime('%Y-%m-%d %H:%M:%S')} supervisor: {line}", file=sys.stderr, flush=True)


def _health_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=0.5) as response:  # noqa: S310 (loopback)
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return False


@dataclass
class Watch:
    """What the supervisor knows about one service between restarts."""

    service: Service
    restarts: int = 0
    backoff: float = BACKOFF_START_S
    up_since: float | None = None  # monotonic time it was last seen healthy after a (re)start
    restart_at: float | None = None  # monotonic time a restart is due
    last_exit: int | None = None


class Supervisor:
    """Keeps a started stack running: a service that dies is restarted with back-off, the others stay.

    `tick()` does one round of watching and never blocks for long, so a slow start of one service
    (the Rasa server loads its model for 20-40 s) does not stop the others from being watched.
    """

    def __init__(
        self,
        stack: Stack,
        env: dict[str, str],
        state_file: Path | None = None,
        log_dir: Path | None = None,
        backoff_start: float = BACKOFF_START_S,
        backoff_max: float = BACKOFF_MAX_S,
        stable_after: float = STABLE_AFTER_S,
    ) -> None:
        self.stack = stack
        self.env = env
        self.state_file = state_file
        self.log_dir = log_dir
        self.backoff_start = backoff_start
        self.backoff_max = backoff_max
        self.stable_after = stable_after
        now = time.monotonic()
        self.watches = [Watch(s, backoff=backoff_start, up_since=now) for s in stack.services]
        self.write_state()

    def _spawn(self, service: Service) -> None:
        output = None
        if self.log_dir is not None:
            path = self.log_dir / f"{service.name.replace(' ', '_')}.log"
            output = os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600), "ab")
        service.process = subprocess.Popen(
            service.command,
            cwd=PROJECT_ROOT,
            env=self.env,
            stdout=output,
            stderr=subprocess.STDOUT if output else None,
            start_new_session=True,
            umask=PRIVATE_UMASK,
        )

    def tick(self) -> None:
        now = time.monotonic()
        changed = False
        for watch in self.watches:
            service = watch.service
            process = service.process
            if watch.restart_at is None and process is not None and process.poll() is not None:
                # Whatever the dead process left behind (Sanic workers, TF threads) goes with it.
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(process.pid, signal.SIGKILL)
                quick = watch.up_since is None or now - watch.up_since < self.stable_after
                if not quick:
                    watch.backoff = self.backoff_start
                watch.last_exit = process.returncode
                watch.restart_at = now + watch.backoff
                watch.up_since = None
                log(
                    f"{service.name} exited with code {process.returncode}; restarting in "
                    f"{watch.backoff:.0f} s (restart {watch.restarts + 1}); the other services keep running"
                )
                watch.backoff = min(self.backoff_max, watch.backoff * 2)
                changed = True
            elif watch.restart_at is not None and now >= watch.restart_at:
                watch.restart_at = None
                watch.restarts += 1
                self._spawn(service)
                log(f"{service.name} restarted (pid {service.process.pid if service.process else '?'})")
                changed = True
            elif watch.restart_at is None and watch.up_since is None and _health_ok(service.health_url):
                watch.up_since = time.monotonic()
                log(f"{service.name} is healthy again")
                changed = True
        if changed:
            self.write_state()

    def state(self) -> dict[str, Any]:
        return {
            "supervisor_pid": os.getpid(),
            "updated": time.time(),
            "services": {
                watch.service.name: {
                    "pid": watch.service.process.pid if watch.service.process else None,
                    "restarts": watch.restarts,
                    "up": watch.up_since is not None,
                    "last_exit": watch.last_exit,
                }
                for watch in self.watches
            },
        }

    def write_state(self) -> None:
        """Atomically replace the state file (read by the web app's /metrics and /ready)."""
        if self.state_file is None:
            return
        try:
            self.state_file.parent.mkdir(parents=True, exist_ok=True)
            temp = self.state_file.with_suffix(".tmp")
            temp.write_text(json.dumps(self.state()), encoding="utf-8")
            os.replace(temp, self.state_file)
        except OSError as error:
            log(f"could not write {self.state_file}: {error}")


def read_state(state_file: Path) -> dict[str, Any] | None:
    """The supervisor's last written state, or None when no supervisor runs (tests, plain uvicorn)."""
    try:
        state = json.loads(state_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    pid = state.get("supervisor_pid")
    if not isinstance(pid, int):
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None  # a file left by a supervisor that is gone
    except PermissionError:
        pass
    return state


def services_for(settings: Settings, model: Path, host: str, cors: tuple[str, ...]) -> list[Service]:
    return [
        action_server(settings.action_port, host),
        rasa_server(settings.rasa_port, model, host, cors),
        web_app(settings.web_port, host),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run the HSG assistant's services in the foreground.")
    parser.add_argument("--model", default=str(PROJECT_ROOT / "models" / "current.tar.gz"))
    parser.add_argument("--host", default=get_settings().bind_host)
    args = parser.parse_args(argv)
    os.umask(PRIVATE_UMASK)
    settings = get_settings()
    services = services_for(settings, Path(args.model), args.host, settings.cors_origins)
    stopping = False

    def request_stop(signum: int, frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    env = service_env()
    shutil.rmtree(settings.run_dir / "metrics", ignore_errors=True)  # counters start at zero with the stack
    stack = start(services, env)
    supervisor = Supervisor(stack, env, state_file=settings.run_dir / "supervisor.json")
    workers = f" · {settings.rasa_workers} Rasa workers" if settings.rasa_workers > 1 else ""
    print(
        f"HSG assistant running: chat http://{args.host}:{settings.web_port}/ · "
        f"nurses http://{args.host}:{settings.web_port}/nurse/ · "
        f"REST http://{args.host}:{settings.rasa_port}/webhooks/rest/webhook{workers}",
        flush=True,
    )
    try:
        while not stopping:
            supervisor.tick()
            time.sleep(0.5)
    finally:
        log("stopping all services")
        stack.stop()
        with contextlib.suppress(OSError):
            supervisor.state_file.unlink()  # type: ignore[union-attr]
    return 0


if __name__ == "__main__":
    sys.exit(main())
