"""The answer/offer/decline decision on parse data shaped as Rasa 3.6 produces it."""

from __future__ import annotations

from typing import Any

from bot.answer_policy import (
    DEFAULT_THRESHOLDS,
    Thresholds,
    decide,
    decline_kind,
    names_other_treatment,
    topic_ranking,
)


def parse(intent: str, intents: dict[str, float], topics: dict[str, float]) -> dict[str, Any]:
    ranking = sorted(intents.items(), key=lambda pair: -pair[1])
    topic_list = sorted(topics.items(), key=lambda pair: -pair[1])
    return {
        "intent": {"name": intent, "confidence": intents.get(intent, 1.0)},
        "intent_ranking": [{"name": name, "confidence": conf} for name, conf in ranking],
        "response_selector": {
            "all_retrieval_intents": ["faq"],
            "faq": {
                "response": {
                    "intent_response_key": f"faq/{topic_list[0][0]}",
                    "confidence": topic_list[0][1],
                },
                "ranking": [
                    {"intent_response_key": f"faq/{key}", "confidence": conf} for key, conf in topic_list
                ],
            },
        },
    }


def test_sure_of_intent_and_topic_answers() -> None:
    data = parse("faq", {"faq": 0.97, "out_of_scope": 0.02}, {"duration": 0.92, "pain": 0.05})
    assert decide(data).kind == "answer"
    assert decide(data).topics == ("duration",)


def test_two_close_topics_are_offered_not_guessed() -> None:
    data = parse(
        "faq",
        {"faq": 0.95, "out_of_scope": 0.03},
        {"pain": 0.46, "painkillers": 0.41, "after_normal": 0.08, "risks": 0.02},
    )
    decision = decide(data)
    assert decision.kind == "offer"
    assert decision.topics[:2] == ("pain", "painkillers")
    assert "risks" not in decision.topics  # too unlikely to be worth a button
    assert len(decision.topics) <= DEFAULT_THRESHOLDS.max_offers


def test_unsure_intent_with_faq_likely_offers_topics() -> None:
    data = parse(
        "nlu_fallback", {"nlu_fallback": 0.45, "faq": 0.40, "greet": 0.2}, {"booking": 0.5, "contact": 0.45}
    )
    assert decide(data).kind == "offer"
    assert set(decide(data).topics) == {"booking", "contact"}


def test_a_topic_nowhere_near_sure_is_declined_not_offered() -> None:
    data = parse("faq", {"faq": 0.99}, {"risks": 0.08, "cost_insurance": 0.07, "after_driving": 0.06})
    assert decide(data).kind == "decline"


def test_out_of_scope_ahead_of_an_unsure_faq_is_declined() -> None:
    data = parse(
        "nlu_fallback", {"nlu_fallback": 0.45, "out_of_scope": 0.41, "faq": 0.39}, {"bring_and_wear": 0.6}
    )
    assert decide(data).kind == "decline"


def test_faq_unlikely_is_declined() -> None:
    data = parse("nlu_fallback", {"nlu_fallback": 0.45, "greet": 0.4, "faq": 0.1}, {"duration": 0.9})
    assert decide(data).kind == "decline"


def test_other_intents_are_left_alone() -> None:
    data = parse("report_symptom", {"report_symptom": 0.9, "faq": 0.1}, {"after_normal": 0.9})
    assert decide(data).kind == "pass"


def test_thresholds_are_the_only_knob() -> None:
    data = parse("faq", {"faq": 0.9}, {"duration": 0.6, "pain": 0.3})
    assert decide(data, Thresholds(answer_margin=0.5)).kind == "offer"
    assert decide(data, Thresholds(answer_topic=0.5, answer_margin=0.2)).kind == "answer"


def test_topic_ranking_reads_the_selector_ranking_best_first() -> None:
    data = parse("faq", {"faq": 0.9}, {"a": 0.1, "b": 0.7, "c": 0.2})
    assert [topic for topic, _ in topic_ranking(data)] == ["b", "c", "a"]
    assert topic_ranking({"intent": {"name": "faq"}}) == []


