"""Answer only when sure: a leaflet answer, a "did you mean" offer, or an honest decline.

Rasa's FallbackClassifier looks only at the intent's confidence, but for a leaflet question the
intent (`faq`) is the easy part: the risk is the topic. The ResponseSelector always picks *some*
topic, so a question about the weather used to get "what to bring". This module decides from the
parse data (intent ranking plus the response selector's own ranking) what the patient gets:

- `answer`  the classifier is sure of `faq` and of one topic, clearly ahead of the next;
- `offer`   a leaflet question is likely but the topic is not certain: the two or three closest
            topics are offered as choices, plus "something else";
- `decline` not a leaflet question we can place: an honest reply (see `decline_kind`).

One check does not rest on the classifier: a question that names another fertility treatment, its
medicines or another test of the tubes (`names_other_treatment`) is about that treatment, which the
HSG leaflets do not cover, so it is declined whatever topic the selector liked best.

Pure functions on plain data, so the thresholds can be tested and tuned on the development set
without Rasa (tools/nlu_rest_eval.py measures the whole chain over REST).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bot.vocabulary import PAPERWORK_PATTERN

FAQ_INTENT = "faq"
FALLBACK_INTENT = "nlu_fallback"
OUT_OF_SCOPE_INTENT = "out_of_scope"
CHECK_KEY = "topic_check"  # the second opinion's ranking in the parse data (topic_check.py)


@dataclass(frozen=True)
class Thresholds:
    """Where "sure" starts. Chosen on the development set (docs/nlu.md), never on the sealed one."""

    answer_topic: float = 0.25  # the selector's confidence in its first topic
    answer_margin: float = 0.10  # ... and its lead over the second topic
    answer_intent: float = 0.0  # the classifier's confidence in `faq` (DIET is near 1.0 or near 0)
    offer_intent: float = 0.25  # below this, `faq` is not likely enough to offer topics
    offer_topic: float = 0.10  # a topic is offered only with at least this confidence
    max_offers: int = 3
    # The second opinion (`topic_check`, bot/rasa_server/topic_check.py), when the parse data has it:
    agree_topic: float = 0.20  # both name the same first topic: the selector with at least this
    agree_check: float = 0.10  # ... and the second opinion with at least this
    answer_mean: float = 0.40  # they disagree, but one topic's mean confidence is at least this
    answer_mean_margin: float = 0.15  # ... and this far ahead of the next
    check_decline: float = 0.35  # the second opinion puts out_of_scope first with at least this
    revise_selector: float = 0.50  # both agree this strongly on a topic: a leaflet question after all
    revise_check: float = 0.30  # (the intent classifier's out_of_scope / fallback is overruled)
    # Where an offer would be made: the second opinion alone is clearly sure of one topic (this much,
    # this far ahead of its next topic and of out_of_scope). See `_second_opinion_sure`.
    check_sure: float = 0.25
    check_sure_margin: float = 0.05


DEFAULT_THRESHOLDS = Thresholds()


@dataclass(frozen=True)
class Decision:
    kind: str  # answer | offer | decline | pass
    topics: tuple[str, ...] = ()
    # Why a decline is an out-of-scope one (worded by kind): "treatment", "admin", "results" (the rules
    # below) or "out_of_scope" (the second opinion); empty when the message was just not understood.
    reason: str = ""


def _topic(key: str) -> str | None:
    """`booking` from `faq/booking`."""
    return key.split("/", 1)[1] if "/" in key else None


def topic_ranking(parse: dict[str, Any]) -> list[tuple[str, float]]:
    """(topic, confidence), best first, from the response selector's part of the parse data."""
    selector = (parse.get("response_selector") or {}).get(FAQ_INTENT) or {}
    ranking = selector.get("ranking") or []
    topics = []
    for entry in ranking:
        topic = _topic(str(entry.get("intent_response_key") or ""))
        if topic:
            topics.append((topic, float(entry.get("confidence") or 0.0)))
    if not topics:
        response = selector.get("response") or {}
        topic = _topic(str(response.get("intent_response_key") or ""))
        if topic:
            topics.append((topic, float(response.get("confidence") or 0.0)))
    return sorted(topics, key=lambda pair: -pair[1])


