"""The second opinion on the leaflet topic (bot/rasa_server/topic_check.py), without a Rasa model."""

from __future__ import annotations

from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.rasa_server.topic_check import (
    TopicSecondOpinion,
    build_classifier,
    normalise,
    ranking,
    training_pairs,
)


def example(text: str, intent: str, key: str | None = None) -> Message:
    data = {"text": text, "intent": intent}
    if key:
        data["intent_response_key"] = key
    return Message(data=data)


TRAINING = TrainingData(
    [
        example("how long does the hsg take", "faq", "faq/duration"),
        example("how many minutes is the test", "faq", "faq/duration"),
        example("hoe lang duurt het onderzoek", "faq", "faq/duration"),
        example("does the hsg hurt", "faq", "faq/pain"),
        example("is it painful", "faq", "faq/pain"),
        example("doet het pijn", "faq", "faq/pain"),
        example("what is the weather tomorrow", "out_of_scope"),
        example("recommend a restaurant", "out_of_scope"),
        example("hello", "greet"),
    ]
)


def test_labels_are_the_topics_and_out_of_scope_only() -> None:
    texts, labels = training_pairs(TRAINING)
    assert sorted(set(labels)) == ["duration", "out_of_scope", "pain"]
    assert "hello" not in texts


def test_the_ranking_names_the_topic_of_a_close_question() -> None:
    classifier = build_classifier()
    classifier.fit(*training_pairs(TRAINING))
    assert ranking(classifier, "how long will the test take")[0]["name"] == "duration"
    assert ranking(classifier, "will it hurt")[0]["name"] == "pain"
    assert abs(sum(entry["confidence"] for entry in ranking(classifier, "pain?")) - 1.0) < 0.01


def test_accents_and_apostrophes_do_not_matter() -> None:
    assert normalise("Één keer, can't") == "een keer, cant"


def test_process_adds_the_ranking_and_revises_an_unsure_intent_only_on_strong_agreement() -> None:
    classifier = build_classifier()
    classifier.fit(*training_pairs(TRAINING))
    component = TopicSecondOpinion({}, None, None, classifier)  # type: ignore[arg-type]
    selector = {
        "faq": {
            "ranking": [
                {"intent_response_key": "faq/duration", "confidence": 0.95},
                {"intent_response_key": "faq/pain", "confidence": 0.05},
            ]
        }
    }
    unsure = Message(
        data={
            "text": "how long does the test take",
            "intent": {"name": "nlu_fallback", "confidence": 0.45},
            "response_selector": selector,
        }
    )
    command = Message(data={"text": "/something_else", "intent": {"name": "something_else"}})
    component.process([unsure, command])
    assert unsure.get("topic_check")["ranking"][0]["name"] == "duration"
    assert unsure.get("intent")["name"] == "faq"
    assert unsure.get("topic_check")["revised_from"] == "nlu_fallback"
    assert command.get("topic_check") is None


def test_the_direct_probabilities_are_sklearns() -> None:
    """The second opinion computes predict_proba itself (a tenth of the time): the same numbers."""
    import numpy as np

    from bot.rasa_server.topic_check import probabilities_of

    texts, labels = training_pairs(TRAINING)
    classifier = build_classifier()
    classifier.fit(texts, labels)
    for text in ["how long is it", "doet de hsg veel pijn?", "weather", "", "x" * 300]:
        assert np.allclose(probabilities_of(classifier, text), classifier.predict_proba([text])[0])


def _guessed_report(text: str) -> Message:
    """A message the intent classifier took for a report, with a selector sure of `duration`."""
    selector = {
        "faq": {
            "ranking": [
                {"intent_response_key": "faq/duration", "confidence": 0.9},
                {"intent_response_key": "faq/pain", "confidence": 0.1},
            ]
        }
    }
    return Message(
        data={
            "text": text,
            "intent": {"name": "report_symptom", "confidence": 0.6},
            "response_selector": selector,
        }
    )


def test_a_guessed_report_becomes_the_leaflet_question_only_when_the_rules_see_no_report() -> None:
    """The second opinion never revises a report itself; the analyzer does, after its screen: a
    question the rules do not read as about the body becomes the topic both models agree on, while
    anything about the body keeps the report intent (the red-flag floor does not rest on this)."""
    from bot.rasa_server.nlu_component import HsgMessageAnalyzer

    classifier = build_classifier()
    classifier.fit(*training_pairs(TRAINING))
    opinion = TopicSecondOpinion({}, None, None, classifier)  # type: ignore[arg-type]
    analyzer = HsgMessageAnalyzer()
    question = _guessed_report("how long will the test take")
    body = _guessed_report("how long will the test take, my throat is swelling up")
    opinion.process([question, body])
    assert question.get("intent")["name"] == "report_symptom"  # not revised by the second opinion
    analyzer.process([question, body])
    assert question.get("intent")["name"] == "faq"
    assert question.get("topic_check")["revised_from"] == "report_symptom"
    assert body.get("intent")["name"] == "report_symptom"
    assert body.get("topic_check") is None  # the rules read a report: no second opinion computed


def test_a_guessed_report_stays_a_report_when_the_topic_models_disagree() -> None:
    from bot.rasa_server.nlu_component import HsgMessageAnalyzer

    classifier = build_classifier()
    classifier.fit(*training_pairs(TRAINING))
    message = _guessed_report("recommend a restaurant please")
    TopicSecondOpinion({}, None, None, classifier).process([message])  # type: ignore[arg-type]
    HsgMessageAnalyzer().process([message])
    assert message.get("intent")["name"] == "report_symptom"
