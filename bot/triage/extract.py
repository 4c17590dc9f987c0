"""Findings in one patient message: rule-based spaCy on blank English and Dutch pipelines.

Why rules and not a model: every finding must be explainable to a nurse and testable by a clinician,
and a red flag must be recognised the same way in the Rasa server, the action server and the safety
net. Both languages' words are matched whatever language the message is in (patients mix them).

Steps: typo correction (listed variants, then one-edit near misses of key words) -> PhraseMatcher over
lower-cased tokens -> clauses (split at punctuation and "but"/"maar") -> each clause is a statement,
a question or a hypothetical -> negation cues near a finding cancel it -> details (heaviness, clots,
severity, durations, temperatures) are attached to the finding they qualify.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from itertools import product
from pathlib import Path
from typing import Any

import yaml

from bot.dates import MONTHS
from bot.triage import durations
from bot.vocabulary import PAPERWORK_PATTERN

MAX_CHARS = 2000
LEXICON_PATH = Path(__file__).with_name("lexicon.yml")

HEAVINESS = ("spotting", "light", "normal", "heavy", "soaking")
SEVERITY = ("mild", "severe")

# "mor" is the Flemish "maar" (but)
_CLAUSE_BREAK = {
    ".",
    "!",
    "?",
    ";",
    ",",
    ":",
    "\n",
    "but",
    "maar",
    "mor",
    "however",
    "though",
    "although",
    "echter",
}
_NEG_CUES = {
    "no",
    "not",
    "n't",
    "never",
    "without",
    "none",
    "nothing",
    "nor",
    "neither",
    "dont",
    "cant",
    "isnt",
    "doesnt",
    "havent",
    "hasnt",
    "didnt",
    "arent",
    "wasnt",
    "stopped",
    "geen",
    "niet",
    "nie",  # Flemish
    "ni",  # Flemish ("ni veel": not much)
    "gene",  # Flemish "geen": "gene koorts"
    "genen",
    "nooit",
    "zonder",
    "niks",
    "niets",
    "nergens",  # "ik ben nergens allergisch voor": allergic to nothing
}
_POST_NEG = {"anymore", "stopped", "gestopt", "gone", "disappeared", "verdwenen", "over", "weg"}
# "ruikt naar niks", "smells of nothing": the finding's own word, then "nothing" right after it.
_POST_NOTHING = {"niks", "niets", "nothing", "nowt"}
_OF_WORDS = {"naar", "of", "like"}
# Words that end a negation's reach: "no fever and I'm bleeding heavily".
_SCOPE_BREAK = {
    # "the ibuprofen has not done anything for the cramps": what is denied is the effect, not the cramps
    "for",
    "and",
    "en",
    "but",
    "maar",
    "with",
    "met",
    "plus",
    "also",
    "ook",
    "just",
    "only",
    "alleen",
    "wel",
}
_PRONOUNS = {"i", "ik", "it", "het", "my", "mijn", "im", "i'm", "we", "she", "he"}
_QUESTION_START = {
    "what",
    "when",
    "how",
    "is",
    "are",
    "can",
    "could",
    "should",
    "do",
    "does",
    "will",
    "would",
    "may",
    "might",
    "why",
    "which",
    "wat",
    "wanneer",
    "hoe",
    "hoelang",
    "mag",
    "moet",
    "kan",
    "kun",
    "kunnen",
    "zal",
    "waarom",
    "welke",
    "krijg",
    "any",
}
# Dutch and Flemish "not" / "no": "niet weg", "koorts heb ik geen"
_NL_NOT = frozenset({"niet", "nie", "ni", "geen"})
# Adverbs that may stand between a Dutch verb and its "not" ("ruikt ook niet", "stinkt echt niet").
_NL_ADVERBS = frozenset({"ook", "echt", "helemaal", "zeker", "totaal", "absoluut", "eigenlijk", "gewoon"})
# Question words that also start statements ("waar ik me zorgen over maak is de koorts"): a question
# only when the sentence ends with a question mark.
_QUESTION_START_IF_ASKED = {"where", "waar", "hoeveel", "who", "wie", "whose", "waarvoor", "waarmee"}
# A verb first is a question only with its subject right after it ("kan ik", "is it", "doet dat"):
# texting drops the subject of statements ("kan niet ademen", "can barely breathe", "heb koorts").
# A clause that only gives examples belongs to the clause before it (a question stays a question).
_EXAMPLE_START = {"like", "such", "zoals", "bijvoorbeeld", "bv", "e.g", "eg"}
_VERB_FIRST = {"can", "could", "mag", "moet", "kan", "kun", "kunnen", "zal", "krijg"}
_INVERSION_VERBS = {
    "doet", "heb", "ben", "wordt", "word", "gaat", "duurt", "helpt", "heeft", "zijn", "mogen",
    "voelt", "lijkt",
}  # fmt: skip
# "voelt het zoals menstruatiekrampen of is het erger": an either-or ends an inverted clause as a question
_EITHER_OR = re.compile(r"\b(?:of|or)\s+(?:is|wordt|doet|voelt|valt|is it|does it|will it)\b")
_INVERTED_SUBJECT = {
    "i", "you", "it", "this", "that", "there", "they", "we", "she", "he", "my", "the", "a", "an",
    "ik", "je", "jij", "ge", "gij", "u", "het", "'t", "dat", "da", "dit", "die", "er", "men", "wij",
    "jullie", "zo'n", "de", "een", "mijn", "ze", "zij",
}  # fmt: skip
# Dutch verbs negated by a following "niet": "ik bloed niet", "het ruikt niet".
_NL_VERBS = {"bloed", "bloedt", "bloeden", "vloei", "vloeit", "ruikt", "stinkt", "jeukt", "steekt", "piept"}
_JOINERS = {"and", "en", "plus", "&"}
# Dutch puts accents on a word for emphasis ("het wordt méér", "één keer", "vóór de HSG"): read without
# them. The diaeresis (ë, ï) spells a different word and stays.
_EMPHASIS_ACCENTS = str.maketrans("áàéèíìóòúùâêîôû", "aaeeiioouuaeiou")
_MAAR_ONLY_AFTER = {"is", "zijn", "was", "waren", "nog", "werkt", "werken", "heeft", "heb", "ben", "al", "nu"}
_NEW_SUBJECT = {
    "i",
    "i'm",
    "im",
    "ik",
    "my",
    "mijn",
    "now",
    "nu",
    "also",
    "ook",
    "it's",
    "its",
    "het",
    "the",
    "de",
    # "she has cramps and wants to know whether …": the wish to know is a clause of its own
    "wants",
    "wonders",
    "asks",
    "wil",
    "vraagt",
}
# Dutch "wat" starts a question ("wat moet ik doen") or means "some" ("wat vocht", "wat kramp").
_WAT_QUESTION = {
    "als",
    "moet",
    "moeten",
    "is",
    "kan",
    "zijn",
    "gebeurt",
    "doe",
    "mag",
    "betekent",
    "zou",
    "zal",
    "helpt",
}
_HYPOTHETICAL = re.compile(
    r"(?:\bwhat if\b|(?<!know )(?<!sure )(?<!wonder )(?<!wondering )(?<!see )(?<!check )\bif\b"
    r"|\bin case\b|\bincase\b"
    r"|\bsuppose\b|\bwat als\b|\bindien\b|\bstel dat\b|\bmocht\b"
    # "als ik opsta word ik duizelig": "als" before a movement of her own is "whenever", the symptom a report
    r"|\bals (?:ik|het|je|er|mijn|u|de|dat|dit)\b(?! (?:opsta|rechtsta|recht sta|sta|loop|wandel|beweeg|buk"
    r"|plas|adem|hoest|lig|zit|ga staan|ga zitten|ga liggen|overeind kom|sta op)\b)"
    r"|\b(?:worried|worry|worries|afraid|scared|terrified|frightened|bang|doodsbang|bezorgd|nervous"
    r"|zenuwachtig|panic)\b"
    r".*(?:\b(?:will|might|would|could|going|gonna|zal|zou|kan|ga|gaat|gaan)\b|'ll\b)"
    r"|\b(?:worried|worries|worry|afraid|scared|terrified|frightened|petrified|anxious|bang|doodsbang|nervous"
    r"|zenuwachtig)\s+(?:of|about|for|voor|dat|over)"
    # ... or of a risk named without an article: "my girlfriend worries about infection after the test"
    r"\s+(?:an?|een|getting|having|that|dat|het krijgen|krijgen|infection|infections|infectie|ontsteking"
    r"|complications?|complicaties)\b"
    r"|\bthe idea of\b|\bhet idee\b|\bde gedachte\b|\bthe thought of\b"
    # "scared of bleeding afterwards": a fear of what may come (not "worried about bleeding since…")
    r"|\b(?:afraid|scared|terrified|frightened|petrified)\s+of\s+\w+ing\s+(?:afterwards|after|later|during)\b"
    r"|\bchance of\b|\bkans op\b|\brisk of\b|\brisico op\b|\bexpect\b|\bverwachten\b)"
)
# A fear of the procedure's pain, while it is still ahead: "bang voor die krampen", "scared of the pain",
# "ik zie er tegenop", "I have a low pain threshold" (not "scared of this bleeding": her own, now; and
# not once the message says the HSG is done: "after the hsg I'm scared of the pain, it is getting worse")
_FEAR_AHEAD = re.compile(
    r"\b(?:afraid|scared|terrified|frightened|petrified|nervous|anxious|bang|doodsbang|zenuwachtig)\s+"
    r"(?:of|about|voor)\s+(?:the|die|de|het)\s+(?:pain|cramps?|cramping|pijn|krampen|kramp|procedure|test"
    r"|onderzoek|hsg)\b"
    r"|\b(?:dreading|dread|opzien tegen|low pain threshold|lage pijngrens|laag pijngrens)\b"
    r"|\bzie\b(?:\s+\w+){0,3}?\s+(?:tegenop|op tegen)\b"
)
_HOW_TO_TELL = re.compile(
    r"\b(?:know|tell|notice|recognise|recognize|weet|weten|merk|merken|zie|zien)\b.*\b(?:if|whether|of)\b"
)
_REPORT_MARKER = re.compile(
    r"\b(?:i(?:'m| am| have|'ve| had| got| feel| keep| still| was| been| started)|im|ive|my|mijn"
    # ("is the discharge still going to be there tomorrow?" asks about what will be: not a marker)
    r"|ik (?:heb|ben|bloed|voel|had|hou|houd|krijg|zit)|still(?!\s+(?:going to|gonna|be)\b)|nog steeds"
    r"|nog altijd|sinds|since|already"
    r"|i think|ik denk|i noticed|ik merk)\b"
    # "I might be pregnant?", "might be pregnant tbh??": a hedged statement about herself, even with "?"
    r"|\bi (?:might|may|could|must) (?:be|have)\b"
    r"|^\s*(?:might|may|could|prob|probably) be (?:pregnant|preggers|preg)\b"
    # "tiny bit of spotting after hsg today normal?": a question anchored in her present is about her
    r"|\b(?:today|this morning|right now|at the moment|vandaag|vanochtend|vanmorgen|op dit moment)\b"
    # "this pain", "deze afscheiding" (not "is very painful this procedure?": the HSG, not a symptom)
    r"|\b(?:this|these|deze|dit)\b(?!\s+(?:procedure|test|exam|examination|onderzoek|hsg|x-ray|xray|scan"
    r"|foto|behandeling|appointment|afspraak)\b)"
    # "does it matter that I take a baby aspirin every night?": a habit told inside a question (not
    # "can I take aspirin for the cramps?", which asks what to do)
    r"|(?<!can )(?<!may )(?<!should )(?<!could )(?<!shall )\bi (?:take|use|am on|'m on|inject)\b"
    r"|\bik (?:neem|gebruik|slik|spuit)\b"
    # "is het normaal dat de afscheiding grijs is?" (not the generic "… dat je na de hsg bloedt?")
    r"|\b(?:normal|normaal|ok|okay|oké|oke)\s+(?:that|dat)\s+(?:i|i'm|my|the|it|there|ik|mijn|de|het|er)\b"
    # a number of her own ("38.5, is that bad?"), not the range of a scale ("on a scale of 1-10 how bad")
    r"|(?<![\w-])(?![01]\s*(?:-|to|tot)\s*10\b)\d"
)


@dataclass
class Extraction:
    """What one message says: facts for the rules plus how it was said (report, question)."""

    facts: dict[str, Any] = field(default_factory=dict)
    reported: set[str] = field(default_factory=set)
    asked_about: set[str] = field(default_factory=set)
    answered: set[str] = field(default_factory=set)
    since_hsg: bool = False
    phase: str | None = None
    body_talk: bool = False
    others: bool = False
    soft_only: bool = False  # every finding came from an advice question or a habit, none from a report
    hsg_date: Any = None
    hsg_hour: float | None = None  # the HSG's time of day, when this message gave it with the HSG

    @property
    def is_report(self) -> bool:
        return bool(self.reported)

    @property
    def is_question(self) -> bool:
        return bool(self.asked_about) and not self.reported


@dataclass
class _Span:
    start: int
    end: int
    labels: set[str]
    text_lower: str = ""


@dataclass
class _Clause:
    start: int
    end: int
    text: str
    question: bool = False
    hypothetical: bool = False
    others: bool = False
    past_reaction: bool = False
    history: bool = False  # said of a time long past ("ten years ago", "last time"): not how it is now
    family: bool = False  # about a parent, sibling or other relative who is not the patient

    @property
    def is_report(self) -> bool:
        if self.hypothetical or self.others:
            return False
        if self.question and _HOW_TO_TELL.search(self.text):
            return False  # "how do I know if I have an infection?" asks how to tell
        return not self.question or bool(_REPORT_MARKER.search(self.text))


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufeff\u200b-\u200f\u2028\u2029]")


def clean_text(text: str) -> str:
    """Text safe to read: no lone surrogates, NUL or control characters; curly quotes made straight.

    Done before anything reads the message: one stray character must never make triage decide nothing.
    """
    if not isinstance(text, str):
        return ""
    text = _CONTROL.sub(" ", text)
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u00b4", "'").replace("`", "'")
    return unicodedata.normalize("NFC", text)


@lru_cache(maxsize=1)
def load_lexicon() -> dict[str, Any]:
    with LEXICON_PATH.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


_DOUBLED_DIMINUTIVE = re.compile(r"^(\w{3,}?([bdfgklmnprst]))\2etjes?$")


class _Pipeline:
    """One blank spaCy pipeline with the phrase matcher; built once per language per process."""

    def __init__(self, lang: str) -> None:
        import spacy
        from spacy.matcher import PhraseMatcher

        lexicon = load_lexicon()
        self.nlp = spacy.blank(lang)
        self.matcher = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        self.known: set[str] = set()
        for group, prefix in (("concepts", "c:"), ("details", "d:")):
            for label, phrases in lexicon[group].items():
                docs = [self.nlp.make_doc(str(phrase).lower()) for phrase in phrases]
                self.matcher.add(prefix + label, docs)
                for doc in docs:
                    self.known.update(token.lower_ for token in doc)
        self.typos = {str(k).lower(): str(v).lower() for k, v in lexicon["typos"].items()}
        self.typo_pattern = re.compile(
            r"\b(" + "|".join(map(re.escape, sorted(self.typos, key=len)[::-1])) + r")\b"
        )
        self.compound_suffixes = sorted(
            (str(word).lower() for word in lexicon.get("compound_suffixes") or []), key=len, reverse=True
        )
        self.near: dict[str, str] = {}
        self.short_keys = {str(word).lower() for word in lexicon["fuzzy"] if len(str(word)) == 4}
        for word in lexicon["fuzzy"]:
            word = str(word).lower()
            if len(word) < 5:
                continue  # ("paint" is not "pain", nor "slips" "lips")
            for key in _deletes(word) | {word}:
                self.near.setdefault(key, word)

    def correct(self, token: str) -> str:
        """A key word for a token one edit away from it ("bleading" -> "bleeding"), the head of a Dutch
        compound ("buikkrampjes" -> "krampjes"), else the token."""
        if not token.isalpha() or token in self.known:
            return token
        if len(token) == 4:
            # a short word only by two letters swapped ("lisp" -> "lips", "pian" -> "pain"): one edit of
            # any other kind makes too many ordinary words ("paid", "lisa") into key words
            swaps = {token[:i] + token[i + 1] + token[i] + token[i + 2 :] for i in range(3)}
            return next((word for word in sorted(swaps) if word in self.short_keys), token)
        if len(token) < 5:
            return token
        doubled = _DOUBLED_DIMINUTIVE.match(token)
        if doubled and doubled.group(1) in self.known:
            return doubled.group(1)  # "ascalletje", "sintrommetje": the consonant doubled before -etje
        for tail, replacement in (("kes", "jes"), ("ke", ""), ("tjes", ""), ("tje", "")):
            # Flemish and Dutch diminutives of a known word: "krampkes", "asaflowke", "ascalletje"
            stem = token[: -len(tail)] + replacement
            if token.endswith(tail) and len(stem) >= 4 and stem in self.known:
                return stem
        if len(token) >= 7:
            for suffix in self.compound_suffixes:
                if token.endswith(suffix) and len(token) - len(suffix) >= 3:
                    return suffix
        for key in (token, *_deletes(token)):
            word = self.near.get(key)
            if word and abs(len(word) - len(token)) <= 1:
                return word
        return token


_pipelines: dict[str, _Pipeline] = {}
_lock = threading.Lock()


def pipeline(lang: str) -> _Pipeline:
    """The pipeline for `lang` ("nl" or anything else -> "en"), built on first use."""
    key = "nl" if lang == "nl" else "en"
    found = _pipelines.get(key)
    if found is None:
        with _lock:
            found = _pipelines.get(key)
            if found is None:
                found = _pipelines[key] = _Pipeline(key)
    return found


def _spans(pipe: _Pipeline, doc: Any) -> list[_Span]:
    """Matched phrases, longest first without overlaps; a span keeps every label of its exact text."""
    by_range: dict[tuple[int, int], set[str]] = {}
    for match_id, start, end in pipe.matcher(doc):
        by_range.setdefault((start, end), set()).add(pipe.nlp.vocab.strings[match_id])
    taken: set[int] = set()
    chosen: list[_Span] = []
    for (start, end), labels in sorted(
        by_range.items(), key=lambda item: (item[0][0] - item[0][1], item[0][0])
    ):
        if any(i in taken for i in range(start, end)):
            continue
        taken.update(range(start, end))
        chosen.append(_Span(start, end, labels, doc[start:end].text.lower()))
    chosen.sort(key=lambda span: span.start)
    return chosen


_WH_INVERTED = re.compile(
    r"\b(?:how|hoe)\s+(?:bad|much|long|painful|often|erg|lang|pijnlijk|vaak|veel)\s+"
    r"(?:does|do|did|is|was|will|would|can|should|doet|is|wordt|duurt|zal)\s+"
    r"(?:it|this|that|the|an?|het|dat|dit|de|een)\b"
)


def _asked(words: list[str], i: int) -> bool:
    """True when the sentence that goes on at word `i` ends with a question mark."""
    for word in words[i:]:
        if word in (".", "!", "\n"):
            return False
        if word == "?":
            return True
    return False


def _clauses(doc: Any) -> list[_Clause]:
    """Clauses of the message; a hypothetical cue ("if", "wat als") starts a clause of its own, so
    "it hurts if I walk" keeps "it hurts" as a report and "should I call if I get a fever" does not
    report a fever."""
    clauses: list[_Clause] = []
    start = 0
    sentence_start = True  # the clause at `start` begins a sentence (not after a comma or a "but")
    words = [token.lower_ for token in doc]
    fear_is_ahead = durations.phase_from_text(doc.text.lower()) != "after"
    for i, word in enumerate([*words, "."]):
        is_break = word in _CLAUSE_BREAK or (i < len(words) and "\n" in doc[i].text)
        if word == "maar" and 0 < i < len(words) - 1 and words[i - 1] in _MAAR_ONLY_AFTER:
            is_break = False  # "werken nog maar voor de helft", "is maar 30 procent": "only", not "but"
        # "... and I'm bleeding heavily" starts a new statement (and ends a negation's or an if's reach)
        if word in _JOINERS and i + 1 < len(words) and words[i + 1] in _NEW_SUBJECT:
            is_break = True
        if not is_break:
            continue
        if i > start:
            span = doc[start:i]
            first = words[start]
            follow = words[start + 1] if start + 1 < i else ""
            # "when I stood up a gush came out": a time, not a question (not "when can I …", nor with "?")
            told_when = first in ("when", "wanneer") and follow in _INVERTED_SUBJECT and not _asked(words, i)
            question = (
                word == "?"
                or (
                    not told_when
                    and first in _QUESTION_START
                    and (first != "wat" or follow in _WAT_QUESTION)
                    and (first not in _VERB_FIRST or follow in _INVERTED_SUBJECT)
                )
                # Dutch inversion asks only at the start of a sentence: after a fronted phrase it is a
                # statement ("Sinds dinsdag, de dag van de HSG, heb ik elke dag wat bloedverlies.")
                or (
                    first in _INVERSION_VERBS
                    and follow in _INVERTED_SUBJECT
                    and (
                        sentence_start
                        or _asked(words, i)
                        or bool(_EITHER_OR.search(" ".join(words[start:i])))
                    )
                )
                or (first in _QUESTION_START_IF_ASKED and _asked(words, i))
                # "on a scale of 1-10 how bad does it hurt": a question word with its verb before the
                # subject, wherever it stands in the clause (a statement says "how bad it is")
                or bool(_WH_INVERTED.search(" ".join(words[start:i])))
                # "what's normal after, like discharge or a bit of spotting": examples of what was asked
                or (first in _EXAMPLE_START and bool(clauses) and clauses[-1].question)
            )
            cue = _HYPOTHETICAL.search(span.text.lower()) or (
                _FEAR_AHEAD.search(span.text.lower()) if fear_is_ahead else None
            )
            split = i
            if cue:
                offset = span.start_char + cue.start()
                split = next((t.i for t in span if t.idx >= offset), i)
            if split > start:
                clauses.append(_Clause(start, split, doc[start:split].text.lower(), question=question))
            if split < i:
                text = doc[split:i].text.lower()
                clauses.append(_Clause(split, i, text, question=question, hypothetical=True))
        start = i + 1
        sentence_start = word in _SENTENCE_END or (i < len(words) and "\n" in doc[i].text)
    return clauses


# Adverbs between a "not" and the word it turns ("hasn't really gone", "niet helemaal weg")
_NEG_ADVERBS = frozenset(
    {
        "really",
        "fully",
        "completely",
        "totally",
        "entirely",
        "quite",
        "yet",
        "properly",
        "ever",
        "echt",
        "helemaal",
        "volledig",
        "compleet",
        "nog",
        "wel",
        "eens",
        "goed",
    }
)


def _negated(words: list[str], span: _Span, clause: _Clause, covered: set[int]) -> bool:
    """A negation cue shortly before the finding, or "anymore"/"gestopt"/"weg" shortly after it."""
    for i in range(span.start - 1, max(clause.start, span.start - 5) - 1, -1):
        word = words[i]
        if word in _SCOPE_BREAK:
            break
        if i in covered:
            continue
        if word in _NEG_CUES:
            if word == "no" and i + 1 < len(words) and words[i + 1] in _PRONOUNS:
                continue
            return True
    for i in range(span.end, min(clause.end, span.end + 4)):
        word = words[i]
        if word in _NL_ADVERBS and i + 1 < len(words) and words[i + 1] in _NL_NOT:
            continue  # "ruikt ook niet raar", "stinkt echt niet": an adverb before the Dutch "not"
        if word in _SCOPE_BREAK or i in covered:
            break
        if word in _POST_NOTHING and i - span.end < 2 and words[i - 1] in _OF_WORDS:
            return True  # "ruikt naar niks", "smells of nothing"
        if word == "nergens" and i == span.end:
            return True  # "ruikt nergens naar"
        if word in _NL_NOT and i + 1 < len(words) and words[i + 1] in _POST_NEG:
            return False  # "het bloeden is nog steeds nie gestopt", "niet weg": still going
        if word in _NL_NOT and all(w in _INVERTED_FILLER for w in words[span.end : i]):
            return True  # Dutch inversion: "duizelig ben ik niet", "koorts heb ik geen"
        if word in _POST_NEG:
            before = i - 1
            while before > span.end and words[before] in _NEG_ADVERBS:
                before -= 1  # "hasn't really gone away", "not completely gone", "niet helemaal weg"
            if i > 0 and (words[before] in _NEG_CUES or words[before] in ("n't", "not", "never")):
                return False  # "hasn't stopped", "niet weg", "not gone": still going
            if word == "gone" and i + 1 < len(words) and words[i + 1] in ("on", "up", "heavier", "worse"):
                return False  # "the bleeding has gone on every day": it went on
            if word == "over" and i > 0 and words[i - 1] not in ("is", "al", "nu", "alweer", "weer"):
                continue
            return True
        if word == "meer" and i > 0 and words[i - 1] in ("niet", "geen"):
            return True
        if word == "niet" and i + 1 < len(words) and words[i + 1] == "meer":
            return True
        if word == "niet" and words[span.end - 1] in _NL_VERBS:
            return True
    return False


# Findings that are simply over once they have passed ("pain is gone"); fainting, dizziness or a
# reaction that passed keep their own handling (a faint that passed still happened).
# Bleeding compared with a period and found heavier, in any wording: "more than a normal period",
# "heavier than my usual period", "erger dan bij een gewone menstruatie", "much more than on the heaviest
# day of my period" (a few words between, no comma). "not more than" is not.
_HEAVIER_THAN_PERIOD = re.compile(
    r"(?<!\bnot )(?<!\bniet )(?<!\bno )\b(?:more|heavier|worse|meer|erger|heviger|zwaarder|harder)"
    r"(?:\s+(?:blood|bloed|bleeding|bloedverlies))?\s+(?:than|dan)\s+(?:(?:bij|with|during|tijdens|in|on|op)\s+)?"
    r"(?:(?:a|an|my|the|een|mijn|de|m'n|mn)\s+)?(?:[\w']+\s+){0,4}"
    r"(?:period|periods|menstruatie|menstruaties|ongesteldheid|regels|maandstonden|menses)\b"
)
# Protection stepped up for the same bleeding: "gone from a liner to a proper pad", "van een inlegkruisje
# naar maandverband", "liners aren't enough any more": a bleeding that increases.
_PROTECTION_STEPPED_UP = re.compile(
    r"\b(?:from|van)\s+(?:(?:a|an|een|the|my|mijn|just|alleen|only|a few)\s+)*(?:panty\s*)?"
    r"(?:liners?|inlegkruisjes?|inleggers?)\s+(?:to|naar|into|onto|up to)\s+(?:[\w']+\s+){0,3}?"
    r"(?:pads?|maxi|maandverband\w*|verband\w*|sanitary|night|nacht\w*)\b"
    # "started with a liner and now I need a pad instead"
    r"|\b(?:liners?|inlegkruisjes?)\b[^.!?]{0,60}?\b(?:now|nu)\s+(?:i\s+|ik\s+)?"
    r"(?:need|needs|have to use|heb ik|moet ik|gebruik ik|use)\s+(?:\w+\s+){0,2}?(?:pads?|maandverband)\b"
    r"|\b(?:liners?|inlegkruisjes?)\s+(?:(?:are|is|were|was|zijn|is)\s+)?"
    r"(?:not|no longer|niet|niet meer|aren't|isn't|weren't|wasn't)\s+"
    r"(?:enough|genoeg|voldoende)\b"
    # "had to swap my liner for a pad", "switched the liners for pads", "inlegkruisje vervangen door verband"
    r"|\b(?:swap\w*|switch\w*|chang\w*|trad\w*|replac\w*|vervang\w*|verwissel\w*)\s+(?:(?:my|the|a|mijn|het|een)\s+)?"
    r"(?:panty\s*)?(?:liners?|inlegkruisjes?)\s+(?:for|to|with|into|door|voor|in)\s+(?:\w+\s+){0,2}?"
    r"(?:pads?|maandverband\w*|verband\w*)\b"
    r"|\b(?:liners?|inlegkruisjes?)\s+(?:\w+\s+)?(?:vervangen|verwisseld|ingeruild|omgeruild|swapped|switched|changed)"
    r"\s+(?:door|voor|for|to)\s+(?:\w+\s+){0,2}?(?:pads?|maandverband\w*|verband\w*)\b"
)


def _end_char(doc: Any, clause: _Clause) -> int:
    last = doc[clause.end - 1]
    return int(last.idx + len(last.text))


def _protection_stepped_up(doc: Any, clauses: list[_Clause]) -> bool:
    """A step up from liner to pad said in a report (a sentence may span clauses: "started with a liner
    and now I need a pad"), not in a question ("should I go from liners to pads?")."""
    text = doc.text.lower()
    for match in _PROTECTION_STEPPED_UP.finditer(text):
        last = match.end() - 1
        clause = next((c for c in clauses if doc[c.start].idx <= last < _end_char(doc, c)), None)
        if clause is not None and clause.is_report and not clause.history:
            return True
    return False


_BLOOD_WORD = re.compile(r"\b(?:blood\w*|bleed\w*|bled|bloed\w*|vloei\w*|flow|spotting)\b")
# A number taken back: "temp is 38.7 — no wait sorry, 36.7", "39, ik bedoel 37,9", "38.2 oops typo 37.2"
_CORRECTED_NUMBER = re.compile(
    r"\b\d{1,3}(?:[.,]\d+)?\s*(?:°\s*[cf]?|degrees|graden)?[\s\-—–,.!]*"
    r"(?:no wait|wait no|sorry|i mean|i meant|correction|oops|typo|nee wacht|wacht nee|ik bedoel|oeps|"
    r"verbetering)(?:[\s,.!—–-]+(?:sorry|i mean|i meant|typo|ik bedoel|it'?s|it is|het is))*[\s,.:!—–-]*"
    r"(\d{1,3}(?:[.,]\d+)?)\b"
)
_EASING_COMPARATIVES = frozenset(
    {
        "less",
        "better",
        "lighter",
        "milder",
        "fewer",
        "weaker",
        "calmer",
        "minder",
        "beter",
        "lichter",
        "zwakker",
        "rustiger",
    }
)
_GONE_WHEN_PASSED = frozenset({"pain", "bleeding"})
_HEAVY_THEN = frozenset({"d:heaviness_heavy", "d:heaviness_normal"})
_AT_FIRST = re.compile(
    r"\b(?:at first|in the beginning|initially|at the start|to begin with|eerst|in het begin|aanvankelijk)\b"
)
_EASED_SINCE = re.compile(
    r"\b(?:slowing|slowed|easing|eased|tapering|tailing off|settling|settled|lighter now|less now|"
    r"minder|afgenomen|neemt af|afnemend|bijna gestopt)\b"
)
# "faint" before what it describes means slight: "a faint crampy ache", "faint pink spotting"
_FAINT_AS_SLIGHT = frozenset(
    {
        *("ache", "aches", "aching", "achy", "cramp", "cramps", "crampy", "cramping", "pain", "pains"),
        *("twinge", "twinges", "niggle", "soreness", "sore", "pressure", "throb", "throbbing", "dull"),
        *("smell", "odour", "odor", "scent", "whiff", "spotting", "spots", "bleeding", "blood", "bloody"),
        *("discharge", "stain", "staining", "pink", "pinkish", "brown", "brownish", "red", "reddish"),
        *("line", "lines", "trace", "streak", "streaks", "mark", "marks", "tinge", "tint", "hint"),
    }
)
# "I keep imagining the worst", "ik denk meteen het ergste": a fear, not how strong something is
_FEARS_THE_WORST = re.compile(
    r"\b(?:imagin\w*|think\w*|thought|fear\w*|expect\w*|assum\w*|dread\w*|picture\w*|worr\w*)"
    r"\s+(?:about\s+|of\s+)?(?:the\s+)?(?:very\s+)?worst\b"
    r"|\b(?:denk\w*|vrees\w*|vreze\w*|verwacht\w*|bang voor|zie)\s+(?:\w+\s+){0,2}?(?:het\s+)?ergste\b"
    r"|\bhet ergste\s+(?:\w+\s+)?(?:denken|vrezen|verwachten|voorstellen)\b"
)
_PASSED_FILLER = {
    "is",
    "has",
    "have",
    "had",
    "was",
    "were",
    "al",
    "nu",
    "now",
    "already",
    "helemaal",
    "completely",
    "totally",
    # "de krampjes zijn al sinds gisteravond weg", "the cramps have been gone since this morning"
    "zijn",
    "waren",
    "are",
    "been",
    *("sinds", "since", "vanaf", "gisteravond", "gisteren", "vannacht", "vanochtend", "vanmorgen"),
    *("yesterday", "last", "night", "this", "morning", "evening", "lunchtime", "lunch"),
}


# "the bleeding stopped on day two but now it's back", "de krampen waren weg maar ze zijn terug": what
# passed has come back, in a clause of its own that names no symptom
_RETURNED = re.compile(
    r"\b(?:it's|it is|its|they're|they are|it has|it's come|het is|ze zijn|die is|die zijn)\s+(?:\w+\s+)?"
    r"(?:back|terug|teruggekomen|terug gekomen)\b"
    r"|\b(?:came|come|coming|comes) back\b|\b(?:started|starting|begun|began) (?:up )?again\b"
    r"|\bweer (?:begonnen|teruggekomen|terug)\b|\bopnieuw begonnen\b"
)


def _came_back(
    spans: list[_Span],
    clauses: list[_Clause],
    result: Extraction,
    clause_symptoms: dict[int, set[str]],
) -> None:
    """A bleeding or pain named in a report and let go as passed, said later to be back: current again."""
    reported = result.reported
    for clause in clauses:
        if not clause.is_report or clause.hypothetical:
            continue
        if not _RETURNED.search(clause.text) or clause_symptoms.get(id(clause)):
            continue
        earlier = {
            label[2:]
            for span in spans
            if span.end <= clause.start
            for label in span.labels
            if label[2:] in _GONE_WHEN_PASSED and label.startswith("c:")
        }
        for concept in sorted(earlier - reported):
            result.facts[concept] = True
            reported.add(concept)
            clause_symptoms.setdefault(id(clause), set()).add(concept)


# "Is a bit of spotting normal the day after? … there's a little on my pad this morning": the bleeding
# her question names, shown in a clause of its own with no word for it ("a little on my pad")
_A_LITTLE_ON = re.compile(
    r"\b(?:there's|there is|theres|i have|i've got|i see|i saw|i had|ik heb|ik zie|er zit|er is|er was|"
    r"een beetje|a little|a bit|some|wat)\b"
)


_NO_WORD = re.compile(r"\b(?:no|not|nothing|geen|niks|niets|never)\b")


def _asked_then_shown(
    clauses: list[_Clause], result: Extraction, clause_symptoms: dict[int, set[str]]
) -> None:
    """A bleeding asked about, then shown on the pad or tissue in a report clause: reported (spotting)."""
    if "bleeding" not in result.asked_about or "bleeding" in result.reported:
        return
    for clause in clauses:
        if (
            clause.is_report
            and not clause.hypothetical
            and not clause.others
            and not clause.history
            and not clause_symptoms.get(id(clause))
            and _A_LITTLE_ON.search(clause.text)
            and _PAD_OR_TISSUE.search(clause.text)
            and not _NO_WORD.search(clause.text)
        ):
            result.facts["bleeding"] = True
            result.facts.setdefault("bleeding_heaviness", "spotting")
            result.reported.add("bleeding")
            clause_symptoms.setdefault(id(clause), set()).add("bleeding")
            return


_PASSED_LAST_WORD = {"weg", "voorbij", "gone", "verdwenen", "disappeared"}
# ... not "has gone on", "gone up", "gone through", "gone from light to heavy"
_NOT_PASSED_AFTER = {"on", "up", "worse", "through", "from", "to", "heavier", "erger", "omhoog", "door"}
# "the bleeding I had after my HSG stopped after a couple of days", "de pijn die ik had is gestopt": the
# symptom she had, told in the past, then said to have ended (not "… hasn't stopped", not "again")
_HAD_THEN_ENDED = re.compile(
    r"\s*(?:that |which |die |dat )?(?:i|ik|she|ze|zij)\s+(?:had|got|kreeg|have had|heb gehad)\b"
    r"(?:(?!\b(?:again|weer|still|nog|not|n't|niet|never|nooit)\b).)*?"
    r"\b(?:stopped|ended|went away|disappeared|cleared up|settled|was gone|is gone|gestopt|opgehouden"
    r"|verdwenen|ging over|is over|was over|is weg|was weg)\b"
)
_BACK_AGAIN = re.compile(r"\b(?:again|weer|back|terug|opnieuw|restarted)\b")


# Words that may open a clause that only says something passed: "…, it's grand now", "…, nu weg".
_PASSED_CLAUSE_OPENERS = _PASSED_FILLER | {
    *("it", "they", "that", "are", "were", "all", "i", "am", "feel", "feeling", "but", "and", "again"),
    *("het", "ze", "dat", "zijn", "waren", "alles", "ik", "ben", "voel", "me", "maar", "en", "weer", "."),
}

_CLAUSE_JOINS = frozenset({",", ";", "-"})  # marks that join clauses within a sentence
_PASSED_TAIL = _PASSED_CLAUSE_OPENERS | {
    *("this", "morning", "today", "overnight", "by", "since", "then", "last", "night", "now", "again"),
    *("vanochtend", "vanmorgen", "vandaag", "sinds", "inmiddels", "intussen", "nu", "vannacht"),
}


def _passed_after(words: list[str], span: _Span, clause: _Clause, passed_starts: dict[int, int]) -> bool:
    """A "passed" phrase right after the finding, in its clause: "pijn is weg", "cramps went away"."""
    for i in range(span.end, min(clause.end, span.end + 6)):
        if i in passed_starts:
            return True
        if (
            i > span.end
            and words[i] in _PASSED_LAST_WORD
            and (i + 1 >= len(words) or words[i + 1] not in _NOT_PASSED_AFTER)
        ):
            return True  # "de krampjes zijn al sinds gisteravond weg", "the cramps have gone"
        if words[i] not in _PASSED_FILLER:
            return False
    return False


def _passed_in_next_clause(
    words: list[str],
    span: _Span,
    clause: _Clause,
    passed_starts: dict[int, int],
    clauses: list[_Clause],
    symptom_starts: frozenset[int] = frozenset(),
) -> bool:
    """The whole of the next clause, closing the sentence, says the cramps passed: "cramps for a few
    hours, grand now". Clauses of the same sentence that name no symptom may come between: "cramps were
    horrible last night, took two ibuprofen and went to bed, all gone this morning"."""
    if "c:pain" not in span.labels or "d:severe" in span.labels:
        return False  # only plain cramps are let go this way; bleeding or severe pain needs its own words
    following = next((c for c in clauses if c.start >= clause.end), None)
    while (
        following is not None
        and following.start == clause.end + 1
        and words[clause.end] in _CLAUSE_JOINS
        and _passed_start(words, following, passed_starts) is None
        and not any(following.start <= i < following.end for i in symptom_starts)
        and following.end < len(words)
        and words[following.end] in _CLAUSE_JOINS
    ):
        clause = following  # an aside with no symptom in it: "took two ibuprofen and went to bed early"
        following = next((c for c in clauses if c.start >= clause.end), None)
    if following is None or following.start > clause.end + 1 or words[clause.end] not in _CLAUSE_JOINS:
        return False
    i = _passed_start(words, following, passed_starts)
    if i is None:
        return False
    if following.end < len(words) and words[following.end] not in {".", "!", "?", "\n"}:
        return False  # "fine now but they come back when I stand": the sentence goes on about it
    # the clause says nothing else: "grand now" is over, "fine now otherwise" or "gone, but…" is not;
    # when it went may follow ("all gone this morning", "weg sinds vanochtend")
    return all(word in _PASSED_TAIL for word in words[passed_starts[i] : following.end])


def _passed_start(words: list[str], clause: _Clause, passed_starts: dict[int, int]) -> int | None:
    """Where the clause's "passed" phrase starts, when only openers ("and it's", "maar") come before it."""
    i = clause.start
    while i < clause.end and i not in passed_starts and words[i] in _PASSED_CLAUSE_OPENERS:
        i += 1
    return i if i in passed_starts else None


def _rank(scale: tuple[str, ...], value: str | None) -> int:
    return scale.index(value) if value in scale else -1


def _raise(facts: dict[str, Any], key: str, value: str, scale: tuple[str, ...]) -> None:
    if _rank(scale, value) > _rank(scale, facts.get(key)):
        facts[key] = value


def _max(facts: dict[str, Any], key: str, value: float | None) -> None:
    if value is not None and (facts.get(key) is None or value > facts[key]):
        facts[key] = value


# Written Dutch and Flemish contractions, and a day name joined to a part of the day.
_CONTRACTIONS = [
    (re.compile(r"(?<![\w'])'k(?![\w'])"), "ik"),
    (re.compile(r"(?<![\w'])'t(?![\w'])"), "het"),
    (re.compile(r"(?<![\w'])m'n(?![\w'])"), "mijn"),
    (re.compile(r"(?<![\w'])z'n(?![\w'])"), "zijn"),
    (re.compile(r"(?<![\w'])d'r(?![\w'])"), "haar"),
    (re.compile(r"(?<![\w'])(da|wa)'s(?![\w'])"), r"\1t is"),
    # "HSG's tomorrow", "appt's on the 26th": "is" before a time, not a possessive ("the HSG's results")
    (
        re.compile(
            r"\b(hsg|test|procedure|appointment|appt|scan|exam|x-ray)['’]s(?=\s+(?:tomorrow|today|tonight|on|at|in"
            r"|next|this|booked|scheduled|planned|not|only|later|coming|monday|tuesday|wednesday|thursday|friday"
            r"|saturday|sunday|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)\b)"
        ),
        r"\1 is",
    ),
    # Flemish "deze morgen" is this morning ("morgen" alone is tomorrow)
    (re.compile(r"\bdeze (morgen|ochtend|middag|avond|namiddag|voormiddag)\b"), r"van\1"),
    (
        re.compile(
            r"\b(maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag)(ochtend|morgen|middag|avond|nacht)\b"
        ),
        r"\1 \2",
    ),
]


def _expand_contractions(text: str) -> str:
    """ "'k krijg m'n asem nie" -> "ik krijg mijn asem nie"; "zaterdagochtend" -> "zaterdag ochtend"."""
    for pattern, replacement in _CONTRACTIONS:
        text = pattern.sub(replacement, text)
    return text


def extract(text: str, lang: str, *, now: datetime, pending_ask: str | None = None) -> Extraction:
    """Findings of one message. `pending_ask` lets a bare "39" or "4" answer the question asked."""
    text = clean_text(text or "")[:MAX_CHARS]
    result = Extraction()
    if not text.strip():
        return result
    pipe = pipeline(lang)
    lowered = _expand_contractions(text.lower().translate(_EMPHASIS_ACCENTS))
    lowered = pipe.typo_pattern.sub(lambda m: pipe.typos[m.group(1)], lowered)
    lowered = durations.number_words_to_digits(lowered)
    lowered = _CORRECTED_NUMBER.sub(r"\1", lowered)  # "38.7 — no wait sorry, 36.7": the corrected one
    tokens = pipe.nlp.make_doc(lowered)
    words = [pipe.correct(token.lower_) for token in tokens]
    doc = tokens if words == [t.lower_ for t in tokens] else _redoc(pipe, tokens, words)
    spans = _spans(pipe, doc)
    clauses = _clauses(doc)
    covered = {i for span in spans for i in range(span.start, span.end)}

    facts = result.facts
    _mark_contexts(doc, clauses, now)
    patterns = {id(clause): _cooccur(clause.text) for clause in clauses}
    for clause, following in zip(clauses, clauses[1:], strict=False):
        # "wel zo'n fluitend geluid als ik adem": the finding is said in the report, completed by the
        # "als"/"when" clause after it; what the second clause says on its own stays hypothetical.
        if clause.is_report and following.hypothetical and following.start == clause.end:
            joined = _cooccur(clause.text + " " + following.text)
            alone = _cooccur(following.text)
            own = patterns[id(clause)]
            patterns[id(clause)] = (own[0] | (joined[0] - alone[0]), own[1] | (joined[1] - alone[1]))
        # "yes to the throat one, it's scratchy and tight": a clause that opens with "it" speaks of what
        # the clause before named; the pair of words is found across the two (credited to the second)
        elif (
            clause.is_report
            and following.is_report
            and not following.hypothetical
            and _CONTINUES_SUBJECT.match(following.text)
        ):
            joined = _cooccur(clause.text + " " + following.text)
            before, after = patterns[id(clause)], patterns[id(following)]
            patterns[id(following)] = (
                after[0] | (joined[0] - before[0]),
                after[1] | (joined[1] - before[1]),
            )
    passed_said = any("d:passed" in span.labels for span in spans) or (
        bool(_PASSED_LATER.search(lowered)) and not _STILL_GOING.search(lowered)
    )
    passed_starts = {span.start: span.end for span in spans if "d:passed" in span.labels}
    symptom_starts = frozenset(
        span.start
        for span in spans
        if any(label.startswith("c:") and label != "c:ignore" for label in span.labels)
    )
    details: list[tuple[_Span, _Clause, bool]] = []
    clause_symptoms: dict[int, set[str]] = {}
    # "water came gushing out ..., completely clear": with the fluid said to be clear and no word of
    # blood, a gush is the contrast leaving
    clear_fluid_only = bool(_CLEAR_FLUID.search(lowered) and not _BLOOD_WORD.search(lowered))
    for span in spans:
        clause = next((c for c in clauses if c.start <= span.start < c.end), None)
        if clause is None:
            continue
        negated = _negated(words, span, clause, covered - set(range(span.start, span.end)))
        concepts = {label[2:] for label in span.labels if label.startswith("c:")} - {"ignore"}
        passed_now = bool(concepts & _GONE_WHEN_PASSED) and (
            _passed_after(words, span, clause, passed_starts)
            or bool(
                _HAD_THEN_ENDED.match(" ".join(words[span.end : clause.end]))
                and not _BACK_AGAIN.search(" ".join(words[span.end :]))
            )
        )
        if passed_now and "pain" in concepts and clause.is_report:
            # "the tummy ache was gone within the hour": the expected cramps, over (self-care)
            facts["cramps_passed"] = True
            result.reported.add("cramps_passed")
        if not negated and passed_now:
            concepts -= _GONE_WHEN_PASSED  # "pijn is weg", "the cramps went away": not how it is now
        elif (
            not negated
            and "pain" in concepts
            and _passed_in_next_clause(words, span, clause, passed_starts, clauses, symptom_starts)
        ):
            concepts.discard("pain")  # "cramps for a few hours, grand now": an after-effect that passed
            facts["cramps_passed"] = True
            result.reported.add("cramps_passed")
        if (
            any(label.startswith("d:") for label in span.labels)
            and not (span.end < len(words) and words[span.end] in _EASING_COMPARATIVES)
            # "a lot less than at lunch", "veel minder": how much it eased, not how strong it is
            and not _FEARS_THE_WORST.search(" ".join(words[max(clause.start, span.start - 4) : span.end]))
            # "quite a lot at first but slowing down": how much there was, not how much there is now
            and not (
                span.labels & _HEAVY_THEN and _AT_FIRST.search(clause.text) and _EASED_SINCE.search(lowered)
            )
        ):
            details.append((span, clause, negated))
        if not concepts:
            continue
        found, clause_details = patterns[id(clause)]
        if "bleeding" in concepts and ("bleeding_site_other" in clause_details or "missed_period" in found):
            concepts.discard("bleeding")  # "bleed for ages from small cuts", "my period is 5 days late"
        if "bleeding" in concepts and clear_fluid_only and span.text_lower in _GUSH_PHRASES:
            concepts.discard("bleeding")
            concepts.add("discharge")
        if (
            "bleeding" in concepts
            and words[span.end - 1] in _PERIOD_WORDS
            and set(words[max(clause.start, span.start - 4) : span.start]) & {"like", "zoals", "als"}
        ):
            concepts.discard("bleeding")  # "a cramp like a heavy period": a comparison, not bleeding
        if (
            "bleeding" in concepts
            and words[span.end - 1] in _PERIOD_WORDS
            and _names_a_kind_of_pain(words[span.end : span.end + 3])
        ):
            concepts.discard("bleeding")  # "period type cramps", "period pain": what the pain is like
        if (
            "bleeding" in concepts
            and words[span.end - 1] in _PERIOD_WORDS
            and _CYCLE_REFERENCE.search(" ".join(words[max(clause.start, span.start - 5) : span.start]))
        ):
            concepts.discard("bleeding")  # "book on the 1st day of my period": a day of the cycle
        if "pain" in concepts and _PAIN_ELSEWHERE.search(clause.text) and not _PELVIS.search(clause.text):
            concepts.discard("pain")  # "my boobs are so tender", "keel doet zeer": not the HSG's cramping
        if (
            "faint" in concepts
            and span.text_lower == "faint"
            and span.end < len(words)
            and words[span.end].strip(".,!?") in _FAINT_AS_SLIGHT
        ):
            concepts.discard("faint")  # "a faint crampy ache", "a faint smell": slight, not fainting
        if "faint" in concepts and passed_said and _near_faint(words, span):
            concepts = (concepts - {"faint"}) | {"dizzy"}  # "nearly fainted but fine after lying down"
        if (
            "rash" in concepts
            and " ".join(words[span.start : span.end]) in _ITCH
            and _GENITAL.search(lowered)
        ):
            concepts.discard("rash")  # itching with discharge is a sign of infection, not a skin reaction
        if clause.past_reaction and concepts & _REACTION:
            concepts = (concepts - _REACTION) | {"contrast_allergy"}  # an earlier reaction to a scan
        if clause.family and concepts & _FAMILY_HISTORY:
            result.asked_about.update(concepts & _FAMILY_HISTORY)
            concepts -= _FAMILY_HISTORY  # "mijn moeder is allergisch voor jodium": her mother's, not hers
        if clause.history and concepts & _ACUTE:
            result.asked_about.update(concepts & _ACUTE)
            concepts -= _ACUTE  # "ten years ago I had a high fever": not how she is now
        if concepts & _MEDICINES and _stopped_taking(clause, clauses):
            result.asked_about.update(concepts & _MEDICINES)
            concepts -= _MEDICINES  # "I used to be on Xarelto but stopped it two years ago": not now
        if not concepts:
            continue
        if not clause.is_report:
            result.asked_about.update(concepts)
            continue
        if negated:
            continue
        for concept in concepts:
            facts[concept] = True
            result.reported.add(concept)
            clause_symptoms.setdefault(id(clause), set()).add(concept)
    _came_back(spans, clauses, result, clause_symptoms)
    _asked_then_shown(clauses, result, clause_symptoms)
    for clause in clauses:
        found, clause_details = patterns[id(clause)]
        if clause.past_reaction and found & _REACTION:
            found = (found - _REACTION) | {"contrast_allergy"}
        if clause.history:
            found = found - _ACUTE
        if clause.family:
            found = found - _FAMILY_HISTORY
        if not clause.is_report:
            result.asked_about.update(found)
            continue
        for concept in found:
            facts[concept] = True
            result.reported.add(concept)
            clause_symptoms.setdefault(id(clause), set()).add(concept)
    # "paracetamol genomen en nu is het bijna weg": relief is said across clauses of one sentence
    for sentence in re.findall(r"[^.!?\n]+", lowered):
        if _HYPOTHETICAL.search(sentence):
            continue
        sentence_findings, sentence_details = _cooccur(sentence)
        if "pain_not_relieved" in sentence_findings and (
            "pain" in result.reported or pending_ask in ("severity", "pain_duration")
        ):
            # (or the answer to "how bad is the pain?": "took nurofen at lunch, it hasn't done anything")
            # "2 paracetamol genomen maar de pijn zakt niet": taken in one clause, no relief in the next
            facts["pain_not_relieved"] = True
            result.reported.add("pain_not_relieved")
        elif "pain_relieved" in sentence_details:
            facts["pain_relieved"] = True
        if "unprotected_sex" in sentence_findings and not sentence.rstrip().endswith("?"):
            # "we were told no sex until after the test, but we slipped up on Saturday": the rule in one
            # clause, the lapse in the next
            facts["unprotected_sex"] = True
            result.reported.add("unprotected_sex")
    if "dizzy" in result.reported and passed_said and "faint" not in result.reported:
        facts["dizzy_passed"] = True
    if facts.get("pain_relieved") and "pain" in result.reported:
        _raise(facts, "pain_severity", "mild", SEVERITY)
        result.answered.add("severity")
    # "soaking" worked out from a rate: "a pad every 45 minutes", "3 pads in 2 hours", "binnen een uur vol";
    # or blood through to the clothes or the bed ("it's come through onto my jeans")
    if (
        any(c.is_report and durations.soaking_rate(c.text) for c in clauses)
        or any(
            durations.soaking_rate(sentence)
            and all(c.is_report for c in clauses if c.text in sentence)
            and any(c.text in sentence for c in clauses)
            for sentence in re.findall(r"[^.!?\n]+", lowered)
        )  # the count and the time in different clauses: "two pads and now a towel in an hour"
        or (_BLOOD_OR_PAD.search(lowered) and any(c.is_report and _through_clothes(c.text) for c in clauses))
    ):
        facts["bleeding"] = True
        result.reported.add("bleeding")
        _raise(facts, "bleeding_heaviness", "soaking", HEAVINESS)
    for clause in clauses:
        if clause.is_report:
            severity = durations.pain_score(clause.text)
            scored = bool(_SCORE_OUT_OF_TEN.search(clause.text))
            if severity is not None and (
                "pain" in result.reported or pending_ask in ("severity", "pain_duration") or scored
            ):
                _raise(facts, "pain_severity", severity, SEVERITY)
                result.answered.add("severity")
                if "pain" not in result.reported and (pending_ask in ("severity", "pain_duration") or scored):
                    facts["pain"] = True  # "like an 8 out of 10": a score out of ten is a pain score
                    result.reported.add("pain")

    # the findings said in each clause's sentence (a detail may sit in the next clause of it)
    sentence_of: dict[int, int] = {}
    number = 0
    previous_end = 0
    for clause in clauses:
        if any(words[i] in _SENTENCE_END or "\n" in doc[i].text for i in range(previous_end, clause.start)):
            number += 1
        sentence_of[id(clause)] = number
        previous_end = clause.end
    in_sentence: dict[int, set[str]] = {}
    for clause in clauses:
        in_sentence.setdefault(sentence_of[id(clause)], set()).update(clause_symptoms.get(id(clause), set()))
    nearby = {id(clause): in_sentence.get(sentence_of[id(clause)], set()) for clause in clauses}
    for clause in clauses:
        # "... some clear fluid. But it is more every day": "it" opening a sentence refers back to the
        # finding of the sentence before.
        if _REFERS_BACK.match(clause.text) and sentence_of[id(clause)] > 0:
            earlier = in_sentence.get(sentence_of[id(clause)] - 1, set())
            nearby[id(clause)] = nearby[id(clause)] | earlier
    _attach_details(result, details, clause_symptoms, pending_ask, nearby, doc.text)
    for clause in clauses:
        # "ik bloed meer dan bij een normale menstruatie", "more blood than my usual period": heavy
        if (
            clause.is_report
            and "bleeding" in (nearby.get(id(clause)) or set())
            and _HEAVIER_THAN_PERIOD.search(clause.text)
            and _BLOOD_WORD.search(clause.text)  # "the pain is worse than my period" is about pain
        ):
            _raise(facts, "bleeding_heaviness", "heavy", HEAVINESS)
            result.answered.add("heaviness")
    if _protection_stepped_up(doc, clauses) and (
        "bleeding" in result.reported or not {"discharge", "discharge_bad"} & result.reported
    ):
        # what a liner or pad is stepped up for is a bleeding, unless the message says it is discharge
        facts["bleeding"] = facts["bleeding_increasing"] = True
        result.reported.add("bleeding")
    facts.pop("pain_relieved", None)
    _numbers(result, clauses, spans, pending_ask, now)
    result.phase = durations.phase_from_text(lowered)
    result.since_hsg = durations.mentions_since_hsg(lowered)
    result.hsg_date = durations.hsg_date_from_text(lowered, now)
    result.hsg_hour = durations.hsg_hour_from_text(lowered) if result.hsg_date else None
    result.others = any(c.others for c in clauses) and not result.reported
    result.body_talk = any(_checkable(c) for c in clauses) and not _FEAR.search(lowered)
    finding_clauses = [c for c in clauses if clause_symptoms.get(id(c))]
    # "always a little blood, every day until now": what happens now, said in another clause
    ongoing = bool(_UNTIL_NOW.search(lowered))
    result.soft_only = bool(finding_clauses) and all(_soft(c, ongoing) for c in finding_clauses)
    return result


_PAD_OR_TISSUE = re.compile(
    r"\b(?:liner|panty ?liner|pad|pads|tissue|toilet paper|underwear|knickers|inlegkruisje|verband|"
    r"maandverband|wc-papier|toiletpapier|onderbroek|slipje|slip|"
    # "wat bruine vlekjes", "pink streaks": small marks of blood, named with their colour
    r"vlekjes|vlekje|stains?|streaks?|strepen|streepjes|"
    # "een beetje roze bij het afvegen", "pink when I wipe"
    r"afvegen|vegen|wipe|wiping|wiped)\b"
)
# Fluid said to be clear or to be the dye: what soaks the underwear then is the contrast leaving, not
# blood ("a gush of fluid when I stood up, soaked my knickers, totally clear")
_CLEAR_FLUID = re.compile(
    r"\b(?:clear|colourless|colorless|see-through|transparent|watery|like water|helder|doorzichtig|kleurloos"
    r"|waterig|als water|the dye|that dye|the contrast|contrast fluid|contrastvloeistof|de kleurstof)\b"
)
_GUSH_PHRASES = frozenset({"gushing out", "pouring out", "gutst eruit", "gutsen eruit"})
# ... but pads soaked at a rate stay a bleeding, whatever else was said to be clear
_PAD_RATE = re.compile(
    r"\b(?:pads?|maandverband\w*|verband\w*|every|each|per|an hour|een uur|elk uur|ieder uur|binnen)\b"
)
_ON_THE_SKIN = re.compile(
    r"\b(?:skin|huid|body|lijf|lichaam|arms?|armen|legs?|benen|chest|borst|back|rug|neck|nek|face|"
    r"gezicht|everywhere|overal|all over)\b"
)
# "da was na 5 minuutjes over", "it went away after a few minutes": passed, said with words between.
_PASSED_LATER = re.compile(
    r"\b(?:was|is|ging|went|wore)\b(?:\s+[\w']+){0,4}?\s+(?:over|weg|voorbij|away|off)\b"
    r"(?!\s+(?:een|twee|drie|vier|\d))"  # "de hsg is over een week" is a date, not "it passed"
    # "now it is finished", "I was grand after ten minutes", "I'm fine now": it has passed
    r"|\bnow (?:it is|it's|its) (?:finished|over|gone|better)\b"
    r"|\b(?:was|were|felt) (?:\w+ )?(?:grand|fine|ok|okay|better|alright|good) (?:after|again|within)\b"
    r"|\b(?:i am|i'm|im|i feel|feel|feeling) (?:\w+ )?(?:ok|okay|fine|grand|good|alright|better) now\b"
    # "weer helemaal ok", "totally fine again", "na wat liggen", "after a rest": it has passed
    r"|\b(?:weer|again|now|nu)\s+(?:helemaal\s+|volledig\s+|totally\s+|completely\s+|all\s+)?"
    r"(?:ok|oké|okay|goed|fine|prima|normaal|normal|in orde|better|beter)\b"
    # "en nu gaat het prima", "inmiddels voel ik me weer goed"
    r"|\b(?:nu|inmiddels|intussen)\s+(?:gaat het|is het|voel ik me|voel ik mij|voelt het)\s+"
    r"(?:weer\s+|al\s+)?(?:helemaal\s+)?(?:ok|oké|oke|goed|prima|beter|normaal|in orde)\b"
    r"|\b(?:na|after)\s+(?:wat|even|een tijdje|een beetje|a bit of|a while|some|a)?\s*"
    r"(?:liggen|rusten|lying down|a lie down|a rest|resting|sitting down|zitten)\b"
    # "they had me lie down, then I was fine", "daarna voelde ik me weer goed", "I feel normal": passed
    r"|\b(?:then|after that|afterwards|daarna|toen|nadien)\s+(?:i was|i felt|i'm|i am|was ik|voelde ik me"
    r"|ging het|was het)\s+(?:\w+\s+)?(?:fine|ok|okay|good|better|alright|normal|grand|goed|beter|prima|oké"
    r"|oke|over|weg)\b"
    r"|\b(?:i feel|i'm feeling|feeling|ik voel me|voel me)\s+(?:\w+\s+)?(?:normal|normaal)\b"
    r"(?!\s*(?:,\s*)?(?:otherwise|apart|besides|except|for the rest|verder|voor de rest|behalve|buiten))"
    # "ik was een paar minuten licht in mijn hoofd", "I felt faint-ish for a minute or two": a spell of
    # minutes told in the simple past is over ("I've been dizzy for 30 minutes" is not: present perfect)
    r"|(?<!have )(?<!'ve )(?<!has )\b(?:i was|i felt|was i|felt|ik was|was ik|voelde ik|ik voelde)\b"
    r"(?:\s+[\w']+){0,8}?\s+(?:for\s+)?(?:a|one|een|a few|a couple of|een paar|enkele|twee|two|\d{1,2})\s+"
    r"(?:min|mins|minute|minutes|minuut|minuten|minuutjes|seconds|seconden|tellen)\b"
)
# ... unless it is said to go on: "I was dizzy for a few minutes and still am"
_STILL_GOING = re.compile(
    r"\b(?:still|keeps?|nog steeds|nog altijd|blijf|blijft|ongoing|worse|erger|"
    r"nog (?:wat |een beetje |altijd )?(?:duizelig|licht in)|dizzy again|weer duizelig"
    # "dizzy since the hsg", "sinds vanochtend duizelig": it goes on
    r"|(?:dizzy|woozy|light-?headed|light headed|duizelig|draaierig) (?:ever )?since"
    r"|sinds (?:\w+ ){0,4}(?:duizelig|draaierig))\b"
)
_ITCH = {"itching", "itchy", "jeuk", "jeukt", "jeukend", "jeukende", "itch"}
# Pain said of another part of the body (breasts, head, throat, teeth, ears) is not the HSG's cramping,
# unless the same clause also names the belly or the cramps.
_PAIN_ELSEWHERE = re.compile(
    r"\b(?:breasts?|boobs?|nipples?|chest is tender|borsten|borst is gevoelig|tepels?|head|hoofd|throat|keel"
    r"|teeth|tooth|tanden|tand|kies|ears?|oren|oor)\b"
)
_PELVIS = re.compile(
    r"\b(?:belly|tummy|stomach|abdomen|abdominal|pelvis|pelvic|womb|uterus|cramps?|cramping|period pain"
    r"|buik|onderbuik|buikpijn|baarmoeder|bekken|kramp|krampen|eierstok\w*|ovar\w*)\b"
)
_GENITAL = re.compile(
    r"\b(?:discharge|afscheiding|thrush|schimmel|vagina|vaginal|vaginaal|down there|daar beneden)\b"
)
_REACTION = frozenset(
    {
        "hives",
        "rash",
        "allergy",
        "face_swelling",
        "breathing_difficulty",
        "throat_tight",
        "wheeze",
        "contrast_reaction",
    }
)
_NEAR = {"nearly", "almost", "bijna"}
_OTHERS = re.compile(
    r"\b(?:friend|friends|sister|sisters|mother|mum|mom|mam|aunt|cousin|colleague|neighbour|neighbor|"
    r"someone|somebody|people|women|others|other women|sister-in-law|"
    r"vriendin|vriendinnen|zus|zussen|zuster|schoonzus|moeder|mama|tante|nicht|collega|buurvrouw|"
    r"iemand|mensen|vrouwen|anderen|kennis)\b"
)
_PAST = re.compile(
    r"\b(?:ge\w+(?:d|t|en))\b|\b(?:read|heard|hoorde|las|gelezen|gehoord|apparently|blijkbaar)\b"
    r"|\b(?:some|many|most|lots of|sommige|veel|de meeste)\s+(?:women|people|vrouwen|mensen)\b"
    r"|\b(?:passed out|collapsed|years back|months back|a while back|ago)\b"
    # "een vriendin van me is flauwgevallen na haar HSG": a friend of hers, not the patient written for
    r"|\b(?:een|a)\s+(?:vriendin|friend|collega|colleague|kennis|buurvrouw|neighbour|neighbor)\s+"
    r"(?:van\s+(?:me|mij)|of mine)\b"
    r"|\b(?:had|got|was|were|did|said|says|told|needed|fainted|bled|felt|ended up|went|"
    r"kreeg|kregen|had|hadden|was|waren|werd|moest|zei|zegt|vertelde|heeft .* gehad|ooit)\b"
)
_PAST_SCAN = re.compile(
    r"\b(?:back in|in) (?:19|20)\d\d\b|\bbarium\b|"
    r"\b(?:ct|ct-scan|ctscan|cat scan|mri|kidney scan|nierscan|last time|vorige keer|years ago|year ago|"
    r"jaar geleden|jaren geleden|ooit|in the past|vroeger|previously|previous|eerder|once before|"
    r"when i was|toen ik)\b"
)
# A relative writing for the patient, in the present tense, is reporting: "mijn vriendin heeft koorts".
_OTHERS_NOW = re.compile(
    r"\b(?:wife|girlfriend|partner|daughter|vrouw|vriendin|dochter|she|ze|zij)\s+(?:now\s+|nu\s+|still\s+)?"
    r"(?:is|has|feels|keeps|heeft|voelt|bloedt|krijgt|ligt|kan|can't|cannot|kan niet|says she is|"
    r"zegt dat ze)\b"
    # "my sister had her HSG yesterday and now has a high fever", "en heeft nu hoge koorts": how she is now
    r"|\b(?:and|en|but|maar)\s+(?:now|nu|still|today|vandaag)\s+"
    r"(?:has|is|feels|gets|heeft|voelt|krijgt|bloedt)\b"
    r"|\b(?:and|en|but|maar)\s+(?:has|is|feels|heeft|voelt|krijgt|bloedt|ligt)\s+"
    r"(?:now|nu|still|nog steeds)\b"
)
# A time long past, for the patient too: "ten years ago I had an infection", "last time she fainted".
# What happened then is history; disclosures (a reaction to contrast, kidneys, a bleeding disorder, a
# chronic infection) keep counting, acute after-effects do not. Not when the sentence also says now.
_DISTANT_PAST = re.compile(
    r"\b(?:\d+|a|one|two|few|several|many|some|een|paar|enkele|vele)?\s*(?:years?|jaar|jaren)\s+"
    r"(?:ago|back|geleden|terug)\b|\b(?:long|lang)\s+(?:ago|geleden)\b|\blast time\b|\bthe time before\b"
    r"|\bvorige keer\b"
    r"|\b(?:my|her|mijn|haar) (?:previous|last|first|eerste|vorige) (?:hsg|one|test|procedure|onderzoek)\b"
    r"|\bwhen (?:i|she) was (?:younger|a teen\w*|a child|a kid|\d+)\b"
    r"|\btoen (?:ik|ze|zij) (?:jong|jonger|klein|\d+)\b"
    r"|\bas a (?:teen\w*|child|kid)\b|\bin (?:19|20)[0-2]\d\b"
)
# month name -> number, English and Dutch, from the one list in bot.dates
_MONTHS = {name: number for names in MONTHS.values() for number, name in enumerate(names, start=1)}
# "in March I had covid with 39 fever": a named month at least two months back is a past episode (not
# "in May" of a message that may be planning ahead: only with a past-tense verb in the sentence)
_IN_MONTH = re.compile(
    r"\b(?:in|back in|begin|eind|early|late|end of|begin van)\s+(" + "|".join(_MONTHS) + r")\b"
)
_PAST_TENSE = re.compile(
    r"\b(?:had|was|were|got|caught|did|ik had|had ik|was ik|heb ik|ik heb \w+ gehad|gehad|kreeg|werd)\b"
)
_MONTHS_AGO = re.compile(
    r"\b(?:\d+|a few|few|several|some|een paar|paar|enkele)\s+(?:months?|maanden)\s+"
    r"(?:ago|back|geleden|terug)\b"
    r"|\b(?:last|vorig|vorige|afgelopen)\s+(?:year|jaar|summer|winter|spring|autumn|zomer|winter|lente|voorjaar|"
    r"najaar|herfst)\b"
)
# What says the old episode is over ("nothing since then", "nu ben ik alweer maanden helemaal fit"):
# taken out before looking for words of now, so "since" and "nu" in them do not make it current.
# "no symptoms since", "haven't had anything since", "sindsdien geen klachten": free of it since then
_FREE_SINCE = (
    r"\b(?:nothing|none|never|no)\s+(?:\w+\s+)?since\b|n't\s+(?:\w+\s+){0,2}(?:anything|any)\s+since\b"
    r"|\bsindsdien\s+(?:niks|niets|nooit|geen)\b"
)
_SYMPTOM_FREE_SINCE = re.compile(_FREE_SINCE)
_RECOVERED_SINCE = re.compile(
    _FREE_SINCE + r"|\b(?:not|fine|healthy|well)\s+(?:\w+\s+)?since(?:\s+then)?\b"
    r"|\b(?:now|nu)\b[^.,;]{0,40}?\b(?:fine|fit|well|healthy|recovered|better|all good|gezond|beter|hersteld"
    r"|prima|goed|over)\b"
    # "… last month, fine now", "… vorige maand, nu weer goed"
    r"|\b(?:fine|ok|okay|well|better|all good|alright|goed|prima|beter)\s+(?:again\s+)?(?:now|nu)\b"
)


def _long_past(sentence: str, now: datetime | None) -> bool:
    """Said of a time long past: years ago, months ago, last year, or a named month two or more back."""
    if _DISTANT_PAST.search(sentence) or _MONTHS_AGO.search(sentence):
        return True
    if now is None or not _PAST_TENSE.search(sentence):
        return False
    if _LAST_MONTH.search(sentence):
        return True  # "my HSG was last month", "vorige maand had ik koorts": over, in the past tense
    for match in _IN_MONTH.finditer(sentence):
        months_back = (now.month - _MONTHS[match.group(1)]) % 12
        if months_back >= 2:
            return True
    return False


_STILL_NOW = re.compile(
    r"\b(?:now|today|tonight|still|again|currently|at the moment|this time|since|nu|vandaag|vanavond|"
    r"nog steeds|nog altijd|weer|momenteel|deze keer|sinds|chronic|chronisch|recurring|keeps coming back|"
    r"steeds terug|steeds terugkerende?|terugkerende?|recurrent|recurring|for years|al jaren|jarenlang)\b"
)
# After-effects that are over when they are history; the rest (disclosures) keep counting.
_ACUTE = frozenset(
    {
        "dizzy",
        "faint",
        "chest_pain",
        "breathless",
        "bleeding",
        "fever",
        "chills",
        "feel_warm",
        "discharge",
        "discharge_bad",
        "discharge_increasing",
        "pain",
        "pain_not_relieved",
        "vomiting",
        "numbness",
        "infection",
    }
)
# A relative who is not the one having the HSG ("my mother is allergic to iodine", "mijn zus heeft
# diabetes"): her allergies and conditions are family history, not a disclosure. What such a relative
# is said to feel now stays a report (a sister may write for the patient: "my sister is bleeding").
_FAMILY = re.compile(
    r"\b(?:mother|mum|mom|mam|mama|moeder|father|dad|vader|papa|grandmother|grandma|granny|oma|aunt|tante|"
    r"brother|broer|uncle|oom|cousin|nicht|neef|sister|zus|zuster|family|familie)\b"
)
_PARTNER_MALE = re.compile(
    r"\b(?:husband|hubby|boyfriend|my man|mijn man|mijn vriend|mijn echtgenoot|fiance)\b"
)
_I_SUBJECT = re.compile(r"\b(?:i|i'm|im|ik|'k)\b")
# What something can do in general, not what the patient has: "it can cause allergic reactions"
_GENERAL_CLAIM = re.compile(
    r"\b(?:can|may|might|could|kan|kunnen|zou|zouden)\s+(?:\w+\s+){0,2}?"
    r"(?:cause|trigger|lead to|give you|veroorzaken|uitlokken|geven)\b"
)
_I_HAVE = re.compile(r"\b(?:i have|i've|i had|i am|i'm|im|i feel|my|ik heb|ik had|ik ben|ik voel|mijn)\b")
_FAMILY_HISTORY = frozenset(
    {
        "allergy",
        "contrast_allergy",
        "asthma",
        "diabetes",
        "kidney",
        "bleeding_disorder",
        "cancer",
        "anticoagulant",
    }
)
_SELF = re.compile(r"\b(?:i|i'm|im|me|my|ik|me|mij|mijn|we)\b")


# What she read or was told in general, not what she has: "Ik las dat je bij een doorweekt verband naar
# de SEH moet", "I saw on a forum that some women get a rash the next day", "the leaflet says fever is bad"
_HEARSAY = re.compile(
    r"\b(?:i|ik)\s+(?:\w+\s+){0,4}?(?:read|las|lees|gelezen|heard|hoorde|gehoord|saw|zag|gezien)\s+"
    r"(?:\w+\s+){0,3}?(?:that|dat|you|je|online|somewhere|ergens|about|over|forum|website|internet|google|"
    r"folder|leaflet|stories|verhalen)\b"
    r"|\b(?:the leaflet|the letter|the website|the internet|google|the forum|de folder|de brief|de website|"
    r"het internet|internet|google|het forum)\s+(?:\w+\s+)?(?:says|said|zegt|zei|stond|staat)\b"
    r"|\b(?:they say|people say|ze zeggen|men zegt|er staat dat|er stond dat)\b"
)


def _hearsay(text: str) -> bool:
    """The clause reports what she read or heard, and nothing of her own after that cue."""
    cue = _HEARSAY.search(text)
    return bool(cue) and not _SELF.search(text[cue.end() :])


def _mark_contexts(doc: Any, clauses: list[_Clause], now: datetime | None = None) -> None:
    """Sentence-level context: another person's past experience, or an earlier reaction to a scan.

    "My friend fainted during hers, will that happen to me?" is about the friend: answered, not
    escalated. "Mijn vrouw heeft koorts" (present tense, written for the patient) stays a report.
    "Last time I had a CT with contrast I came out in hives" is a contrast allergy to tell the team.
    """
    for clause in clauses:
        clause.family = bool(_FAMILY.search(clause.text) or _PARTNER_MALE.search(clause.text)) and not (
            _I_SUBJECT.search(clause.text)
        )
        if _GENERAL_CLAIM.search(clause.text) and not _I_HAVE.search(clause.text):
            # "I read online it can cause allergic reactions": what the dye may do, not what she has
            clause.others = True
        if _hearsay(clause.text):
            clause.others = True
    text = doc.text.lower()
    sentences = [m.span() for m in re.finditer(r"[^.!?\n]+", text)]
    long_past_before = False
    for start, end in sentences:
        sentence = text[start:end]
        others = bool(
            _OTHERS.search(sentence) and _PAST.search(sentence) and not _OTHERS_NOW.search(sentence)
        )
        past_scan = bool(_PAST_SCAN.search(sentence))
        history = (
            _long_past(sentence, now)
            # "Mijn HSG was vorige maand … Ik had toen een dag krampen": "toen" is the time just named
            or (long_past_before and bool(_BACK_THEN.search(sentence)) and bool(_PAST_TENSE.search(sentence)))
            # "Before the HSG I had a UTI with a fever, it was treated and totally cleared": over; so is
            # "I had a bladder infection but it cleared with antibiotics, no symptoms since"
            or bool(
                (_BEFORE_THE_HSG.search(sentence) or _SYMPTOM_FREE_SINCE.search(sentence))
                and _PAST_TENSE.search(sentence)
                and _CLEARED.search(sentence)
            )
        ) and not _STILL_NOW.search(_RECOVERED_SINCE.sub(" ", sentence))
        long_past_before = history
        if not (others or past_scan or history):
            continue
        other_named = False  # the clauses before the other person is named are the patient's own:
        # "severe pain since the hsg, my mum had to drive me home" is her pain, not her mum's
        for clause in clauses:
            offset = doc[clause.start].idx
            if start <= offset < end:
                other_named = other_named or bool(_OTHERS.search(clause.text))
                if (
                    others
                    and other_named
                    and not (_SELF.search(clause.text) and not _OTHERS.search(clause.text))
                ):
                    clause.others = True
                if past_scan:
                    clause.past_reaction = True
                if history:
                    clause.history = True


# A medicine she no longer takes: "I used to be on Xarelto … but I stopped it two years ago", "vroeger
# nam ik sintrom, daar ben ik al lang mee gestopt". Said in the medicine's own clause or the one after it;
# a clause that names it as taken now ("nu neem ik heparine") keeps it.
_MEDICINES = frozenset({"anticoagulant", "sedative"})
_STOPPED_TAKING = re.compile(
    r"\b(?:used to (?:be on|take|use)|stopped (?:it|them|taking|using|that|those)|(?:have|'ve|had) stopped"
    r"|no longer (?:take|taking|on|use)|not (?:on|taking) (?:it|them|anything) (?:anymore|any more)"
    r"|came off (?:it|them|the|my|her|that)|(?:ben|was) (?:ik |al |al lang |lang )*(?:mee )?gestopt"
    r"|gestopt met|vroeger"
    r"|niet meer (?:nodig|in|genomen)|neem (?:ik )?(?:het|ze|die|dat) niet meer)\b"
)
_NOTHING_NOW = re.compile(r"\b(?:nothing|niets|niks|none|geen \w+)\s+(?:now|nu|meer)\b")
_TAKEN_NOW = re.compile(r"\b(?:now|currently|still|again|nu|momenteel|nog steeds|nog altijd|weer)\b")


def _stopped_taking(clause: _Clause, clauses: list[_Clause]) -> bool:
    """The medicine named in `clause` is one she has stopped (said there or in the clause right after)."""
    if _TAKEN_NOW.search(_NOTHING_NOW.sub(" ", clause.text)):
        return False  # ("and take nothing now" is not taking it now)
    following = next((c for c in clauses if c.start >= clause.end), None)
    return bool(
        _STOPPED_TAKING.search(clause.text)
        or (following is not None and _STOPPED_TAKING.search(following.text))
    )


_BEFORE_THE_HSG = re.compile(
    r"\b(?:before|prior to|ahead of|voor|vóór)\s+(?:the|my|het|de|mijn|m'n|mn)\s+"
    r"(?:hsg|procedure|test|scan|x-ray|onderzoek|foto|eileiderfoto)\b"
)
_CLEARED = re.compile(
    r"\b(?:treated|cleared|cleared up|cured|resolved|gone|over|recovered|better|behandeld|genezen|"
    r"opgeknapt|hersteld|verdwenen|over gegaan|overgegaan|weg)\b"
)
_LAST_MONTH = re.compile(
    r"\b(?:last month|a month ago|vorige maand|afgelopen maand|een maand geleden|verleden maand)\b"
)
_BACK_THEN = re.compile(r"\b(?:toen|destijds|back then|at the time|at that time|in die tijd|that time)\b")

_CLOTHES = (
    r"(?:trousers|jeans|pants|knickers|underwear|leggings|joggers|clothes|skirt|dress|sheets?|bed|mattress"
    r"|chair|seat|sofa|couch|broek|kleren|kleding|onderbroek|slip|slipje|rok|jurk|lakens?|matras|stoel|bank)"
)
_THROUGH_CLOTHES = re.compile(
    r"\b(?:through|onto|on to|door|doorheen|tot op)\s+(?:to\s+|in\s+)?(?:my|her|the|mijn|m'n|haar|de|het)?\s*"
    + _CLOTHES
    + r"\b|\b"
    + _CLOTHES
    + r"\s+(?:\w+\s+){0,3}?(?:wet|soaked|drenched|covered|soaking|full|nat|doorweekt|doordrenkt|vol|onder)"
    r"\s+(?:with|of|in|met|van)?\s*(?:blood|bloed)\b"
)
_BLOOD_OR_PAD = re.compile(
    r"\b(?:blood|bleed\w*|bled|bloed\w*|pads?|towels?|maandverband|verband|nachtverband|tampons?)\b"
)


def _through_clothes(text: str) -> bool:
    """Blood through to the clothes, the bed or a seat: soaking, whatever the pad count
    ("it's come through onto my jeans", "my trousers were wet with blood", "door mijn broek heen"),
    unless a negation comes shortly before ("nothing has come through onto my clothes")."""
    for match in _THROUGH_CLOTHES.finditer(text):
        before = re.findall(r"[\w']+", text[: match.start()])[-5:]
        if not any(word in _NEG_WORDS or word.endswith("n't") for word in before):
            return True
    return False


def _near_faint(words: list[str], span: _Span) -> bool:
    """ "nearly fainted", "bijna flauw", "felt faint": not a faint (a real faint is never converted)."""
    text = " ".join(words[span.start : span.end])
    before = words[span.start - 1] if span.start > 0 else ""
    return before in _NEAR or text in ("faint", "bijna flauw", "flauw") or text.startswith("bijna")


_NEG_WORDS = _NEG_CUES | {"no", "not", "geen", "niet", "zonder", "without", "never", "nooit"}
_PRE_BREAK = _SCOPE_BREAK


def _word_pattern(word: str) -> str:
    """A word of a co-occurrence group: "green*" is a stem (greenish), "*gezwollen" a tail."""
    if word.endswith("*"):
        return re.escape(word[:-1]) + r"\w*"
    if word.startswith("*"):
        return r"\w*" + re.escape(word[1:])
    return re.escape(word)


@lru_cache(maxsize=1)
def _cooccur_table() -> list[tuple[str, str, int, list[re.Pattern[str]]]]:
    table = []
    for entry in load_lexicon().get("cooccur") or []:
        kind = "finding" if "finding" in entry else "detail"
        groups = [
            re.compile(
                r"(?<![\w'])(?:" + "|".join(_word_pattern(str(w).lower()) for w in group) + r")(?![\w'])"
            )
            for group in entry["groups"]
        ]
        table.append((kind, str(entry.get(kind)), int(entry.get("window", 8)), groups))
    return table


def _closest(groups: list[re.Pattern[str]], text: str) -> list[re.Match[str]] | None:
    """One match per group, the combination spanning the fewest characters: in "heavy pressure in the
    middle of my chest" the pair is "pressure … chest", not the first word of each group."""
    found = [list(group.finditer(text))[:8] for group in groups]
    if not all(found):
        return None
    best: list[re.Match[str]] | None = None
    best_width = 0
    for combination in product(*found):
        width = max(m.end() for m in combination) - min(m.start() for m in combination)
        if best is None or width < best_width:
            best, best_width = list(combination), width
    return best


_NO_WORDS = {"geen", "no", "zonder", "without", "never", "nooit"}
_TROUBLE = {
    "last",
    "problemen",
    "probleem",
    "moeite",
    "klachten",
    "trouble",
    "problem",
    "problems",
    "issues",
    "difficulty",
    "difficulties",
}
_NOT_WHAT_IT_SHOULD = {"goed", "fris", "lekker", "normaal", "ok", "oke", "oké"}


def _dutch_verb_not(verb: str, after: list[str]) -> bool:
    """ "de afscheiding ruikt (echt) niet vies": the Dutch "not" after the verb; "ruikt niet fris" is
    still a bad smell."""
    if verb not in _NL_VERBS or not after:
        return False
    rest = after[1:] if after[0] in _NL_ADVERBS else after
    return bool(rest) and rest[0] in _NL_NOT and not set(rest[1:2]) & _NOT_WHAT_IT_SHOULD


# `pain_relieved` reaches further (lexicon window) when the relief is denied ("took two ibuprofen and
# then paracetamol hours later and the pain isn't budging") than when it is granted.
_RELIEF_WINDOW = 10


# A clause whose subject is what the clause before it named: "it's tight", "het voelt raar", "ze zijn dik"
_CONTINUES_SUBJECT = re.compile(
    r"\s*(?:it's|its|it is|it feels|het is|het voelt|ze zijn|they're|they are|they feel)\b"
)


def _cooccur(text: str) -> tuple[set[str], set[str]]:
    """Findings and details from the co-occurrence patterns of lexicon.yml in one clause's text."""
    findings: set[str] = set()
    details: set[str] = set()
    for kind, name, window, groups in _cooccur_table():
        hits = _closest(groups, text)
        if hits is None:
            continue
        first = min(hit.start() for hit in hits)
        last = max(hit.end() for hit in hits)
        inside = text[first:last]
        if len(inside.split()) > window + 1:
            continue
        opening = re.findall(r"[\w']+", inside)[:2]
        if kind == "finding" and len(opening) == 2 and opening[0] in _NO_WORDS and opening[1] in _TROUBLE:
            continue  # "geen last met ademen of slikken", "no trouble breathing": denied, not a finding
        if kind == "finding" or name == "pain_relieved":
            between = set(re.findall(r"[\w']+", inside)) - {
                w for hit in hits for w in re.findall(r"[\w']+", hit.group())
            }
            head = re.split(r"[,;:.!?]", text[:first])[-1]  # "not strong, ibuprofen is helping"
            before = re.findall(r"[\w']+", head)[-4:]
            scope: list[str] = []
            for word in reversed(before):
                if word in _PRE_BREAK:
                    break
                scope.append(word)
            after = re.findall(r"[\w']+", text[last:])[:3]
            if name == "pain_relieved" and set(after[:2]) & (_NEG_WORDS | {"niks", "nothing", "nowt"}):
                findings.add("pain_not_relieved")  # "pijnstillers helpen niks"
                continue
            if (
                set(scope) & _NEG_WORDS
                or any(w in _NEG_WORDS or w.endswith("n't") for w in between)
                or (set(after) & _POST_NEG and not set(after) & {"not", "niet", "n't"})
                or (
                    kind == "finding"
                    and after[:1]
                    and after[0] in _OF_WORDS
                    and set(after[1:2]) & _POST_NOTHING
                )
                or (kind == "finding" and after[:1] == ["nergens"])
                or (kind == "finding" and _dutch_verb_not(max(hits, key=lambda m: m.end()).group(), after))
            ):
                if name == "pain_relieved":
                    findings.add("pain_not_relieved")  # "painkillers aren't touching it", "helpt niet"
                continue
            if name == "pain_relieved" and len(inside.split()) > _RELIEF_WINDOW + 1:
                continue  # no relief reads further than relief: a long sentence may join unrelated words
            if kind == "finding":
                findings.add(name)
            else:
                details.add(name)
        else:
            details.add(name)
    return findings, details


@lru_cache(maxsize=1)
def _body_words() -> re.Pattern[str]:
    words = [str(w).lower() for group in load_lexicon().get("body_talk") or [] for w in group]
    return re.compile(
        r"(?<![\w'])(?:"
        + "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))
        + r")(?![\w'])"
    )


# Fears and nerves about the procedure are answered, not checked: "I'm nervous, my belly is in knots".
_FEAR = re.compile(
    r"\b(?:nervous|scared|afraid|anxious|worried|dread|terrified|frightened|petrified|panicking about"
    r"|bang|doodsbang|zenuwachtig|ongerust|angstig"
    r"|zie er (?:erg |echt )?tegen op|"
    r"zie ertegen op|tegen op)\b"
)


@lru_cache(maxsize=1)
def _not_body_talk() -> re.Pattern[str] | None:
    phrases = [str(w).lower() for w in load_lexicon().get("body_talk_not") or []]
    if not phrases:
        return None
    return re.compile(
        r"(?<![\w'])(?:"
        + "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))
        + r")(?![\w'])"
    )


# A question about what to do or when ("should I take my piercing out?", "when can I use my cup
# again?", "waarom geen bad?") asks for advice: the leaflet answers it, the red-flag check does not.
# A question about a present state ("is it normal that my belly feels weird?") still gets the check.
_ADVICE_QUESTION = re.compile(
    r"^\W*(?:should|shoud|shall|can|could|may|do|does|will|would|when|how|where|why|which|what time"
    r"|wanneer|hoe|waar|waarom|welke|moet|mag|kan|kun|kunnen|zal|zou)\b"
)
_REPORTED_SPEECH = re.compile(
    r"\b(?:said|says|told me|zei|zegt|vertelde|showed|shows|toonde|liet zien|report says|verslag|came back"
    # "I was told my cervix is really tight": what someone found, not a symptom she feels now
    r"|was told|been told|were told|kreeg te horen|werd verteld|is mij verteld|according to"
    r"|volgens (?:de|mijn)"
    # "the radiologist mentioned a filling defect in my uterus": what a clinician found
    r"|(?:doctor|dr|gp|radiologist|nurse|gynae|gynaecologist|gynecologist|consultant|specialist|sonographer"
    r"|arts|dokter|huisarts|radioloog|gynaecoloog|gynecoloog|verpleegkundige|scan|echo|report|results?)"
    r"\s+(?:\w+\s+)?(?:mentioned|found|saw|noticed|spotted|wrote|noemde|vond|zag|schreef|sprak van))\b"
)
# What usually happens, or a question about what to do: findings said there are not a report
_HABITUAL = re.compile(
    r"\b(?:usually|normally|always|every month|meestal|normaal gezien|normaal gesproken|elke maand)\b"
    r"|(?<!nog )\baltijd\b"
    # "I get awful period cramps", "ik krijg altijd veel pijn bij mijn regels": what her periods are like
    r"|\b(?:i get|i suffer from|i always have|ik krijg|ik heb altijd|ik heb last van)\b[^.?!]{0,25}"
    r"\b(?:period|periods|menstrual|menstruatie|regels|ongesteldheid)\b"
    # "my periods last 7 days", "mijn regels duren een week": how her periods go, in the plural or present
    r"|\b(?:my periods|periods|my cycles?|mijn menstruaties|mijn regels|mijn maandstonden|mijn cyclus)\s+"
    r"(?:\w+\s+)?(?:last|are|go on|take|run|duren|duurt|zijn|is)\b"
)
_NOW_WORDS = re.compile(
    r"\b(?:now|today|this (?:morning|afternoon|evening|week)|right now|nu|vandaag|vanochtend|vanmorgen"
    r"|vanmiddag|sinds|since|still|nog steeds|nog altijd)\b"
)
# "my husband wants to know if …", "I was wondering whether …": a question in statement form
_WONDERING = re.compile(
    r"\b(?:wants? to know|would like to know|wondering|wil weten|vraag me af|vroeg me af)\b"
)
_STATE_WORDS = re.compile(
    r"\b(?:normal|normaal|worr\w*|concern\w*|zorgen|ongerust|erg|bad|serious|ernstig|ok|okay|oke|oké|"
    r"right now|nu|still|nog steeds)\b"
)


# A picture or an examination of an organ is the HSG itself, not a symptom ("a photo of my womb").
_PROCEDURE_ON_ORGAN = re.compile(
    r"\b(?:foto|röntgenfoto|x-ray|xray|picture|pictures|images?|scan|mri|echo|ultrasound|onderzoek|look at"
    r"|kijken naar|check)"
    r"\s+(?:van|of|at|naar|on)?\s*(?:mijn|my|de|the|m'n|her|haar|your|je|uw)\s+"
    r"(?:baarmoeder|womb|uterus|eileiders|tubes|buik|pelvis|bekken|belly|tummy)"
    r"(?:\s+(?:en|and)\s+(?:eileiders|tubes|baarmoeder|womb))?"
)


# Paperwork about a condition ("a sick note for my back problem", "een doktersbriefje voor mijn rug"):
# another service's business, not how her body is now
_PAPERWORK = re.compile(r"\b(?:" + PAPERWORK_PATTERN + r")\b")


def _body_talk(text: str) -> bool:
    """True when a clause speaks about the body or feeling unwell (broad: body parts, symptom verbs)."""
    if _PAPERWORK.search(text):
        return False
    not_body = _not_body_talk()
    if not_body is not None:
        text = not_body.sub(" ", text)
    text = _PROCEDURE_ON_ORGAN.sub(" ", text)
    return bool(_body_words().search(text))


_UNTIL_NOW = re.compile(
    r"\b(?:until now|till now|up to now|up till now|until today|tot nu(?: toe)?|tot vandaag|tot op vandaag)\b"
)


def _soft(clause: _Clause, ongoing: bool = False) -> bool:
    """A clause that asks what to do ("can I …?", "when may I …") or says what usually happens (not when
    the message says it goes on until now)."""
    if (clause.question and _ADVICE_QUESTION.search(clause.text)) or _WONDERING.search(clause.text):
        return True
    return bool(_HABITUAL.search(clause.text)) and not _NOW_WORDS.search(clause.text) and not ongoing


def _checkable(clause: _Clause) -> bool:
    """A clause that may get the red-flag check: about the body, and not a question asking for advice."""
    if not (clause.is_report and _body_talk(clause.text)):
        return False
    if _REPORTED_SPEECH.search(clause.text):
        return False  # "the doctor said my womb has a septum": a result to explain, not a symptom now
    return not clause.question or bool(_STATE_WORDS.search(clause.text))


def _redoc(pipe: _Pipeline, tokens: Any, words: list[str]) -> Any:
    from spacy.tokens import Doc

    return Doc(pipe.nlp.vocab, words=words, spaces=[bool(token.whitespace_) for token in tokens])


_SHORT_CLAUSE = 6
_INVERTED_FILLER = {
    "ben",
    "is",
    "was",
    "heb",
    "had",
    "voel",
    "ik",
    "me",
    "mij",
    "het",
    "er",
    "ook",
    "zeker",
    "echt",
}
_SCORE_OUT_OF_TEN = re.compile(r"\b\d{1,2}\s*(?:/|out of|op|uit)\s*10\b")
_PAIN_NOUNS = frozenset(
    {
        "cramps",
        "cramp",
        "cramping",
        "pain",
        "pains",
        "ache",
        "aches",
        "achy",
        "kramp",
        "krampen",
        "pijn",
        "pijnen",
    }
)
_KIND_WORDS = frozenset({"type", "like", "style", "ish", "sort", "achtige", "achtig", "soort"})


def _names_a_kind_of_pain(following: list[str]) -> bool:
    """The words after "period" make it an adjective of a pain: "period cramps", "period type pain",
    "period-like aches", "menstruatie-achtige krampen" (not "period and cramps")."""
    if following and following[0] in _PAIN_NOUNS:
        return True
    rest = [word for word in following if word not in {"-", "–"}]
    return len(rest) >= 2 and rest[0] in _KIND_WORDS and rest[1] in _PAIN_NOUNS


_PERIOD_COMPARISON = re.compile(
    r"\b(?:like|zoals|als)(?:\s+bij)?(?:\s+(?:a|an|een|mijn|my|de|the))?(?:\s+[\w']+){0,2}?\s+"
    r"(?:period|periods|menstruatie|regels|ongesteldheid|maandstonden)\b"
)
# A day of the cycle named by the period: "1st day of my period", "het begin van mijn menstruatie"
_CYCLE_REFERENCE = re.compile(
    r"\b(?:first|1st|eerste|begin|start|beginning|end|einde|laatste|day \d+|dag \d+|cd ?\d+)"
    r"\s+(?:day\s+|dag\s+)?(?:of|van)\s+(?:my|mijn|m'n|the|de|your|je|uw|a|een|her|haar)?$"
)
_PERIOD_WORDS = {
    "period",
    "periods",
    "menstruatie",
    "menstruaties",
    "regels",
    "ongesteldheid",
    "ongesteld",  # "krampjes, net als ongesteld": like being on a period
    "maandstonden",
    "menses",
}
_SENTENCE_END = {".", "!", "?"}
_SWEAT = re.compile(r"\b(?:sweat\w*|zweet\w*|rain|regen|shower|douche)\b")
_REFERS_BACK = re.compile(r"(?:(?:but|and|maar|en)\s+)?(?:it|it's|its|that|het|dat|da|'t)\s")
# Pain said of the procedure itself ("intense during", "tijdens het onderzoek heel pijnlijk") is the
# expected cramping of the test; how it is now is said in another clause.
_DURING_PROCEDURE = re.compile(
    r"\b(?:during|tijdens|while they (?:did|were doing) it|on the table|op de tafel|op het moment zelf)\b"
    r"(?![^.!?]*\b(?:now|nu|still|nog steeds|nog altijd|since|sinds)\b)"
)


def _attach_details(
    result: Extraction,
    details: list[tuple[_Span, _Clause, bool]],
    clause_symptoms: dict[int, set[str]],
    pending_ask: str | None,
    nearby: dict[int, set[str]] | None = None,
    message_text: str = "",
) -> None:
    """Heaviness, clots, severity: to the finding in the same clause, else the message's, else the ask."""
    facts = result.facts
    # a fluid said to be clear, with no word of blood: what soaks is the contrast leaving
    clear_not_blood = bool(_CLEAR_FLUID.search(message_text) and not _BLOOD_WORD.search(message_text))
    for span, clause, negated in details:
        if not clause.is_report or clause.history:
            continue  # a question's or a long-past episode's details say nothing about now
        labels = {label[2:] for label in span.labels if label.startswith("d:")}
        here = clause_symptoms.get(id(clause), set())
        # A detail in a clause of its own belongs to a finding elsewhere in the message only when the
        # clause is short ("it's heavy", "quite a lot"): in a long story "I'd read loads online" is not
        # about the bleeding mentioned three sentences later.
        reported = set(result.reported)
        short = len(clause.text.split()) <= _SHORT_CLAUSE
        anywhere = reported if short or nearby is None else (nearby.get(id(clause), set()) or set())
        if "bleeding" in here or "pain" in here:
            target = "bleeding" if "bleeding" in here else "pain"
        elif "discharge" in here or "discharge_bad" in here:
            target = "discharge"
        elif "bleeding" in anywhere and labels & {
            "heaviness_spotting",
            "heaviness_heavy",
            "heaviness_soaking",
            "clots",
            "increasing",
            "heaviness_normal",
        }:
            target = "bleeding"
        elif (
            "heaviness_soaking" in labels
            and "pain" not in here
            and not negated
            and _PAD_OR_TISSUE.search(message_text)
            and not _SWEAT.search(clause.text)
            and not reported & {"anticoagulant", "bleeding_disorder"}
            and not (clear_not_blood and not _PAD_RATE.search(clause.text))
        ):
            # "three pads in two hours, they're soaked through": pads soaked are bleeding, never the
            # cramps mentioned earlier in the message
            target = "bleeding"
            facts["bleeding"] = True
            result.reported.add("bleeding")
        elif "increasing" in labels and {"discharge", "discharge_bad"} & anywhere and "pain" not in anywhere:
            target = "discharge"  # "some clear fluid after the HSG. But it is more every day"
        elif "pain" in anywhere:
            target = "pain"
        elif "bleeding" in anywhere:
            target = "bleeding"
        elif pending_ask in ("heaviness", "severity", "duration", "pain_duration"):
            # an answer of severity to the duration question ("ondraaglijk", "heel erg") is used too
            target = "bleeding" if pending_ask in ("heaviness", "duration") else "pain"
        elif (
            (
                labels & {"heaviness_soaking", "clots"}
                or ("heaviness_heavy" in labels and re.search(r"period|menstruatie|ongesteld", clause.text))
            )
            and not negated
            # "a clot in my leg" on warfarin (or once on it: "used to be on Xarelto after a clot")
            and not (reported | result.asked_about) & {"anticoagulant", "bleeding_disorder"}
            and not (clear_not_blood and not _PAD_RATE.search(clause.text))
        ) or (
            "heaviness_spotting" in labels
            and not negated
            and _PAD_OR_TISSUE.search(clause.text)
            and not _ON_THE_SKIN.search(clause.text)  # "roze vlekjes op mijn armen" is the skin
        ):
            # "soaking a pad an hour" / "stolsels" is a bleeding report even without the word "blood"
            target = "bleeding"
            facts["bleeding"] = True
            result.reported.add("bleeding")
        else:
            target = None
        if target == "pain" and labels and labels <= {"heaviness_soaking", "clots"}:
            target = None  # "soaked" (in sweat) or clots never say how bad a pain is
        if "temp_word" in labels:
            continue
        if "passed" in labels and "dizzy" in anywhere and not negated:
            facts["dizzy_passed"] = True
        if target is None:
            continue
        if target == "pain" and "severe" in labels and _DURING_PROCEDURE.search(clause.text):
            continue  # "the cramping was intense during the test": expected then, not how it is now
        if target == "pain":
            comparison = _PERIOD_COMPARISON.search(clause.text)
            if comparison and span.text_lower in comparison.group(0):
                continue  # "a cramp like a heavy period" says what kind of pain, not how bad
        strong = labels & {"heaviness_heavy", "heaviness_soaking", "severe"}
        if target == "pain" and facts.get("pain_relieved") and "severe" not in labels:
            strong = set()  # "flinke pijn, met paracetamol bijna weg": eased by a painkiller
        weak = labels & {"heaviness_light", "heaviness_spotting", "mild", "heaviness_normal"}
        if negated:
            # "not heavy" / "niet hevig" says it is light; a negated light word says nothing.
            strong, weak, labels = set(), ({"heaviness_light", "mild"} if strong else set()), set()
        if target == "bleeding":
            for name in ("spotting", "light", "normal", "heavy", "soaking"):
                if f"heaviness_{name}" in labels or (negated and name == "light" and weak):
                    _raise(facts, "bleeding_heaviness", name, HEAVINESS)
            if "severe" in labels:
                _raise(facts, "bleeding_heaviness", "heavy", HEAVINESS)
            if "mild" in labels and not labels & {"heaviness_light", "heaviness_spotting"}:
                _raise(facts, "bleeding_heaviness", "light", HEAVINESS)
            if "clots" in labels:
                facts["clots"] = True
            if "increasing" in labels:
                facts["bleeding_increasing"] = True
            result.answered.add("heaviness")
        elif target == "pain":
            if "increasing" in labels and not negated:
                facts["pain_worsening"] = True  # "the pain is getting worse"
            if strong:
                _raise(facts, "pain_severity", "severe", SEVERITY)
            elif weak:
                _raise(facts, "pain_severity", "mild", SEVERITY)
            if strong or weak:
                result.answered.add("severity")
        elif target == "discharge" and "increasing" in labels:
            facts["discharge_increasing"] = True
            facts["discharge"] = True
            result.reported.add("discharge_increasing")
        elif target == "discharge" and "heaviness_spotting" in labels:
            # brown, pink or blood-tinged discharge is light bleeding: it counts for "more than 3 days"
            facts["bleeding"] = True
            result.reported.add("bleeding")
            _raise(facts, "bleeding_heaviness", "spotting", HEAVINESS)


# A reading that is hers, said inside a question: "is it ok that I have 37.8?", "mijn temp is 37,6, erg?"
_OWN_READING = re.compile(r"\b(?:i|i'm|im|i've|ive|my|me|mine|ik|mijn|m'n|mn|heb)\b")


def _numbers(
    result: Extraction, clauses: list[_Clause], spans: list[_Span], pending_ask: str | None, now: datetime
) -> None:
    """Temperatures and durations from report clauses (a hypothetical "above 38?" is not a reading)."""
    facts = result.facts
    temp_context = {
        i
        for i, clause in enumerate(clauses)
        for span in spans
        if clause.start <= span.start < clause.end
        and span.labels & {"c:fever", "c:feel_warm", "c:chills", "d:temp_word"}
    }
    # "is 37,5 koorts?", "does 37.8 count as a fever?": the fever word is what she asks about her own
    # reading, which the rules answer (under 38 is not a fever); said anywhere else it stays a finding
    low_reading_asks: set[int] = set()
    hours: float | None = None
    # "spotted on Thursday and Friday, nothing since Saturday": the bleeding is counted to the day it
    # stopped; pain keeps the plain reading
    ended = durations.bleeding_ended_days_ago(" , ".join(clause.text.lower() for clause in clauses), now)
    bleeding_hours: float | None = None
    for i, clause in enumerate(clauses):
        if not clause.is_report:
            continue
        reading = (
            None
            if clause.history
            else durations.temperature_c(
                # "I just took my temp, it's 100.9": the reading often follows the word in the next clause
                # (not one of a long-past illness: "in March I had covid with 39")
                clause.text,
                context=i in temp_context or i - 1 in temp_context or pending_ask == "temperature",
            )
        )
        if reading is not None:
            _max(facts, "temperature_c", reading)
            result.answered.add("temperature")
            if reading >= 38:
                facts["fever"] = True
                result.reported.add("fever")
            else:
                if reading >= 37 and (not clause.question or _OWN_READING.search(clause.text)):
                    # "37,5 graden, verder voel ik me goed": a raised reading she took is a report too
                    # (not a normal one, "temp is 36.6, all fine?", nor a question about a threshold:
                    # "does 37.8 count, or only from 38?")
                    result.reported.add("temperature")
                if clause.question:
                    low_reading_asks.add(i)
        # "my period always lasts six days": how long it usually lasts, not how long it has lasted now
        habit = bool(_HABITUAL.search(clause.text)) and not _NOW_WORDS.search(clause.text)
        found = None if habit else durations.duration_hours(clause.text, now)
        # "onderzoek was vorige week donderdag" (168 hours by "week"): a clause that only dates the HSG
        # gives no symptom a length longer than the time since the HSG (the engine counts from the date)
        since_day = (
            durations.hours_since_hsg(durations.hsg_date_from_text(clause.text, now), now)
            if found is not None
            else None
        )
        if (
            found is not None
            and since_day is not None
            and found > since_day
            and not any(
                clause.start <= span.start < clause.end
                and any(label.startswith("c:") for label in span.labels)
                for span in spans
            )
        ):
            found = None
        if found is None and pending_ask in ("duration", "pain_duration"):
            bare = re.fullmatch(r"\s*(?:about |around |ongeveer |al )?(\d{1,2})\s*", clause.text)
            if bare:
                found = float(bare.group(1)) * 24
        if found is not None:
            hours = found if hours is None else max(hours, found)
            if ended is not None and not habit:
                found = durations.duration_hours(
                    durations.without_end_day(clause.text), now, ended_days_ago=ended
                )
            if found is not None:
                bleeding_hours = found if bleeding_hours is None else max(bleeding_hours, found)
    fever_clauses = {
        i
        for i, clause in enumerate(clauses)
        if clause.is_report
        and any(clause.start <= span.start < clause.end and "c:fever" in span.labels for span in spans)
    }
    asked_of_reading = {
        i
        for i in fever_clauses
        if i in low_reading_asks
        # "from what number is it a fever, is 37.6 already one?": the word in the clause next to it
        or ({i - 1, i + 1} & low_reading_asks and not _OWN_READING.search(clauses[i].text))
    }
    if (
        fever_clauses
        and fever_clauses <= asked_of_reading
        and (facts.get("temperature_c") or 0) < 38
        and "chills" not in result.reported
    ):
        facts.pop("fever", None)
        result.reported.discard("fever")
        result.asked_about.add("fever")
    if ended is not None and "bleeding" in result.reported:
        facts["bleeding_ended_days"] = ended
    if hours is not None:
        targets = [name for name in ("bleeding", "pain") if name in result.reported]
        if not targets and pending_ask in ("duration", "pain_duration"):
            targets = ["bleeding" if pending_ask == "duration" else "pain"]
        for name in targets:
            _max(
                facts,
                f"{name}_hours",
                bleeding_hours if name == "bleeding" and bleeding_hours is not None else hours,
            )
            result.answered.add("duration" if name == "bleeding" else "pain_duration")
        if not targets:
            facts["any_hours"] = hours