def intent_confidence(parse: dict[str, Any], name: str) -> float:
    for entry in parse.get("intent_ranking") or []:
        if entry.get("name") == name:
            return float(entry.get("confidence") or 0.0)
    intent = parse.get("intent") or {}
    return float(intent.get("confidence") or 0.0) if intent.get("name") == name else 0.0


def check_ranking(parse: dict[str, Any]) -> list[tuple[str, float]]:
    """(label, confidence), best first, from the second opinion (`topic_check`); labels are topics or
    `out_of_scope`. Empty when the model has no second opinion."""
    entries = (parse.get(CHECK_KEY) or {}).get("ranking") or []
    pairs = [(str(entry.get("name")), float(entry.get("confidence") or 0.0)) for entry in entries]
    return sorted(pairs, key=lambda pair: -pair[1])


def agreed_topic(parse: dict[str, Any], minimum: float, minimum_check: float | None = None) -> str | None:
    """The topic both the selector and the second opinion rank first among the topics (the second
    opinion's out_of_scope aside), with at least `minimum` and `minimum_check` confidence."""
    topics, check = topic_ranking(parse), check_ranking(parse)
    labels = [(name, conf) for name, conf in check if name != OUT_OF_SCOPE_INTENT]
    if not topics or not labels:
        return None
    (first, first_conf), (label, label_conf) = topics[0], labels[0]
    floor = minimum if minimum_check is None else minimum_check
    if first == label and first_conf >= minimum and label_conf >= floor:
        return first
    return None


def _support(parse: dict[str, Any], topic: str) -> float:
    """How much the two topic models together back `topic`: the mean of their confidences."""
    return (dict(topic_ranking(parse)).get(topic, 0.0) + dict(check_ranking(parse)).get(topic, 0.0)) / 2


REPORT_INTENT = "report_symptom"
# Short social replies. A question of several words classified as one ("moet ik een zwangerschapstest
# doen, en zo ja welke?" as affirm, "sex same night ok?" as goodbye) may be a leaflet question after all.
SMALL_TALK_INTENTS = frozenset({"affirm", "deny", "greet", "goodbye", "thank"})
_MIN_QUESTION_WORDS = 4


def question_in_small_talk(intent: str | None, text: str) -> bool:
    """The classifier said a social reply, but the message is a question of at least four words."""
    return (
        intent in SMALL_TALK_INTENTS
        and len(re.findall(r"\w+", text or "")) >= _MIN_QUESTION_WORDS
        and looks_like_question(text)
    )


DETAIL_INTENT = "inform_detail"


def question_as_detail(intent: str | None, text: str) -> bool:
    """The classifier heard a short answer to a follow-up question ("two days", "heavy"), but the message
    asks something: "spotting normal?", "cramps ok?". With a question pending, the FAQ action still
    hands it to the follow-up first (actions/faq.py), so a real answer is never lost."""
    return intent == DETAIL_INTENT and looks_like_question(text)


def revised_intent(parse: dict[str, Any], thresholds: Thresholds = DEFAULT_THRESHOLDS) -> str | None:
    """`faq` when the intent classifier said out_of_scope (or was unsure) but both topic models agree
    strongly on one leaflet topic: short or oddly worded leaflet questions ("results when?", "gym the
    same day ok?") that the intent classifier misses. Used by the NLU component (topic_check.py).

    Also for `report_symptom`, but only when the caller knows the rule-based screen found no report,
    no finding and no body talk in the message (nlu_component.py): "who gives me the results" or "I'm
    scared it will be agony" are questions the classifier took for reports. Anything the screen reads as
    about the body keeps the report intent, so the red-flag floor never rests on this. And for a
    social reply that is really a question of several words (`question_in_small_talk`), or a short
    answer that is really a question (`question_as_detail`)."""
    intent = (parse.get("intent") or {}).get("name")
    text = str(parse.get("text") or "")
    if (
        intent not in (OUT_OF_SCOPE_INTENT, FALLBACK_INTENT, REPORT_INTENT)
        and not question_in_small_talk(intent, text)
        and not question_as_detail(intent, text)
    ):
        return None
    if names_other_treatment(text) or names_other_service(text) or asks_for_diagnosis(text):
        return None
    agreed = agreed_topic(parse, thresholds.revise_selector, thresholds.revise_check)
    if agreed and check_ranking(parse)[0][0] == agreed:  # ahead of the second opinion's out_of_scope too
        return FAQ_INTENT
    return None


