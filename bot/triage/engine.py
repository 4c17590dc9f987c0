"""analyze(): one patient message (plus the state so far) -> a triage outcome.

Generic: findings become facts, every rule in rules.yml is evaluated on them, the highest level that
certainly applies wins. A detail that is still unknown can only lead to a question, never to a lower
level, and within one conversation the level never goes down.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from bot.config import now as clock_now
from bot.triage import durations
from bot.triage.check import ASK as CHECK_ASK
from bot.triage.check import not_assessed_reason, option_for, says_none
from bot.triage.extract import HEAVINESS, SEVERITY, Extraction, clean_text, extract
from bot.triage.rules import evaluate, load_rules
from bot.triage.state import TriageState
from bot.vocabulary import higher_level, level_rank

logger = logging.getLogger(__name__)

ASK_FOR_FACT = {
    "bleeding_heaviness": "heaviness",
    "temperature_c": "temperature",
    "bleeding_hours": "duration",
    "pain_hours": "pain_duration",
    "pain_severity": "severity",
}
ASK_ORDER = ("heaviness", "temperature", "duration", "pain_duration", "severity")
MAX_ASKS = 3


@dataclass
class TriageOutcome:
    """What the Rasa actions need: whether to decide, the level, why, and what to ask next."""

    is_report: bool = False
    is_question: bool = False
    level: str | None = None
    reasons: list[str] = field(default_factory=list)
    ask: str | None = None
    state: TriageState = field(default_factory=TriageState)
    phase: str = "unknown"
    rule_ids: list[str] = field(default_factory=list)
    failed: bool = False  # triage itself failed: safe advice and a nurse reads the message


def analyze(
    text: str,
    lang: str,
    *,
    state: TriageState | None = None,
    hsg_date: date | None = None,
    now: datetime | None = None,
) -> TriageOutcome:
    """Triage one message; never raises.

    Fail safe: if anything inside triage fails, the outcome is an inform_team escalation "could not be
    assessed" (the advice gives the emergency number), never silence. The text is cleaned first
    (surrogates, NUL, control characters), so a stray character cannot make triage decide nothing.
    """
    try:
        return _analyze(
            clean_text(text) if isinstance(text, str) else "", lang, state, hsg_date, now or clock_now()
        )
    except Exception:
        logger.exception("triage analysis failed; escalating as not assessed")
        previous = state or TriageState()
        reasons = [not_assessed_reason()]
        level = higher_level(previous.level, "inform_team")
        return TriageOutcome(
            is_report=True,
            level=level,
            reasons=reasons,
            state=TriageState(
                facts=dict(previous.facts),
                asked=list(previous.asked),
                level=level,
                reasons=[*previous.reasons, *reasons],
                phase=previous.phase,
                hsg_date=previous.hsg_date,
            ),
            failed=True,
        )


def _merge(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """Findings only accumulate; details keep their most serious value."""
    facts = dict(old)
    for key, value in new.items():
        before = facts.get(key)
        if before is None:
            facts[key] = value
        elif key == "bleeding_heaviness":
            facts[key] = max(before, value, key=lambda v: HEAVINESS.index(v) if v in HEAVINESS else -1)
        elif key == "pain_severity":
            facts[key] = max(before, value, key=lambda v: SEVERITY.index(v) if v in SEVERITY else -1)
        elif isinstance(value, bool):
            facts[key] = bool(before) or value
        elif isinstance(value, (int, float)) and isinstance(before, (int, float)):
            facts[key] = max(before, value)
        else:
            facts[key] = value
    return facts


# A message that puts an earlier one right: "I mean 4 days", "sorry, typo", "ik bedoel 4 dagen"
_CORRECTS_EARLIER = re.compile(
    r"\b(?:i mean|i meant|meant to say|correction|typo|autocorrect|auto-correct|not hours|niet uur"
    r"|ik bedoel|ik bedoelde|verbetering|tikfout|typfout)\b"
)

# The answer to "how long has it lasted?" that says it is already easing ("nee, t wordt al minder",
# "it's getting better already"): the question is answered as far as it can be, and the advice for
# what was reported is given now (the facts already known keep their level).
_EASING_ANSWER = re.compile(
    r"\b(?:(?:wordt|worden|gaat|is|zijn|het|'t|t)\s+(?:al\s+|wel\s+|nu\s+|alweer\s+)*(?:minder|beter|rustiger)"
    r"|zakt al|neemt al af|(?:getting|got|it's|its|it is|already|feels)\s+(?:a bit\s+|much\s+|a lot\s+)?"
    r"(?:better|less|easier|lighter|calmer)|easing(?: off)?|settling(?: down)?|calming down|wearing off"
    r"|going down)\b"
)


def _phase(extraction: Extraction, hsg_date: date | None, now: datetime, previous: str | None) -> str:
    """The date this message gives wins, then its words, then a date known from before, then the past."""
    return (
        durations.phase_from_date(extraction.hsg_date, now)
        or extraction.phase
        or durations.phase_from_date(hsg_date, now)
        or previous
        or "unknown"
    )


def _fill_durations(
    facts: dict[str, Any], extraction: Extraction, hsg_date: date | None, now: datetime
) -> None:
    """Bleeding and pain without a stated duration have lasted since the HSG (the date given earlier)."""
    # the time of day counts only with the date it was said with ("HSG yesterday at 4pm")
    same_date = extraction.hsg_date is not None and extraction.hsg_date == hsg_date
    hour = extraction.hsg_hour if same_date else None
    since = durations.hours_since_hsg(hsg_date, now, hour)
    if since is None or facts.get("phase") != "after":
        return
    for name in ("bleeding", "pain"):
        key = f"{name}_hours"
        # bleeding that stopped on a named day lasted from the HSG to that day ("nothing since Saturday")
        lasted = (
            max(0.0, since - 24 * float(facts.get("bleeding_ended_days") or 0))
            if name == "bleeding"
            else since
        )
        if facts.get(name) and (facts.get(key) is None or (extraction.since_hsg and lasted > facts[key])):
            facts[key] = lasted


def _notes(facts: dict[str, Any]) -> dict[str, str]:
    temperature = facts.get("temperature_c")
    bleeding_hours = facts.get("bleeding_hours")
    pain_hours = facts.get("pain_hours")

    def span(hours: float | None) -> str:
        if hours is None:
            return "duration not given"
        return f"about {hours / 24:.0f} days" if hours >= 48 else f"about {hours:.0f} hours"

    return {
        "temperature": f"{temperature:.1f} °C" if temperature is not None else "not measured",
        "temperature_note": f" {temperature:.1f} °C" if temperature is not None else "",
        "phase_note": {"after": "after the HSG", "before": "before the HSG"}.get(
            str(facts.get("phase")), "(HSG date unknown)"
        ),
        "bleeding_duration": span(bleeding_hours),
        "pain_duration": span(pain_hours),
        "bleeding_duration_note": f" ({span(bleeding_hours)})" if bleeding_hours is not None else "",
        "dizzy_note": " with dizziness" if facts.get("dizzy") else "",
        "pain_note": " with pain" if facts.get("pain") else "",
    }


def _check_answer(text: str, previous: TriageState, extraction: Extraction) -> bool:
    """An option of the red-flag check (button, typed title or SMS number resolved to it) sets its facts;
    "none of these" answers the check. True when the message answered the check."""
    option = option_for(text)
    if option is None:
        return previous.pending_ask == CHECK_ASK and says_none(text) and not extraction.is_report
    for key, value in (option.get("facts") or {}).items():
        extraction.facts[key] = value
        if isinstance(value, bool):
            extraction.reported.add(key)
    if option["id"] == "none":
        return previous.pending_ask == CHECK_ASK
    return True


def _stored_date(previous: TriageState) -> date | None:
    try:
        return date.fromisoformat(previous.hsg_date) if previous.hsg_date else None
    except ValueError:
        return None


# A symptom the patient asked about, and the follow-up question whose answer its report needs.
_TOPIC_ASKS = {"bleeding": "duration", "pain": "pain_duration"}
# The next message speaks of it without naming it: "mine started on Monday", "bij mij is het nog steeds
# zo", "they're still there", "it's light and brownish".
_REFERS_BACK = re.compile(
    r"\b(?:mine|my own|bij mij|de mijne|het mijne|die van mij|i have it|i've got it|i've had it|i had it|"
    r"ik heb het|heb ik het|ik had het|i get them|i have them|i've had them|ik heb ze|heb ik ze)\b"
    r"|^\s*(?:it|they|het|ze|still|nog)\b"
    r"|\b(?:it's|its|it is|they're|they are|het is|ze zijn)\s+(?:still|nog)\b"
    # "asking because I've got a little now", "ik vraag het omdat ik wat heb": the symptom just asked about
    r"|\b(?:asking|i ask|i'm asking|ik vraag(?: het| dit)?)\s+(?:because|since|as|omdat|want)\b"
    r"|\b(?:i've got|i have got|i've|i have|ik heb|heb ik)\s+(?:a little|a bit|some|een beetje|wat)"
    r"(?:\s+(?:now|right now|today|nu|vandaag|too|also|ook))?\s*(?:[,.!]|$)",
    re.IGNORECASE,
)


# The asked-about symptom denied outright: "no, I'm not bleeding", "nee, ik bloed niet", "no pain at all"
_DENIES_TOPIC = re.compile(
    r"\b(?:i'm not|i am not|im not|not|no|none|geen|niet)\s+(?:\w+\s+)?(?:bleeding|spotting|in pain|cramping"
    r"|pain|cramps|blood|bloed|bloeding|pijn|krampen)\b|\b(?:ik bloed|ik heb)\s+(?:\w+\s+)?niet\b"
)


# The symptom's name, put where the patient wrote "it" for it (English and Dutch).
_SYMPTOM_NOUNS = {
    "en": {"bleeding": "the bleeding", "pain": "the pain", "discharge": "the discharge"},
    "nl": {"bleeding": "het bloedverlies", "pain": "de pijn", "discharge": "de afscheiding"},
}
_TOPIC_SYMPTOMS = ("discharge", "bleeding", "pain")
_IT_EN = re.compile(r"\b(?:it's|its|it is)\b|\bit\b", re.IGNORECASE)
_IT_NL = re.compile(r"\bhet (?=is|wordt|word|ruikt|stinkt|blijft|gaat|was|werd|begon|lijkt)\b", re.IGNORECASE)
# ... and after its verb, as Dutch puts it after a fronted phrase: "bij mij is het grijsgroen"
_IT_NL_INVERTED = re.compile(r"\b(is|wordt|ruikt|stinkt|blijft|was|werd|lijkt)\s+het\b", re.IGNORECASE)


def _name_the_symptom(text: str, lang: str, topic: list[str]) -> str:
    """ "it's yellowish now" -> "the discharge is yellowish now" when the conversation's one symptom in
    question is discharge; unchanged when there is not exactly one."""
    symptoms = [name for name in _TOPIC_SYMPTOMS if name in topic]
    if len(symptoms) != 1:
        return text
    nouns = _SYMPTOM_NOUNS["nl" if lang == "nl" else "en"]
    noun = nouns[symptoms[0]]
    if lang == "nl":
        return _IT_NL_INVERTED.sub(lambda m: f"{m.group(1)} {noun}", _IT_NL.sub(noun + " ", text))
    return _IT_EN.sub(lambda m: noun + (" is" if m.group(0).lower() != "it" else ""), text)


def _without_topic(state: TriageState) -> TriageState:
    """The state for reading a message with its symptom named: no topic, so it is not resolved twice."""
    return TriageState.from_dict({**state.to_dict(), "topic": []})


def _follow_topic(
    text: str, lang: str, previous: TriageState, hsg_date: date | None, now: datetime
) -> TriageOutcome | None:
    """ "How long do the cramps last?" then "mine started Monday and they're still there": the second
    message reports the symptom the first asked about. Read it as the answer to that symptom's duration
    question; when that finds nothing to decide, the message is read on its own as before."""
    if not _REFERS_BACK.search(text) or text.rstrip().endswith("?"):
        return None
    if _DENIES_TOPIC.search(text.lower()):
        return None  # "No, I'm not bleeding. I had it last week": "it" is the HSG, the symptom is denied
    resolved = _name_the_symptom(text, lang, previous.topic)
    if resolved != text:
        # "It started clear but it's getting more every day and it's yellowish now" after a report of
        # discharge: read with the symptom named where the pronoun stands
        outcome = _analyze(resolved, lang, _without_topic(previous), hsg_date, now)
        if outcome.is_report and outcome.level is not None:
            return outcome
    topics = [name for name in previous.topic if name in _TOPIC_ASKS]
    if not topics:
        return None
    assumed = TriageState.from_dict(
        {
            **previous.to_dict(),
            "facts": {**previous.facts, **{name: True for name in topics}},
            "pending_ask": _TOPIC_ASKS[topics[0]],
            "topic": [],
        }
    )
    outcome = _analyze(text, lang, assumed, hsg_date, now)
    return outcome if outcome.is_report else None


def _analyze(
    text: str, lang: str, previous: TriageState | None, hsg_date: date | None, now: datetime
) -> TriageOutcome:
    previous = previous or TriageState()
    extraction = extract(text, lang, now=now, pending_ask=previous.pending_ask)
    if previous.topic and not extraction.reported and previous.pending_ask is None:
        followed = _follow_topic(text, lang, previous, hsg_date, now)
        if followed is not None:
            return followed
    if previous.topic and extraction.reported and previous.pending_ask is None:
        # "But now it's gray and watery, no fever though": findings of its own, and "it" for the one
        # spoken of before. Both readings; the higher level stands (unknown details never lower it).
        resolved = _name_the_symptom(text, lang, previous.topic)
        if resolved != text:
            plain = _without_topic(previous)
            as_said = _analyze(text, lang, plain, hsg_date, now)
            named = _analyze(resolved, lang, plain, hsg_date, now)
            return named if level_rank(named.level) > level_rank(as_said.level) else as_said
    checked = _check_answer(text, previous, extraction)
    # The HSG date: the conversation's slot, else one given in this message, else in an earlier one.
    hsg_date = hsg_date or extraction.hsg_date or _stored_date(previous)
    phase = _phase(extraction, hsg_date, now, previous.phase)
    answered = checked or (
        previous.pending_ask is not None
        and bool(extraction.answered)
        and (previous.pending_ask in extraction.answered or bool(previous.facts))
    )
    # A bare duration ("for 5 days now", "al 5 dagen") belongs to the symptom already reported whose
    # duration is unknown, whatever question was asked last: answers come in any order. So does the HSG
    # day given as the answer to "how long?" ("The HSG was Friday and it's been there every day since").
    hours = extraction.facts.get("any_hours")
    if previous.pending_ask in ("duration", "pain_duration"):
        if extraction.since_hsg:
            since = durations.hours_since_hsg(extraction.hsg_date, now)  # None: no date, or one ahead
            hours = since if since is not None else hours
        if hours is None:  # "it was on the 18th": the day it began
            hours = durations.start_date_hours(text.lower(), now, answer=True)
    open_symptom = any(
        previous.facts.get(name) and previous.facts.get(f"{name}_hours") is None
        for name in ("bleeding", "pain")
    )
    if (
        open_symptom
        and extraction.hsg_date
        and not previous.hsg_date
        and durations.hours_since_hsg(extraction.hsg_date, now) is not None
    ):
        # "het onderzoek was op 19 november" after "ik heb nog steeds wat bloedverlies": the HSG day
        # completes the report (a symptom with no stated duration has lasted since the HSG)
        answered = True
    if hours is not None and not extraction.is_report:
        corrects = bool(_CORRECTS_EARLIER.search(text.lower()))
        for name in ("bleeding", "pain"):
            known = previous.facts.get(f"{name}_hours")
            if previous.facts.get(name) and (known is None or (corrects and hours > known)):
                # "ugh autocorrect, I mean 4 DAYS" after "cramps for 4 hours": the duration is put
                # right; a correction only ever lengthens it here (unknown details never lower a level)
                extraction.facts[f"{name}_hours"] = hours
                answered = True
    if (
        previous.pending_ask in ("duration", "pain_duration")
        and previous.level is not None
        and not extraction.is_report
        and _EASING_ANSWER.search(text.lower())
    ):
        answered = True
        if previous.facts.get("pain") and extraction.facts.get("pain_severity") is None:
            # cramps that are easing are not severe now (a severity already said stays: details only rise)
            extraction.facts["pain_severity"] = "mild"
    is_report = extraction.is_report or answered
    if not is_report and previous.topic and previous.pending_ask is not None:
        # not an answer to the question asked, but maybe about the symptom: "het wordt steeds erger"
        followed = _follow_topic(text, lang, previous, hsg_date, now)
        if followed is not None:
            return followed
    if not is_report:
        if (
            extraction.body_talk
            and not extraction.others
            and not extraction.is_question
            and CHECK_ASK not in previous.asked
            and previous.level is None
        ):
            # About the body, but nothing the rules can decide on: the closed red-flag check,
            # never "tell me more".
            state = TriageState(
                facts=dict(previous.facts),
                pending_ask=CHECK_ASK,
                asked=[*previous.asked, CHECK_ASK],
                level=previous.level,
                reasons=list(previous.reasons),
                phase=phase if phase in ("after", "before") else previous.phase,
                hsg_date=(hsg_date.isoformat() if hsg_date else previous.hsg_date),
            )
            return TriageOutcome(ask=CHECK_ASK, state=state, phase=phase)
        if extraction.hsg_date and not previous.hsg_date:  # "I had the HSG on Wednesday": remember it
            previous = TriageState.from_dict(
                {**previous.to_dict(), "hsg_date": extraction.hsg_date.isoformat()}
            )
        if extraction.phase in ("after", "before") and not previous.phase:
            # "my HSG is this afternoon, can I still come if ...": the next message is read before it
            previous = TriageState.from_dict({**previous.to_dict(), "phase": extraction.phase})
        topic = (
            sorted(extraction.asked_about & set(_TOPIC_SYMPTOMS))
            if extraction.is_question
            else previous.topic
        )
        if topic != previous.topic:
            previous = TriageState.from_dict({**previous.to_dict(), "topic": topic})
        return TriageOutcome(
            is_question=extraction.is_question or extraction.others, state=previous, phase=phase
        )

    facts = _merge(previous.facts, {k: v for k, v in extraction.facts.items() if k != "any_hours"})
    facts["phase"] = phase
    _fill_durations(facts, extraction, hsg_date, now)
    if checked and not any(isinstance(v, bool) and v for k, v in facts.items() if k != "phase"):
        # "None of these" after the check: nothing to escalate; after the HSG, the self-care advice.
        facts["unwell_no_red_flag"] = True

    certain: list[Any] = []
    possible: list[tuple[Any, set[str]]] = []
    for rule in load_rules():
        missing: set[str] = set()
        result = evaluate(rule.when, facts, missing)
        if result is True:
            certain.append(rule)
        elif result is None:
            possible.append((rule, missing))

    rank = max((level_rank(rule.level) for rule in certain), default=-1)
    level = certain and max(certain, key=lambda rule: level_rank(rule.level)).level or None
    carried = level_rank(previous.level) > rank  # facts accumulate, so this is rare; keep the old why
    if carried:
        level, rank = previous.level, level_rank(previous.level)

    notes = _notes(facts)
    reasons: list[str] = []
    for rule in sorted(certain, key=lambda rule: -level_rank(rule.level)):
        if rank > 0 and rule.level == "self_care":
            continue
        reason = " ".join(rule.reason.format_map(notes).split())
        if reason not in reasons:
            reasons.append(reason)
    if carried:
        reasons = [*previous.reasons, *(reason for reason in reasons if reason not in previous.reasons)]

    if (
        extraction.soft_only
        and rank <= level_rank("self_care")
        and not answered
        and previous.level is None
        and previous.pending_ask is None
    ):
        # "can I have the HSG while I'm still on my period?", "my bleeding usually stops on day 5":
        # a question about what to do, or what usually happens, is the leaflet's to answer; a self-care
        # decision needs a report. Red flags are decided wherever they are said (rank above).
        return TriageOutcome(is_question=True, state=previous, phase=phase)

    ask = None
    if rank < level_rank("emergency") and len(previous.asked) < MAX_ASKS:
        wanted: list[tuple[int, int, str]] = []
        for rule, missing in possible:
            if level_rank(rule.level) <= rank:
                continue
            for fact in missing:
                name = ASK_FOR_FACT.get(fact)
                if name and name not in previous.asked:
                    wanted.append((-level_rank(rule.level), ASK_ORDER.index(name), name))
        if wanted:
            ask = min(wanted)[2]

    reported_topic = sorted(extraction.reported & set(_TOPIC_SYMPTOMS))
    new_state = TriageState(
        topic=reported_topic or list(previous.topic),
        facts={k: v for k, v in facts.items() if k != "phase"},
        pending_ask=ask,
        asked=[*previous.asked, ask] if ask else list(previous.asked),
        level=level,
        reasons=reasons,
        phase=phase if phase in ("after", "before") else None,
        hsg_date=hsg_date.isoformat() if hsg_date else previous.hsg_date,
    )
    return TriageOutcome(
        is_report=True,
        is_question=False,
        level=level,
        reasons=reasons,
        ask=ask,
        state=new_state,
        phase=phase,
        rule_ids=[rule.id for rule in certain],
    )
