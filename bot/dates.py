"""Dates patients mention ("3 November", "last Monday", "gisteren") and the cycle plan built from them.

Parsing is rule-based with python-dateutil doing the calendar arithmetic: patients write dates in a
handful of ways, and a wrong date here would give a wrong appointment window, so anything we do not
recognise gives None and the assistant asks instead of guessing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from dateutil import parser as date_parser
from dateutil.relativedelta import FR, MO, SA, SU, TH, TU, WE, relativedelta

Prefer = Literal["past", "future", "nearest"]

MONTHS = {
    "en": [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ],
    "nl": [
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ],
}
WEEKDAYS = {
    "en": ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"],
    "nl": ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"],
}
_DATEUTIL_WEEKDAYS = [MO, TU, WE, TH, FR, SA, SU]

# month name or abbreviation (both languages) -> month number
_MONTH_WORDS: dict[str, int] = {}
for _names in MONTHS.values():
    for _number, _name in enumerate(_names, start=1):
        _MONTH_WORDS[_name] = _number
        _MONTH_WORDS[_name[:3]] = _number
_MONTH_WORDS.update({"mrt": 3, "okt": 10, "sept": 9})
_WEEKDAY_WORDS: dict[str, int] = {}
for _names in WEEKDAYS.values():
    for _index, _name in enumerate(_names):
        _WEEKDAY_WORDS[_name] = _index
        _WEEKDAY_WORDS[_name[:3]] = _index
_WEEKDAY_WORDS.update(
    {
        "tues": 1,
        "thur": 3,
        "thurs": 3,
        "weds": 2,
        "di": 1,
        "wo": 2,
        "do": 3,
        "vr": 4,
        "za": 5,
        "zo": 6,
        "ma": 0,
    }
)

NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "een": 1, "één": 1, "twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6, "zeven": 7, "acht": 8,
    "negen": 9, "tien": 10, "elf": 11, "twaalf": 12,
}  # fmt: skip
"""Number words patients write, English and Dutch (also used by bot.triage.durations)."""

_MONTH_ALT = "|".join(sorted(_MONTH_WORDS, key=len, reverse=True))
_WEEKDAY_ALT = "|".join(sorted((w for w in _WEEKDAY_WORDS if len(w) > 2), key=len, reverse=True))
_NUM = r"(\d{1,2}|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")"

# Dutch writes a part of the day onto the day: "gisteravond", "zondagmiddag", "morgenochtend".
_PART_OF_DAY = r"(?:ochtend|morgen|voormiddag|namiddag|middag|avond|nacht)?"
_RELATIVE_DAYS = [
    (re.compile(r"\b(day before yesterday|eergisteren" + _PART_OF_DAY + r")\b"), -2),
    (re.compile(r"\b(day after tomorrow|overmorgen)\b"), 2),
    (re.compile(r"\b(yesterday|gister(?:en)?" + _PART_OF_DAY + r"|yday|ystday|yesterdy)\b"), -1),
    # texting writes "to" as 2: "2day", "2nite", "2moro"
    (
        re.compile(
            r"\b(today|2day|vandaag|this morning|vanmorgen|vanochtend|tonight|2nite|2night|vanavond|"
            # Flemish "deze voormiddag / deze morgen / deze namiddag": this morning / this afternoon
            r"vannacht|vanmiddag|deze (?:morgen|ochtend|voormiddag|namiddag|middag|avond)|vanvoormiddag"
            r"|vannamiddag)\b"
        ),
        0,
    ),
    (re.compile(r"\b(tomorrow|morgen(?:ochtend|vroeg|middag|namiddag|avond)?|tmrw|2moro|2morrow)\b"), 1),
]
_AGO = re.compile(_NUM + r"\s+(days?|dagen|dag)\s+(ago|geleden)\b")
_AHEAD = re.compile(r"\b(in|over)\s+" + _NUM + r"\s+(days?|dagen|dag)\b")
_WEEKS_AGO = re.compile(_NUM + r"\s+(weeks?|weken|week)\s+(ago|geleden)\b")
# "the test was (about) 4 hours ago", "een paar uur geleden": today, or whole days back for 24 and more
_HOURS_AGO = re.compile(
    r"(?:" + _NUM + r"|an|one|a few|a couple of|couple of|een paar|paar|enkele)\s+"
    r"(?:hours?|hrs?|uur|uren|uurtjes)\s+(?:ago|geleden)\b"
)
_WEEKDAY = re.compile(
    r"\b(?:(last|past|previous|afgelopen|vorige|next|coming|this|volgende|aanstaande|komende|deze|on|op)\s+)?"
    r"(" + _WEEKDAY_ALT + r")" + _PART_OF_DAY + r"\b"
)
_LAST_WORDS = ("last", "past", "previous", "afgelopen", "vorige")
_NEXT_WORDS = ("next", "coming", "volgende", "aanstaande", "komende")
_WHICH = r"(?P<which>last|past|previous|afgelopen|vorige|next|coming|volgende|aanstaande|komende|this|deze)"
_WEEK_THEN_DAY = re.compile(
    r"\b" + _WHICH + r"\s+week\s+(?:on\s+|op\s+)?(?P<day>" + _WEEKDAY_ALT + r")" + _PART_OF_DAY + r"\b"
)
_DAY_THEN_WEEK = re.compile(
    r"\b(?P<day>" + _WEEKDAY_ALT + r")" + _PART_OF_DAY + r"\s+(?:of\s+|van\s+)?" + _WHICH + r"\s+week\b"
)
_DAY_MONTH = re.compile(
    r"\b(\d{1,2})(?:st|nd|rd|th|e|ste|de)?\s*(?:of\s+)?(" + _MONTH_ALT + r")\.?(?:\s+(\d{4}))?\b"
)
_MONTH_DAY = re.compile(r"\b(" + _MONTH_ALT + r")\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?\b")
_NUMERIC = re.compile(r"\b(\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[/.-]\d{1,2}(?:[/.-]\d{2,4})?)\b")


def _number(word: str) -> int:
    return int(word) if word.isdigit() else NUMBER_WORDS[word]


def _pick_year(month: int, day: int, today: date, prefer: Prefer) -> date | None:
    """A day and month without a year: the nearest such date in the preferred direction."""
    try:
        candidate = date(today.year, month, day)
    except ValueError:
        return None
    if prefer == "past" and candidate > today + timedelta(days=1):
        candidate = candidate.replace(year=today.year - 1)
    elif prefer == "future" and candidate < today - timedelta(days=14):
        candidate = candidate.replace(year=today.year + 1)
    elif prefer == "nearest":
        options = [candidate]
        for year in (today.year - 1, today.year + 1):
            try:
                options.append(candidate.replace(year=year))
            except ValueError:
                continue
        candidate = min(options, key=lambda option: abs((option - today).days))
    return candidate


def parse_date(text: str, today: date, prefer: Prefer = "past") -> date | None:
    """The first date mentioned in `text`, or None. `prefer` resolves dates without a year or
    a bare weekday ("Monday"): a period start is in the past, an appointment usually ahead, and
    "nearest" takes the closest date either way (an HSG date when the tense is unclear)."""
    lowered = text.lower()[:500]
    for pattern, offset in _RELATIVE_DAYS:
        if pattern.search(lowered):
            return today + timedelta(days=offset)
    if match := _AGO.search(lowered):
        return today - timedelta(days=_number(match.group(1)))
    if match := _WEEKS_AGO.search(lowered):
        return today - timedelta(weeks=_number(match.group(1)))
    if match := _HOURS_AGO.search(lowered):
        return today - timedelta(days=_number(match.group(1)) // 24 if match.group(1) else 0)
    if match := _AHEAD.search(lowered):
        return today + timedelta(days=_number(match.group(2)))
    if match := _DAY_MONTH.search(lowered):
        day, month, year = int(match.group(1)), _MONTH_WORDS[match.group(2)], match.group(3)
        return _absolute(day, month, year, today, prefer)
    if match := _MONTH_DAY.search(lowered):
        month, day, year = _MONTH_WORDS[match.group(1)], int(match.group(2)), match.group(3)
        return _absolute(day, month, year, today, prefer)
    if match := _NUMERIC.search(lowered):
        try:
            parsed = date_parser.parse(
                match.group(1),
                dayfirst=not re.match(r"\d{4}-", match.group(1)),
                default=date_parser.parse(today.isoformat()),
            )
        except (ValueError, OverflowError):
            parsed = None
        if parsed is not None:
            if re.fullmatch(r"\d{1,2}[/.-]\d{1,2}", match.group(1)):
                return _pick_year(parsed.month, parsed.day, today, prefer)
            return parsed.date()
    if match := (_WEEK_THEN_DAY.search(lowered) or _DAY_THEN_WEEK.search(lowered)):
        # "vorige week dinsdag", "Friday next week": that day of the calendar week before or after this one
        which = match.group("which")
        shift = -7 if which in _LAST_WORDS else 7 if which in _NEXT_WORDS else 0
        monday = today - timedelta(days=today.weekday())
        return monday + timedelta(days=shift + _WEEKDAY_WORDS[match.group("day")])
    if match := _WEEKDAY.search(lowered):
        modifier, weekday = match.group(1) or "", _DATEUTIL_WEEKDAYS[_WEEKDAY_WORDS[match.group(2)]]
        if modifier in ("last", "past", "previous", "afgelopen", "vorige"):
            return today + relativedelta(days=-1, weekday=weekday(-1))
        if modifier in ("next", "coming", "volgende", "aanstaande", "komende"):
            return today + relativedelta(days=+1, weekday=weekday(+1))
        if prefer == "past" or (prefer == "nearest" and modifier not in ("this", "deze", "on", "op")):
            return today + relativedelta(weekday=weekday(-1))
        return today + relativedelta(weekday=weekday(+1))
    return None


# Words that name the procedure, so the sentence that dates it can be read first.
_HSG_WORDS = re.compile(
    r"\b(?:hsg|hysterosalpingo\w*|test|procedure|x-?ray|scan|exam|onderzoek|eileiderfoto|foto|afspraak|"
    r"appointment)\b"
)
_HSG_CLAUSES = re.compile(r"[^.!?\n,;]+")


# The procedure by its own names (not "test" or "appointment", which may be a pregnancy test or a GP visit)
_HSG_NAMED = re.compile(r"\b(?:hsg|hysterosalpingo\w*|eileiderfoto|baarmoederfoto)\b")
# A period or the cycle by name: what the cycle planner needs ("spotting" alone is not a period start)
_PERIOD_TERMS = (
    r"period|periods|menstruat\w*|ongesteld\w*|regels|maandstonden|menses|cycle|cyclus"
    r"|cd ?\d+|day \d+|dag \d+"
)
_PERIOD_ONLY = re.compile(rf"\b(?:{_PERIOD_TERMS})\b")
_PERIOD_NAMED = re.compile(rf"\b(?:{_PERIOD_TERMS}|bleeding|bloed\w*|spotting)\b")


# A period named only to compare with: "cramps like the first day of my period", "zoals bij mijn
# menstruatie", "heavier than a period" say how a symptom feels, not when a period started.
_PERIOD_COMPARED = re.compile(
    rf"\b(?:like|as with|as on|similar to|than|zoals|als bij|net als|gelijk als|dan)\s+(?:\w+\s+){{0,5}}?"
    rf"(?:{_PERIOD_TERMS})\b"
)


def names_a_period(text: str) -> bool:
    """True when the message names a period or the cycle ("my period started Monday", "cd 3"), not only
    bleeding: "light spotting yesterday and today" gives the cycle planner no period start. A period
    named only as a comparison ("cramps like on the first day of my period") does not count."""
    return bool(_PERIOD_ONLY.search(_PERIOD_COMPARED.sub(" ", text.lower())))


def dates_the_hsg(text: str, today: date) -> bool:
    """The message dates the HSG itself ("mijn hsg was afgelopen vrijdag", "HSG went fine on Monday"),
    not a period start: the procedure is named, a date is given, and no period or bleeding is."""
    lowered = text.lower()[:500]
    return bool(
        _HSG_NAMED.search(lowered)
        and not _PERIOD_NAMED.search(lowered)
        and parse_hsg_date(lowered, today, "nearest") is not None
    )


def parse_hsg_date(text: str, today: date, prefer: Prefer = "past") -> date | None:
    """The HSG's date in a message that may date other things too: "I hurt my wrist yesterday. The
    HSG was Friday." is Friday. A clause naming the procedure is read first, then the whole text."""
    for sentence in _HSG_CLAUSES.findall(text.lower()[:500]):
        if not _HSG_WORDS.search(sentence):
            continue
        if found := parse_date(sentence, today, prefer):
            return found
        if _DONE_AT_A_TIME.search(sentence):
            return today  # "hsg gehad om 9u", "had my HSG at 10": a clock time of a done HSG is today
    return parse_date(text, today, prefer)