def topic_asked_alongside(parse: dict[str, Any], thresholds: Thresholds = DEFAULT_THRESHOLDS) -> str | None:
    """The leaflet topic a report that is also a question asks about, or None.

    "I have chlamydia, can I still have the HSG next week?" or "some clear fluid since the test, is
    that the dye?": triage decides the report, and this says whether the leaflet answer goes with it.
    Stricter than `decide`: only with the second opinion there, when both topic models agree (out of
    scope not ahead) or the second opinion is clearly sure on its own; never for another treatment,
    another department or a diagnosis."""
    text = str(parse.get("text") or "")
    if not looks_like_question(text):
        return None
    check = check_ranking(parse)
    if not check or not topic_ranking(parse):
        return None
    topic = _agreed_answer(parse, check, thresholds) or _second_opinion_sure(check, thresholds)
    if names_other_treatment(text, topic) or names_other_service(text) or asks_for_diagnosis(text):
        return None
    return sex_topic_by_time(text, topic) if topic in _SEX_TOPICS else topic


def decide(parse: dict[str, Any], thresholds: Thresholds = DEFAULT_THRESHOLDS) -> Decision:
    """What to do with a message classified as `faq` or `nlu_fallback` (other intents: `pass`)."""
    decision = _decide(parse, thresholds)
    if decision.kind == "answer" and decision.topics[0] in _SEX_TOPICS:
        return Decision("answer", (sex_topic_by_time(str(parse.get("text") or ""), decision.topics[0]),))
    return decision


# Sex before the HSG (`abstinence`) and after it (`after_intercourse`) share every word but the time:
# the time the question names decides between them ("why wait a day before having sex afterwards").
_SEX_TOPICS = ("abstinence", "after_intercourse")
_AFTER_IT = re.compile(
    r"\b(?:after|afterwards|again|na|erna|achteraf|weer|same (?:night|day|evening)|that (?:night|evening)|"
    r"dezelfde (?:avond|dag|nacht))\b",
    re.IGNORECASE,
)
_BEFORE_IT = re.compile(
    r"\b(?:before (?:the |my |da |t )?(?:hsg|test|procedure|exam\w*|dye test|x-?ray|scan)|in the days before|"
    r"(?:voor|vóór) (?:het |de |da |t |mijn )?(?:hsg|onderzoek|test|foto)"
    r"|from (?:when|which day|what day|the first day|day)|vanaf|stop\w*|onthouden|between|tussen)\b",
    re.IGNORECASE,
)


def sex_topic_by_time(text: str, topic: str) -> str:
    """`abstinence` or `after_intercourse` by the time the question names; `topic` when it names both
    or neither."""
    after, before = bool(_AFTER_IT.search(text)), bool(_BEFORE_IT.search(text))
    if after and not before:
        return "after_intercourse"
    if before and not after:
        return "abstinence"
    return topic


def _decide(parse: dict[str, Any], thresholds: Thresholds) -> Decision:
    intent = (parse.get("intent") or {}).get("name")
    if intent not in (FAQ_INTENT, FALLBACK_INTENT):
        return Decision("pass")
    faq = intent_confidence(parse, FAQ_INTENT)
    topics = topic_ranking(parse)
    if not topics:
        return Decision("decline")
    first, first_conf = topics[0]
    second_conf = topics[1][1] if len(topics) > 1 else 0.0
    if asks_how_i_am(str(parse.get("text") or "")):
        return Decision("decline", reason="unrelated")  # "hoe gaat het met jou?" is not "how does it go"
    if names_other_treatment(str(parse.get("text") or ""), first):
        return Decision("decline", reason="treatment")
    if names_other_service(str(parse.get("text") or ""), first):
        return Decision("decline", reason="admin")
    if asks_for_diagnosis(str(parse.get("text") or "")):
        return Decision("decline", reason="results")
    check = check_ranking(parse)
    if check:
        return _decide_with_check(parse, faq, topics, check, thresholds)
    if (
        _faq_leads(parse, faq)
        and faq >= thresholds.answer_intent
        and first_conf >= thresholds.answer_topic
        and first_conf - second_conf >= thresholds.answer_margin
    ):
        return Decision("answer", (first,))
    if (
        faq < thresholds.offer_intent
        or _out_of_scope_leads(parse, faq)
        or first_conf < thresholds.offer_topic
    ):
        # Not likely a leaflet question, or no topic is even close: offering would be a guess too.
        return Decision("decline")
    offered = [topic for topic, conf in topics[: thresholds.max_offers] if conf >= thresholds.offer_topic]
    return Decision("offer", tuple(offered or [first]))


