"""A second opinion on the leaflet topic: a small word-level classifier over `faq/<key>` and out_of_scope.

The ResponseSelector always names some topic, and its confidence is often low or misplaced for wordings far
from the training data. This component is trained on the same examples but sees them differently: a
linear model (logistic regression) over word unigrams/bigrams and character n-grams within words, with
no neural layer. It puts its ranking in the parse data under `topic_check`; `bot.answer_policy.decide`
answers only when the two agree (and a leaflet topic is ahead of out_of_scope), otherwise it offers the
closest topics or declines. Two models that err differently rarely agree on the same wrong topic.

Labels: `faq/<key>` examples give `<key>`; `out_of_scope` examples give `out_of_scope`. Other intents
are left out: the policy only consults this for messages the intent classifier took for `faq`.
"""

from __future__ import annotations

import logging
import unicodedata
from typing import Any

import joblib
import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import RESPONSE_SELECTOR_PROPERTY_NAME
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, INTENT_RESPONSE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.answer_policy import CHECK_KEY as KEY
from bot.answer_policy import (
    FALLBACK_INTENT,
    FAQ_INTENT,
    OUT_OF_SCOPE_INTENT,
    REPORT_INTENT,
    question_as_detail,
    question_in_small_talk,
    revised_intent,
)
from bot.rasa_server.nlu_component import may_be_a_question

logger = logging.getLogger(__name__)

OUT_OF_SCOPE = "out_of_scope"
_FILE = "topic_check.joblib"
_RANKING_LENGTH = 8
# report_symptom too: when the rules find no report in it, the analyzer (nlu_component.py) may revise a
# report the classifier guessed into the leaflet question it was, on this second opinion.
_NEEDS_SECOND_OPINION = {FAQ_INTENT, FALLBACK_INTENT, OUT_OF_SCOPE_INTENT, REPORT_INTENT}


def normalise(text: str) -> str:
    """Lowercase, accents off ("één" = "een"), apostrophes out ("can't" = "cant")."""
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return text.replace("'", "").replace("’", "")


