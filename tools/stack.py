"""A whole stack on free loopback ports, for tests and benchmarks (never used by `make run`).

Built from the same service definitions as the supervisor, so tests run what production runs.
"""

from __future__ import annotations

import contextlib
import socket
import sys
from dataclasses import dataclass
from pathlib import Path

from bot.config import default_cors_origins, parse_origins
from bot.ops.supervisor import Service, Stack, action_server, rasa_server, service_env, start, web_app


def free_port() -> int:
    """A free TCP port on loopback (for tests and benchmarks that run their own stack)."""
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class IsolatedStack:
    """A whole stack on free loopback ports with its own database and var/ folder."""

    rasa_url: str
    action_url: str
    web_url: str
    database_url: str
    var_dir: Path
    env: dict[str, str]
    log_dir: Path
    services: dict[str, Service]
    stack: Stack

    def stop_service(self, name: str) -> None:
        Stack([self.services[name]]).stop()

    def start_service(self, name: str) -> None:
        old = self.services[name]
        new = Service(old.name, old.command, old.health_url)
        start([new], self.env, self.log_dir)
        self.services[name] = new
        self.stack.services = [new if service is old else service for service in self.stack.services]

    def stop(self) -> None:
        self.stack.stop()

    def logs(self, tail: int = 4000) -> str:
        return "\n".join(
            f"--- {log.name}\n{log.read_text(errors='replace')[-tail:]}"
            for log in sorted(self.log_dir.glob("*.log"))
        )


def start_isolated(
    base: Path, model: Path, extra_env: dict[str, str] | None = None, with_web: bool = True
) -> IsolatedStack:
    """Start action server, Rasa server and (optionally) the web app under `base`, migrated and healthy."""
    from bot.privacy import private_dir
    from bot.storage.db import upgrade

    var_dir = private_dir(base / "var")
    database_url = (extra_env or {}).get("DATABASE_URL") or f"sqlite:///{var_dir / 'hsg.db'}"
    ports = {"rasa": free_port(), "action": free_port(), "web": free_port()}
    env = service_env(
        {
            "DATABASE_URL": database_url,
            "HSG_VAR_DIR": str(var_dir),
            "RASA_PORT": str(ports["rasa"]),
            "ACTION_PORT": str(ports["action"]),
            "WEB_PORT": str(ports["web"]),
            "ACTION_SERVER_URL": f"http://127.0.0.1:{ports['action']}/webhook",
            "PUBLIC_BASE_URL": f"http://127.0.0.1:{ports['rasa']}",
            **(extra_env or {}),
        }
    )
    upgrade(database_url)
    # The stack's own chat page may always call Rasa; HSG_CORS_ORIGINS adds origins (an embedding page).
    cors = default_cors_origins(ports["web"]) + parse_origins((extra_env or {}).get("HSG_CORS_ORIGINS", ""))
    services = {
        "action": action_server(ports["action"]),
        "rasa": rasa_server(ports["rasa"], model, cors=cors),
    }
    if with_web:
        services["web"] = web_app(ports["web"])
    log_dir = base / "logs"
    isolated = IsolatedStack(
        rasa_url=f"http://127.0.0.1:{ports['rasa']}",
        action_url=f"http://127.0.0.1:{ports['action']}",
        web_url=f"http://127.0.0.1:{ports['web']}",
        database_url=database_url,
        var_dir=var_dir,
        env=env,
        log_dir=log_dir,
        services=services,
        stack=Stack(),
    )
    try:
        isolated.stack = start(list(services.values()), env, log_dir)
    except BaseException:
        print(isolated.logs(), file=sys.stderr)
        raise
    return isolated