def _decide_with_check(
    parse: dict[str, Any],
    faq: float,
    topics: list[tuple[str, float]],
    check: list[tuple[str, float]],
    thresholds: Thresholds,
) -> Decision:
    """Answer when the selector and the second opinion agree on the topic and the second opinion's
    out_of_scope does not outweigh that topic's support; else offer what either liked, or decline."""
    revised = (parse.get(CHECK_KEY) or {}).get("revised_from") is not None
    faq_leads = revised or _faq_leads(parse, faq)
    outside = dict(check).get(OUT_OF_SCOPE_INTENT, 0.0)
    agreed = _agreed_answer(parse, check, thresholds)
    if agreed and faq_leads:
        return Decision("answer", (agreed,))
    # The two disagree: rank the topics either of them liked by their mean confidence.
    selector, second = dict(topics), dict(check)
    candidates = {topic for topic, _ in topics[: thresholds.max_offers]}
    candidates |= {name for name, _ in check[: thresholds.max_offers] if name != OUT_OF_SCOPE_INTENT}
    mean = sorted(
        ((topic, (selector.get(topic, 0.0) + second.get(topic, 0.0)) / 2) for topic in candidates),
        key=lambda pair: -pair[1],
    )
    best, best_mean = mean[0] if mean else ("", 0.0)
    lead = best_mean - (mean[1][1] if len(mean) > 1 else 0.0)
    if (
        faq_leads
        and best_mean >= thresholds.answer_mean
        and lead >= thresholds.answer_mean_margin
        and outside < best_mean
    ):
        return Decision("answer", (best,))
    if outside >= thresholds.check_decline and outside >= best_mean:
        # The second opinion reads it as out of scope more than as any topic: an honest decline,
        # worded by kind like the classifier's own out_of_scope.
        return Decision("decline", reason="out_of_scope")
    if faq < thresholds.offer_intent or _out_of_scope_leads(parse, faq):
        return Decision("decline")
    sure = _second_opinion_sure(check, thresholds)
    if sure and faq_leads:
        return Decision("answer", (sure,))
    offered = [topic for topic, conf in mean[: thresholds.max_offers] if conf >= thresholds.offer_topic / 2]
    if not offered:
        return Decision("decline")
    return Decision("offer", tuple(offered))


def _agreed_answer(
    parse: dict[str, Any], check: list[tuple[str, float]], thresholds: Thresholds
) -> str | None:
    """The topic both models rank first, when the second opinion's out_of_scope does not outweigh it."""
    agreed = agreed_topic(parse, thresholds.agree_topic, thresholds.agree_check)
    if agreed and dict(check).get(OUT_OF_SCOPE_INTENT, 0.0) < _support(parse, agreed):
        return agreed
    return None


def _second_opinion_sure(check: list[tuple[str, float]], thresholds: Thresholds) -> str | None:
    """The second opinion's first topic when it is clearly sure of it, on its own.

    Why trust one model here: on wordings far from the training examples the word-level model is the
    better of the two (first topic right for 542 of 555 English development questions, the selector
    529), and where the two disagree the selector is usually the one led astray by a frequent word
    ("how long do the cramps go on for *after*" → returning to work). Only reached where an offer
    would be made, after every decline rule: it never turns a decline into an answer."""
    topics = [(name, conf) for name, conf in check if name != OUT_OF_SCOPE_INTENT]
    if not topics:
        return None
    first, first_conf = topics[0]
    runner_up = max(topics[1][1] if len(topics) > 1 else 0.0, dict(check).get(OUT_OF_SCOPE_INTENT, 0.0))
    if first_conf >= thresholds.check_sure and first_conf - runner_up >= thresholds.check_sure_margin:
        return first
    return None


