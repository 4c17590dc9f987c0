"""Symptom triage for HSG patients: rule-based, bilingual, pure Python (no Rasa imports).

    outcome = analyze(text, lang, state=..., hsg_date=..., now=...)
    render_advice(outcome, lang, profile)   render_question(outcome.ask, lang)

See docs/triage.md. Nothing is loaded at import time; the spaCy pipelines, rules.yml and lexicon.yml
are read on first use and kept for the life of the process; advice.yml is patient-facing content and,
like every content file, is read again when it changes (bot/content/render.py).
"""

from bot.triage.advice import load_texts, render_advice, render_question
from bot.triage.engine import TriageOutcome, analyze
from bot.triage.extract import pipeline
from bot.triage.rules import load_rules
from bot.triage.state import TriageState
from bot.vocabulary import LEVELS


def warm_up() -> None:
    """Build both pipelines and read the YAML now (about 2 s) instead of on the first patient message.

    Call it once when a server starts; analyze() works without it.
    """
    load_rules()
    load_texts()
    pipeline("en")
    pipeline("nl")


__all__ = ["LEVELS", "TriageOutcome", "TriageState", "analyze", "render_advice", "render_question", "warm_up"]
