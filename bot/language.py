"""Which language a patient writes in (English or Dutch), and explicit requests to switch.

Rule-based on purpose: it must run inside the Rasa server on every message in well under a
millisecond, and its behaviour must be explainable. Short or ambiguous messages ("ok", "38.5", an
emoji) give no answer, so the conversation keeps the language it had.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_WORD = re.compile(r"[a-zà-ÿ']+")

# Frequent words that are typical of one language and rare in the other.
_NL = frozenset(
    """
    ik je u jij het de een en niet geen mijn mij me wat hoe waarom wanneer welke wie waar mag kan kun kunt
    moet moeten ben bent is zijn heb heeft hebben was waren nog al ook maar dus dan daar hier deze dit dat
    na voor bij met zonder van op naar uit over tot sinds dag dagen uur week weken graag alstublieft aub
    bedankt dank dankjewel dankuwel hallo hoi goedemorgen goedemiddag goedenavond doei tot ziens ja nee
    pijn koorts bloed bloeding bloedverlies buikpijn krampen zwanger zwangerschapstest onderzoek eileiders
    baarmoeder menstruatie ongesteld afscheiding vrijen seks tampon maandverband verzekering kosten
    uitslag uitslagen rijden werken bad douche zwemmen allergisch straling hoelang lang erg heel veel
    weinig beetje nou even gisteren vandaag morgen eergisteren vanaf sinds afgelopen vorige volgende
    wordt word gaat ga doet doen zou zal hebt welk mogen zeggen vertellen neem nemen slik pijnstiller
    """.split()
)
_EN = frozenset(
    """
    i you the a an and not no my me what how why when which who where may can could should must am are
    is be have has had was were still also but so then there here this that these those after before
    with without of on to from over until since day days hour hours week weeks please thanks thank
    hello hi hey morning evening bye goodbye yes yeah pain fever blood bleeding cramps cramping pregnant
    test exam tubes womb uterus period discharge sex tampon pad insurance cost price results drive work
    bath shower swim allergic radiation long much little bit yesterday today tomorrow last next it its
    i'm i've it's don't can't does do did will would take taking get getting got feel feeling very
    really bad just about is there any
    """.split()
)

# A few very common words of languages the assistant does not speak, to answer those honestly.
_OTHER = frozenset(
    """
    bonjour merci vous voudrais est les des une oui pas pour avec mais très je suis j'ai
    ich nicht und bitte danke habe sie ist das der die ein eine mit auch schmerzen
    hola gracias por favor que tengo estoy los las una muy dolor
    merhaba teşekkür nasıl var bir ve için ağrı
    """.split()
)

_LANG_NAMES = {
    "en": re.compile(r"\b(english|engels|engelse|engels?talig)\b", re.IGNORECASE),
    "nl": re.compile(r"\b(dutch|nederlands|nederlandse|vlaams|nederlandstalig)\b", re.IGNORECASE),
}
_REQUEST_CUE = re.compile(
    r"\b(in|speak|talk|write|answer|reply|respond|switch|change|continue|use|please|pls|graag|kan|kun|kunt|"
    r"spreek|spreekt|praat|schrijf|antwoord|verder|liever|can|could|do|doe)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class LanguageGuess:
    """`lang` is "en", "nl", "other" (a language we do not speak) or None (unknown).

    `explicit` is True when the patient asked for the language.
    """

    lang: str | None
    explicit: bool = False


def requested_language(text: str) -> str | None:
    """The language a patient explicitly asks for ("in English please", "graag in het Nederlands")."""
    lowered = text.lower()
    if len(lowered) > 200:
        return None
    hits = [lang for lang, pattern in _LANG_NAMES.items() if pattern.search(lowered)]
    if len(hits) != 1:
        return None
    words = _WORD.findall(lowered)
    if len(words) <= 3 or _REQUEST_CUE.search(lowered):
        return hits[0]
    return None


def detect_language(text: str) -> LanguageGuess:
    """Guess the language of one message; explicit requests win over word counts."""
    requested = requested_language(text)
    if requested:
        return LanguageGuess(requested, explicit=True)
    words = _WORD.findall(text.lower()[:2000])
    if not words:
        return LanguageGuess(None)
    nl = sum(1 for word in words if word in _NL)
    en = sum(1 for word in words if word in _EN)
    # Dutch spelling cues that English words practically never have.
    nl += sum(1 for word in words if re.search(r"(ij|oe|ui|aa|uu|sch)", word) and word not in _EN) * 0.5
    other = sum(1 for word in words if word in _OTHER)
    if other >= 2 and other > max(nl, en):
        return LanguageGuess("other")
    if nl == en or max(nl, en) < 1:
        return LanguageGuess(None)
    if abs(nl - en) < 1:
        return LanguageGuess(None)
    return LanguageGuess("nl" if nl > en else "en")
