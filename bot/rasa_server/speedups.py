"""Measured hot spots of Rasa 3.6 in this project, fixed without changing what Rasa does.

Found with cProfile on the Rasa server under a REST load (docs/architecture.md, "Speed"):

- `RemoteAction._validate_action_result` calls `jsonschema.validate(response, schema)` for every
  custom action. `validate` first checks the *schema* against the JSON-Schema meta-schema
  (draft 2020-12, full of `$dynamicRef`), every time: about 60 % of the Rasa server's time per
  message went there. The response is still validated against the same schema, by a validator
  built once, so an invalid action server response is refused as before.
- `Event.resolve_by_type` walks every subclass of `Event` (recursively, with `inspect.isabstract` on
  each) for every event it deserialises, i.e. for every event of the conversation on every read
  from the tracker store: about 6 % of the Rasa server's busy time (py-spy, `tools.bench.cpu_bench`).
  The class found for a type name is remembered; unknown names go the original way (a default or
  ValueError, as before).
- `EndpointConfig.request` opened a new aiohttp session, and so a new TCP connection, for every
  custom action call. Sessions are now kept per endpoint and event loop, with keep-alive connections
  closed after KEEPALIVE_S, shorter than the action server's own keep-alive (Sanic's 5 s), so a
  connection is never reused just as the server closes it.

- `ResponseSelector.process` ran its TensorFlow model on every message, about 16 % of the Rasa
  server's busy time, although only a leaflet question, an out-of-scope or an unsure message can use
  the leaflet topic it picks (`bot.answer_policy`, the second opinion). A message the intent
  classifier is sure is something else (a symptom report, a greeting, a date: top intent not `faq` /
  `out_of_scope`, at least SURE_INTENT and SURE_MARGIN ahead of the next, so the FallbackClassifier
  cannot turn it into `nlu_fallback`) is passed on without a selection; every other message gets one
  exactly as before.

`install()` is called once per Rasa worker (by the tracker store, which Rasa builds at start).
"""

from __future__ import annotations

import logging
from typing import Any

from bot.answer_policy import question_as_detail, question_in_small_talk

logger = logging.getLogger(__name__)

_INSTALLED = False


def install() -> None:
    global _INSTALLED
    if _INSTALLED:
        return
    from jsonschema import ValidationError
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.constants import DOCS_BASE_URL

    schema = RemoteAction.action_response_format_spec()
    validator_class = validator_for(schema)
    validator_class.check_schema(schema)  # once, instead of once per action call
    validator = validator_class(schema)

    def _validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
        try:
            validator.validate(result)
            return True
        except ValidationError as error:
            error.message += (
                ". Failed to validate Action server response from API, make sure your response "
                f"from the Action endpoint is valid. For more information about the format visit "
                f"{DOCS_BASE_URL}/custom-actions"
            )
            raise

    RemoteAction._validate_action_result = _validate_action_result  # type: ignore[method-assign]
    _remember_event_classes()
    _keep_endpoint_sessions()
    _select_topics_only_when_usable()
    _INSTALLED = True


# Well above config.yml's FallbackClassifier (threshold 0.45, ambiguity 0.05): a message skipped here is
# one the fallback would never have turned into `nlu_fallback`.
SURE_INTENT = 0.6
SURE_MARGIN = 0.15
_TOPIC_INTENTS = frozenset({"faq", "out_of_scope", "nlu_fallback"})


def needs_topic(message: Any) -> bool:
    """True unless the intent classifier is sure the message is neither a question for the leaflets nor
    out of scope (then no topic would ever be read)."""
    intent = message.get("intent") or {}
    if not intent.get("name") or intent.get("name") in _TOPIC_INTENTS:
        return True
    if question_in_small_talk(intent.get("name"), message.get("text") or ""):
        return True  # "sex same night ok?" taken for a goodbye: the second opinion may revise it
    if question_as_detail(intent.get("name"), message.get("text") or ""):
        return True  # "spotting normal?" taken for a short answer: the second opinion may revise it
    if intent.get("name") == "report_symptom" and (message.get("text") or "").strip():
        from bot.rasa_server.nlu_component import may_be_a_question

        if may_be_a_question(message):
            return True  # "who gives me the results" taken for a report: the analyzer may revise it
    ranking = sorted(
        (float(entry.get("confidence") or 0.0) for entry in message.get("intent_ranking") or []), reverse=True
    )
    confidence = float(intent.get("confidence") or 0.0)
    runner_up = ranking[1] if len(ranking) > 1 else 0.0
    return confidence < SURE_INTENT or confidence - runner_up < SURE_MARGIN


def _select_topics_only_when_usable() -> None:
    from rasa.nlu.selectors.response_selector import ResponseSelector

    original = ResponseSelector.process

    def process(self: ResponseSelector, messages: list[Any]) -> list[Any]:
        wanted = [message for message in messages if needs_topic(message)]
        if wanted:
            original(self, wanted)
        return messages

    ResponseSelector.process = process  # type: ignore[method-assign]


KEEPALIVE_S = 2.0


class _KeptSession:
    """`async with` yields the shared session and leaves it open."""

    def __init__(self, session: Any) -> None:
        self._session = session

    async def __aenter__(self) -> Any:
        return self._session

    async def __aexit__(self, *exc: object) -> bool:
        return False


def _keep_endpoint_sessions() -> None:
    import asyncio

    import aiohttp
    from rasa.utils.endpoints import DEFAULT_REQUEST_TIMEOUT, EndpointConfig

    sessions: dict[tuple[int, str, tuple[tuple[str, str], ...], tuple[str, str] | None], Any] = {}

    def session(self: EndpointConfig) -> Any:
        loop = asyncio.get_running_loop()
        auth = self.basic_auth or {}
        credentials = (auth["username"], auth["password"]) if auth else None
        key = (id(loop), str(self.url), tuple(sorted((self.headers or {}).items())), credentials)
        kept = sessions.get(key)
        if kept is None or kept.closed:
            kept = aiohttp.ClientSession(
                headers=self.headers,
                auth=aiohttp.BasicAuth(*credentials) if credentials else None,
                timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT),
                connector=aiohttp.TCPConnector(keepalive_timeout=KEEPALIVE_S),
            )
            sessions[key] = kept
        return _KeptSession(kept)

    EndpointConfig.session = session  # type: ignore[method-assign,assignment]


def _remember_event_classes() -> None:
    from rasa.shared.core.events import Event

    original = Event.resolve_by_type
    known: dict[str, type] = {}

    def resolve_by_type(type_name: str, default: type | None = None) -> type | None:
        found = known.get(type_name)
        if found is not None:
            return found
        resolved = original(type_name, default)
        if resolved is not None and getattr(resolved, "type_name", None) == type_name:
            known[type_name] = resolved
        return resolved

    Event.resolve_by_type = staticmethod(resolve_by_type)  # type: ignore[method-assign,assignment]
