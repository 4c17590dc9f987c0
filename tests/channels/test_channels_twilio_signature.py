"""The Twilio webhook: Twilio's signature or 403, required fields or 400, replies formatted for a phone.

Requests are signed with Twilio's real RequestValidator; replies go through the real Twilio Client
to the fake Messages API.
"""

from __future__ import annotations

import uuid
from typing import Any

from bot.clinic import get_profile
from bot.content.render import render_message
from bot.phone.sms_format import MAX_BODY_CHARS, utf16_len
from bot.rasa_server.twilio_channel import WEBHOOK_PATH, parse_form, signature_valid
from tests.channels.conftest import AUTH_TOKEN, OUR_NUMBER, ChannelServer
from tests.support.fake_twilio import twilio_signature

PATIENT = "+31612345678"


def form(body: str = "How long does the HSG take?", sender: str = PATIENT) -> dict[str, str]:
    return {
        "MessageSid": "SM" + uuid.uuid4().hex,
        "AccountSid": "AC" + "1" * 32,
        "From": sender,
        "To": OUR_NUMBER,
        "Body": body,
        "NumMedia": "0",
    }


def test_validator_accepts_twilio_signature_and_nothing_else() -> None:
    url = "https://assistant.example.org" + WEBHOOK_PATH
    fields = [("From", PATIENT), ("Body", "hi"), ("MediaUrl0", "")]
    params = parse_form(b"From=%2B31612345678&Body=hi&MediaUrl0=")
    assert params == {"From": [PATIENT], "Body": ["hi"], "MediaUrl0": [""]}
    good = twilio_signature(AUTH_TOKEN, url, fields)
    assert signature_valid(AUTH_TOKEN, url, params, good)
    assert not signature_valid(AUTH_TOKEN, url, params, None)
    assert not signature_valid(AUTH_TOKEN, url, params, "")
    assert not signature_valid("", url, params, good), "no token configured: nothing is valid"
    assert not signature_valid(AUTH_TOKEN, url, params, twilio_signature("other-token", url, fields))
    assert not signature_valid(AUTH_TOKEN, url + "x", params, good)


def test_signed_sms_gets_reply_on_sms(channel_server: ChannelServer) -> None:
    response = channel_server.post(form())
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/xml")
    assert "<Response>" in response.text
    [received] = channel_server.assistant.received
    assert received.text == "How long does the HSG take?"
    assert received.sender_id == "sms:" + PATIENT, "phone conversations carry their channel"
    assert received.input_channel == "twilio"
    [sent] = channel_server.fake.messages
    assert sent["To"] == PATIENT
    assert sent["From"] == OUR_NUMBER
    assert sent["Body"] == "You said: How long does the HSG take?"
    assert sent["_account_sid"] == "AC" + "1" * 32


def test_whatsapp_reply_keeps_the_whatsapp_prefix(channel_server: ChannelServer) -> None:
    sender = "whatsapp:" + PATIENT
    assert channel_server.post(form("Hallo", sender=sender)).status_code == 200
    assert channel_server.assistant.received[0].sender_id == sender
    [sent] = channel_server.fake.messages
    assert sent["To"] == sender
    assert sent["From"] == "whatsapp:" + OUR_NUMBER


def test_missing_signature_is_refused_before_the_conversation(channel_server: ChannelServer) -> None:
    response = channel_server.post(form(), signature=None)
    assert response.status_code == 403
    assert channel_server.assistant.received == []
    assert channel_server.fake.messages == []


def test_wrong_signatures_are_refused(channel_server: ChannelServer) -> None:
    assert channel_server.post(form(), token="not-the-token").status_code == 403
    assert channel_server.post(form(), signature="").status_code == 403
    assert channel_server.post(form(), signature="bm90IGEgc2lnbmF0dXJl").status_code == 403
    # Signed for another address (the request was meant for someone else, or replayed elsewhere).
    other = "https://evil.example.org/webhooks/twilio/webhook"
    assert channel_server.post(form(), signed_url=other).status_code == 403
    # A correct signature for other form values: the body was changed on the way.
    signature = twilio_signature(AUTH_TOKEN, channel_server.public_url, list(form("hello").items()))
    assert channel_server.post(form("send money"), signature=signature).status_code == 403
    assert channel_server.assistant.received == []
    assert channel_server.fake.messages == []


def test_missing_fields_are_a_clear_400(channel_server: ChannelServer) -> None:
    without_body = {key: value for key, value in form().items() if key != "Body"}
    response = channel_server.post(without_body)
    assert response.status_code == 400
    assert "Body" in response.json()["error"]
    without_from = {key: value for key, value in form().items() if key != "From"}
    response = channel_server.post(without_from)
    assert response.status_code == 400
    assert "From" in response.json()["error"]
    # Unsigned and incomplete: the signature is checked first.
    assert channel_server.post(without_from, signature=None).status_code == 403
    assert channel_server.assistant.received == []
    assert channel_server.fake.messages == []