def test_decline_kinds() -> None:
    assert decline_kind("what does my hsg report mean") == "results"
    assert decline_kind("wat betekent mijn uitslag") == "results"
    assert decline_kind("should I start clomid next cycle") == "treatment"
    assert decline_kind("hoe werkt ivf") == "treatment"
    assert decline_kind("can you move my appointment with the dermatologist") == "admin"
    assert decline_kind("what's the weather tomorrow") == "unrelated"


def test_answers_to_a_pending_question_are_not_taken_for_questions() -> None:
    from bot.answer_policy import looks_like_question

    assert not looks_like_question("mild, the paracetamol helps")
    assert not looks_like_question("al 3 dagen, ik neem ibuprofen")
    assert looks_like_question("can I take paracetamol")
    assert looks_like_question("mag ik daarna in bad")
    assert looks_like_question("paracetamol ok?")


def test_a_question_naming_another_treatment_is_declined_whatever_the_topic() -> None:
    sure = {"faq": 0.99, "out_of_scope": 0.01}
    for text, topic in [
        ("does the ovitrelle shot hurt", "pain"),
        ("how much does ivf cost if a tube is blocked", "cost_insurance"),
        ("is een schuimecho beter dan een hsg", "what_is_hsg"),
        ("how long does it take to recover from a laparoscopy", "duration"),
    ]:
        data = parse("faq", sure, {topic: 0.9, "risks": 0.05}) | {"text": text}
        decision = decide(data)
        assert (decision.kind, decision.reason) == ("decline", "treatment"), text


def test_a_tubal_ultrasound_in_lay_words_and_ovulation_kits_are_other_subjects() -> None:
    """Our own wordings (ninth session): the foam or saline ultrasound of the tubes and ovulation kits."""
    sure = {"faq": 0.99, "out_of_scope": 0.01}
    for text, topic in [
        ("is an echo met zoutoplossing hetzelfde als deze foto", "what_is_hsg"),
        ("could a scan with bubbles check my tubes instead", "what_is_hsg"),
        ("which brand of ovulation strips works best", "timing_cycle"),
        ("wanneer moet ik een ovulatietest doen", "timing_cycle"),
    ]:
        data = parse("faq", sure, {topic: 0.9, "risks": 0.05}) | {"text": text}
        decision = decide(data)
        assert (decision.kind, decision.reason) == ("decline", "treatment"), text
    data = parse("faq", sure, {"timing_cycle": 0.9, "risks": 0.05}) | {
        "text": "which day of my cycle is the hsg"
    }
    assert decide(data).kind == "answer"


def test_the_next_test_after_an_hsg_and_eggs_stay_leaflet_subjects() -> None:
    sure = {"faq": 0.99, "out_of_scope": 0.01}
    for text, topic in [
        ("will I need a laparoscopy if the hsg does not work", "incomplete"),
        ("is the x-ray bad for my eggs", "radiation"),
        ("is the pregnancy test a urine test", "pregnancy_test"),
    ]:
        data = parse("faq", sure, {topic: 0.9, "risks": 0.05}) | {"text": text}
        assert decide(data).kind == "answer", text
    assert not names_other_treatment("how long does a laparoscopy take", "incomplete")
    assert names_other_treatment("how long does a laparoscopy take", "duration")


def test_another_imaging_exam_as_the_subject_is_declined() -> None:
    """Our own wordings: another scan is its department's to explain, whatever HSG topic it resembles."""
    sure = {"faq": 0.99, "out_of_scope": 0.01}
    for text, topic in [
        ("does a ct of the belly take long", "duration"),
        ("can I eat before the mri next week", "painkillers"),
        ("moet ik nuchter zijn voor de ct-scan met contrast", "allergy"),
        ("does a mammogram hurt much", "pain"),
        ("is een uitstrijkje maken pijnlijk", "pain"),
        ("must my bladder be full for the ultrasound of my belly", "procedure_steps"),
        ("is een tandfoto erg als we zwanger willen worden", "radiation"),
        ("how long do I fast before a barium meal", "duration"),
        # two other exams compared, the HSG not named
        ("does a ct use the same contrast as an angiogram", "contrast_dye"),
    ]:
        data = parse("faq", sure, {topic: 0.9, "risks": 0.05}) | {"text": text}
        assert (decide(data).kind, decide(data).reason) == ("decline", "treatment"), text


