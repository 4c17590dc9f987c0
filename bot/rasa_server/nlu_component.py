"""A rule-based NLU component that runs last in the Rasa pipeline (see config.yml).

It does two things the statistical classifier must not be trusted with:
- it sets the `language` entity (which fills the `language` slot) from `bot.language`, and
- it turns any real symptom report into the `report_symptom` intent, using the same rule-based
  triage extraction as the actions. A red flag therefore reaches triage even when the classifier
  picked a FAQ topic or fell back: recognising it never depends on the classifier being right.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.answer_policy import FAQ_INTENT, looks_like_question, revised_intent
from bot.dates import names_a_period
from bot.language import detect_language
from bot.rasa_server import screen_cache
from bot.triage.turn import screen, screen_report  # noqa: F401 (screen_report: tests import it here)
from bot.vocabulary import LANGUAGES

logger = logging.getLogger(__name__)

REPORT_INTENT = "report_symptom"
DATE_INTENT = "tell_hsg_date"
_SMALL_TALK = {"greet", "thank", "affirm", "nlu_fallback"}
SCREEN_KEY = "hsg_screen"
_EXTRACTOR = "HsgMessageAnalyzer"


_EARLY_KEY = "hsg_early_screen"  # not in the parse data: only for this component, later in the pipeline


def early_screen(message: Message, lang: str | None = None) -> tuple[bool, str | None, str]:
    """The rule-based screen of a message, computed once per message: the response selector's gate
    (bot/rasa_server/speedups.py) may need it before this component runs."""
    known = message.get(_EARLY_KEY)
    if known is not None:
        return known
    text = message.get(TEXT) or ""
    if lang is None:
        guess = detect_language(text).lang
        lang = guess if guess in LANGUAGES else "en"
    result = screen(text, lang)
    message.set(_EARLY_KEY, result)
    return result


def may_be_a_question(message: Message) -> bool:
    """For the response selector's gate: a report the classifier is sure of, which the rules may still
    turn into a leaflet question (see `_may_be_a_question`), needs a topic selection."""
    is_report, level, _ = early_screen(message)
    text = message.get(TEXT) or ""
    return _may_be_a_question(text, is_report, level) or _asks_alongside_report(text, is_report, level)


def _asks_alongside_report(text: str, is_report: bool, level: str | None) -> bool:
    """A report of something ordinary asked as a question ("some clear fluid since the test, is that
    the dye?"): triage decides it, and the topic models say whether a leaflet answer goes with it
    (actions/triage.py). Red flags get their advice alone."""
    return is_report and level == "self_care" and looks_like_question(text)


def _may_be_a_question(text: str, is_report: bool, level: str | None) -> bool:
    """A message the classifier took for a report that may be a leaflet question instead: the rules read
    nothing about the body in it, or only a disclosure for the team asked as a question ("I have
    chlamydia, can I still have the HSG?"; the FAQ action then triages the disclosure and answers)."""
    if not is_report and level is None:
        return True
    return level == "inform_team" and looks_like_question(text)


def _revise_guessed_report(message: Message) -> bool:
    """When both topic models agree strongly on a leaflet topic, the guessed report is that leaflet
    question (True); otherwise the report intent stays (False)."""
    from bot.rasa_server.topic_check import KEY, parse_view  # here: topic_check imports this module

    if revised_intent(parse_view(message)) != FAQ_INTENT:
        return False
    check = dict(message.get(KEY) or {})
    check["revised_from"] = REPORT_INTENT
    message.set(KEY, check, add_to_output=True)
    message.set(INTENT, {"name": FAQ_INTENT, "confidence": 1.0}, add_to_output=True)
    return True


def states_hsg_date(text: str) -> bool:
    """True when the message gives the day of the HSG with a tense ("had my HSG on the 18th")."""
    from bot.config import now
    from bot.triage.durations import hsg_date_from_text
    from bot.triage.extract import clean_text

    return hsg_date_from_text(clean_text(text).lower()[:500], now()) is not None


_DATE_MISHEARD = {"faq", "out_of_scope"}
# A question later in the message ("My HSG is on Friday, what should I bring"): the leaflet answers it
_ASKS_ANYWHERE = re.compile(
    r"\b(?:what|when|how|why|where|which|who|can i|may i|should i|do i|must i|is it|wat|wanneer|hoe|waarom"
    r"|waar|welke|wie|mag ik|moet ik|kan ik|kun je|kunt u)\b",
    re.IGNORECASE,
)


def states_date_only(text: str) -> bool:
    """The message dates the HSG (by its own name, with a date, no period or bleeding word) and asks
    nothing: no question mark and no question word anywhere in it."""
    from bot.config import now
    from bot.dates import dates_the_hsg

    if looks_like_question(text) or _ASKS_ANYWHERE.search(text):
        return False
    return states_hsg_date(text) or dates_the_hsg(text, now().date())


def should_override(
    intent_name: str | None, is_report: bool, level: str | None, phase: str = "unknown", text: str = ""
) -> bool:
    """Escalating findings always go to triage; other reports only when the classifier missed them."""
    if not is_report:
        return False
    if level in ("emergency", "urgent"):
        return True
    if level == "inform_team" and intent_name == "faq":
        # "I'm on warfarin, should I stop it?" is a question with a disclosure in it: the FAQ action
        # answers it and runs triage too, so the patient gets both the answer and the advice.
        return False
    if level == "inform_team":
        return True
    # "My period started on Monday, when can I come?" mentions bleeding but is about dates. Any other
    # report gets its decision (self-care advice says when to call), or the red-flag check (level None).
    # "Spotting today, HSG was Sunday" is a report even if the classifier heard a cycle date.
    # "light spotting yesterday and today, HSG on Sunday" names no period: the report wins then too.
    return intent_name != "plan_cycle" or phase == "after" or (bool(text) and not names_a_period(text))


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR],
    is_trainable=False,
)
class HsgMessageAnalyzer(GraphComponent):
    """Language entity plus the symptom-report override; stateless and without training."""

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> HsgMessageAnalyzer:
        from bot.triage import warm_up

        warm_up()  # build the spaCy pipelines now, not on the first patient message
        return cls()

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            self._analyze(message)
        return messages

    def _analyze(self, message: Message) -> None:
        text = message.get(TEXT) or ""
        if not text.strip() or text.startswith("/"):
            return
        guess = detect_language(text)
        entities = list(message.get(ENTITIES) or [])
        if guess.lang in LANGUAGES:
            entities.append(
                {
                    "entity": "language",
                    "value": guess.lang,
                    "start": 0,
                    "end": len(text),
                    "confidence_entity": 1.0,
                    "extractor": _EXTRACTOR,
                }
            )
        elif guess.lang == "other":
            entities.append(
                {
                    "entity": "other_language",
                    "value": "other",
                    "start": 0,
                    "end": len(text),
                    "confidence_entity": 1.0,
                    "extractor": _EXTRACTOR,
                }
            )
        message.set(ENTITIES, entities, add_to_output=True)

        intent = message.get(INTENT) or {}
        lang = guess.lang if guess.lang in LANGUAGES else "en"
        is_report, level, phase = early_screen(message, lang)
        # Shared with the actions (parse data) and the safety net (screen_cache): screened once.
        message.set(SCREEN_KEY, {"report": is_report, "level": level, "lang": lang}, add_to_output=True)
        screen_cache.remember(text, lang, is_report, level)
        name = intent.get("name")
        if (
            name == REPORT_INTENT
            and _may_be_a_question(text, is_report, level)
            and _revise_guessed_report(message)
        ):
            name = "faq"
        if should_override(name, is_report, level, phase, text):
            message.set(INTENT, {"name": REPORT_INTENT, "confidence": 1.0}, add_to_output=True)
        elif intent.get("name") in _SMALL_TALK and not is_report and states_hsg_date(text):
            # "Hi, I had my HSG on the 18th.": the date is what the greeting carries; triage needs it
            # later ("still bleeding every day since then").
            message.set(INTENT, {"name": DATE_INTENT, "confidence": 1.0}, add_to_output=True)
        elif name in _DATE_MISHEARD and not is_report and states_date_only(text):
            # "My hysterosalpingogram took place on 19 November.": a date and nothing asked, which the
            # classifier may hear as a leaflet question; it must not be lost (a report after it is
            # counted from that day)
            message.set(INTENT, {"name": DATE_INTENT, "confidence": 1.0}, add_to_output=True)
