"""A "did you mean" offer by SMS: the topics as numbered choices, and a bare number picks one."""

from __future__ import annotations

from typing import Any

import pytest

from bot.clinic import get_profile
from bot.phone.sms_format import format_for_phone
from tests.channels.test_channels_twilio_stack import bodies_to, new_number, post
from tests.support.offers import find_offered

pytestmark = pytest.mark.stack


def test_offer_by_sms_is_numbered_and_a_number_answers_that_topic(stack: Any) -> None:
    text, offer = find_offered(stack, "en")
    patient = new_number()
    assert post(stack, patient, text).status_code == 200
    [body] = bodies_to(stack, patient)
    buttons = offer["buttons"]
    for number, button in enumerate(buttons, start=1):
        assert f"{number}. {button['title']}" in body
    assert body.rstrip().endswith(f"{len(buttons)}. Something else")
    assert "/faq" not in body, "payloads are never shown to the patient"

    post(stack, patient, "1")
    answer = bodies_to(stack, patient, 2)[1:]
    expected = format_for_phone(stack.say("web2-" + patient.lstrip("+"), buttons[0]["payload"])).bodies
    assert answer == expected


def test_something_else_by_number_gives_the_numbers_to_call(stack: Any) -> None:
    text, offer = find_offered(stack, "nl")
    patient = new_number()
    post(stack, patient, text)
    bodies_to(stack, patient)
    post(stack, patient, str(len(offer["buttons"])))
    reply = " ".join(bodies_to(stack, patient, 2)[1:])
    assert "Iets anders" not in reply
    profile = get_profile()
    assert profile.clinic_phone in reply and profile.emergency_number in reply
