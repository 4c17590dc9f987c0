"""`make run`: start every service in the foreground and watch them.

Test and benchmark stacks on free ports are built from the same pieces in `tools/stack.py`.

Three processes: the action server, the Rasa server (REST, Twilio channels) and the web app. They
start in dependency order, each is waited for on its health URL, and a signal (Ctrl-C, SIGTERM)
or the death of any one of them stops all of them.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from bot.config import PROJECT_ROOT, get_settings

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
    env.setdefault("TF_INTRA_OP_PARALLELISM_THREADS", "2")
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    env.setdefault("PYTHONUNBUFFERED", "1")
    env["PYTHONPATH"] = str(PROJECT_ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env.update(extra or {})
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run the HSG assistant's services in the foreground.")
    parser.add_argument("--model", default=str(PROJECT_ROOT / "models" / "current.tar.gz"))
    parser.add_argument("--host", default=get_settings().bind_host)
    args = parser.parse_args(argv)
    os.umask(PRIVATE_UMASK)
    settings = get_settings()
    services = [
        action_server(settings.action_port, args.host),
        rasa_server(settings.rasa_port, Path(args.model), args.host, settings.cors_origins),
        web_app(settings.web_port, args.host),
    ]
    stopping = False

    def request_stop(signum: int, frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    stack = start(services, service_env())
    print(
        f"HSG assistant running: chat http://{args.host}:{settings.web_port}/ · "
        f"nurses http://{args.host}:{settings.web_port}/nurse/ · "
        f"REST http://{args.host}:{settings.rasa_port}/webhooks/rest/webhook",
        flush=True,
    )
    try:
        while not stopping:
            for service in stack.services:
                if service.process and service.process.poll() is not None:
                    print(
                        f"{service.name} stopped (code {service.process.returncode}); stopping all",
                        file=sys.stderr,
                        flush=True,
                    )
                    stopping = True
            time.sleep(0.5)
    finally:
        stack.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
