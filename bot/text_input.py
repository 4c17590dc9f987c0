"""Patient text as it enters the system: cleaned once, the same way for every channel and writer.

Why: a widget may cut a message inside an emoji and send half a UTF-16 surrogate pair, which no
UTF-8 encoder accepts (triage, the tracker store and the action call then fail and decide nothing);
PostgreSQL refuses NUL in text, which used to send an emergency escalation to `.bad` instead of the
inbox; other control and bidirectional-override characters only disguise what a nurse reads.
"""

from __future__ import annotations

import re

# Lone surrogates (a well-formed pair is one code point in a Python str), C0/C1 controls except tab
# and newline, and the bidirectional embedding/override/isolate controls.
_UNWANTED = re.compile("[\ud800-\udfff\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def clean_text(text: object) -> str:
    """The text without characters that cannot be stored, encoded or safely shown; `\\r\\n` becomes `\\n`."""
    if not isinstance(text, str):
        return ""
    return _UNWANTED.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def bound_text(text: object, limit: int) -> tuple[str, bool]:
    """Cleaned text cut to `limit` code points, and whether anything was cut."""
    clean = clean_text(text)
    return clean[:limit], len(clean) > limit
