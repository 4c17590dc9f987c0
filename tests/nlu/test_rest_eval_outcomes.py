"""How tools/nlu_rest_eval.py reads a reply: answered, offered, declined, chitchat or other."""

from __future__ import annotations

from tools.nlu_rest_eval import OUT_OF_SCOPE, Case, Result, Totals, classify


def case(expected: str, lang: str = "en") -> Case:
    return Case(id="x1", lang=lang, text="hi", expected=expected, also_ok=(), kind="oos_smalltalk")


def test_markers_are_read_in_order_answer_offer_decline_chitchat() -> None:
    assert classify([{"text": "a", "custom": {"answer": {"topic": "pain"}}}]).kind == "answered"
    assert classify([{"text": "a", "custom": {"offer": {"topics": ["pain"]}}}]).topics == ("pain",)
    assert classify([{"text": "a", "custom": {"decline": {"kind": "treatment"}}}]).detail == "treatment"
    greeting = classify([{"text": "Hello", "buttons": [{}], "custom": {"chitchat": {"kind": "greet"}}}])
    assert (greeting.kind, greeting.detail) == ("chitchat", "greet")
    assert classify([{"text": "Hello"}]).kind == "other"


def test_a_chitchat_reply_declines_small_talk_but_the_strict_figure_does_not_count_it() -> None:
    greeting = classify([{"text": "Hello", "custom": {"chitchat": {"kind": "greet"}}}])
    result = Result(case(OUT_OF_SCOPE), greeting)
    assert result.correct and not result.strict_correct
    totals = Totals()
    totals.add(result)
    totals.add(Result(case(OUT_OF_SCOPE), classify([{"custom": {"decline": {"kind": "unrelated"}}}])))
    assert (totals.correct, totals.strict, totals.n) == (2, 1, 2)


def test_a_chitchat_reply_never_answers_a_leaflet_question() -> None:
    greeting = classify([{"text": "Hello", "custom": {"chitchat": {"kind": "greet"}}}])
    assert not Result(case("pain"), greeting).correct
    assert not Result(case("pain"), greeting).strict_correct
