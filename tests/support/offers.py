"""Find a message that gets a "did you mean" offer from the running model.

Whether a vague message is answered or offered depends on the trained model, so the tests of the
offer's mechanics (buttons, numbered SMS choices, choosing one) do not hard-code one sentence: they
try a few vague messages, written for this purpose, and use the first that is offered. The test
still fails when none of them is, which would mean the assistant never offers topics at all.
"""

from __future__ import annotations

import uuid
from typing import Any

VAGUE = {
    "en": [
        "and afterwards?",
        "question about driving and painkillers",
        "can I do that",
        "question about the tubes and the pain",
        "how long and does it hurt",
        "the liquid and my allergy",
        "before or after, what about medicine",
        "hsg and afterwards",
        "what about the x-ray",
    ],
    "nl": [
        "vraag over rijden en pijnstillers",
        "mag ik dat",
        "wat moet ik doen",
        "vraag over de eileiders en pijn",
        "hoe lang en doet het pijn",
        "de vloeistof en mijn allergie",
        "voor of na, hoe zit het met medicijnen",
        "hsg en daarna",
        "hoe zit het met de röntgenfoto",
    ],
}


def offer_of(replies: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The reply that carries the offer (text, buttons and `custom.offer.topics`), if any."""
    for reply in replies:
        if isinstance((reply.get("custom") or {}).get("offer"), dict):
            return reply
    return None


def find_offered(stack: Any, lang: str) -> tuple[str, dict[str, Any]]:
    """A vague message in `lang` and the offer it gets on a fresh conversation."""
    for text in VAGUE[lang]:
        reply = offer_of(stack.say("probe-" + uuid.uuid4().hex, text))
        if reply is not None:
            return text, reply
    raise AssertionError(f"none of the vague {lang} messages got a did-you-mean offer: {VAGUE[lang]}")