def test_another_exam_as_a_yardstick_or_a_history_keeps_the_hsg_topic() -> None:
    sure = {"faq": 0.99, "out_of_scope": 0.01}
    for text, topic in [
        ("more radiation than a ct scan or less?", "radiation"),
        ("I came out in a rash after ct contrast years ago, is the dye the same", "allergy"),
        ("does the hsg hurt more than a mammogram", "pain"),
        ("do I need a smear test before the hsg", "conditions_to_report"),
        ("is it the same contrast they use for a ct scan?", "contrast_dye"),
        ("is het net als een echo of anders?", "what_is_hsg"),
        ("ik heb ooit gereageerd op contrast bij een ct-scan", "allergy"),
    ]:
        data = parse("faq", sure, {topic: 0.9, "risks": 0.05}) | {"text": text}
        assert decide(data).kind == "answer", text


def with_check(data: dict[str, Any], check: dict[str, float], **extra: Any) -> dict[str, Any]:
    """Add the second opinion's ranking (bot/rasa_server/topic_check.py) to parse data."""
    ordered = sorted(check.items(), key=lambda pair: -pair[1])
    ranking = [{"name": name, "confidence": conf} for name, conf in ordered]
    return data | {"topic_check": {"ranking": ranking, **extra}}


SURE = {"faq": 0.99, "out_of_scope": 0.01}


def test_the_second_opinion_must_agree_before_an_answer() -> None:
    data = parse("faq", SURE, {"duration": 0.7, "results": 0.1})
    assert decide(with_check(data, {"duration": 0.5, "out_of_scope": 0.2})).topics == ("duration",)
    assert decide(with_check(data, {"duration": 0.5, "out_of_scope": 0.2})).kind == "answer"
    close = parse("faq", SURE, {"duration": 0.4, "results": 0.35})
    disagree = decide(with_check(close, {"results": 0.3, "duration": 0.28, "out_of_scope": 0.1}))
    assert disagree.kind == "offer"
    assert set(disagree.topics) >= {"duration", "results"}


def test_out_of_scope_in_the_second_opinion_declines_when_it_outweighs_the_topic() -> None:
    data = parse("faq", SURE, {"booking": 0.6, "companion": 0.1})
    declined = decide(with_check(data, {"out_of_scope": 0.8, "booking": 0.1}))
    assert (declined.kind, declined.reason) == ("decline", "out_of_scope")  # worded by kind
    # A short "why" question the second opinion is unsure of: the agreed topic still wins.
    data = parse("faq", SURE, {"painkillers": 0.8, "contact": 0.02})
    assert decide(with_check(data, {"out_of_scope": 0.32, "painkillers": 0.27})).kind == "answer"


def test_one_topic_far_ahead_on_both_opinions_together_is_answered() -> None:
    data = parse("faq", SURE, {"bring_and_wear": 0.31, "companion": 0.2, "results": 0.08})
    decision = decide(with_check(data, {"companion": 0.66, "bring_and_wear": 0.1, "out_of_scope": 0.03}))
    assert (decision.kind, decision.topics) == ("answer", ("companion",))