# Other fertility treatments, their medicines and other tests of the tubes. The leaflets cover the HSG
# only: "does the Ovitrelle shot hurt" or "how much is IVF if a tube is blocked" borrow HSG words
# ("hurt", "cost", "tube") but are about something else, and a leaflet answer would mislead. Names and
# stems in English, Dutch and Flemish; "egg"/"eicel" alone is not here ("is the x-ray bad for my eggs"
# is a radiation question).
_OTHER_TREATMENT = re.compile(
    r"\b(ivf|icsi|iui|insemination|inseminatie|kunstmatige inseminatie|embryo\w*|"
    r"egg (retrieval|collection|freezing)|eicelpunctie|punctie|eicellen invriezen|"
    r"hycosy|hyfosy|schuimecho|foam (ultrasound|scan)|"
    # the same test of the tubes by ultrasound, in lay words; and tests of ovulation
    r"echo met (schuim|contrast|zoutoplossing)|(ultrasound|scan|echo) with (foam|bubbles|saline)|"
    r"ovulation (test|tests|kit|strips?)|ovulatietest\w*|lh[ -]test\w*|"
    r"clomid|clomi(ph|f)ene?|clomifeen|letrozol\w*|femara|ovitrelle|pregnyl|gonal\w*|menopur|"
    r"puregon|cetrotide|orgalutran|duphaston|utrogestan|crinone|progesteron\w*|metformin\w*|"
    r"hcg[ -](shot|injection|prik|spuit\w*)|trigger (shot|injection)|stimulation injections?|"
    r"stimulatieprik\w*|hormoonprik\w*|"
    r"hormoonspuit\w*|hormone injections?)\b",
    re.IGNORECASE,
)
# A laparoscopy or hysteroscopy is the next test when an HSG cannot be done or is unclear: a leaflet
# subject for these topics only.
_NEXT_TEST = re.compile(r"\b(laparoscop\w*|kijkoperatie|hysteroscop\w*|hysteroscopie)\b", re.IGNORECASE)
_NEXT_TEST_TOPICS = frozenset({"incomplete", "what_is_hsg"})


# Taking something out of the womb (a coil, a polyp, a fibroid) is another procedure, even when asked
# for "during the HSG": "can the doctor take my IUD out at the same appointment?", "hoe wordt een poliep
# weggehaald?". The gynaecologist who would do it explains it.
_REMOVED = r"(?:remov\w*|taken out|taking out|weghal\w*|weggehaald|verwijder\w*|eruit hal\w*|wegnem\w*)"
_REMOVABLE = r"(?:iud|coil|spiraal\w*|polyps?|poliep\w*|fibroids?|myoom|myomen|vleesbo\w*|cysts?|cyste\w*)"
_REMOVAL = re.compile(
    r"\b" + _REMOVED + r"\b[^.?!]{0,40}?\b" + _REMOVABLE + r"\b"
    r"|\b" + _REMOVABLE + r"\b[^.?!]{0,40}?\b" + _REMOVED + r"\b"
    r"|\btake\s+(?:\w+\s+)?" + _REMOVABLE + r"\s+out\b",
    re.IGNORECASE,
)
# ... unless it was done before: "I had a polyp removed last year, is that a problem for the HSG?"
_REMOVAL_DONE = re.compile(
    r"\b(?:had|was|were|got|werd|gehad|ago|geleden|last year|vorig jaar)\b", re.IGNORECASE
)


# A condition the team must hear of before the HSG (diabetes, asthma, the kidneys), named with the medicine
# for it: "I take metformin for my diabetes, must I tell them?" asks what to report, not about a treatment.
_REPORTABLE_CONDITION = re.compile(
    r"\b(?:diabet\w*|suiker\w*|sugar|blood sugar|asthma\w*|astma\w*|inhaler|puffer|kidneys?|nieren|nier)\b",
    re.IGNORECASE,
)
_CONDITION_TOPICS = frozenset({"conditions_to_report", "contraindications"})


# Asking how the assistant is, as the whole message ends: "hi how are you today", "Alles goed met je?",
# "hoe gaat het met jou?" (not "hoe gaat het onderzoek", nor "how are you going to numb it?")
_HOW_ARE_YOU = re.compile(
    r"\b(?:how are you|how r u|how're you|how are u|how's it going|how is it going"
    r"|hoe gaat het met (?:je|jou|u)|hoe is het met (?:je|jou|u)|alles goed met (?:je|jou|u)"
    r"|hoe gaat het ermee|hoe maakt u het)"
    r"(?:\s+(?:today|doing|tonight|vandaag|vanavond))?\s*[?!.]*\s*$",
    re.IGNORECASE,
)


