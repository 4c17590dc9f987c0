"""The cached action-response validator (bot.rasa_server.speedups) refuses what Rasa's own refuses."""

from __future__ import annotations

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction

from bot.rasa_server import speedups

VALID = {"events": [{"event": "slot", "name": "language", "value": "nl"}], "responses": [{"text": "Hallo"}]}
INVALID = [{"events": "not a list"}, {"responses": "not a list"}, {"events": [{"no": "event"}]}]


@pytest.mark.parametrize("response", INVALID)
def test_invalid_action_responses_are_refused_as_before(response: dict) -> None:
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(response, RemoteAction.action_response_format_spec())
    speedups.install()
    with pytest.raises(jsonschema.ValidationError) as refused:
        RemoteAction._validate_action_result(None, response)  # type: ignore[arg-type]
    assert "Failed to validate Action server response" in refused.value.message


def test_a_valid_response_passes() -> None:
    speedups.install()
    assert RemoteAction._validate_action_result(None, VALID) is True  # type: ignore[arg-type]


def test_event_types_resolve_as_before() -> None:
    from rasa.shared.core.events import Event, SlotSet, UserUttered

    speedups.install()
    assert Event.resolve_by_type("user") is UserUttered
    assert Event.resolve_by_type("user") is UserUttered  # the remembered answer
    assert Event.resolve_by_type("slot") is SlotSet
    assert Event.resolve_by_type("no_such_event", default=SlotSet) is SlotSet
    with pytest.raises(ValueError):
        Event.resolve_by_type("no_such_event")
    event = Event.from_parameters({"event": "slot", "name": "language", "value": "nl"})
    assert isinstance(event, SlotSet) and event.value == "nl"


def test_endpoint_sessions_are_kept_and_still_send_headers() -> None:
    """One session per endpoint and loop, left open by `async with`; headers still go with every call."""
    import asyncio

    from aiohttp import web
    from rasa.utils.endpoints import EndpointConfig

    speedups.install()
    seen: list[str | None] = []

    async def handler(request: web.Request) -> web.Response:
        seen.append(request.headers.get("X-Test"))
        return web.json_response({"ok": True})

    async def scenario() -> None:
        app = web.Application()
        app.router.add_post("/webhook", handler)
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        endpoint = EndpointConfig(f"http://127.0.0.1:{port}/webhook", headers={"X-Test": "yes"})
        try:
            assert await endpoint.request(json={"a": 1}) == {"ok": True}
            async with endpoint.session() as first:
                pass
            async with endpoint.session() as second:
                pass
            assert first is second and not first.closed
            assert await endpoint.request(json={"a": 2}) == {"ok": True}
            await first.close()
        finally:
            await runner.cleanup()

    asyncio.run(scenario())
    assert seen == ["yes", "yes"]


@pytest.mark.parametrize(
    ("intent", "confidence", "runner_up", "needed", "text"),
    [
        ("faq", 0.99, 0.0, True, "some words"),  # a leaflet question: always a topic
        ("out_of_scope", 0.95, 0.01, True, "some words"),  # the second opinion may revise it to faq
        # sure, and the rules read a report too: not a question for the leaflets
        ("report_symptom", 0.97, 0.02, False, "I have been soaking a pad every hour since the hsg"),
        # sure, but the rules read nothing about the body: the analyzer may revise it to faq
        ("report_symptom", 0.97, 0.02, True, "who tells me what the pictures showed"),
        ("greet", 0.9, 0.05, False, "some words"),
        ("report_symptom", 0.55, 0.3, True, "some words"),  # unsure: the fallback may make it nlu_fallback
        ("greet", 0.7, 0.6, True, "some words"),  # close to the next intent
        # a short answer that asks ("bleeding normal?"): the second opinion may revise it to faq
        ("inform_detail", 0.9, 0.05, True, "bleeding normal?"),
        ("inform_detail", 0.9, 0.05, False, "about three days"),  # an answer: no topic
    ],
)
def test_the_topic_is_selected_whenever_it_could_be_read(
    intent: str, confidence: float, runner_up: float, needed: bool, text: str
) -> None:
    from rasa.shared.nlu.training_data.message import Message

    from bot.rasa_server.speedups import needs_topic

    message = Message(
        data={
            "text": text,
            "intent": {"name": intent, "confidence": confidence},
            "intent_ranking": [
                {"name": intent, "confidence": confidence},
                {"name": "other", "confidence": runner_up},
            ],
        }
    )
    assert needs_topic(message) is needed