def test_empty_body_gets_a_reply_without_reaching_the_assistant(channel_server: ChannelServer) -> None:
    assert channel_server.post(form("   ")).status_code == 200
    assert channel_server.assistant.received == []
    [sent] = channel_server.fake.messages
    lang = get_profile().default_language
    assert sent["Body"] == render_message("empty", lang, get_profile().context(lang))


def test_non_gsm_text_arrives_intact(channel_server: ChannelServer) -> None:
    text = "Ağrım var 😣 — één vraag: mag ik zwemmen? İyi günler ✓"
    assert channel_server.post(form(text)).status_code == 200
    assert channel_server.assistant.received[0].text == text
    assert channel_server.fake.messages[0]["Body"] == f"You said: {text}"


def test_inverted_exclamation_is_an_at_sign_on_sms_only(channel_server: ChannelServer) -> None:
    channel_server.post(form("mail me¡example.org"))
    channel_server.post(form("¡Hola!", sender="whatsapp:" + PATIENT))
    assert [m.text for m in channel_server.assistant.received] == ["mail me@example.org", "¡Hola!"]


def test_long_patient_text_is_cut_and_the_patient_told(channel_server: ChannelServer) -> None:
    assert channel_server.post(form("Is-this-normal?" * 400)).status_code == 200
    assert len(channel_server.assistant.received[0].text) == 2000
    bodies = [message["Body"] for message in channel_server.fake.messages]
    lang = get_profile().default_language
    assert bodies[-1] == render_message("too_long", lang, get_profile().context(lang))
    assert all(utf16_len(body) <= MAX_BODY_CHARS for body in bodies)


def test_long_reply_is_split_in_order(channel_server: ChannelServer) -> None:
    sentences = [f"Sentence number {n} explains one more detail about the procedure 🙂." for n in range(80)]
    channel_server.assistant.replies = [{"text": " ".join(sentences)}]
    assert channel_server.post(form()).status_code == 200
    bodies = [message["Body"] for message in channel_server.fake.messages]
    assert len(bodies) >= 3
    assert all(utf16_len(body) <= MAX_BODY_CHARS for body in bodies)
    assert all(body.endswith("🙂.") for body in bodies), "cut at sentence ends"
    assert " ".join(bodies) == " ".join(sentences)


def test_buttons_become_numbers_and_a_number_picks_the_payload(channel_server: ChannelServer) -> None:
    channel_server.assistant.replies = [
        {
            "text": "What would you like to know?",
            "buttons": [
                {"title": "When in my cycle?", "payload": "When in my cycle should the HSG be done?"},
                {"title": "What is normal after?", "payload": "What is normal after the HSG?"},
            ],
        }
    ]
    channel_server.post(form("hello"))
    assert channel_server.fake.messages[0]["Body"] == (
        "What would you like to know?\n\n1. When in my cycle?\n2. What is normal after?"
    )
    channel_server.assistant.replies = [{"text": "After the HSG …"}]
    channel_server.post(form("2"))
    assert channel_server.assistant.received[1].text == "What is normal after the HSG?"
    # The last reply offered no choices: a later "2" is just text.
    channel_server.post(form("2"))
    assert channel_server.assistant.received[2].text == "2"
    # Another sender's "1" is not mapped to this sender's choices.
    channel_server.post(form("1", sender="+31698765432"))
    assert channel_server.assistant.received[3].text == "1"


def test_red_flag_advice_is_sent_first(channel_server: ChannelServer) -> None:
    urgent: dict[str, Any] = {
        "text": "Please contact the clinic today.",
        "custom": {"triage": {"level": "urgent", "reasons": ["fever"], "call": "+31 20 555 0100"}},
    }
    channel_server.assistant.replies = [
        {"text": "**Thanks** for telling me."},
        urgent,
        {"text": "Anything else?"},
    ]
    channel_server.post(form("I have a fever of 39"))
    assert [m["Body"] for m in channel_server.fake.messages] == [
        "Please contact the clinic today.",
        "Thanks for telling me.",
        "Anything else?",
    ]


def test_twilio_server_error_is_retried_and_client_error_is_not(channel_server: ChannelServer) -> None:
    channel_server.fake.fail_next = [503]
    channel_server.post(form("first"))
    assert [m["Body"] for m in channel_server.fake.messages] == ["You said: first"]
    channel_server.fake.fail_next = [400]
    assert channel_server.post(form("second")).status_code == 200
    assert [m["Body"] for m in channel_server.fake.messages] == ["You said: first"]
    channel_server.post(form("third"))
    assert [m["Body"] for m in channel_server.fake.messages][-1] == "You said: third"