def asks_how_i_am(text: str) -> bool:
    """The message ends by asking how the assistant is: small talk, never a leaflet topic."""
    return bool(_HOW_ARE_YOU.search(text or ""))


def names_other_treatment(text: str, topic: str | None = None) -> bool:
    """The question names another treatment, its medicines or another test (not a leaflet subject)."""
    if topic in _CONDITION_TOPICS and _REPORTABLE_CONDITION.search(text or ""):
        return False
    if _OTHER_TREATMENT.search(text or "") or names_other_exam(text):
        return True
    if _REMOVAL.search(text or "") and not _REMOVAL_DONE.search(text or ""):
        return True
    return bool(_NEXT_TEST.search(text or "")) and topic not in _NEXT_TEST_TOPICS


# Another imaging exam as the subject of the question ("is an MRI of the pelvis painful", "do I fast
# before my CT with contrast"): its own department explains it. Not when it is only a yardstick or a
# history for an HSG question ("more radiation than a CT?", "I reacted to CT contrast once", "do I still
# need the HSG after the ultrasound?").
_OTHER_EXAM = re.compile(
    r"\b(?:mri|mri-scan|mri scan|ct|ct-scan|ctscan|ct scan|cat scan|pet scan|pet-scan|bone scan|botscan|"
    r"mammogra\w*|colonoscop\w*|coloscopie|endoscop\w*|gastroscop\w*|chest x-?ray|longfoto|"
    r"(?:x-?ray|röntgenfoto|rontgenfoto) (?:of|van) (?:my|the|mijn|de|het) "
    r"(?:chest|knee|back|arm|leg|ankle|wrist|hand|foot|teeth|borst|knie|rug|pols|enkel|voet|tanden|longen|lungs)"
    r"|dexa|bone density|botdichtheid|smear|smear test|pap smear|pap test|uitstrijkje|uitstrijkjes|"
    r"ultrasounds?|echo|echoscopie|echografie|angiogra\w*|dental x-?rays?|tandfoto\w*|"
    r"barium (?:swallow|meal|enema|study)|slikfoto)\b",
    re.IGNORECASE,
)
# The HSG itself named: with it, another exam is a comparison or a history for an HSG question.
_HSG_WORDS = r"hsg|hysterosalpingo\w*|eileiderfoto|baarmoederfoto|eileiders?|tubes?|this test|dit onderzoek"
_HSG_NAMED = re.compile(r"\b(?:" + _HSG_WORDS + r")\b", re.IGNORECASE)
_EXAM_AS_YARDSTICK = re.compile(
    r"\b(?:than|compared|comparison|as much as|the same|same as|like|vergeleken|dan|evenveel als|zoveel als|"
    r"zoals|net als|hetzelfde|"
    r"reaction|reacted|react|allergic|allergy|hives|rash|reageerde|gereageerd|reactie|allergisch|allergie|uitslag|"
    + _HSG_WORDS
    + r")\b",
    re.IGNORECASE,
)


def names_other_exam(text: str) -> bool:
    """Another imaging exam is what the question is about (not a comparison or a history). Two other
    exams compared with each other, the HSG not named ("is the dye for a CT the same as for an
    angiogram?"), are the subject too."""
    exams = {match.group(0).lower() for match in _OTHER_EXAM.finditer(text or "")}
    if len(exams) >= 2 and not _HSG_NAMED.search(text or ""):
        return True
    return bool(exams) and not _EXAM_AS_YARDSTICK.search(text or "")


# Other departments, specialties and services of the hospital (and outside it). "How do I book a
# dentist appointment" or "lost my scarf at the lung clinic" borrow the words of `booking` or `arrival`
# but are another department's business: declined as `admin` whatever topic the selector liked best.
_OTHER_SERVICE = re.compile(
    r"\b(dentist\w*|dental|toothache|tandarts\w*|kiespijn|tandpijn|orthodont\w*|"
    r"vet|vets|veterinar\w*|dierenarts\w*|"
    r"longarts\w*|cardiolo\w*|dermatolo\w*|huidarts\w*|oogarts\w*|optician|opticien|"
    r"physio\w*|fysio\w*|kinesist\w*|orthop(a)?ed\w*|podiatr\w*|podolo\w*|"
    r"pharmacy opening|apotheek open\w*|"
    # parking: the hospital's car park, its tickets and fines (no leaflet speaks of it)
    r"park|parking|car park|parkeer\w*|parkeren|parkeerplaats\w*|" + PAPERWORK_PATTERN + r")\b",
    # papers from another doctor or for an employer: the GP's or the employer's business
    re.IGNORECASE,
)


