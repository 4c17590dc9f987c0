"""Durations, temperatures and the HSG phase as patients write them, in English and Dutch.

Regular expressions plus python-dateutil for weekday arithmetic. Every function returns None when it
does not recognise anything: a missing detail makes the engine ask (or keep the safer level), a wrong
one could lower a level, so nothing here guesses.
"""

from __future__ import annotations

import re
from datetime import date, datetime

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
}
_NUM = "|".join(sorted((re.escape(word) for word in _NUMBER_WORDS), key=len, reverse=True))
_UNIT = "|".join(sorted(_UNIT_HOURS, key=len, reverse=True))
_DURATION = re.compile(
    rf"(?<![\w/.,])(\d+(?:[.,]\d+)?|{_NUM})\s*(?:more\s+|whole\s+|full\s+|hele\s+)?({_UNIT})\b"
)
# Words before a number that make it a rate or a future time, not how long a symptom has lasted.
_NOT_DURATION_BEFORE = re.compile(
    r"(?:pad|pads|every|each|per|elk|elke|ieder|iedere|within|binnen|in|over|maandverband|verband)\s*$"
)

_RELATIVE_HOURS = [
    (re.compile(r"\b(?:day before yesterday|eergisteren)\b"), 48),
    (re.compile(r"\b(?:since yesterday|sinds gisteren|since last night)\b"), 24),
    (re.compile(r"\b(?:yesterday|gisteren|last night|vannacht|gisteravond|overnight)\b"), 12),
    (re.compile(r"\b(?:this morning|vanochtend|vanmorgen|sinds vanochtend|sinds vanmorgen)\b"), 6),
    (re.compile(r"\b(?:since last week|sinds vorige week|last week|vorige week|afgelopen week)\b"), 168),
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
    r"(?:hsg|procedure|test|scan|exam|x-ray|onderzoek|foto|behandeling)\b"
)

_TEMPERATURE = re.compile(
    r"(?<![\w/.,])(\d{2,3}(?:[.,]\d{1,2})?)\s*"
    r"(°\s*[cf]?|º\s*[cf]?|degrees?(?:\s*(?:c|celsius|f|fahrenheit))?|graden(?:\s*celsius)?|celsius|fahrenheit|c|f)?"
    r"(?![\w/])"
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
    r"|(?:morgen|volgende week|binnenkort|overmorgen) (?:heb|krijg|is|ga)"
    r"|(?:heb|krijg) (?:ik )?(?:morgen|volgende week|binnenkort|overmorgen)"
    r"|(?:hsg|onderzoek|afspraak) is (?:morgen|volgende|op|over|binnenkort)"
    r"|nog niet gehad|gepland|ingepland)\b"
)
_AFTER = re.compile(
    r"\b(?:after (?:my|the|an|the) (?:hsg|test|procedure|scan|exam|x-ray)"
    r"|(?:since|ever since) (?:my|the) (?:hsg|test|procedure|scan)"
    r"|(?:had|did|got) (?:my|the|an) (?:hsg|test|procedure|scan)"
    r"|(?:hsg|test|procedure|scan) (?:was|yesterday|today|this morning|earlier)"
    r"|days? after|hours? after|post[- ]?hsg|afterwards|ago"
    r"|na (?:de|mijn|het|afloop|het) ?(?:hsg|onderzoek|foto|behandeling)?"
    r"|sinds (?:de|mijn|het) (?:hsg|onderzoek)"
    r"|(?:hsg|onderzoek|foto) (?:gehad|was|gisteren|vandaag|vanochtend)"
    r"|(?:gisteren|vandaag|vanochtend|eergisteren) (?:de |mijn |het )?(?:hsg|onderzoek)"
    r"|geleden)\b"
)


def duration_hours(text: str, now: datetime) -> float | None:
    """The longest duration stated in `text` in hours ("for 4 days", "since Monday", "al 5 dagen")."""
    found: list[float] = []
    for match in _DURATION.finditer(text):
        if _NOT_DURATION_BEFORE.search(text[: match.start()]):
            continue
        number, unit = match.group(1), match.group(2)
        value = _NUMBER_WORDS.get(number)
        if value is None:
            try:
                value = float(number.replace(",", "."))
            except ValueError:
                continue
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
        found.append(float((today - last).days * 24))
    for match in _SINCE_DATE.finditer(text):
        start = parse_date(match.group(1), now.date(), "past")
        if start is not None and start <= now.date():
            found.append(float((now.date() - start).days * 24))
    return max(found) if found else None


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
    if _AFTER.search(text):
        return "after"
    if _BEFORE.search(text):
        return "before"
    return None


def phase_from_date(hsg_date: date | None, now: datetime) -> str | None:
    """A future HSG date means before; today or earlier means after (the safer reading for today)."""
    if hsg_date is None:
        return None
    return "before" if hsg_date > now.date() else "after"


def hours_since_hsg(hsg_date: date | None, now: datetime) -> float | None:
    """Whole days since the HSG in hours (0 on the day itself); None for a future or unknown date."""
    if hsg_date is None or hsg_date > now.date():
        return None
    return float((now.date() - hsg_date).days * 24)