def test_strong_agreement_overrules_an_unsure_or_out_of_scope_intent() -> None:
    from bot.answer_policy import revised_intent

    unsure = parse("nlu_fallback", {"nlu_fallback": 0.45, "faq": 0.3}, {"results": 0.98, "arrival": 0.01})
    assert revised_intent(with_check(unsure, {"results": 0.77, "out_of_scope": 0.16})) == "faq"
    assert revised_intent(with_check(unsure, {"out_of_scope": 0.6, "results": 0.3})) is None
    weak = parse("out_of_scope", {"out_of_scope": 0.99}, {"results": 0.4, "arrival": 0.3})
    assert revised_intent(with_check(weak, {"results": 0.77})) is None
    # The decision then treats it as a leaflet question the classifiers agree on.
    revised = with_check(unsure, {"results": 0.77, "out_of_scope": 0.16}, revised_from="nlu_fallback")
    revised["intent"] = {"name": "faq", "confidence": 1.0}
    assert decide(revised).kind == "answer"
    # Never for a question about another treatment or another department.
    dentist = parse("out_of_scope", {"out_of_scope": 0.99}, {"booking": 0.99}) | {
        "text": "how do I get an appointment at the dental clinic"
    }
    assert revised_intent(with_check(dentist, {"booking": 0.6, "out_of_scope": 0.3})) is None


def test_a_short_answer_that_asks_is_a_leaflet_question_when_both_topic_models_agree() -> None:
    """Ninth session: "spotting normal?" was heard as a detail answer and got "not understood"."""
    from bot.answer_policy import revised_intent

    detail = parse("inform_detail", {"inform_detail": 0.65, "faq": 0.2}, {"after_normal": 0.99})
    asked = detail | {"text": "bleeding normal?"}
    assert revised_intent(with_check(asked, {"after_normal": 0.9, "out_of_scope": 0.05})) == "faq"
    told = detail | {"text": "about two days"}  # an answer, not a question: stays a detail
    assert revised_intent(with_check(told, {"after_normal": 0.9, "out_of_scope": 0.05})) is None
    reading = detail | {"text": "38.5?"}  # the topic models do not agree on a topic: stays a detail
    assert revised_intent(with_check(reading, {"out_of_scope": 0.64, "risks": 0.02})) is None


def test_a_question_for_another_department_is_declined_whatever_the_topic() -> None:
    from bot.answer_policy import names_other_service

    for text, topic in [
        ("can the orthodontist see me the same week", "booking"),
        ("waar is de wachtkamer van de oogarts", "arrival"),
        ("will the hospital write me a fit note for my boss for that day", "after_work"),
        ("krijg ik een doktersbriefje voor mijn werkgever", "after_work"),
    ]:
        data = parse("faq", SURE, {topic: 0.9, "risks": 0.05}) | {"text": text}
        assert (decide(data).kind, decide(data).reason) == ("decline", "admin"), text
    assert not names_other_service("can I drive home after the hsg")
    assert not names_other_service("mag ik een pijnstiller nemen voor het onderzoek")
    # Another doctor as context of a medical leaflet question, or the dentist's x-ray as a comparison.
    assert not names_other_service("my cardiologist put me on anticoagulants, what now", "blood_thinners")
    assert not names_other_service("is that more radiation than an x-ray at the dentist", "radiation")


def test_a_request_for_a_diagnosis_is_declined_whatever_the_topic() -> None:
    from bot.answer_policy import asks_for_diagnosis

    for text, topic in [
        ("could I have endometriosis when my periods hurt this much", "pain"),
        ("zou ik pco hebben met zo'n lange cyclus", "timing_cycle"),
        ("am I infertile now that one tube is closed", "results"),
    ]:
        data = parse("faq", SURE, {topic: 0.9, "risks": 0.05}) | {"text": text}
        assert (decide(data).kind, decide(data).reason) == ("decline", "results"), text
    # A fear of a risk, a condition to report, or a question about the equipment is not a diagnosis.
    assert not asks_for_diagnosis("could the hsg make me infertile")
    assert not asks_for_diagnosis("kan ik onvruchtbaar raken door het onderzoek")
    assert not asks_for_diagnosis("I have endometriosis, do I need to tell you")
    assert not asks_for_diagnosis("is everything they use sterile")


def test_without_a_second_opinion_the_selector_decides_alone() -> None:
    data = parse("faq", SURE, {"duration": 0.92, "pain": 0.05})
    assert "topic_check" not in data
    assert decide(data).kind == "answer"


