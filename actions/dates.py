"""Dates: the cycle plan from the first day of the period, and the date of the HSG."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import language_of, latest_text, profile_context
from actions.triage import run_triage
from actions.triage_followup import read_in_context, reports_not_a_period
from bot.config import now as clock_now
from bot.config import today
from bot.content.render import render_message
from bot.dates import cycle_day, dates_the_hsg, format_date, parse_date, parse_hsg_date, plan_cycle
from bot.triage.durations import hsg_date_from_text as triage_hsg_date
from bot.triage.extract import clean_text

_PAST = re.compile(
    # ("I've got my HSG booked on Friday": "have got" is having, not the past)
    r"(?<!'ve )(?<!have )(?<!ive )(?<!has )\bgot\b"
    r"|\b(had|was|did|done|ago|yesterday|last|went|gone|finished|happened|gehad|geweest|gedaan|geleden|"
    r"gisteren|eergisteren|afgelopen|vorige|kreeg|ging|verliep|verlopen)\b",
    re.IGNORECASE,
)
_FUTURE = re.compile(
    r"\b(will|going|next|tomorrow|coming|booked|scheduled|krijg|volgende|morgen|overmorgen|"
    r"komende|aanstaande|gepland|ingepland|wordt)\b"
    # "HSG is Thursday at 10am", "het onderzoek staat op vrijdag": the present of a day is ahead
    r"|\b(?:hsg|test|procedure|appointment|onderzoek|afspraak)(?:'s|\s+is|\s+staat)\s+"
    r"(?:on\s+|op\s+|for\s+|voor\s+|this\s+|deze\s+)?(?:mon|tue|wed|thu|fri|sat|sun|maandag|dinsdag"
    r"|woensdag|donderdag|vrijdag|zaterdag|zondag)",
    re.IGNORECASE,
)


def plan_from_text(dispatcher: CollectingDispatcher, tracker: Tracker, today: date) -> list[dict[str, Any]]:
    lang = language_of(tracker)
    profile = profile_context(lang)
    period_start = parse_date(latest_text(tracker), today, prefer="past")
    if period_start is None:
        dispatcher.utter_message(text=render_message("cycle_plan_ask_date", lang, profile))
        return [SlotSet("awaiting", "period_start")]
    plan = plan_cycle(period_start, profile, today=today)
    if plan.next_cycle:
        text = render_message(
            "cycle_plan_next_cycle",
            lang,
            profile,
            period_start=format_date(period_start, lang),
            window_first=format_date(cycle_day(period_start, profile["cycle_first_day"]), lang),
            window_last=format_date(cycle_day(period_start, profile["cycle_last_day"]), lang),
        )
    else:
        text = render_message(
            "cycle_plan",
            lang,
            profile,
            period_start=format_date(plan.period_start, lang),
            hsg_days=[format_date(day, lang) for day in plan.hsg_days],
            book_on=format_date(plan.book_on, lang),
            abstain_from=format_date(plan.abstain_from, lang) if plan.abstain_from else None,
            abstain_only_if_after_day_10=plan.abstain_only_if_after_day_10,
        )
    dispatcher.utter_message(text=text)
    return [SlotSet("period_start", period_start.isoformat()), SlotSet("awaiting", None)]


def hsg_date_from_text(
    dispatcher: CollectingDispatcher, tracker: Tracker, today: date
) -> list[dict[str, Any]]:
    lang = language_of(tracker)
    profile = profile_context(lang)
    text = latest_text(tracker)
    reading = read_in_context(tracker) if tracker.get_slot("triage_state") else None
    if reading is not None and reading.is_report:
        # "het onderzoek was op 19 november" after "ik heb nog steeds wat bloedverlies", or "it was on
        # the 18th" after "how many days so far?": the date completes the report, so triage decides
        # (the slot is set as well when the engine read an HSG date).
        events = run_triage(dispatcher, tracker)
        if reading.state.hsg_date:
            events.append(SlotSet("hsg_date", reading.state.hsg_date))
        return events
    prefer = "past" if _PAST.search(text) else "future" if _FUTURE.search(text) else "nearest"
    # the triage's reading knows "on the 18th" and "Thursday gone" as well
    hsg_date = parse_hsg_date(text, today, prefer=prefer) or triage_hsg_date(
        clean_text(text).lower(), clock_now()
    )
    if hsg_date is None:
        dispatcher.utter_message(text=render_message("hsg_date_ask", lang, profile))
        return [SlotSet("awaiting", "hsg_date")]
    dispatcher.utter_message(
        text=render_message(
            "hsg_date_noted", lang, profile, hsg_date=format_date(hsg_date, lang), past=hsg_date <= today
        )
    )
    return [SlotSet("hsg_date", hsg_date.isoformat()), SlotSet("awaiting", None)]


class ActionPlanCycle(Action):
    def name(self) -> str:
        return "action_plan_cycle"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        if dates_the_hsg(latest_text(tracker), today()):
            # "mijn hsg was afgelopen vrijdag": a date said of the HSG, never a period start to plan by
            return hsg_date_from_text(dispatcher, tracker, today())
        if reports_not_a_period(tracker):
            # "mine started last Wednesday and it's still there" after "how long does spotting last?",
            # or "I spotted on Sunday and Monday" once the HSG is behind her: the spotting started
            # then, not a period to plan the HSG by (the classifier hears a period start)
            return run_triage(dispatcher, tracker)
        return plan_from_text(dispatcher, tracker, today())


class ActionRememberHsgDate(Action):
    def name(self) -> str:
        return "action_remember_hsg_date"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        return hsg_date_from_text(dispatcher, tracker, today())