# Medical topics where another doctor is context, not the subject ("my cardiologist has me on
# anticoagulants", "more radiation than a dental x-ray?"): the rule applies to the other topics only.
_OTHER_SERVICE_TOPICS = frozenset(
    {"radiation", "blood_thinners", "conditions_to_report", "allergy", "contraindications", "painkillers"}
)


def names_other_service(text: str, topic: str | None = None) -> bool:
    """The question is about another department, specialty or service (not a leaflet subject)."""
    return bool(_OTHER_SERVICE.search(text or "")) and topic not in _OTHER_SERVICE_TOPICS


# A request for a diagnosis ("do I have PCOS if...", "am I infertile", "ben ik onvruchtbaar"): the
# doctor who referred the patient answers that, whatever leaflet topic its words resemble.
_CONDITIONS = (
    r"(pcos|pco|polycyst\w*|endometrios\w*|endometriose|adenomyos\w*|fibroids?|myoom|myomen|myoma\w*|"
    r"vleesbo\w*|cysts?|cyste\w*|infertil\w*|onvruchtbaar|hormone? (imbalance|problem)|"
    r"hormoonprobleem|hormonale? stoornis)"
)
_DIAGNOSIS = re.compile(
    r"\b((do|could|might|would) i (have|have got|be)|am i|have i got|"
    r"heb ik|zou ik|ben ik)\b[^?.!]{0,50}?\b" + _CONDITIONS + r"\b",
    re.IGNORECASE,
)


# "Could the HSG make me infertile?" / "kan ik onvruchtbaar worden" is a fear of a risk, not a diagnosis.
_BECOMING = re.compile(r"\b(become|becoming|get|make me|makes me|worden|raken|maakt|maken)\b", re.IGNORECASE)


# "Are my tubes blocked?" / "zijn mijn eileiders nu verstopt?": the verb before the subject asks the
# state of her own organs, which only her images and the doctor can tell ("will the HSG show whether my
# tubes are blocked" has the verb after the subject, and is a leaflet question).
_OWN_ORGAN_STATE = re.compile(
    r"\b(?:are|is|zijn)\s+(?:both\s+|beide\s+)?(?:my|mijn|her|haar)\s+(?:fallopian\s+)?"
    r"(?:tubes?|eileiders?|womb|uterus|baarmoeder|ovaries|eierstokken)\b[^?.!]{0,20}?\b"
    r"(?:blocked|open|clear|damaged|normal|ok|okay|verstopt|dicht|doorgankelijk|beschadigd|normaal|goed)\b",
    re.IGNORECASE,
)


# What she saw of her own organs on the screen or the images: "one tube looked thinner than the other",
# "my womb seemed a strange shape on the monitor". Reading her images is the doctor's (a result).
_OWN_ORGAN_SEEN = re.compile(
    r"(?:\b(?:one|the other|my|mijn|her|haar|the left|the right|left|right|linker|rechter|een|één)\s+"
    r"(?:fallopian\s+)?(?:tube|tubes|eileider|eileiders|womb|uterus|baarmoeder)\s+"
    r"(?:looked|seemed|appeared|showed up|leek|zag er)"
    r"|\b(?:leek|zag)\s+(?:mijn|de|één|een|haar)\s+(?:eileider|eileiders|baarmoeder))\b[^?.!]{0,30}?\b"
    r"(?:thinner|thicker|narrower|wider|smaller|bigger|larger|different|odd|weird|strange|funny|abnormal"
    r"|blocked|closed|swollen|kinked|twisted|shape|dunner|dikker|smaller|groter|kleiner|anders|raar|vreemd"
    r"|afwijkend|verstopt|dicht|gezwollen|vorm)\b",
    re.IGNORECASE,
)


