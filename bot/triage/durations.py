"""Durations, temperatures and the HSG phase as patients write them, in English and Dutch.

Regular expressions plus python-dateutil for weekday arithmetic. Every function returns None when it
does not recognise anything: a missing detail makes the engine ask (or keep the safer level), a wrong
one could lower a level, so nothing here guesses.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from dateutil.relativedelta import FR, MO, SA, SU, TH, TU, WE, relativedelta

from bot.dates import NUMBER_WORDS, parse_date

_NUMBER_WORDS = {
    **NUMBER_WORDS,
    "a couple of": 2,
    "couple of": 2,
    "a couple": 2,
    "a few": 3,
    "few": 3,
    "een paar": 3,
    "paar": 3,
    "enkele": 3,
    "several": 4,
    "meerdere": 4,
    "anderhalve": 1.5,
    "anderhalf": 1.5,
}
_UNIT_HOURS = {
    "hour": 1,
    "hours": 1,
    "hr": 1,
    "hrs": 1,
    "h": 1,
    "uur": 1,
    "uren": 1,
    "day": 24,
    "days": 24,
    "dag": 24,
    "dagen": 24,
    "night": 24,
    "nights": 24,
    "nacht": 24,
    "nachten": 24,
    "week": 168,
    "weeks": 168,
    "weken": 168,
    "month": 720,
    "months": 720,
    "maand": 720,
    "maanden": 720,
}
_NUM = "|".join(sorted((re.escape(word) for word in _NUMBER_WORDS), key=len, reverse=True))
_UNIT = "|".join(sorted(_UNIT_HOURS, key=len, reverse=True))
# "4 and a half days", "vier en een halve dag", "a day and a half", "twee dagen en een half"
_HALF = r"(?:and a half|en een halve?|en half|½)"
_DURATION = re.compile(
    rf"(?<![\w/.,])(\d+(?:[.,]\d+)?|{_NUM})\s*(?:({_HALF})\s+)?(?:more\s+|whole\s+|full\s+|hele\s+)?"
    rf"({_UNIT})\b(\s+{_HALF}\b)?"
    # "two night pads", "3 nachtverbanden": a kind of pad, not a time
    r"(?!\s*(?:time\s+)?(?:pads?|towels?|maandverband|verband))"
)
# Words before a number that make it a rate or a future time, not how long a symptom has lasted.
_NOT_DURATION_BEFORE = re.compile(
    r"(?:pad|pads|every|each|per|elk|elke|ieder|iedere|within|binnen|in|over|maandverband|verband"
    # "om negen uur", "om de 2 uur": a time of day or a rate ("om" never starts a length of time)
    r"|\bom|\bom de"
    # "what a day!", "pff wat een dag": an exclamation about the day, not how long something lasted
    r"|\bwhat|\bwat)\s*$"
)

# "two weeks before the procedure", "3 dagen voor het onderzoek": when something was, not how long
_POINT_BEFORE = re.compile(
    r"\s+(?:before|prior to|earlier than|ahead of|voor(?:dat|\s+(?:de|het|mijn|m'n|mn)\s+"
    r"(?:hsg|onderzoek|foto|procedure|test|scan)))\b"
)

# "sinds elf uur", "vanaf 9 uur": since a time of day (a length is "al 3 uur"); "sinds 3 dagen" (Flemish
# for "for 3 days") stays a length
_SINCE_CLOCK_BEFORE = re.compile(r"\b(?:sinds|vanaf)\s*$")

_RELATIVE_HOURS = [
    (re.compile(r"\b(?:day before yesterday|eergisteren)\b"), 48),
    (re.compile(r"\b(?:since yesterday|sinds gisteren|since last night)\b"), 24),
    (re.compile(r"\b(?:yesterday|gisteren|last night|vannacht|gisteravond|overnight)\b"), 12),
    (re.compile(r"\b(?:this morning|vanochtend|vanmorgen|sinds vanochtend|sinds vanmorgen)\b"), 6),
    (re.compile(r"\b(?:since last week|sinds vorige week|last week|vorige week|afgelopen week)\b"), 168),
    (
        re.compile(r"\b(?:since last month|sinds vorige maand|sinds afgelopen maand|sinds verleden maand)\b"),
        720,
    ),
]
_WEEKDAYS = {
    "monday": MO,
    "tuesday": TU,
    "wednesday": WE,
    "thursday": TH,
    "friday": FR,
    "saturday": SA,
    "sunday": SU,
    "maandag": MO,
    "dinsdag": TU,
    "woensdag": WE,
    "donderdag": TH,
    "vrijdag": FR,
    "zaterdag": SA,
    "zondag": SU,
}
_SINCE_WEEKDAY = re.compile(
    r"\b(?:since|sinds|from|vanaf|started on|begon op|began on|on|op|last|vorige|afgelopen)\s+"
    r"(?:last\s+|vorige\s+)?(" + "|".join(_WEEKDAYS) + r")\b"
)
_SINCE_DATE = re.compile(
    r"\b(?:since|sinds|vanaf|from|started on|begon op)\s+(?:the\s+)?"
    r"(\d{1,2}(?:st|nd|rd|th)?\s+[a-z]+|[a-z]+\s+\d{1,2}(?:st|nd|rd|th)?\b|\d{1,2}[/.-]\d{1,2})"
)
_SINCE_HSG = re.compile(
    r"\b(?:since|sinds|ever since|after|na)\s+(?:the|my|an|de|mijn|het)\s+"
    r"(?:hsg|procedure|test|scan|exam|x-ray|onderzoek|foto|behandeling)\b|\bsince then\b|\bsindsdien\b"
    # "still" says it has gone on all along: with the HSG date known, that is since the HSG
    r"|\b(?:still|nog steeds|nog altijd|the whole time|all the time|de hele tijd|heel de tijd|al die tijd)\b"
    # "every day since", "elke dag sinds": the days since the HSG
    r"|\b(?:every (?:single )?day since|each day since|every day after|elke dag sinds|elke dag na"
    r"|sindsdien elke dag"
    r"|ever since)\b"
)

_TEMPERATURE = re.compile(
    r"(?<![\w/.,])(\d{2,3}(?:[.,]\d{1,2})?)\s*"
    r"(°\s*[cf]?|º\s*[cf]?|degrees?(?:\s*(?:c|celsius|f|fahrenheit))?|graden(?:\s*celsius)?|celsius|fahrenheit|c|f)?"
    r"(?![\w/])"
)
# A bound said below a number ("just under 38", "not quite 38", "bijna 38", "net onder de 38") is a
# reading just under it: 37.9, below the fever line, while "almost 39" stays a fever.
_BELOW_BOUND = re.compile(
    r"\b(?:under|below|less than|lower than|not quite|not even|almost|nearly|just short of|onder|"
    r"beneden|minder dan|lager dan|bijna|nog geen|net geen|niet eens|net niet)\s+(?:de\s+|the\s+)?$"
)

_BEFORE = re.compile(
    r"\b(?:before (?:my|the|an) (?:hsg|test|procedure|scan|exam|appointment)"
    r"|(?:hsg|test|procedure|appointment|scan) (?:is|will be)"
    r" (?:tomorrow|next|on|in|scheduled|booked|planned)"
    r"|(?:tomorrow|next week|next month|soon|next \w+day) i (?:have|get|will have|am having)"
    r"|i(?:'m| am) (?:having|getting) (?:my|an|the) (?:hsg|test|procedure)"
    r"|(?:have|having|getting) (?:my|an|the) hsg (?:tomorrow|next|on|in|soon)"
    r"|i will have|scheduled for|booked for|upcoming|coming up"
    r"|(?:haven't|have not|not yet) had (?:my|the|an) (?:hsg|test|procedure)"
    r"|voor (?:mijn|de|het) (?:hsg|onderzoek|afspraak|foto)"
    r"|(?:morgen|morgenochtend|morgenvroeg|morgenmiddag|morgenavond|volgende week|binnenkort|overmorgen)"
    r" (?:heb|krijg|is|ga)"
    r"|(?:heb|krijg) (?:ik )?(?:morgenochtend|morgenvroeg|morgenmiddag|tomorrow morning)"
    r"|(?:heb|krijg) (?:ik )?(?:morgen|volgende week|binnenkort|overmorgen)"
    r"|(?:hsg|onderzoek|afspraak) is (?:morgen|volgende|op|over|binnenkort)"
    r"|nog niet gehad|gepland|ingepland"
    r"|(?:hsg|test|procedure|appointment|onderzoek|afspraak|foto) (?:is|staat)"
    r" (?:this|next|on|op|voor|deze|volgende)"
    r"|(?:hsg|test|procedure|onderzoek|foto) in \d+ (?:days?|weeks?)"
    r"|(?:hsg|onderzoek) over \d+ (?:dagen|weken)"
    # "heb over 2 dagen de HSG", "in two days I have my HSG", "over een week is het onderzoek"
    r"|(?:over|in) (?:\d+|een|twee|drie|vier|vijf|zes|zeven|acht|negen|tien|een paar|a|one|two|three|four"
    r"|five|six|seven|a few|a couple of)"
    r" (?:dagen|dag|weken|week|days?|weeks?)(?:'s time| time)? (?:(?:i|ik|is|heb|krijg|have|get|comes|staat"
    r"|will be|it's|het)\s+){0,3}(?:de |het |mijn |m'n |my |the |an? )?(?:hsg|onderzoek|foto|procedure)"
    r"|(?:volgende week|next week|morgen|tomorrow|overmorgen|deze week|this week)"
    r" (?:de |het |mijn |my |the )?(?:hsg|onderzoek|foto)"
    r"|booked in|booking (?:my|the|an) (?:hsg|test|appointment)|(?:hsg|onderzoek|afspraak) is overmorgen"
    r"|(?:hsg|test|appointment|procedure|onderzoek|afspraak) is"
    r" (?:this afternoon|this evening|later today|tonight"
    r"|in an hour|in a few hours|vanmiddag|vanavond|straks|later vandaag|over een uur|over een paar uur)"
    r"|should i still come|kan de hsg (?:gewoon )?doorgaan|mag de hsg doorgaan"
    # "it's not done yet", "die is nog niet gebeurd", "the day after tomorrow", "pas volgende week"
    r"|not (?:done|happened|been done) yet|hasn't (?:happened|been done)|has not (?:happened|been done)"
    r"|nog niet (?:gebeurd|geweest|gedaan)|day after tomorrow|is pas (?:volgende|komende|over|op|morgen))\b"
)
# done with: "klaar", "over" only where nothing follows ("HSG over twee weken" is two weeks ahead)
_DONE_WORD = (
    r"(?:done|finished|gedaan|klaar|achter de rug|over(?=\s*(?:$|[.,!?;]|now\b|and\b|en\b|nu\b|al\b)))"
    r"(?!\s+(?:under|with|by|in|at|on|using|onder|met|door|op|bij|tomorrow|morgen|next|volgende))"
)
_AFTER = re.compile(
    r"\b(?:(?<!until )(?<!till )(?<!til )after (?:my|the|an|the) (?:hsg|test|procedure|scan|exam|x-ray)"
    r"|(?<!until )(?<!till )(?<!til )after hsg"
    r"|(?:since|ever since) (?:my|the) (?:hsg|test|procedure|scan)"
    r"|(?:had|did|(?<!'ve )(?<!have )(?<!has )(?<!ive )got) (?:my|the|an) (?:hsg|test|procedure|scan)"
    r"|(?:hsg|procedure|scan) (?:was|yesterday|today|this morning|earlier)"
    # (a pregnancy or covid test "was faint / positive / negative" is not the HSG done)
    r"|test (?:was(?! (?:\w+ )?(?:faint|positive|negative|pos|neg)\b)|yesterday|today|this morning|earlier)"
    r"|days? after(?! tomorrow)|hours? after|post[- ]?hsg|afterwards"
    r"|(?:hsg|test|procedure|scan|onderzoek|foto)\b[^.!?]{0,25}"
    r"\b(?:hours?|hrs?|days?|weeks?|uur|uren|dag|dagen|week|weken|minutes?|minuten)\s+(?:ago|geleden)"
    r"|na afloop|(?<!tot )(?<!tot net )na (?:de|mijn|het|die|dat|m'n)"
    r" (?:hsg|onderzoek|foto|behandeling|eileiderfoto|test|procedure"
    r"|röntgenfoto|rontgenfoto|inspuiting|contrastfoto)"
    r"|sinds (?:de|mijn|het) (?:hsg|onderzoek)"
    r"|(?:hsg|onderzoek|foto) (?:gehad|was|gisteren|vandaag|vanochtend)"
    r"|(?:gisteren|vandaag|vanochtend|eergisteren) (?:de |mijn |het )?(?:hsg|onderzoek)"
    # Flemish "ze is vanmorgen geweest voor de HSG": went for it (not "before" it)
    r"|(?:geweest|gegaan) voor (?:de|het|mijn|m'n|haar) (?:hsg|onderzoek|foto|eileiderfoto)"
    # ... and in the other word order: "ik ben deze voormiddag voor de HSG geweest"
    r"|(?:ben|is|was|zijn) (?:\w+ ){0,3}voor (?:de|het|mijn|m'n|haar) (?:hsg|onderzoek|foto|eileiderfoto)"
    r" (?:geweest|gegaan)"
    # "procedure done, just crampy" (opening a clause), "the hsg is over", "onderzoek is klaar / achter de
    # rug"; not "wants the HSG done on the 3rd" nor "is the procedure done under sedation?"
    r"|(?:^|(?<=[.,!?;\n] )|(?<=[.,!?;\n]))(?:the |my |de |het |mijn )?"
    r"(?:hsg|procedure|onderzoek|eileiderfoto) (?:all |al )?"
    + _DONE_WORD
    + r"|(?:hsg|procedure|onderzoek|eileiderfoto) (?:is|was|is al|is all) "
    + _DONE_WORD
    + r")\b"
)


_EN_UNITS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
}
_NL_UNITS = {
    "een": 1,
    "twee": 2,
    "drie": 3,
    "vier": 4,
    "vijf": 5,
    "zes": 6,
    "zeven": 7,
    "acht": 8,
    "negen": 9,
}
_EN_TENS = {"thirty": 30, "forty": 40}
_DIGIT_WORD = {**_EN_UNITS, **_NL_UNITS, "zero": 0, "nul": 0, "oh": 0}
_SPOKEN_TEMP_EN = re.compile(
    r"\b(thirty|forty)[\s-]?("
    + "|".join(_EN_UNITS)
    + r")?(?:\s+(?:point|dot|comma)\s+("
    + "|".join(_DIGIT_WORD)
    + r"))?\b"
)
_SPOKEN_TEMP_NL = re.compile(
    r"\b(?:("
    + "|".join(_NL_UNITS)
    + r")en)?(dertig|veertig)(?:\s+(?:(?:komma|punt)\s+)?("
    + "|".join(_DIGIT_WORD)
    + r"))?\b"
)
_HALF = re.compile(r"\b(3[4-9]|4[0-2])\s+(?:en een half|and a half|en half)\b")
_SPOKEN_DECIMAL = re.compile(r"\b(3[4-9]|4[0-2])\s+(?:komma|punt|point|comma)\s+(\d)\b")
_HUNDRED_F = re.compile(r"\b(?:a\s+)?hundred(?:\s+and)?\s+(" + "|".join(_EN_UNITS) + r")\b")


def number_words_to_digits(text: str) -> str:
    """Temperatures written in words as digits: "thirty eight point two" -> "38.2",
    "achtendertig komma vijf" -> "38.5", "a hundred and one" -> "101"."""

    def en(match: re.Match[str]) -> str:
        value = _EN_TENS[match.group(1)] + _EN_UNITS.get(match.group(2) or "", 0)
        return f"{value}.{_DIGIT_WORD[match.group(3)]}" if match.group(3) else str(value)

    def nl(match: re.Match[str]) -> str:
        value = {"dertig": 30, "veertig": 40}[match.group(2)] + _NL_UNITS.get(match.group(1) or "", 0)
        return f"{value},{_DIGIT_WORD[match.group(3)]}" if match.group(3) else str(value)

    text = _SPOKEN_TEMP_EN.sub(en, text)
    text = _SPOKEN_TEMP_NL.sub(nl, text)
    text = _HALF.sub(lambda m: f"{m.group(1)},5", text)  # "38 en een half", "38 and a half"
    text = _SPOKEN_DECIMAL.sub(lambda m: f"{m.group(1)},{m.group(2)}", text)  # "38 komma 1"
    return _HUNDRED_F.sub(lambda m: str(100 + _EN_UNITS[m.group(1)]), text)


_NUM_OR_WORD = r"(\d+(?:[.,]\d+)?|" + _NUM + r")"
_PAD = r"(?:pads?|maxi ?pads?|towels?|maandverband(?:en)?|verband(?:en)?|nachtverband(?:en)?)"
_EVERY_MINUTES = re.compile(
    r"\b(?:every|each|elke|ieder|iedere|om de)\s+" + _NUM_OR_WORD + r"\s*(?:min|mins|minutes|minuten)\b"
)
# "... in about 2 and a half hours", "... binnen het afgelopen uur": groups (hours) (half) (and a half)
_IN_HOURS = (
    r"(?:\s+[a-z']+){0,6}?\s+(?:in|within|binnen|op)\s+(?:(?:the|de)\s+)?"
    r"(?:(?:last|past|afgelopen)\s+)?"
    r"(?:(?:about|around|roughly|ongeveer|zo'n|under|less than|minder dan)\s+)?"
    r"(?:(?:an?|een)\s+)?"
    + _NUM_OR_WORD
    + r"?\s*(?:(and a half|en een half|half)\s+)?(hours?|uur|uren)\b(\s+and a half|\s+en een half)?"
)
# "3 pads in 2 hours", "two night pads and now a bath towel in about an hour and a half"
_PADS_IN_HOURS = re.compile(_NUM_OR_WORD + r"\s+(?:[a-z]+\s+){0,2}" + _PAD + _IN_HOURS)
# "changed pad three times in the last two hours", "mijn verband 3 keer verschoond in 2 uur"
_PAD_CHANGES_IN_HOURS = re.compile(
    _PAD
    + r"\s+(?:(?:al|already|now|nu|about|around|ongeveer|zo'n)\s+)?"
    + _NUM_OR_WORD
    + r"\s*(?:times|x|keer|maal)"
    + _IN_HOURS
)
_WITHIN_HOUR = re.compile(
    r"\b(?:within|in|binnen)\s+(?:less than\s+|under\s+|minder dan\s+)?(?:an?|one|1|een|half an?|een half)"
    r"\s+(?:hour|uur)\b"
)
_HOURLY = re.compile(
    r"\b(?:every|each|per|elk|elke|ieder|iedere|an)\s+(?:half\s+(?:an\s+)?)?(?:hour|uur)\b|\bhourly\b"
)
_PAD_WORD = re.compile(
    r"\b(?:vol|volle|full|soaked|doorweekt|through|door|change|verschonen|new|nieuw|nieuwe)\b"
)


def _value(raw: str | None) -> float | None:
    if raw is None:
        return None
    if raw in _NUMBER_WORDS:
        return float(_NUMBER_WORDS[raw])
    try:
        return float(raw.replace(",", "."))
    except ValueError:
        return None


def soaking_rate(text: str) -> bool:
    """A pad soaked within about an hour, worked out from how it is said: "a pad every 45 minutes",
    "3 maxi pads in 2 and a half hours", "binnen een uur is het verband vol", "elk uur een vol verband"."""
    pads = bool(re.search(r"\b" + _PAD + r"\b", text))
    for match in _EVERY_MINUTES.finditer(text):
        minutes = _value(match.group(1))
        if minutes is not None and minutes <= 60 and pads:
            return True
    for match in [*_PADS_IN_HOURS.finditer(text), *_PAD_CHANGES_IN_HOURS.finditer(text)]:
        count, hours = _value(match.group(1)), _value(match.group(2)) if match.group(2) else 1.0
        if count is None or hours is None:
            continue
        if match.group(3) or match.group(5):
            hours += 0.5
        if count >= 2 and count / max(hours, 0.5) >= 1:
            return True
    return bool(pads and (_WITHIN_HOUR.search(text) or _HOURLY.search(text)) and _PAD_WORD.search(text))


_SCORE = re.compile(r"\b(\d{1,2})\s*(?:/|out of|op|uit)\s*10\b")


def pain_score(text: str) -> str | None:
    """ "9 out of 10", "8/10", "7 op 10": severe from 7, mild up to 4."""
    for match in _SCORE.finditer(text):
        score = int(match.group(1))
        if score <= 10:
            return "severe" if score >= 7 else "mild" if score <= 4 else None
    return None


_HSG_WORD = r"(?:hsg|test|procedure|onderzoek|foto|x-ray|dye test|kleurstoftest|scan)"
# A day and a part of it in one Dutch word ("gisterochtend"), or the Flemish "deze morgen" (this morning):
# the day they name, for the HSG's date; the part of the day gives its hour (_PART_OF_DAY)
_DAY_PART_DAYS = {
    "gisterochtend": "gisteren",
    "gistermorgen": "gisteren",
    "gistermiddag": "gisteren",
    "gisteravond": "gisteren",
    "deze morgen": "vandaag",
    "deze ochtend": "vandaag",
    "deze middag": "vandaag",
    "vanmiddag": "vandaag",
    # Flemish: the "voormiddag" is the morning, the "namiddag" the afternoon
    "deze voormiddag": "vandaag",
    "vanvoormiddag": "vandaag",
    "deze namiddag": "vandaag",
    "vannamiddag": "vandaag",
    "gistervoormiddag": "gisteren",
    "gisternamiddag": "gisteren",
}
_DAY_PART_WORDS = "|".join(sorted(_DAY_PART_DAYS, key=len, reverse=True))
_HSG_ON_DAY = re.compile(
    r"\b"
    + _HSG_WORD
    # "my HSG appointment is Friday", "de HSG-afspraak is vrijdag"
    + r"(?:[\s-]?(?:appointment|afspraak|slot|date|datum))?"
    + r"\s+(?:(?:was|is|on|op|van|of|staat|staat op|staat voor|gepland op|gepland voor|is on|was on|is op"
    r"|was op)"
    r"\s+)*"
    # "the HSG of Wednesday", "de HSG van vorige week dinsdag", "my HSG was last week Tuesday"
    r"(?:the\s+)?(?:(?:this|next|last|deze|volgende|vorige|afgelopen|komende|aanstaande)\s+(?:week\s+)?)?"
    r"(day after tomorrow|monday|tuesday|wednesday|thursday|friday|saturday|sunday"
    r"|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun|"
    r"maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag|today|yesterday|tomorrow|vandaag|gisteren|"
    r"eergisteren|morgen|overmorgen|this morning|vanochtend|vanmorgen|gister|yday|" + _DAY_PART_WORDS + r")\b"
)
_DAY_HSG = re.compile(
    r"\b(today|yesterday|yday|gisteren|gister|eergisteren|vandaag|vanochtend|vanmorgen|this morning|"
    + _DAY_PART_WORDS
    + r"|monday|tuesday|wednesday|thursday|friday|saturday|sunday"
    r"|maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag)(?:'s)?"
    r"\s+(?:de |het |mijn |my |the )?"
    + _HSG_WORD
    + r"\b|\b"
    + _HSG_WORD
    + r"\s+(?:van\s+)?(gisteren|vandaag|vanochtend|vanmorgen|eergisteren|"
    + _DAY_PART_WORDS
    + r")\b"
)
_BOOKED_DAY = re.compile(
    r"\b(?:booked in for|booked for|booked on|booked in on|scheduled for|scheduled on|planned for|planned on"
    r"|gepland op|gepland voor|ingepland op|ingepland voor|afspraak op|appointment on"
    r"|coming on|come on|kom op|come in on)\s+(?:this\s+|next\s+|deze\s+|volgende\s+)?"
    r"(monday|tuesday|wednesday|thursday|friday|saturday|sunday"
    r"|maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag)\b"
)
_HAD_IT_ON = re.compile(
    r"\b(?:had|got) (?:mine|it done|hers)\s+(?:on\s+)?(?:last\s+)?"
    r"(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b"
)
# "the hsg was on the 18th", "had my hsg on 18 november", "de hsg was op de 18e"
_MONTHS = (
    r"january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr"
    r"|jun|jul|aug|sep|sept|oct|nov|dec|januari|februari|maart|mei|juni|juli|augustus|oktober"
)
# "the HSG was on the 20th (of November)": the word after the day only counts when it is a month
# ("was on the 20th and I have been spotting" is the 20th of this or last month)
_HSG_ON_DATE = re.compile(
    r"\b" + _HSG_WORD + r"\s+(?:(?:was|is|on|op|van|staat|gepland)\s+)+(?:the\s+|de\s+)?"
    r"(\d{1,2})(?:st|nd|rd|th|e|ste|de)?\b"
    # a clock time or a count is not a day: "de hsg van 2 uur", "hsg was 5 hours ago", "at 10:30"
    r"(?!\s*(?:uur|u\b|h\b|hours?|hrs?|o'?clock|am\b|pm\b|[:.]\d|minutes?|minuten|min\b|days?|dagen|dag\b"
    r"|weeks?|weken|ago|geleden))"
    r"(?:\s+(?:of\s+)?(" + _MONTHS + r")\b)?"
)
_ABBREV = {
    "mon": "monday",
    "tue": "tuesday",
    "tues": "tuesday",
    "wed": "wednesday",
    "thu": "thursday",
    "thur": "thursday",
    "thurs": "thursday",
    "fri": "friday",
    "sat": "saturday",
    "sun": "sunday",
    "yday": "yesterday",
    "gister": "gisteren",
    **_DAY_PART_DAYS,
}
_CLAUSE_END = re.compile(r"[,.;:!?]|\b(?:and|en|but|maar|so|dus)\b")
_FUTURE_CUE = re.compile(
    r"\b(?:getting ready for|ready for|preparing for|prepare for|voorbereiden|voor te bereiden|"
    r"will|going to|booked|scheduled|next|coming|upcoming|tomorrow|is on|is this|staat|gepland|volgende|"
    r"komende|"
    r"aanstaande|morgen|overmorgen|krijg|krijgt|heb ik|heeft|hebt|has|is op|wordt|should i still come|kom|is"
    r"|staat)\b"
)
_PAST_CUE = re.compile(
    # ("I've got an HSG booked on Friday": "have got" is having, not the past)
    r"(?<!'ve )(?<!have )(?<!has )(?<!'s )(?<!ive )\bgot\b"
    r"|\b(?:had|was|did|done|gehad|geweest|gedaan|kreeg|ago|geleden|since|sinds|after|na)\b"
    r"|\b(?:is|komt) (?:dat|dit|het) (?:van|door)\b|\b(?:from|because of|caused by) (?:the|my) hsg\b"
)


def _tense_window(text: str, match: re.Match[str]) -> str:
    """The words that give the tense of a date: a few before it, and after it up to the end of its
    clause ("getting ready for my HSG on Friday and had a couple of questions": "had" is another
    clause's verb)."""
    after = _CLAUSE_END.split(text[match.end() : match.end() + 10], maxsplit=1)[0]
    before = _CLAUSE_END.split(text[max(0, match.start() - 40) : match.start()])[-1]
    before = " ".join(before.split()[-4:])
    return f"{before} {text[match.start() : match.end()]}{after}"


def hsg_date_from_text(text: str, now: datetime) -> date | None:
    """The date of the HSG when the message gives it by a day name or a relative day:
    "HSG was Sunday", "had the HSG on Wednesday", "de HSG staat voor woensdag", "since yesterday's HSG",
    "I'm booked in for Friday". Past or future follows the tense. A day name with no tense at all
    ("ik neem sintrom, is dat erg voor de hsg donderdag?") gives no date: guessing the past would
    switch off the before-procedure findings, and the unknown phase applies both sets of rules."""
    today = now.date()
    if counted := _DAY_N_AFTER_HSG.search(text):
        # "this is day 6 since the hsg", "dag 4 na het onderzoek": the HSG was that many days ago
        days = int(counted.group(1) or counted.group(2))
        return today - timedelta(days=days) if 0 < days <= 60 else None
    word = None
    future = False
    unclear = False
    match = _HSG_ON_DAY.search(text) or _DAY_HSG.search(text)
    if match:
        word = next(group for group in match.groups() if group)
        window = _tense_window(text, match)
        past = bool(_PAST_CUE.search(window))
        future = bool(_FUTURE_CUE.search(window)) and not past
        unclear = not future and not past
    else:
        booked = _BOOKED_DAY.search(text)
        had = _HAD_IT_ON.search(text)
        if booked:
            word, future = booked.group(1), True
        elif had:
            word = had.group(1)
        elif on_date := _HSG_ON_DATE.search(text):
            window = _tense_window(text, on_date)
            past = bool(_PAST_CUE.search(window))
            future = bool(_FUTURE_CUE.search(window)) and not past
            # no tense, no date: guessing the past would switch off the before-procedure findings
            return _day_of_month(on_date, today, future) if past or future else None
    if word is None:
        return None
    word = _ABBREV.get(word, word)
    relative = {
        "today": 0,
        "vandaag": 0,
        "this morning": 0,
        "vanochtend": 0,
        "vanmorgen": 0,
        "yesterday": -1,
        "gisteren": -1,
        "eergisteren": -2,
        "tomorrow": 1,
        "morgen": 1,
        "overmorgen": 2,
        "day after tomorrow": 2,
    }
    if word in relative:
        return today + timedelta(days=relative[word])
    weekday = _WEEKDAYS.get(word)
    if weekday is None or unclear:
        return None
    if match is not None and (week := _WHICH_WEEK.search(match.group(0))):
        # "last week Monday", "vorige week dinsdag": that day of the calendar week before this one
        shift = 7 if week.group(1) in ("next", "volgende", "komende") else -7
        monday = today - timedelta(days=today.weekday())
        return monday + timedelta(days=shift + weekday.weekday)
    if future:
        return today + relativedelta(days=+1, weekday=weekday(+1))
    # "the HSG was Monday", said on a Monday, is last week's Monday (today would be "today")
    return today + relativedelta(days=-1, weekday=weekday(-1))


_DAY_N_AFTER_HSG = re.compile(
    r"\b(?:(?:day|dag)\s+(\d{1,2})|(?:the\s+|de\s+)?(\d{1,2})(?:st|nd|rd|th|e|ste|de)\s+(?:day|dag))\s+"
    r"(?:since|after|post|na|sinds|van)\s+(?:the\s+|my\s+|de\s+|het\s+|mijn\s+)?" + _HSG_WORD + r"\b"
)
_WHICH_WEEK = re.compile(r"\b(last|vorige|afgelopen|next|volgende|komende) week\b")


def _day_of_month(match: re.Match[str], today: date, future: bool) -> date | None:
    """ "on the 18th" (this month or the last one, by tense) or "on 18 november" (a month name)."""
    if match.group(2):
        return parse_date(f"{match.group(1)} {match.group(2)}", today, "future" if future else "past")
    return _nearest_day_of_month(int(match.group(1)), today, future)


def _nearest_day_of_month(day: int, today: date, future: bool = False) -> date | None:
    """This month's or the next (`future`) or last month's date with this day of the month; today counts
    either way."""
    if not 1 <= day <= 31:
        return None
    for months in (0, 1) if future else (0, -1):
        try:
            candidate = (today + relativedelta(months=months)).replace(day=day)
        except ValueError:
            continue
        if (candidate > today) == future or candidate == today:
            return candidate
    return None


# "since the 18th", "sinds 19 november", "vanaf de 19e"; with `on`: "it was on the 18th" (an answer)
_DAY_OF_MONTH = (
    r"(?:the\s+|de\s+)?(\d{1,2})(?:(?:st|nd|rd|th|e|ste|de)\b(?:\s+(?:of\s+)?(" + _MONTHS + r")\b)?"
    r"|\s+(?:of\s+)?(" + _MONTHS + r")\b)"
)
_START_WORDS = "since|sinds|vanaf|from|started on|begon op"
_SINCE_DAY_OF_MONTH = re.compile(r"\b(?P<start>" + _START_WORDS + r")\s+" + _DAY_OF_MONTH)
_ON_DAY_OF_MONTH = re.compile(r"\b(?:(?P<start>" + _START_WORDS + r")|on|op)\s+" + _DAY_OF_MONTH)


def start_date_hours(text: str, now: datetime, *, answer: bool = False) -> float | None:
    """Hours since a past day of the month named as a start: "since the 18th", "sinds 19 november".

    With `answer` (the engine has just asked how long) "on the 18th" / "op 19 november" counts too:
    "it was on the 18th" answers "how many days so far?" with the day it began (or the HSG day, which
    for a symptom still going is the longer and so the safer reading). A day still ahead gives nothing.
    """
    today = now.date()
    pattern = _ON_DAY_OF_MONTH if answer else _SINCE_DAY_OF_MONTH
    found: list[float] = []
    for match in pattern.finditer(text):
        window = _tense_window(text, match)
        if not match.group("start") and _FUTURE_CUE.search(window) and not _PAST_CUE.search(window):
            continue  # "my HSG is on the 28th": a day ahead, not a start
        day, month = match.group(2), match.group(3) or match.group(4)
        start = (
            parse_date(f"{day} {month}", today, "past") if month else _nearest_day_of_month(int(day), today)
        )
        if start is not None and start <= today:
            found.append(float((today - start).days * 24))
    return max(found) if found else None


_STOP_DAY = r"(" + "|".join(_WEEKDAYS) + r"|yesterday|gisteren|eergisteren|the day before yesterday)"
# The bleeding ended on a day that is named: "nothing since Saturday", "it stopped on Sunday", "sinds
# zaterdag niks meer", "gisteren gestopt". The day it stopped is the first day without it.
_ENDED_ON = re.compile(
    r"\b(?:nothing|none|no more|niets|niks|geen)(?:\s+(?:more|else|at all|meer))?"
    r"\s+(?:since|sinds|vanaf|from)\s+"
    + _STOP_DAY
    + r"|\b(?:since|sinds|vanaf)\s+"
    + _STOP_DAY
    # "since Saturday there's been nothing at all", "sinds zaterdag is er niks meer"
    + r"(?:\s+(?:there's|there|has|have|had|is|er|it's|been|heb|ik|is er|was))*"
    + r"\s+(?:nothing|none|niets|niks|geen\s+\w+\s+meer|niets meer|niks meer|no more)\b(?!\s+but)"
    + r"|(?<!n't )(?<!not )(?<!never )\b(?:stopped|ended|finished|dried up|gestopt|opgehouden|opgedroogd)"
    r"\s+(?:on\s+|op\s+|by\s+)?"
    + _STOP_DAY
    + r"|\b"
    + _STOP_DAY
    + r"\s+(?:it\s+|het\s+|is\s+het\s+|was\s+het\s+)?(?:stopped|ended|gestopt|opgehouden)\b"
)
_STARTED_AGAIN = re.compile(r"\b(?:again|back|restarted|weer|opnieuw|terug)\b")
# Bleeding said to go on ("but she's still bleeding on and off"): nothing ended
_STILL_BLEEDING = re.compile(
    r"\b(?:still|nog steeds|nog altijd|on and off|af en toe|keeps?)\s+(?:\w+\s+){0,2}"
    r"(?:bleed\w*|spot\w*|bloed\w*|vloei\w*)"
)
_OTHER_SYMPTOM = re.compile(
    r"\b(?:cramps?|cramping|pain|pains|ache|aches|fever|temperature|discharge|nausea|dizz\w*|krampen"
    r"|kramp|pijn|koorts|afscheiding|misselijk\w*|duizel\w*)\b"
)


def bleeding_ended_days_ago(text: str, now: datetime) -> int | None:
    """Days since the bleeding stopped, when the message names the day it did ("spotted on Thursday and
    Friday, nothing since Saturday"): a duration counted from its start is then counted to that day,
    not to now. None when no day is named, or it started again afterwards."""
    match = _ENDED_ON.search(text)
    if match is None or _STARTED_AGAIN.search(text[match.end() :]) or _STILL_BLEEDING.search(text):
        return None
    clause = re.split(r"[,;.!?]|\b(?:but|maar|and|en)\b", text[: match.start()])[-1] + match.group(0)
    if _OTHER_SYMPTOM.search(clause):
        return None  # "the cramps stopped on Saturday": the cramps ended, not the bleeding
    day = next(group for group in match.groups() if group)
    today = now.date()
    if day in ("yesterday", "gisteren"):
        return 1
    if day in ("eergisteren", "the day before yesterday"):
        return 2
    weekday = _WEEKDAYS[day]
    return (today - (today + relativedelta(weekday=weekday(-1)))).days


def without_end_day(text: str) -> str:
    """The text with its "nothing since Saturday" taken out: the day it ended is not a start."""
    return _ENDED_ON.sub(" ", text)


def duration_hours(text: str, now: datetime, *, ended_days_ago: int = 0) -> float | None:
    """The longest duration stated in `text` in hours ("for 4 days", "since Monday", "al 5 dagen").

    `ended_days_ago`: the symptom stopped that many days ago, so a duration counted from a named start
    ("since Monday", "on the 18th") ends there; a stated length ("for 2 days") is kept as said."""
    found: list[float] = []
    counted_from_start: list[float] = []
    for match in _DURATION.finditer(text):
        if _NOT_DURATION_BEFORE.search(text[: match.start()]) or _POINT_BEFORE.match(text[match.end() :]):
            continue
        if match.group(3) in ("uur", "u") and _SINCE_CLOCK_BEFORE.search(text[: match.start()]):
            continue  # "sinds elf uur": since a time of day (start_point_hours), not eleven hours
        number, unit = match.group(1), match.group(3)
        value = _NUMBER_WORDS.get(number)
        if value is None:
            try:
                value = float(number.replace(",", "."))
            except ValueError:
                continue
        if match.group(2) or match.group(4):
            value += 0.5
        if value > 400:
            continue
        found.append(float(value) * _UNIT_HOURS[unit])
    for pattern, hours in _RELATIVE_HOURS:
        if pattern.search(text):
            found.append(float(hours))
    for match in _SINCE_WEEKDAY.finditer(text):
        weekday = _WEEKDAYS[match.group(1)]
        today = now.date()
        last = today + relativedelta(days=-1, weekday=weekday(-1))
        counted_from_start.append(float((today - last).days * 24))
    for match in _SINCE_DATE.finditer(text):
        start = parse_date(match.group(1), now.date(), "past")
        if start is not None and start <= now.date():
            counted_from_start.append(float((now.date() - start).days * 24))
    if (since_day := start_date_hours(text, now)) is not None:
        counted_from_start.append(since_day)
    if (since_hour := start_point_hours(text, now)) is not None:
        counted_from_start.append(since_hour)
    found += [max(0.0, hours - ended_days_ago * 24) for hours in counted_from_start]
    return max(found) if found else None


# A start named by its day and its hour: "since yesterday at 8", "it was yesterday morning at 8",
# "sinds gisterochtend om negen uur", "begon eergisteren 's avonds". Only with a word that makes it a start
# (a bare "yesterday at 4" may date something else, such as the HSG).
_START_CUE = re.compile(
    r"\b(?:since|sinds|vanaf|from|started|starting|began|begun|begon|begonnen|it was|it's been since"
    r"|het was|het is begonnen|dat was|da was|'t was|was dat|was het)\b"
)
_START_DAYS = [
    (re.compile(r"\b(?:the day before yesterday|eergisteren)\b"), 2),
    (
        re.compile(
            r"\b(?:yesterday|yday|gisteren|gister|"
            + "|".join(word for word, day in _DAY_PART_DAYS.items() if day == "gisteren")
            + r")"
        ),
        1,
    ),
    (
        re.compile(
            r"\b(?:today|this morning|this afternoon|this evening|vandaag|vanochtend|vanmorgen|"
            + "|".join(word for word, day in _DAY_PART_DAYS.items() if day == "vandaag")
            + r")\b"
        ),
        0,
    ),
]


# The hours of a clock in words ("eight", "negen"), for "at eight", "om negen uur", "sinds elf uur"
_HOUR_WORDS = "|".join(word for word, value in NUMBER_WORDS.items() if " " not in word and 1 <= value <= 12)
_SINCE_CLOCK = re.compile(
    r"\b(?:since|sinds|vanaf|from)\s+(?:about\s+|around\s+|rond\s+|ongeveer\s+)?(\d{1,2}|"
    + _HOUR_WORDS
    + r")(?:[:.hu](\d{2}))?\s*(uur|u|am|pm|a\.m\.|p\.m\.|o'?clock)(?!\w)"
)


def start_point_hours(text: str, now: datetime) -> float | None:
    """Hours since a start given by a day and a time of day, in a clause that says it is a start."""
    for clause in re.split(r"[.!?;\n]|\b(?:but|maar)\b", text.lower()):
        if not _START_CUE.search(clause):
            continue
        days_back = next((back for pattern, back in _START_DAYS if pattern.search(clause)), None)
        hour = _hour_of_day(clause)
        if days_back is None and _SINCE_CLOCK.search(clause):
            days_back = 0  # "sinds elf uur", "since 9am": today
        if days_back is None or hour is None:
            continue
        start = datetime(now.year, now.month, now.day) - timedelta(days=days_back) + timedelta(hours=hour)
        hours = (now.replace(tzinfo=None) - start).total_seconds() / 3600
        if hours < 0 and days_back == 0 and _SINCE_CLOCK.search(clause):
            hours += 24  # "since 9 o'clock" said at 8 in the morning: last night's 9
        if hours > 0:
            return hours
    return None


def mentions_since_hsg(text: str) -> bool:
    """True for "since the HSG" / "sinds het onderzoek": the duration is the time since the HSG."""
    return bool(_SINCE_HSG.search(text))


def temperature_c(text: str, *, context: bool) -> float | None:
    """The highest body temperature written in `text`, in °C ("38.9", "39 graden", "101F", "38,5").

    A bare whole number counts only with a unit or when `context` says the clause is about
    temperature (a temperature word, or the engine just asked for it); a decimal in the body range
    counts on its own.
    """
    best: float | None = None
    text = text.lower()
    for match in _TEMPERATURE.finditer(text):
        raw, unit = match.group(1), (match.group(2) or "").strip()
        tail = text[match.end() : match.end() + 12]
        if re.match(
            r"\s*(?:hours?|hrs?|days?|dagen|dag|uur|uren|weeks?|weken|min|minutes|minuten|%|/)", tail
        ):
            continue
        value = float(raw.replace(",", "."))
        if _BELOW_BOUND.search(text[max(0, match.start() - 24) : match.start()]):
            value -= 0.1
        fahrenheit = unit.endswith("f") or unit == "fahrenheit"
        has_unit = bool(unit)
        decimal = "." in raw or "," in raw
        if fahrenheit or (not has_unit and 95 <= value <= 108 and context):
            celsius = (value - 32) * 5 / 9
        else:
            celsius = value
        if not 34 <= celsius <= 43.5:
            continue
        if not (has_unit or context or decimal):
            continue
        best = celsius if best is None else max(best, celsius)
    return round(best, 1) if best is not None else None


def phase_from_text(text: str) -> str | None:
    """ "after" or "before" the HSG from the words of the message; None when it does not say.

    When both appear ("fever before my HSG, and now again after it") the safer reading is "after".
    """
    before = _BEFORE.search(text)
    if any(_AFTER.search(sentence) for sentence in _sentences_not_asking_ahead(text, bool(before))):
        return "after"
    if before:
        return "before"
    return None


_SENTENCE = re.compile(r"[^.!?]+[.!?]*")


def _sentences_not_asking_ahead(text: str, before_said: bool) -> list[str]:
    """The sentences whose after-words say the HSG has happened. With the HSG still ahead by the
    message's own words, a question whose only after-word is "afterwards" asks about the future ("My GP
    gave me Valium for before the HSG. Is it fine to take the bus home afterwards?") and does not count."""
    sentences = _SENTENCE.findall(text) or [text]
    if not before_said:
        return sentences
    return [sentence for sentence in sentences if not _asks_about_afterwards(sentence)]


def _asks_about_afterwards(sentence: str) -> bool:
    words = [match.group(0) for match in _AFTER.finditer(sentence)]
    return sentence.rstrip().endswith("?") and bool(words) and set(words) == {"afterwards"}


def phase_from_date(hsg_date: date | None, now: datetime) -> str | None:
    """A future HSG date means before; today or earlier means after (the safer reading for today)."""
    if hsg_date is None:
        return None
    return "before" if hsg_date > now.date() else "after"


def hours_since_hsg(hsg_date: date | None, now: datetime, hour: float | None = None) -> float | None:
    """Hours since the HSG: from its time of day when the message gave one ("yesterday at 4pm" at noon
    is 20 hours, under the 24 of the pain rule), else whole days (0 on the day itself); None for a
    future or unknown date."""
    if hsg_date is None or hsg_date > now.date():
        return None
    if hour is not None:
        started = datetime(hsg_date.year, hsg_date.month, hsg_date.day) + timedelta(hours=hour)
        return max(0.0, (now.replace(tzinfo=None) - started).total_seconds() / 3600)
    return float((now.date() - hsg_date).days * 24)


# The HSG's time of day, said in a clause that names it: "HSG yesterday at 4pm", "om 14u30",
# "yesterday afternoon", "gisteravond". Clinics work by day: a bare "at 4" is 4 in the afternoon.
_CLOCK_TIME = re.compile(
    r"\b(?:at|om|around|rond|tegen|by)\s+(\d{1,2})(?:[:.hu](\d{2}))?\s*(am|pm|a\.m\.|p\.m\.|u|uur|h)?"
    r"(?!\s*(?:weeks?|days?|dagen|dag|weken|hours?|uren|minutes|minuten|mins?|%|/))"
    r"|\b(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)\b"
)
_PART_OF_DAY = [
    (
        re.compile(
            r"\b(?:morning|ochtend|vanochtend|vanmorgen|gisterochtend|gistermorgen|'s morgens|'s ochtends"
            r"|deze morgen|voormiddag|deze voormiddag|vanvoormiddag|gistervoormiddag)\b"
        ),
        9.0,
    ),
    (re.compile(r"\b(?:lunchtime|lunch time|noon|middday|midday)\b"), 12.0),
    (
        re.compile(
            r"\b(?:afternoon|middag|vanmiddag|gistermiddag|'s middags|namiddag|vannamiddag|gisternamiddag)\b"
        ),
        14.0,
    ),
    (re.compile(r"\b(?:evening|avond|gisteravond|'s avonds)\b"), 18.0),
]
_HSG_CLAUSE_WORD = re.compile(r"\b" + _HSG_WORD + r"\b")


# "at eight", "om negen uur": an hour in words after the word that makes it a time of day
_CLOCK_WORD = re.compile(r"(?<=\b(?:at|om) )(" + _HOUR_WORDS + r")\b")


def _hour_of_day(clause: str) -> float | None:
    """The time of day said in a clause: a clock time ("at 4pm", "om 14u30", "om negen uur"), else a part
    of the day ("yesterday afternoon", "gisterochtend"); None when neither is said."""
    parts: tuple[str | None, ...] | None = None
    if clock := _CLOCK_TIME.search(_CLOCK_WORD.sub(lambda m: str(int(NUMBER_WORDS[m.group(1)])), clause)):
        parts = (
            clock.group(1) or clock.group(4),
            clock.group(2) or clock.group(5),
            clock.group(3) or clock.group(6),
        )
    elif since := _SINCE_CLOCK.search(clause):
        parts = since.groups()
    if parts is not None:
        raw, minutes_raw, marker_raw = parts
        hour = int(raw) if str(raw).isdigit() else int(NUMBER_WORDS[str(raw)])
        minutes = int(minutes_raw or "0")
        marker = (marker_raw or "").replace(".", "")
        if hour <= 23 and minutes <= 59:
            if marker == "pm" and hour < 12:
                hour += 12
            elif marker == "am" and hour == 12:
                hour = 0
            elif not marker and hour <= 6:
                hour += 12
            return hour + minutes / 60
    for pattern, hour_of_part in _PART_OF_DAY:
        if pattern.search(clause):
            return hour_of_part
    return None


def hsg_hour_from_text(text: str) -> float | None:
    """The hour of day the HSG was done, from a clause that names it; None when none is said."""
    for clause in re.findall(r"[^.!?\n,;]+", text.lower()):
        if _HSG_CLAUSE_WORD.search(clause) and (hour := _hour_of_day(clause)) is not None:
            return hour
    return None
