"""Issue 8: the red-flag floor (closed check), scope rules, numbers and dates as patients write them,
fail-safe. Engine level; the same behaviour over the running stack is in test_triage_rest.py."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from bot.clinic import get_profile
from bot.triage import TriageState, analyze
from bot.triage import engine as engine_module
from bot.triage.check import ASK, load_check, option_for, render_check
from bot.triage.turn import screen_report, triage_turn

NOW = datetime(2026, 11, 23, 14, 0)  # a Monday


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("I don't feel great after the test", "en"),
        ("ik voel me niet lekker", "nl"),
        ("something feels weird in my belly", "en"),
        ("mijn onderbuik voelt raar aan", "nl"),
    ],
)
def test_vague_body_talk_gets_the_closed_check_not_tell_me_more(text: str, lang: str) -> None:
    outcome = analyze(text, lang, now=NOW)
    assert outcome.level is None and outcome.ask == ASK
    assert screen_report(text, lang) == (True, None)  # the NLU sends it to triage
    turn = triage_turn(text, lang, get_profile().context(lang), now=NOW)
    assert len(turn.messages) == 1 and len(turn.messages[0]["buttons"]) == 7


@pytest.mark.parametrize(
    "text", ["what should I watch for after the HSG?", "thanks, that was all", "wat moet ik meenemen?"]
)
def test_questions_and_small_talk_get_no_check(text: str) -> None:
    assert analyze(text, "en", now=NOW).ask is None


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_every_option_decides_through_the_rules(lang: str) -> None:
    expected = {
        "breathing": "emergency",
        "soaking": "emergency",
        "faint": "emergency",  # rules.yml `fainting` (content): emergency
        "fever": "urgent",
        "discharge": "urgent",
        "pain": "urgent",
    }
    _, buttons = render_check(lang)
    assert all(len(button["title"]) <= 80 and button["payload"] == button["title"] for button in buttons)
    first = analyze("I feel strange", lang, now=NOW)
    for option in load_check()["options"]:
        title = option[lang]
        assert option_for(title)["id"] == option["id"]
        outcome = analyze(title, lang, state=first.state, now=NOW)
        if option["id"] == "none":
            assert outcome.level == "self_care"
        else:
            assert outcome.level == expected[option["id"]], title


def test_free_text_answer_to_the_check_is_triaged() -> None:
    first = analyze("ik voel me niet lekker", "nl", now=NOW)
    assert (
        analyze("ik heb het gloeiend heet en dan weer ijskoud", "nl", state=first.state, now=NOW).level
        == "urgent"
    )
    assert analyze("nee", "nl", state=first.state, now=NOW).level == "self_care"


def test_failure_inside_triage_escalates_as_not_assessed(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(engine_module, "extract", broken)
    outcome = analyze("anything at all", "en", now=NOW)
    assert outcome.level == "inform_team" and outcome.failed and "could not be assessed" in outcome.reasons[0]
    profile = get_profile().context("nl")
    turn = triage_turn("wat dan ook", "nl", profile, now=NOW)
    assert turn.escalate and profile["emergency_number"] in turn.messages[0]["text"]
    assert turn.messages[0]["custom"]["triage"]["level"] == "inform_team"


@pytest.mark.parametrize("junk", ["\ud800", "\x00", "\x07\x1b", "\ufeff"])
def test_stray_characters_never_hide_a_red_flag(junk: str) -> None:
    assert analyze(f"I can't{junk} breathe", "en", now=NOW).level == "emergency"
    assert analyze(f"ik heb 39{junk} koorts", "nl", now=NOW).level == "urgent"


@pytest.mark.parametrize(
    ("text", "lang", "level"),
    [
        # a red flag after several negations, after "but"/"maar"/"alleen"
        ("no fever, no pain, no bleeding, but my tongue feels thick", "en", "emergency"),
        ("geen koorts, geen pijn, alleen krijg ik bijna geen lucht", "nl", "emergency"),
        ("the pain hasn't stopped since Friday", "en", "urgent"),
        # lay airway words
        ("my throat feels like it is closing up", "en", "emergency"),
        ("mijn stem klinkt schor en mijn lippen worden dik", "nl", "emergency"),
        # fever as people say it
        ("thermometer says thirty eight point four", "en", "urgent"),
        ("ik heb achtendertig komma vijf", "nl", "urgent"),
        ("temp is 101.3 F", "en", "urgent"),
        ("ik heb 38,2 na de hsg", "nl", "urgent"),
        ("I keep going hot and then freezing cold", "en", "urgent"),
        # discharge colour, smell, amount
        ("the discharge has turned yellowish", "en", "urgent"),
        ("de afscheiding riekt", "nl", "urgent"),
        ("more discharge every day since the test", "en", "urgent"),
        # rates of bleeding
        ("I change my pad every 40 minutes", "en", "emergency"),
        ("4 pads in 3 hours", "en", "emergency"),
        # questions, fears, other people's past experiences
        ("my sister had a fever after hers, will I?", "en", None),
        ("mijn buurvrouw kreeg hevige pijn na haar HSG", "nl", None),
        ("I'm scared I will bleed heavily afterwards", "en", None),
        # a relative writing for the patient, present tense
        ("my wife is bleeding through a pad every hour", "en", "emergency"),
        ("mijn vriendin heeft 39 koorts sinds de HSG", "nl", "urgent"),
        # disclosures before the procedure
        ("my smear test came back abnormal, HSG next week", "en", "inform_team"),
        ("I bruise really easily, they said a clotting problem", "en", "inform_team"),
        ("last time I had a CT scan with contrast I got hives", "en", "inform_team"),
        ("mijn menstruatie is 6 dagen te laat", "nl", "inform_team"),
        # ordinary after-effects
        ("nearly fainted on the table but fine now after lying down", "en", "self_care"),
        ("cramps after the hsg today, ibuprofen sorted it", "en", "self_care"),
    ],
)
def test_general_rules(text: str, lang: str, level: str | None) -> None:
    outcome = analyze(text, lang, now=NOW)
    assert (outcome.level if outcome.is_report else None) == level, (text, outcome.level, outcome.rule_ids)


def test_hsg_date_from_an_earlier_turn_and_weekday_names() -> None:
    first = analyze("I had the HSG on Wednesday", "en", now=NOW)
    assert first.state.hsg_date == date(2026, 11, 18).isoformat()
    second = analyze("still spotting since then", "en", state=first.state, now=NOW)
    assert second.level == "urgent"  # five days of bleeding
    before = analyze("ik had gisteren 38,3 en de HSG staat voor woensdag", "nl", now=NOW)
    assert before.level == "inform_team" and before.phase == "before"


@pytest.mark.parametrize(
    ("answer", "lang"),
    [("unbearable", "en"), ("ondraaglijk", "nl"), ("heel erg", "nl"), ("9 out of 10", "en")],
)
def test_severity_given_as_the_answer_to_the_duration_question(answer: str, lang: str) -> None:
    first = analyze(
        "buikpijn na het onderzoek" if lang == "nl" else "tummy pain after the test", lang, now=NOW
    )
    assert first.ask == "pain_duration"
    assert analyze(answer, lang, state=first.state, now=NOW).level == "urgent"


@pytest.mark.parametrize(
    "text",
    [
        "can I take aspirin for the cramps?",
        "mag ik aspirine nemen tegen de krampen?",
        "is ibuprofen ok before the HSG?",
    ],
)
def test_asking_about_a_painkiller_is_a_question_not_a_blood_thinner(text: str) -> None:
    outcome = analyze(text, "en", now=NOW)
    assert not outcome.is_report and outcome.level is None


def test_state_keeps_the_hsg_date_as_json() -> None:
    state = TriageState(hsg_date="2026-11-20")
    assert TriageState.from_dict(state.to_dict()).hsg_date == "2026-11-20"
