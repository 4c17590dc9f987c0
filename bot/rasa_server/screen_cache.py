"""One symptom screen per message, shared inside the Rasa server process.

The NLU component (`HsgMessageAnalyzer`) screens every message with the rule-based triage
extraction. It keeps the result in the message's parse data (`hsg_screen`, which the actions read
from the tracker) and here, keyed by text and language, for the channel's safety net: a message the
screen found not escalating needs no second analysis after Rasa has answered.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

SIZE = 2048
_SCREENS: OrderedDict[tuple[str, str], tuple[bool, str | None]] = OrderedDict()
_LOCK = threading.Lock()


def remember(text: str, lang: str, is_report: bool, level: str | None) -> None:
    with _LOCK:
        _SCREENS[(text, lang)] = (is_report, level)
        _SCREENS.move_to_end((text, lang))
        while len(_SCREENS) > SIZE:
            _SCREENS.popitem(last=False)


def lookup(text: str, lang: str) -> tuple[bool, str | None] | None:
    """(is a report, level) if the NLU component screened this text in this language, else None."""
    with _LOCK:
        return _SCREENS.get((text, lang))
