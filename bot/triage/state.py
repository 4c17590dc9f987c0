"""The triage state kept between turns (in a Rasa slot): plain JSON, so any process can resume it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

_VERSION = 1


@dataclass
class TriageState:
    """Facts known so far in this conversation, the question waiting for an answer, the level given.

    `level` only goes up within a conversation: a later message with fewer details does not undo an
    earlier red flag. `asked` keeps the questions already asked so none is asked twice.
    """

    facts: dict[str, Any] = field(default_factory=dict)
    pending_ask: str | None = None
    asked: list[str] = field(default_factory=list)
    level: str | None = None
    reasons: list[str] = field(default_factory=list)
    phase: str | None = None
    hsg_date: str | None = None  # ISO date of the HSG when the patient gave it in a message
    # What the patient's last message asked about ("how long do the cramps last?"), so "mine started on
    # Monday and they're still there" in the next one is read as a report of that symptom.
    topic: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": _VERSION,
            "facts": dict(self.facts),
            "pending_ask": self.pending_ask,
            "asked": list(self.asked),
            "level": self.level,
            "reasons": list(self.reasons),
            "phase": self.phase,
            "hsg_date": self.hsg_date,
            "topic": list(self.topic),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> TriageState:
        """A state from `to_dict()`; anything malformed gives an empty state rather than an error."""
        if not isinstance(data, dict):
            return cls()
        facts = data.get("facts")
        facts = (
            {str(k): v for k, v in facts.items() if isinstance(v, (bool, int, float, str))}
            if isinstance(facts, dict)
            else {}
        )
        asked = data.get("asked")
        reasons = data.get("reasons")
        pending = data.get("pending_ask")
        level = data.get("level")
        phase = data.get("phase")
        topic = data.get("topic")
        return cls(
            facts=facts,
            pending_ask=pending if isinstance(pending, str) else None,
            asked=[str(a) for a in asked] if isinstance(asked, list) else [],
            level=level if isinstance(level, str) else None,
            reasons=[str(r) for r in reasons] if isinstance(reasons, list) else [],
            phase=phase if phase in ("after", "before") else None,
            hsg_date=data.get("hsg_date") if isinstance(data.get("hsg_date"), str) else None,
            topic=[str(t) for t in topic] if isinstance(topic, list) else [],
        )
