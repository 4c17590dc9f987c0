"""The action server, private: rasa_sdk's Sanic app on HSG_BIND, refusing calls without ACTION_SERVER_TOKEN.

`rasa run actions` listens on 0.0.0.0 with no authentication, so anyone who can reach the port
can run `action_triage` with their own tracker and store an escalation in any patient's name.
This module starts the same app (rasa_sdk.endpoint.create_app) on the configured interface
(loopback by default), with no CORS, and checks a shared secret before every route except
`GET /health`. Rasa sends the secret in the `X-Action-Token` header (endpoints.yml). Without a
configured token the server does not start: `make run` generates one per run.

    python -m bot.ops.action_server --port 5055 [--host 127.0.0.1]
"""

from __future__ import annotations

import argparse
import hmac
import logging
import sys

from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.config import get_settings

logger = logging.getLogger(__name__)

TOKEN_HEADER = "X-Action-Token"  # noqa: S105 (a header name, not a secret)
OPEN_PATHS = frozenset({"/health"})
MAX_ACTION_CALL_BYTES = 8 * 1024 * 1024  # an action call carries the whole tracker


def token_ok(expected: str, given: str | None) -> bool:
    return bool(expected) and bool(given) and hmac.compare_digest(expected.encode(), given.encode())


def create_app(token: str, actions_package: str = "actions"):  # noqa: ANN201 (a Sanic app)
    """rasa_sdk's app with the token check in front of everything but /health."""
    from rasa_sdk.endpoint import create_app as create_sdk_app

    app = create_sdk_app(actions_package, cors_origins=None)
    app.config.REQUEST_MAX_SIZE = MAX_ACTION_CALL_BYTES

    async def require_token(request: Request) -> HTTPResponse | None:
        if request.path in OPEN_PATHS and request.method in ("GET", "HEAD"):
            return None
        if not token_ok(token, request.headers.get(TOKEN_HEADER)):
            logger.warning("refused an action server call without a valid token")
            return response.json({"error": "unauthorized"}, status=401)
        return None

    app.register_middleware(require_token, "request")
    return app


# The action server runs no model. spaCy's thinc looks for these frameworks at import and, when one is
# installed (TensorFlow is, for Rasa), loads it: ~365 MB and ~2 s per action-server process for nothing.
UNUSED_FRAMEWORKS = ("tensorflow", "torch", "jax", "mxnet", "cupy")


def skip_unused_frameworks() -> None:
    """Make the ML frameworks look absent in this process (before spaCy is imported).

    A `None` entry in sys.modules makes `import tensorflow` raise ImportError, which thinc treats as
    "not installed". Only the action server does this; the Rasa server needs TensorFlow.
    """
    for name in UNUSED_FRAMEWORKS:
        sys.modules.setdefault(name, None)  # type: ignore[arg-type]


def main(argv: list[str] | None = None) -> int:
    skip_unused_frameworks()
    settings = get_settings()
    parser = argparse.ArgumentParser(description="The HSG assistant's action server (private).")
    parser.add_argument("--port", type=int, default=settings.action_port)
    parser.add_argument("--host", default=settings.bind_host)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    if not settings.action_server_token:
        print("ACTION_SERVER_TOKEN is not set: the action server will not run unprotected", file=sys.stderr)
        return 2
    from rasa_sdk.utils import number_of_sanic_workers

    from bot.triage import warm_up

    warm_up()  # the spaCy pipelines now, not on the first red flag (3-4 s: past the turn bound)
    app = create_app(settings.action_server_token)
    logger.info("action server on %s:%d (token required)", args.host, args.port)
    app.run(args.host, args.port, workers=number_of_sanic_workers(), access_log=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