# Done, at a clock time and no day: "hsg gehad om 9u", "had the hsg at 10.30", "HSG was at 9am".
_CLOCK = (
    r"\b(?:at|om)\s+(?:half\s+)?\d{1,2}(?:[:.]\d{2})?\s*(?:u|uur|h|am|pm|a\.m\.|p\.m\.|o'clock)?(?!\S*\d)"
)
_DONE = r"\b(?:had|was|did|done|got|gehad|gedaan|geweest|gebeurd)\b"
_DONE_AT_A_TIME = re.compile(_DONE + r".*?" + _CLOCK + r"|" + _CLOCK + r".*?" + _DONE)


def _absolute(day: int, month: int, year: str | None, today: date, prefer: Prefer) -> date | None:
    if year:
        try:
            return date(int(year), month, day)
        except ValueError:
            return None
    return _pick_year(month, day, today, prefer)


def format_date(value: date, lang: str) -> str:
    """'Tuesday 9 December' / 'dinsdag 9 december' (no locale dependency on the server)."""
    lang = lang if lang in WEEKDAYS else "en"
    weekday = WEEKDAYS[lang][value.weekday()]
    month = MONTHS[lang][value.month - 1]
    if lang == "en":
        weekday, month = weekday.capitalize(), month.capitalize()
    return f"{weekday} {value.day} {month}"


WEEKDAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
"""Day names in a profile's `open_days` (Monday first, as `date.weekday()`)."""


@dataclass(frozen=True)
class CyclePlan:
    """Dates that follow from the first day of the period, today and the clinic's settings.

    The same settings as the FAQ answers (bot/content/faq.yml: timing_cycle, booking, abstinence,
    after_intercourse), so the plan and the answers never disagree.
    """

    period_start: date
    hsg_days: list[date]  # the days of the window still ahead, on days the clinic is open
    book_on: date | None  # the first open day on or after the booking call day (and today)
    abstain_from: date | None  # None when the clinic asks for no abstinence in this plan
    abstain_only_if_after_day_10: bool  # 004: abstinence from day 10 only if booked after day 10
    sex_wait_hours: int
    pregnancy_test: str

    @property
    def next_cycle(self) -> bool:
        """No day of this cycle's window is left: the patient books in her next cycle."""
        return not self.hsg_days or self.book_on is None


def next_open_day(day: date, open_days: list[str]) -> date:
    """`day` itself when the clinic is open then, otherwise the next day it is."""
    for offset in range(7):
        candidate = day + timedelta(days=offset)
        if WEEKDAY_KEYS[candidate.weekday()] in open_days:
            return candidate
    raise ValueError("the clinic has no open days")


