"""The clinician's review sheet: every patient-facing text, rendered for one clinic profile.

`python -m bot content review` writes one Markdown page with every text of faq.yml, messages.yml and
bot/triage/advice.yml in English and Dutch, each next to its sources and to what sends it (the Rasa
intent, the situation, or the triage rules of rules.yml with their own sources). The page names the
profile and a fingerprint of the content files and the profile, so a signature belongs to exactly
those versions; a changed profile or text gives a new file name, and the old signed copy stays.

`review_items()` is also what the content tests render, so the tests check the very texts a
clinician signs.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from bot.content.render import (
    CONTENT_FILES,
    FAQ_FILE,
    MESSAGES_FILE,
    load_content,
    render_faq,
    render_message,
)
from bot.dates import cycle_day, format_date, plan_cycle
from bot.triage.advice import advice_text, load_texts, render_question
from bot.triage.rules import load_rules
from bot.vocabulary import LANGUAGES, LEVELS

Context = Callable[[str], dict[str, Any]]
"""The profile's template values for a language (ClinicProfile.context, or a test's variant)."""

LEAFLETS = {
    "000": "Belgian university hospital radiology, 'Hysterosalpingografie (HSG)' (Dutch)",
    "001": "US imaging centre blog, 'What is a hysterosalpingogram?'",
    "002": "Turkish private clinic, 'Hysterosalpingography (HSG)'",
    "003": "US imaging centre, 'About hysterosalpingograms'",
    "004": "UK NHS university hospital, 'Hysterosalpingogram (HSG) - information for patients'",
}
"""Leaflet numbers as cited in the content files (docs/clinical-rules.md, "Sources")."""

# Triage rules whose advice wording differs (advice.yml branches on the same ids).
_AIRWAY = ["contrast_reaction_airway", "hives_with_dizziness", "chest_pain_or_breathless"]
_THINNERS = ["anticoagulants"]


@dataclass
class ReviewItem:
    """One text in both languages, with what it rests on and what sends it."""

    kind: str  # faq | advice | question | message
    key: str
    variant: str
    sources: list[str]
    sent_when: str
    texts: dict[str, str] = field(default_factory=dict)
    rules: list[str] = field(default_factory=list)  # "id (level): reason [source]"


def _rule_lines(level: str, ids: list[str] | None = None, exclude: list[str] | None = None) -> list[str]:
    """The rules.yml rules of `level` that send a wording: `ids` only, or all but `exclude`."""
    return [
        f"{rule.id} ({rule.level}): {rule.reason} [source: {rule.source}]"
        for rule in load_rules()
        if rule.level == level and (ids is None or rule.id in ids) and rule.id not in (exclude or [])
    ]


def _advice_variants() -> list[tuple[str, str, str, list[str], list[str]]]:
    """(level, label, phase, rule ids given to the template, rules that send this wording)."""
    variants = [
        (
            "emergency",
            "breathing, swelling, hives with dizziness, chest",
            "after",
            _AIRWAY,
            _rule_lines("emergency", _AIRWAY),
        ),
        ("emergency", "bleeding, fainting, other", "after", [], _rule_lines("emergency", exclude=_AIRWAY)),
        ("urgent", "", "after", [], _rule_lines("urgent")),
    ]
    for phase in ("before", "after", "unknown"):
        variants.append(
            (
                "inform_team",
                f"HSG {phase}, blood thinners",
                phase,
                _THINNERS,
                _rule_lines("inform_team", _THINNERS),
            )
        )
        variants.append(
            (
                "inform_team",
                f"HSG {phase}, other findings",
                phase,
                [],
                _rule_lines("inform_team", exclude=_THINNERS),
            )
        )
    variants.append(("self_care", "", "after", [], _rule_lines("self_care")))
    return variants


def _message_values(
    key: str, lang: str, context: dict[str, Any], today: date
) -> list[tuple[str, dict[str, Any]]]:
    """Sample values for a message that needs more than the profile, one set per wording."""
    if key == "cycle_plan":
        samples = []
        for label, start in (
            ("period started today", today),
            ("period started 4 days ago", today - timedelta(days=4)),
        ):
            plan = plan_cycle(start, context, today=today)
            if plan.next_cycle:
                continue
            samples.append(
                (
                    label,
                    {
                        "period_start": format_date(start, lang),
                        "hsg_days": [format_date(day, lang) for day in plan.hsg_days],
                        "book_on": format_date(plan.book_on, lang),
                        "abstain_from": format_date(plan.abstain_from, lang) if plan.abstain_from else None,
                        "abstain_only_if_after_day_10": plan.abstain_only_if_after_day_10,
                    },
                )
            )
        return samples
    if key == "cycle_plan_next_cycle":
        start = today - timedelta(days=25)
        return [
            (
                "period started 25 days ago",
                {
                    "period_start": format_date(start, lang),
                    "window_first": format_date(cycle_day(start, context["cycle_first_day"]), lang),
                    "window_last": format_date(cycle_day(start, context["cycle_last_day"]), lang),
                },
            )
        ]
    if key == "hsg_date_noted":
        return [
            ("HSG ahead", {"hsg_date": format_date(today + timedelta(days=3), lang), "past": False}),
            ("HSG over", {"hsg_date": format_date(today - timedelta(days=1), lang), "past": True}),
        ]
    if key == "checkin_question":
        return [("the day after the HSG", {"day": 1}), ("three days after", {"day": 3})]
    if key == "on_call_alert":
        return [("one urgent", {"emergency": 0, "urgent": 1}), ("mixed", {"emergency": 1, "urgent": 2})]
    if key in ("back_to_symptoms", "ask_again"):
        # The question alone: its line on when to call went with it the first time it was asked.
        return [("with the bleeding question", {"question": render_question("duration", lang)})]
    return [("", {})]


def review_items(context: Context, today: date) -> list[ReviewItem]:
    """Every patient-facing text of the three content files, rendered in both languages."""
    items: list[ReviewItem] = []
    faq = load_content(FAQ_FILE)["answers"]
    for key, entry in faq.items():
        item = ReviewItem(
            kind="faq",
            key=key,
            variant="",
            sources=[str(source) for source in entry.get("sources", [])],
            sent_when=f"the patient asks about this topic (intent faq/{key}, data/rules/faq.yml)",
        )
        for lang in LANGUAGES:
            answer = render_faq(key, lang, context(lang))
            item.texts[lang] = answer.text if answer else ""
        items.append(item)

    advice = load_texts()
    for level, variant, phase, rule_ids, senders in _advice_variants():
        item = ReviewItem(
            kind="advice",
            key=level,
            variant=variant,
            sources=[str(source) for source in advice["advice"][level].get("sources", [])],
            sent_when=f"triage decides `{level}` (first message of the reply, with the triage payload)",
            rules=senders,
        )
        for lang in LANGUAGES:
            item.texts[lang] = advice_text(level, lang, context(lang), phase=phase, rules=rule_ids)
        items.append(item)
    for ask in advice["questions"]:
        item = ReviewItem(
            kind="question",
            key=ask,
            variant="sent without advice, with the line on when to call",
            sources=["CR: emergency findings"],
            sent_when="a missing detail could raise the level and only self-care findings are known "
            "(bot/triage/turn.py)",
        )
        for lang in LANGUAGES:
            item.texts[lang] = render_question(ask, lang, context(lang))
        items.append(item)

    messages = load_content(MESSAGES_FILE)["messages"]
    for key, entry in messages.items():
        samples: dict[str, dict[str, dict[str, Any]]] = {}
        for lang in LANGUAGES:
            for variant, values in _message_values(key, lang, context(lang), today):
                samples.setdefault(variant, {})[lang] = values
        for variant, per_lang in samples.items():
            item = ReviewItem(
                kind="message",
                key=key,
                variant=variant,
                sources=[str(source) for source in entry.get("sources", ["profile"])],
                sent_when=str(entry.get("sent_when", "")),
            )
            for lang in LANGUAGES:
                item.texts[lang] = render_message(key, lang, context(lang), **per_lang.get(lang, {}))
            items.append(item)
    return items


def fingerprint(profile_path: Path) -> str:
    """A short hash of the content files and the profile: it changes with any text or setting."""
    digest = hashlib.sha256()
    for path in (*CONTENT_FILES, profile_path):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _source_text(source: str) -> str:
    if source in LEAFLETS:
        return f"{source} ({LEAFLETS[source]})"
    if source.startswith("CR:"):
        return f'docs/clinical-rules.md, section "{source[3:].strip()}"'
    if source == "profile":
        return "clinic profile setting"
    return source


def render_sheet(items: list[ReviewItem], *, clinic: str, profile_path: Path, stamp: str, today: date) -> str:
    """The review sheet as Markdown."""
    lines = [
        f"# Clinical review sheet: {clinic}",
        "",
        f"- Profile: `{profile_path}`",
        f"- Content fingerprint (content files and profile): `{stamp}`",
        f"- Rendered on {today.isoformat()}; dates in date messages are examples from that day.",
        f"- {len(items)} texts, each in {' and '.join(LANGUAGES)}.",
        f"- Triage levels, lowest first: {', '.join(LEVELS)}.",
        "- Sources: leaflet numbers, sections of docs/clinical-rules.md, and clinic profile settings.",
        "",
        "Check each text against its sources and docs/clinical-rules.md: facts, when to call whom,",
        "clinic settings, own words, plain and calm language in both languages.",
        "",
    ]
    for kind, title in (
        ("faq", "Leaflet answers"),
        ("advice", "Triage advice"),
        ("question", "Follow-up questions"),
        ("message", "The assistant's own messages"),
    ):
        lines += [f"## {title}", ""]
        for item in (item for item in items if item.kind == kind):
            heading = f"### {item.key}" + (f" ({item.variant})" if item.variant else "")
            lines += [heading, "", f"- Sent when: {item.sent_when or 'not described'}"]
            lines += ["- Sources: " + ("; ".join(_source_text(source) for source in item.sources) or "none")]
            if item.rules:
                lines += ["- Triage rules that send it:"] + [f"  - {rule}" for rule in item.rules]
            lines.append("")
            for lang in LANGUAGES:
                lines += [f"**{lang}** ({len(item.texts[lang])} characters)", "", f"> {item.texts[lang]}", ""]
    lines += [
        "## Sign-off",
        "",
        "Reviewed against the sources above. Name, role, date, signature:",
        "",
        "______________________________________________",
        "",
    ]
    return "\n".join(lines)


def write_review(profile: Any, out: Path | None, var_dir: Path, today: date) -> Path:
    """Render the sheet for `profile` (a ClinicProfile) and write it; returns the file written.

    Without `out`, the file is `<var_dir>/review/review-<profile>-<fingerprint>.md`: one copy per
    change of profile or content, so each signed version is kept.
    """
    stamp = fingerprint(profile.path)
    items = review_items(profile.context, today)
    sheet = render_sheet(
        items, clinic=profile.text("name", "en"), profile_path=profile.path, stamp=stamp, today=today
    )
    target = out or var_dir / "review" / f"review-{profile.path.stem}-{stamp}.md"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(sheet, encoding="utf-8")
    return target
