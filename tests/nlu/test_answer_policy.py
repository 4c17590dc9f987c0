"""The answer/offer/decline decision on parse data shaped as Rasa 3.6 produces it."""

from __future__ import annotations

from typing import Any

from bot.answer_policy import (
    DEFAULT_THRESHOLDS,
    Thresholds,
    decide,
    decline_kind,
    names_other_treatment,
    topic_ranking,
)


def parse(intent: str, intents: dict[str, float], topics: dict[str, float]) -> dict[str, Any]:
    ranking = sorted(intents.items(), key=lambda pair: -pair[1])
    topic_list = sorted(topics.items(), key=lambda pair: -pair[1])
    return {
        "intent": {"name": intent, "confidence": intents.get(intent, 1.0)},
        "intent_ranking": [{"name": name, "confidence": conf} for name, conf in ranking],
        "response_selector": {
            "all_retrieval_intents": ["faq"],
            "faq": {
                "response": {
                    "intent_response_key": f"faq/{topic_list[0][0]}",
                    "confidence": topic_list[0][1],
                },
                "ranking": [
                    {"intent_response_key": f"faq/{key}", "confidence": conf} for key, conf in topic_list
                ],
            },
        },
    }


def test_sure_of_intent_and_topic_answers() -> None:
    data = parse("faq", {"faq": 0.97, "out_of_scope": 0.02}, {"duration": 0.92, "pain": 0.05})
    assert decide(data).kind == "answer"
    assert decide(data).topics == ("duration",)


def test_two_close_topics_are_offered_not_guessed() -> None:
    data = parse(
        "faq",
        {"faq": 0.95, "out_of_scope": 0.03},
        {"pain": 0.46, "painkillers": 0.41, "after_normal": 0.08, "risks": 0.02},
    )
    decision = decide(data)
    assert decision.kind == "offer"
    assert decision.topics[:2] == ("pain", "painkillers")
    assert "risks" not in decision.topics  # too unlikely to be worth a button
    assert len(decision.topics) <= DEFAULT_THRESHOLDS.max_offers


def test_unsure_intent_with_faq_likely_offers_topics() -> None:
    data = parse(
        "nlu_fallback", {"nlu_fallback": 0.45, "faq": 0.40, "greet": 0.2}, {"booking": 0.5, "contact": 0.45}
    )
    assert decide(data).kind == "offer"
    assert set(decide(data).topics) == {"booking", "contact"}


def test_a_topic_nowhere_near_sure_is_declined_not_offered() -> None:
    data = parse("faq", {"faq": 0.99}, {"risks": 0.08, "cost_insurance": 0.07, "after_driving": 0.06})
    assert decide(data).kind == "decline"


def test_out_of_scope_ahead_of_an_unsure_faq_is_declined() -> None:
    data = parse(
        "nlu_fallback", {"nlu_fallback": 0.45, "out_of_scope": 0.41, "faq": 0.39}, {"bring_and_wear": 0.6}
    )
    assert decide(data).kind == "decline"


def test_faq_unlikely_is_declined() -> None:
    data = parse("nlu_fallback", {"nlu_fallback": 0.45, "greet": 0.4, "faq": 0.1}, {"duration": 0.9})
    assert decide(data).kind == "decline"


def test_other_intents_are_left_alone() -> None:
    data = parse("report_symptom", {"report_symptom": 0.9, "faq": 0.1}, {"after_normal": 0.9})
    assert decide(data).kind == "pass"


def test_thresholds_are_the_only_knob() -> None:
    data = parse("faq", {"faq": 0.9}, {"duration": 0.6, "pain": 0.3})
    assert decide(data, Thresholds(answer_margin=0.5)).kind == "offer"
    assert decide(data, Thresholds(answer_topic=0.5, answer_margin=0.2)).kind == "answer"


def test_topic_ranking_reads_the_selector_ranking_best_first() -> None:
    data = parse("faq", {"faq": 0.9}, {"a": 0.1, "b": 0.7, "c": 0.2})
    assert [topic for topic, _ in topic_ranking(data)] == ["b", "c", "a"]
    assert topic_ranking({"intent": {"name": "faq"}}) == []


def test_decline_kinds() -> None:
    assert decline_kind("what does my hsg report mean") == "results"
    assert decline_kind("wat betekent mijn uitslag") == "results"
    assert decline_kind("should I start clomid next cycle") == "treatment"
    assert decline_kind("hoe werkt ivf") == "treatment"
    assert decline_kind("can you move my appointment with the dermatologist") == "admin"
    assert decline_kind("what's the weather tomorrow") == "unrelated"


def test_answers_to_a_pending_question_are_not_taken_for_questions() -> None:
    from bot.answer_policy import looks_like_question

    assert not looks_like_question("mild, the paracetamol helps")
    assert not looks_like_question("al 3 dagen, ik neem ibuprofen")
    assert looks_like_question("can I take paracetamol")
    assert looks_like_question("mag ik daarna in bad")
    assert looks_like_question("paracetamol ok?")


def test_a_question_naming_another_treatment_is_declined_whatever_the_topic() -> None:
    sure = {"faq": 0.99, "out_of_scope": 0.01}
    for text, topic in [
        ("does the ovitrelle shot hurt", "pain"),
        ("how much does ivf cost if a tube is blocked", "cost_insurance"),
        ("is een schuimecho beter dan een hsg", "what_is_hsg"),
        ("how long does it take to recover from a laparoscopy", "duration"),
    ]:
        data = parse("faq", sure, {topic: 0.9, "risks": 0.05}) | {"text": text}
        decision = decide(data)
        assert (decision.kind, decision.reason) == ("decline", "treatment"), text


def test_the_next_test_after_an_hsg_and_eggs_stay_leaflet_subjects() -> None:
    sure = {"faq": 0.99, "out_of_scope": 0.01}
    for text, topic in [
        ("will I need a laparoscopy if the hsg does not work", "incomplete"),
        ("is the x-ray bad for my eggs", "radiation"),
        ("is the pregnancy test a urine test", "pregnancy_test"),
    ]:
        data = parse("faq", sure, {topic: 0.9, "risks": 0.05}) | {"text": text}
        assert decide(data).kind == "answer", text
    assert not names_other_treatment("how long does a laparoscopy take", "incomplete")
    assert names_other_treatment("how long does a laparoscopy take", "duration")
