"""Triage through the running stack over REST (issue 8): the follow-up conversation in Dutch, a question
about a painkiller, and the gate on the sealed independent set (its totals only, never its cases)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tools import triage_rest_eval as rest_eval

pytestmark = pytest.mark.stack

# Gates on the sealed sets, in groups (six now), so that adding harder sets never loosens the gate of the
# older ones. The first four (sealed.yml 120, sealed2.yml 62, sealed3.yml 60, sealed4.yml 50 cases),
# measured 2026-11-24 (docs/triage.md): red-flag 105/106, inform-team 56/59, exact 281/292, over-triage
# 5/186. Batches 8 to 14 (sealed5.yml 50, sealed6.yml 40, sealed7.yml 50, sealed8.yml 40, sealed9.yml
# 40, sealed10.yml 30, sealed11.yml 40), written later: red-flag 130/137, inform-team 47/48, exact
# 267/290, over-triage 11/153. Batches 15 to 17 (sealed12.yml to sealed14.yml, 40 each; fifth session),
# each measured at first contact and unchanged after: red-flag 47/49, inform-team 20/21, exact 110/120,
# over-triage 3/71. Issue 8 asks red-flag recall 100 %, inform-team recall 100 %, exact >= 90 %,
# over-triage <= 10 %: not reached. Each gate is about one or two misses below what was measured, a
# ratchet so CI keeps them from getting worse. Raise them as the engine improves; never lower them.
GATES = {
    "red_flag_recall": 0.98,  # goal 1.00; measured 0.991 (105/106)
    "inform_team_recall": 0.93,  # goal 1.00; measured 0.949
    "exact": 0.95,  # goal 0.90; measured 0.962 (281/292)
    "max_over_triage": 0.10,
}
FIRST_FOUR = ("sealed.yml", "sealed2.yml", "sealed3.yml", "sealed4.yml")
LATER = (
    *("sealed5.yml", "sealed6.yml", "sealed7.yml", "sealed8.yml", "sealed9.yml", "sealed10.yml"),
    "sealed11.yml",
)
GATES_LATER = {
    "red_flag_recall": 0.93,  # goal 1.00; measured 0.949 (130/137); 0.92 before batch 14
    "inform_team_recall": 0.96,  # goal 1.00; measured 0.979 (47/48)
    "exact": 0.91,  # goal 0.90; measured 0.921 (267/290); 0.90 before
    "max_over_triage": 0.10,  # measured 0.072 (11/153)
}
NEWEST = ("sealed12.yml", "sealed13.yml", "sealed14.yml")
GATES_NEWEST = {
    "red_flag_recall": 0.93,  # goal 1.00; measured 0.959 (47/49)
    "inform_team_recall": 0.90,  # goal 1.00; measured 0.952 (20/21)
    "exact": 0.89,  # goal 0.90; measured 0.917 (110/120)
    "max_over_triage": 0.10,  # measured 0.042 (3/71)
}
# Batches 18 to 20 (sixth session; sealed15.yml to sealed17.yml, 40 each). First contact, and the same
# after this session's changes: red-flag 41/41, inform-team 19/21, exact 111/120, over-triage 3/79
# (sealed17 was measured after batches 18 and 19's changes, before any change for batch 20).
SIXTH = ("sealed15.yml", "sealed16.yml", "sealed17.yml")
GATES_SIXTH = {
    "red_flag_recall": 0.97,  # goal 1.00; measured 1.000 (41/41): one miss fails
    "inform_team_recall": 0.85,  # goal 1.00; measured 0.905 (19/21)
    "exact": 0.90,  # goal 0.90; measured 0.925 (111/120)
    "max_over_triage": 0.10,  # measured 0.038 (3/79)
}
# Batches 21 and 22 (seventh session; sealed18.yml and sealed19.yml, 40 each). First contact: red-flag
# 28/29, inform-team 18/19, exact 73/80, over-triage 3/51; after that session's changes: 28/29, 18/19,
# 74/80, 2/51 (docs/triage.md, eleventh round). Batches 23 and 24 (eighth session; sealed20.yml: time and
# numbers; sealed21.yml: mixed and changing messages; 40 each) join this group. First contact sealed20
# 13/13, 8/8, 34/40, over-triage 3/27; sealed21 8/8, 9/9, 34/40, 4/32. After: sealed20 13/13, 8/8, 35/40,
# 3/27; sealed21 unchanged (over-triage 11 % and 12.5 % alone, above the goal: docs/triage.md, twelfth
# round). The group of four after: red-flag 49/50, inform-team 35/36, exact 143/160, over-triage 9/110.
SEVENTH = ("sealed18.yml", "sealed19.yml", "sealed20.yml", "sealed21.yml")
GATES_SEVENTH = {
    "red_flag_recall": 0.95,  # goal 1.00; measured 0.980 (49/50): two more misses fail
    "inform_team_recall": 0.94,  # goal 1.00; measured 0.972 (35/36): two more misses fail
    "exact": 0.88,  # goal 0.90; measured 0.894 (143/160)
    "max_over_triage": 0.10,  # measured 0.082 (9/110)
}
# Batches 25, 26 and 27 (ninth session; sealed22.yml: how people type on a phone; sealed23.yml: alarming
# words that are not a red flag, red flags in calm words; sealed24.yml: every finding in ordinary words,
# written after that session's changes; 40 each). First contact sealed22 10/10, 6/7, 33/40, 1/30;
# sealed23 15/16, 6/6, 32/40, 1/24; sealed24 15/16, 4/4, 37/40, 1/24; the same after the session's
# changes (docs/triage.md, thirteenth round). The group: red-flag 40/42, inform-team 16/17, exact
# 102/120, over-triage 3/78: red-flag, inform-team and exact below the goal.
NINTH = ("sealed22.yml", "sealed23.yml", "sealed24.yml")
GATES_NINTH = {
    "red_flag_recall": 0.92,  # goal 1.00; measured 0.952 (40/42): two more misses fail
    "inform_team_recall": 0.88,  # goal 1.00; measured 0.941 (16/17): one more miss fails
    "exact": 0.82,  # goal 0.90; measured 0.850 (102/120)
    "max_over_triage": 0.10,  # measured 0.038 (3/78)
}
# Batches 28, 29 and 30 (tenth session; sealed25.yml: what an independent reviewer would send, the twelve
# kinds of misses in fresh words; sealed26.yml: the borders between levels; sealed27.yml: whole
# conversations, written after that session's first changes; 40 each). First contact sealed25 18/18,
# emergencies 6/7, inform-team 8/8, exact 38/40, over-triage 1/22; sealed26 16/16, 6/6, 8/8, 40/40, 0/24;
# sealed27 16/18, 8/8, 2/3, 36/40, 0/22. After the session's changes: sealed25 emergencies 7/7, exact 39/40,
# the others unchanged (docs/triage.md, fourteenth round). Batch 31 (sealed28.yml, 30 conversations where
# the worrying detail comes late, written after the changes) joins the group: first contact 16/16, 7/7,
# 5/5, 28/30, over-triage 2/14, unchanged after; sealed27 exact 37/40 after its last change. The group:
# red-flag 66/68, inform-team 23/24, exact 144/150, over-triage 3/82.
TENTH = ("sealed25.yml", "sealed26.yml", "sealed27.yml", "sealed28.yml")
GATES_TENTH = {
    "red_flag_recall": 0.94,  # goal 1.00; measured 0.971 (66/68): two more misses fail
    "inform_team_recall": 0.90,  # goal 1.00; measured 0.958 (23/24): two more misses fail
    "exact": 0.92,  # goal 0.90; measured 0.960 (144/150)
    "max_over_triage": 0.10,  # measured 0.037 (3/82)
}


def sender() -> str:
    return "triage-rest-" + uuid.uuid4().hex[:16]


def levels(replies: list[dict[str, Any]]) -> list[str]:
    return [
        r["custom"]["triage"]["level"]
        for r in replies
        if isinstance(r.get("custom"), dict) and "triage" in r["custom"]
    ]


def texts(replies: list[dict[str, Any]]) -> list[str]:
    return [r.get("text") or "" for r in replies]


def test_dutch_follow_up_conversation(stack: Any) -> None:
    conversation = sender()
    first = stack.say(conversation, "Ik heb buikpijn na het onderzoek")
    assert levels(first) == ["self_care"]
    assert any("Hoe lang" in text for text in texts(first)), texts(first)
    second = stack.say(conversation, "Sinds vanochtend. Heel erg.")
    assert levels(second) == ["urgent"], texts(second)
    # the answer was used: no generic "what are you noticing?" prompt after the advice
    assert not any("Kunt u vertellen wat u merkt" in text for text in texts(second)), texts(second)
    third = stack.say(conversation, "oke, dank u")
    assert not any("Kunt u vertellen wat u merkt" in text for text in texts(third)), texts(third)


def test_vague_message_gets_the_check_and_a_typed_answer_decides(stack: Any) -> None:
    conversation = sender()
    first = stack.say(conversation, "I feel really off and strange")
    assert levels(first) == []
    assert [button["title"] for button in first[-1]["buttons"]][-1] == "None of these"
    second = stack.say(conversation, "my face and lips feel puffy and tight")
    assert levels(second) == ["emergency"]


@pytest.mark.parametrize(
    "question", ["Can I take aspirin for the cramps?", "Mag ik aspirine nemen tegen de krampen?"]
)
def test_a_painkiller_question_is_answered_not_escalated(stack: Any, question: str) -> None:
    replies = stack.say(sender(), question)
    assert levels(replies) == [], texts(replies)
    assert any(reply.get("text") for reply in replies)


def test_sealed_independent_set_gates() -> None:
    """Starts its own stacks with the clocks of the sets; prints totals only."""
    sealed = sorted(rest_eval.SETS_DIR.glob("sealed*.yml"))
    names = {path.name for path in sealed}
    assert names >= {*FIRST_FOUR, *LATER, *NEWEST, *SIXTH, *SEVENTH, *NINTH, *TENTH}, "sealed sets missing"
    # kept per file: ids may repeat across sets, so a group is a list of files, never a set of ids
    by_set = rest_eval.evaluate_by_set(sealed)

    def results_of(files: tuple[str, ...] | None) -> list[rest_eval.CaseResult]:
        if files is None:
            # sealed5 to sealed11, and any later set not yet given a group of its own
            named = {*FIRST_FOUR, *NEWEST, *SIXTH, *SEVENTH, *NINTH, *TENTH}
            return [r for path, rs in by_set.items() if path.name not in named for r in rs]
        return [r for path, rs in by_set.items() if path.name in files for r in rs]

    groups = {
        "first four": (results_of(FIRST_FOUR), GATES),
        "later": (results_of(None), GATES_LATER),
        "newest": (results_of(NEWEST), GATES_NEWEST),
        "sixth session": (results_of(SIXTH), GATES_SIXTH),
        "seventh and eighth sessions": (results_of(SEVENTH), GATES_SEVENTH),
        "ninth session": (results_of(NINTH), GATES_NINTH),
        "tenth session": (results_of(TENTH), GATES_TENTH),
    }
    failed: list[str] = []
    for name, (chosen, gates) in groups.items():
        print(name)
        print("\n".join(rest_eval.report(chosen, totals_only=True)))
        figures = rest_eval.Figures(chosen)
        # plain numbers only: a failing assert must never show a sealed case
        rates = {
            "red_flag_recall": figures.rate(figures.red_flag_recall),
            "inform_team_recall": figures.rate(figures.inform_team_recall),
            "exact": figures.rate(figures.exact),
        }
        over = figures.rate(figures.over_triage)
        failed += [
            f"{name} {key} {rate:.3f} < {gates[key]}" for key, rate in rates.items() if rate < gates[key]
        ]
        if over > gates["max_over_triage"]:
            failed.append(f"{name} over-triage {over:.3f} > {gates['max_over_triage']}")
        del chosen, figures
    assert not failed, failed