def cycle_day(period_start: date, day: int) -> date:
    """The date of cycle day `day` (day 1 is the first day of the period)."""
    return period_start + timedelta(days=day - 1)


def plan_cycle(period_start: date, profile: dict, *, today: date) -> CyclePlan:
    """The HSG days still possible this cycle, when to call, and the clinic's abstinence rules.

    Day 1 is the first day of the period. A day before `today` or on a day the clinic is closed is
    never proposed; a booking call that falls on a closed day moves to the next open day.
    """
    open_days = list(profile["open_days"])
    window = [
        cycle_day(period_start, day)
        for day in range(profile["cycle_first_day"], profile["cycle_last_day"] + 1)
    ]
    hsg_days = [day for day in window if day >= today and WEEKDAY_KEYS[day.weekday()] in open_days]
    call_day = cycle_day(period_start, profile["booking_call_day"])
    book_on: date | None = next_open_day(max(call_day, today), open_days)
    if not hsg_days or book_on > hsg_days[-1]:
        book_on = None
    else:
        hsg_days = [day for day in hsg_days if day >= book_on]
    day_10 = cycle_day(period_start, 10)
    abstain_from: date | None = None
    only_after_10 = False
    if profile["abstinence_start"] == "cycle_day_1":
        abstain_from = period_start
    elif profile["abstinence_start"] == "cycle_day_10" and any(day > day_10 for day in hsg_days):
        abstain_from, only_after_10 = day_10, True
    return CyclePlan(
        period_start=period_start,
        hsg_days=hsg_days,
        book_on=book_on,
        abstain_from=abstain_from,
        abstain_only_if_after_day_10=only_after_10,
        sex_wait_hours=int(profile["sex_wait_hours"]),
        pregnancy_test=profile["pregnancy_test"],
    )
