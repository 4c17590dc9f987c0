"""Configuration, read from the environment in one place.

Every service (Rasa server components, action server, web app, CLI) calls `get_settings()`;
nothing else reads `os.environ`. Secrets (Twilio token, session secret) only ever come from here.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import lru_cache
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _env(name: str, default: str) -> str:
    value = os.environ.get(name, "").strip()
    return value or default


@dataclass(frozen=True)
class Settings:
    """Runtime settings; defaults give the embedded setup (SQLite under var/, local ports)."""

    database_url: str
    clinic_profile: Path
    rasa_port: int
    action_port: int
    web_port: int
    rasa_url: str
    action_server_url: str
    public_base_url: str
    twilio_account_sid: str
    twilio_auth_token: str
    twilio_number: str
    twilio_api_base: str
    secret_key: str
    secure_cookies: bool
    bind_host: str
    action_server_token: str
    cors_origins: tuple[str, ...]
    var_dir: Path
    max_message_chars: int
    outreach_every_s: float  # check-in scheduler and on-call alerts in the web app; 0 switches them off
    redis_url: str
    rasa_workers: int
    turn_timeout_s: float
    fixed_today: date | None = None
    fixed_time: time | None = None

    @property
    def https(self) -> bool:
        """Served over HTTPS (PUBLIC_BASE_URL): cookies get the Secure flag, responses HSTS."""
        return self.public_base_url.startswith("https://")

    @property
    def outbox_dir(self) -> Path:
        """Where escalations wait when the database cannot be reached."""
        return self.var_dir / "outbox"

    @property
    def run_dir(self) -> Path:
        """Supervisor state and the metrics the Rasa and action server processes write."""
        return self.var_dir / "run"


def default_cors_origins(web_port: int) -> tuple[str, ...]:
    """Without HSG_CORS_ORIGINS only the web app's own chat page on this machine may call Rasa."""
    return (f"http://127.0.0.1:{web_port}", f"http://localhost:{web_port}")


def parse_origins(value: str) -> tuple[str, ...]:
    """Origins separated by spaces or commas, without trailing slashes."""
    return tuple(origin.rstrip("/") for origin in value.replace(",", " ").split())


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Read the environment once per process (tests call `get_settings.cache_clear()`)."""
    var_dir = Path(_env("HSG_VAR_DIR", str(PROJECT_ROOT / "var")))
    rasa_port = int(_env("RASA_PORT", "5005"))
    action_port = int(_env("ACTION_PORT", "5055"))
    web_port = int(_env("WEB_PORT", "8000"))
    public_base_url = _env("PUBLIC_BASE_URL", "http://localhost:5005").rstrip("/")
    cors = parse_origins(_env("HSG_CORS_ORIGINS", " ".join(default_cors_origins(web_port))))
    fixed_today, fixed_time = _fixed_clock(_env("HSG_TODAY", ""))
    return Settings(
        database_url=_env("DATABASE_URL", f"sqlite:///{var_dir / 'hsg.db'}"),
        clinic_profile=Path(_env("CLINIC_PROFILE", str(PROJECT_ROOT / "profiles" / "demo.yml"))),
        rasa_port=rasa_port,
        action_port=action_port,
        web_port=web_port,
        rasa_url=_env("RASA_URL", f"http://127.0.0.1:{rasa_port}"),
        action_server_url=_env("ACTION_SERVER_URL", f"http://127.0.0.1:{action_port}/webhook"),
        public_base_url=public_base_url,
        twilio_account_sid=_env("TWILIO_ACCOUNT_SID", ""),
        twilio_auth_token=_env("TWILIO_AUTH_TOKEN", ""),
        twilio_number=_env("TWILIO_NUMBER", ""),
        twilio_api_base=_env("TWILIO_API_BASE", ""),
        secret_key=_env("HSG_SECRET_KEY", ""),
        secure_cookies=_env("HSG_SECURE_COOKIES", "0") == "1" or public_base_url.startswith("https://"),
        bind_host=_env("HSG_BIND", "127.0.0.1"),
        action_server_token=_env("ACTION_SERVER_TOKEN", ""),
        cors_origins=cors,
        var_dir=var_dir,
        max_message_chars=int(_env("HSG_MAX_MESSAGE_CHARS", "2000")),
        outreach_every_s=float(_env("HSG_OUTREACH_EVERY_S", "30")),
        # Several Rasa workers need a lock store they share: without Redis there is one worker.
        redis_url=_env("REDIS_URL", ""),
        rasa_workers=max(1, int(_env("SANIC_WORKERS", "1"))) if _env("REDIS_URL", "") else 1,
        turn_timeout_s=float(_env("HSG_TURN_TIMEOUT_S", "8")),
        fixed_today=fixed_today,
        fixed_time=fixed_time,
    )


def _fixed_clock(value: str) -> tuple[date | None, time | None]:
    """`HSG_TODAY` as "2026-11-24" (that day, the real time of day) or "2026-11-24T12:00" (both fixed:
    an evaluation set written for noon, where "HSG yesterday at 4pm" is 20 hours ago, not 24)."""
    if not value:
        return None, None
    day, _, clock = value.partition("T")
    return date.fromisoformat(day), (time.fromisoformat(clock) if clock else None)


def now() -> datetime:
    """The current local time; with `HSG_TODAY=YYYY-MM-DD[THH:MM]` (tests and evaluations only) that day.

    Relative dates and durations ("since Friday", "3 days after the HSG") are worked out from this
    clock, so an evaluation set written for one Monday gives the same figures on any other day.
    """
    current = datetime.now()
    settings = get_settings()
    fixed = settings.fixed_today
    return datetime.combine(fixed, settings.fixed_time or current.time()) if fixed else current


def today() -> date:
    """`now().date()`: the day relative dates are counted from."""
    return now().date()