def build_classifier(random_state: int = 42, out_of_scope_weight: float = 0.5) -> Any:
    """out_of_scope has about ten times the examples of one topic; at full weight its prior wins every
    question whose words the topics have not seen, so it weighs half (chosen on the dev sets)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion, Pipeline

    features = FeatureUnion(
        [
            (
                "words",
                TfidfVectorizer(
                    preprocessor=normalise,
                    ngram_range=(1, 2),
                    sublinear_tf=True,
                    token_pattern=r"(?u)\b\w+\b",  # noqa: S106 (a regex, not a password)
                ),
            ),
            (
                "chars",
                TfidfVectorizer(
                    preprocessor=normalise, analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True
                ),
            ),
        ]
    )
    return Pipeline(
        [
            ("features", features),
            (
                "model",
                LogisticRegression(
                    C=20.0,
                    max_iter=2000,
                    random_state=random_state,
                    class_weight={OUT_OF_SCOPE: out_of_scope_weight},
                ),
            ),
        ]
    )


def training_pairs(training_data: TrainingData) -> tuple[list[str], list[str]]:
    texts, labels = [], []
    for message in training_data.intent_examples:
        text = message.get(TEXT) or ""
        intent = message.get(INTENT)
        key = message.get(INTENT_RESPONSE_KEY) or ""
        if intent == "faq" and "/" in key:
            texts.append(text)
            labels.append(key.split("/", 1)[1])
        elif intent == OUT_OF_SCOPE:
            texts.append(text)
            labels.append(OUT_OF_SCOPE)
    return texts, labels


def probabilities_of(classifier: Any, text: str) -> Any:
    """`classifier.predict_proba([text])[0]`, computed directly: each vectoriser's row times its slice of
    the model's weights, plus the intercept, then the softmax. For one short message sklearn's
    `predict_proba` spent 2.5 ms validating a 25,000-column matrix and multiplying it by the dense
    weights; this takes a tenth of that (py-spy, Rasa server under load). Same numbers (tested);
    any other pipeline shape goes through sklearn."""
    parts = _direct_parts(classifier)
    if parts is None:
        return classifier.predict_proba([text])[0]
    vectorisers, intercept = parts
    scores = intercept.copy()
    for vectoriser, weights in vectorisers:
        scores += vectoriser.transform([text]).dot(weights).ravel()
    scores -= scores.max()
    exp = np.exp(scores)
    return exp / exp.sum()


def _direct_parts(classifier: Any) -> tuple[list[tuple[Any, Any]], Any] | None:
    """The vectorisers with their (transposed) weight slices, built once per loaded classifier."""
    cached = getattr(classifier, "_hsg_direct_parts", False)
    if cached is not False:
        return cached
    parts = None
    steps = getattr(classifier, "named_steps", {})
    features, model = steps.get("features"), steps.get("model")
    multinomial = getattr(model, "multi_class", None) == "multinomial" or (
        getattr(model, "multi_class", None) == "auto"
        and getattr(model, "solver", "") != "liblinear"
        and len(getattr(model, "classes_", ())) > 2
    )
    if features is not None and multinomial and not getattr(features, "transformer_weights", None):
        vectorisers, offset = [], 0
        for _, vectoriser in features.transformer_list:
            width = len(vectoriser.vocabulary_)
            vectorisers.append((vectoriser, np.ascontiguousarray(model.coef_[:, offset : offset + width].T)))
            offset += width
        if offset == model.coef_.shape[1]:
            parts = (vectorisers, np.asarray(model.intercept_, dtype=float))
    classifier._hsg_direct_parts = parts
    return parts


def ranking(classifier: Any, text: str) -> list[dict[str, Any]]:
    probabilities = probabilities_of(classifier, text)
    pairs = sorted(zip(classifier.classes_, probabilities, strict=True), key=lambda pair: -pair[1])
    return [{"name": str(name), "confidence": round(float(p), 4)} for name, p in pairs[:_RANKING_LENGTH]]


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class TopicSecondOpinion(GraphComponent):
    """Word-level topic classifier whose ranking `bot.answer_policy` checks the selector against."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"random_seed": 42, "out_of_scope_weight": 0.5}

    def __init__(
        self, config: dict[str, Any], model_storage: ModelStorage, resource: Resource, classifier: Any = None
    ) -> None:
        self._config = config
        self._storage = model_storage
        self._resource = resource
        self._classifier = classifier

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> TopicSecondOpinion:
        return cls(config, model_storage, resource)

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> TopicSecondOpinion:
        classifier = None
        try:
            with model_storage.read_from(resource) as directory:
                classifier = joblib.load(directory / _FILE)
        except (ValueError, FileNotFoundError):
            logger.warning("No topic second opinion in this model; the selector decides alone.")
        return cls(config, model_storage, resource, classifier)

    def train(self, training_data: TrainingData) -> Resource:
        texts, labels = training_pairs(training_data)
        if len(set(labels)) < 2:
            return self._resource
        classifier = build_classifier(
            int(self._config.get("random_seed", 42)), float(self._config.get("out_of_scope_weight", 0.5))
        )
        classifier.fit(texts, labels)
        self._classifier = classifier
        with self._storage.write_to(self._resource) as directory:
            joblib.dump(classifier, directory / _FILE)
        return self._resource

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        if self._classifier is None:
            return messages
        for message in messages:
            text = message.get(TEXT) or ""
            intent = (message.get(INTENT) or {}).get("name")
            # Only a leaflet question, an unsure intent, an out_of_scope or a report the classifier
            # guessed can use a second opinion on the topic (answer_policy.decide / revised_intent); a
            # greeting cannot, and skipping it saves the Rasa server about 2 ms of CPU per such message.
            if (
                text.strip()
                and not text.startswith("/")
                and (
                    intent in _NEEDS_SECOND_OPINION
                    or question_in_small_talk(intent, text)
                    or question_as_detail(intent, text)
                )
            ):
                self._second_opinion(message, text)
        return messages

    def _second_opinion(self, message: Message, text: str) -> None:
        intent = message.get(INTENT) or {}
        if intent.get("name") == REPORT_INTENT and not may_be_a_question(message):
            return  # the rules read a report: nothing for a topic model to say (and ~0.3 ms saved)
        check: dict[str, Any] = {"ranking": ranking(self._classifier, text)}
        message.set(KEY, check, add_to_output=True)
        if intent.get("name") == REPORT_INTENT:
            return  # only the analyzer, which screens for reports, may revise a report (nlu_component.py)
        if revised_intent(parse_view(message)) == FAQ_INTENT:
            # The intent classifier said out_of_scope or was unsure, but both topic models agree
            # strongly on one leaflet topic: it is a leaflet question after all (answer_policy decides).
            check["revised_from"] = intent.get("name")
            message.set(INTENT, {"name": FAQ_INTENT, "confidence": 1.0}, add_to_output=True)


def parse_view(message: Message) -> dict[str, Any]:
    """The parts of the parse data that bot.answer_policy reads, from a message inside the pipeline."""
    return {
        "text": message.get(TEXT) or "",
        "intent": message.get(INTENT) or {},
        "intent_ranking": message.get(INTENT_RANKING_KEY) or [],
        "response_selector": message.get(RESPONSE_SELECTOR_PROPERTY_NAME) or {},
        KEY: message.get(KEY) or {},
    }