def test_sex_before_or_after_is_decided_by_the_time_named() -> None:
    """Our own wordings; the two topics share every word but the time."""
    sure = {"faq": 0.99, "out_of_scope": 0.01}
    for text, chosen, expected in [
        ("how soon afterwards can we make love", "abstinence", "after_intercourse"),
        ("mogen we de avond erna vrijen", "abstinence", "after_intercourse"),
        ("do we need to stop making love in the week before the hsg", "after_intercourse", "abstinence"),
        ("moeten we vanaf dag 1 geen seks hebben", "after_intercourse", "abstinence"),
        ("is sex a problem around the test", "abstinence", "abstinence"),  # neither: the classifier's
    ]:
        data = parse("faq", sure, {chosen: 0.9, "risks": 0.05}) | {"text": text}
        assert decide(data).topics == (expected,), text


def test_a_question_of_several_words_taken_for_a_social_reply_can_be_revised() -> None:
    """ "moet ik een test doen, en zo ja welke?" is not an affirm; "ja graag" and "thanks!" are."""
    from bot.answer_policy import question_in_small_talk, revised_intent

    assert question_in_small_talk("affirm", "moet ik vooraf een test doen, en zo ja welke?")
    assert question_in_small_talk("goodbye", "bath the same night ok?")
    assert not question_in_small_talk("affirm", "ja graag")
    assert not question_in_small_talk("thank", "thanks a lot, that helps")
    assert not question_in_small_talk("greet", "hi?")
    assert not question_in_small_talk("report_symptom", "is this bleeding normal now?")
    agreed = {"pregnancy_test": 0.9, "pregnancy_possible": 0.05}
    social = parse("affirm", {"affirm": 0.92, "faq": 0.05}, agreed)
    social["text"] = "moet ik vooraf een zwangerschapstest doen, en zo ja welke?"
    assert revised_intent(with_check(social, {"pregnancy_test": 0.65, "out_of_scope": 0.2})) == "faq"
    social["text"] = "ja graag"
    assert revised_intent(with_check(social, {"pregnancy_test": 0.65, "out_of_scope": 0.2})) is None


def test_the_second_opinion_clearly_sure_answers_where_an_offer_would_be_made() -> None:
    # The selector is led by a frequent word ("after" → back to work); the word-level model is sure.
    data = parse("faq", SURE, {"after_work": 0.23, "bring_and_wear": 0.08, "after_driving": 0.07})
    sure = decide(with_check(data, {"pain": 0.31, "painkillers": 0.1, "arrival": 0.08, "out_of_scope": 0.05}))
    assert (sure.kind, sure.topics) == ("answer", ("pain",))
    # Not sure enough, or hardly ahead of its next topic or of out_of_scope: still a "did you mean".
    for check in (
        {"pain": 0.22, "painkillers": 0.1, "out_of_scope": 0.05},
        {"pain": 0.31, "painkillers": 0.29, "out_of_scope": 0.05},
        {"pain": 0.31, "out_of_scope": 0.28, "painkillers": 0.05},
    ):
        assert decide(with_check(data, check)).kind == "offer", check
    # It never overrules a decline: out_of_scope ahead in the second opinion still declines.
    declined = decide(with_check(data, {"out_of_scope": 0.45, "pain": 0.2}))
    assert declined.kind == "decline"


def test_asking_the_state_of_her_own_tubes_is_a_request_to_interpret_results() -> None:
    from bot.answer_policy import asks_for_diagnosis

    for text in (
        "are my tubes blocked or not, the letter is confusing",
        "zijn mijn eileiders nu verstopt of niet?",
        "is my womb normal?",
    ):
        assert asks_for_diagnosis(text), text
        data = parse("faq", SURE, {"results": 0.9, "risks": 0.05}) | {"text": text}
        assert (decide(data).kind, decide(data).reason) == ("decline", "results"), text
    # What the HSG can show is a leaflet question: the subject comes before the verb.
    assert not asks_for_diagnosis("will an hsg show whether my tubes are blocked")
    assert not asks_for_diagnosis("kan het onderzoek laten zien of mijn eileiders open zijn?")