def asks_for_diagnosis(text: str) -> bool:
    """The patient asks whether she has a condition, what state her own tubes or womb are in, or what
    she saw of them on the images means (a diagnosis the leaflets cannot give)."""
    if _OWN_ORGAN_STATE.search(text or "") or _OWN_ORGAN_SEEN.search(text or ""):
        return True
    return bool(_DIAGNOSIS.search(text or "")) and not _BECOMING.search(text or "")


def _faq_leads(parse: dict[str, Any], faq: float) -> bool:
    """`faq` is the classifier's first intent (the FallbackClassifier's own label aside)."""
    others = [
        float(entry.get("confidence") or 0.0)
        for entry in parse.get("intent_ranking") or []
        if entry.get("name") not in (FAQ_INTENT, FALLBACK_INTENT)
    ]
    return faq > max(others, default=0.0)


def _out_of_scope_leads(parse: dict[str, Any], faq: float) -> bool:
    """An unsure `faq` that the classifier itself ranks below `out_of_scope` is not offered."""
    return intent_confidence(parse, OUT_OF_SCOPE_INTENT) > faq


# Which honest reply an out-of-scope question gets. Only the wording of the decline depends on it;
# whether to decline at all is the classifier's decision. Word stems in English and Dutch.
_KIND_PATTERNS: dict[str, re.Pattern[str]] = {
    "results": re.compile(
        r"\b(result|report|uitslag|verslag|images?|pictures?|foto|beelden|scan\s+shows|"
        r"what does .{0,30} mean|wat betekent|interpret|read my|lezen|blocked|blocking|verstopt|"
        r"dicht|open\b|diagnos|do i have|heb ik|is my|zijn mijn|is mijn|normal\s+result)",
        re.IGNORECASE,
    ),
    "treatment": re.compile(
        r"\b(ivf|icsi|iui|insemination|inseminatie|clomid|clomi|letrozol|progesteron|ovitrelle|"
        r"pregnyl|gonal|menopur|hycosy|schuimecho|embryo|punctie|"
        r"hormone|hormoon|hormonen|pill|pil|medicat|medicijn|medicine|tablet|injection|injectie|"
        r"laparoscop|laparoscopie|hysteroscop|surgery|operation|operatie|ingreep|echo|ultrasound|"
        r"sperm|zaad|amh|egg freezing|eicel|treatment|behandeling|antibiotic|antibiotica|"
        r"vaccin|contracepti|anticonceptie|spiraal|iud|coil|supplement|vitamin)",
        re.IGNORECASE,
    ),
    "admin": re.compile(
        r"\b(appointment with|afspraak (bij|met)|department|afdeling|other (clinic|hospital)|"
        r"gynaecolog|gynecolog|gynaecoloog|dermatolog|cardiolog|physio|fysio|dentist|tandarts|"
        r"prescription|recept|repeat|herhaal|sick note|ziek ?melding|letter for|brief voor|"
        r"my gp|huisarts|records|dossier|portal|mijnziekenhuis|referral for|verwijzing voor|"
        r"park|parking|car park|parkeer\w*|parkeren|invoice for|factuur van)",
        re.IGNORECASE,
    ),
}
DECLINE_KINDS: tuple[str, ...] = ("results", "treatment", "admin", "unrelated", "something_else")


def decline_kind(text: str) -> str:
    """results | treatment | admin | unrelated: picks the honest reply for an out-of-scope question."""
    if _OTHER_SERVICE.search(text or ""):
        return "admin"  # another department or service, whatever else it names ("parking for the x-ray")
    for kind, pattern in _KIND_PATTERNS.items():
        if pattern.search(text or ""):
            return kind
    return "unrelated"


_QUESTION_START = re.compile(
    r"^\s*(what|when|how|can|could|may|might|should|shall|is|are|am|do|does|did|will|would|why|who|"
    r"where|which|wat|wanneer|hoe|hoelang|mag|mogen|kan|kun|kunt|kunnen|moet|moeten|is|zijn|ben|"
    r"waarom|wie|waar|welke|doet|heb|heeft|hebben|zal|zou|word|wordt)\b",
    re.IGNORECASE,
)


def looks_like_question(text: str) -> bool:
    """A question mark or a question word first: "mild, the paracetamol helps" is an answer, not a question.

    Used while a triage question is pending, so a short reply full of FAQ words ("paracetamol") is
    taken as the answer to that question rather than as a new leaflet question.
    """
    return "?" in (text or "") or bool(_QUESTION_START.match(text or ""))
