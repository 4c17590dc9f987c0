"""What a numbered reply ("1", "2" …) means for each phone sender: the last choices they were offered.

Kept in the Rasa server's memory, bounded in size and age, because it only has to bridge the few
minutes between a question and its answer; after a restart a bare number simply goes to the
assistant as text. Newer replies without choices forget the old ones, so a "1" sent much later is
never mistaken for an answer to a stale question.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from bot.phone.sms_format import choice_payload


class ChoiceMemory:
    def __init__(
        self,
        max_senders: int = 10_000,
        ttl_seconds: float = 24 * 3600,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._max = max_senders
        self._ttl = ttl_seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._entries: OrderedDict[str, tuple[float, dict[str, str]]] = OrderedDict()

    def remember(self, sender: str, choices: dict[str, str]) -> None:
        """Replace the sender's choices (an empty dict forgets them)."""
        with self._lock:
            self._entries.pop(sender, None)
            if choices:
                self._entries[sender] = (self._clock(), dict(choices))
                while len(self._entries) > self._max:
                    self._entries.popitem(last=False)

    def resolve(self, sender: str, text: str) -> str | None:
        """The payload a bare number from this sender stands for, or None to pass the text on as is."""
        with self._lock:
            entry = self._entries.get(sender)
            if entry is None:
                return None
            stamp, choices = entry
            if self._clock() - stamp > self._ttl:
                del self._entries[sender]
                return None
        return choice_payload(text, choices)

    def __len__(self) -> int:
        return len(self._entries)