def test_what_she_saw_of_her_own_organs_on_the_images_is_a_result_to_decline() -> None:
    from bot.answer_policy import asks_for_diagnosis

    for text in (
        "on the monitor my right tube looked much narrower, should I worry?",
        "tijdens het onderzoek leek mijn baarmoeder een vreemde vorm te hebben, is dat erg?",
    ):
        assert asks_for_diagnosis(text), text
    # what the images can show, or what happened before, stays a leaflet question
    assert not asks_for_diagnosis("what does a blocked tube look like on the x-ray?")
    assert not asks_for_diagnosis("one tube was blocked last time, can the hsg open it?")


def test_taking_a_coil_or_polyp_out_is_another_procedure() -> None:
    for text in (
        "could they take my coil out at the same visit as the hsg?",
        "how do they remove a fibroid, is it painful?",
        "wordt een poliep tijdens de foto meteen verwijderd?",
    ):
        assert names_other_treatment(text), text
        data = parse("faq", SURE, {"procedure_steps": 0.9, "pain": 0.05}) | {"text": text}
        assert decide(data).kind == "decline", text
    # done before: a history to tell, not the subject
    assert not names_other_treatment("I had two polyps removed in 2023, does that matter for the hsg?")
    assert not names_other_treatment("I have a copper coil, can I still have the hsg?")


def test_parking_is_another_service_whatever_the_topic() -> None:
    """Tenth session: a question about paying for parking got the cost answer of the HSG."""
    for text, topic in [
        ("how much is the car park at the hospital per hour", "cost_insurance"),
        ("waar moet ik parkeren als ik voor de foto kom", "arrival"),
    ]:
        data = parse("faq", SURE, {topic: 0.9, "risks": 0.05}) | {"text": text}
        assert (decide(data).kind, decide(data).reason) == ("decline", "admin"), text
        assert decline_kind(text) == "admin"


def test_a_medicine_named_with_a_condition_to_report_is_a_question_about_reporting() -> None:
    """Tenth session: "I take metformin for my sugar, must I report it?" was declined as another treatment."""
    from bot.answer_policy import topic_asked_alongside

    text = "ik gebruik metformine tegen diabetes, is dat iets om door te geven voor de foto?"
    data = parse("faq", SURE, {"conditions_to_report": 0.95, "blood_thinners": 0.02}) | {"text": text}
    checked = with_check(data, {"conditions_to_report": 0.7, "out_of_scope": 0.05})
    assert decide(checked).topics == ("conditions_to_report",)
    assert topic_asked_alongside(checked) == "conditions_to_report"
    # The same medicine asked about as a fertility treatment stays another subject.
    pcos = "should I start metformin to help me ovulate"
    other = with_check(parse("faq", SURE, {"timing_cycle": 0.9}) | {"text": pcos}, {"timing_cycle": 0.6})
    assert (decide(other).kind, decide(other).reason) == ("decline", "treatment")


def test_asking_how_the_assistant_is_gets_no_leaflet_answer() -> None:
    """Tenth session: a Dutch "how are you?" got the procedure steps ("hoe gaat het ...")."""
    from bot.answer_policy import asks_how_i_am

    for text in ["goedemiddag, hoe is het met u?", "hey how's it going", "alles goed met jou vandaag?"]:
        data = parse("faq", SURE, {"procedure_steps": 0.9, "risks": 0.05}) | {"text": text}
        assert (decide(data).kind, decide(data).reason) == ("decline", "unrelated"), text
    assert not asks_how_i_am("hoe gaat het onderzoek in zijn werk?")
    assert not asks_how_i_am("how are you going to numb the cervix?")


def test_where_to_park_is_another_service() -> None:
    from bot.answer_policy import names_other_service

    text = "where do I park when I come for the test, and what does it cost?"
    assert names_other_service(text, "cost_insurance")
