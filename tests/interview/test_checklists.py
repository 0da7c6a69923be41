"""Checklist questions: several findings asked at once (a sick child's danger signs, a complaint's associated
symptoms, the findings that best separate the leading conditions). The answer names those present; "都没有" denies
all; a bare yes to danger signs escalates, to anything else it is asked again one by one."""
import re

import pytest

from wenzhen.interview import Utterance, answer, start, understand_dialogue
from wenzhen.interview.engine import MAX_QUESTIONS, MSG
from wenzhen.interview.templates import templates
from wenzhen.kb import get_kb


def _status(state, fid):
    from wenzhen.interview.engine import _assess
    reading, _ = _assess(state, get_kb())
    return next((f.status for f in reading.picture.findings if f.id == fid and f.experiencer == "patient"), None)


def _to_question(state, step, qid_prefix, reply="没有"):
    """Answer `reply` until the question whose id starts with qid_prefix; returns it (None if the interview ended)."""
    while step.status == "open":
        if step.question.id.startswith(qid_prefix):
            return step
        step = answer(state, reply)
    return None


def test_a_sick_childs_danger_signs_are_asked_together_early():
    state, step = start("孩子5岁，发烧两天")
    ids = []
    while step.status == "open" and len(ids) < 3:
        ids.append(step.question.id)
        step = answer(state, "不清楚" if step.question.id != "child_danger_signs" else "都没有")
    assert "child_danger_signs" in ids[:2]  # right after the duration
    for fid in ("lethargy", "seizure", "intractable_vomiting", "altered_consciousness"):
        assert _status(state, fid) == "absent"
    assert step.status == "open"  # none of them: the interview goes on


@pytest.mark.parametrize("reply", ["有", "是的", "抽搐过", "叫不醒"])
def test_a_danger_sign_ends_the_interview_as_an_emergency(reply):
    """A bare yes counts as all of them: IMCI refers any general danger sign urgently."""
    state, step = start("孩子5岁，发烧两天")
    step = _to_question(state, step, "child_danger_signs", reply="不清楚")
    step = answer(state, reply)
    assert step.status == "ended" and step.end_reason == "red_flag" and step.triage.triage_level <= 2


def test_vomiting_everything_is_read_and_raises_the_triage():
    state, step = start("孩子5岁，发烧两天")
    step = _to_question(state, step, "child_danger_signs", reply="不清楚")
    before = step.triage.triage_level
    step = answer(state, "吃什么吐什么")
    assert _status(state, "intractable_vomiting") == "present"
    assert step.triage.triage_level <= min(before, 3)


def test_not_sure_about_danger_signs_is_not_an_emergency():
    state, step = start("孩子5岁，发烧两天")
    step = _to_question(state, step, "child_danger_signs", reply="不清楚")
    step = answer(state, "不清楚")
    assert step.status == "open"


def test_naming_some_items_of_a_checklist_leaves_the_others_unknown_not_denied():
    state, step = start("孩子5岁，发烧两天")
    step = _to_question(state, step, "fever_child_associated", reply="没有")
    assert step is not None and step.question.checklist and step.question.options[0] == "都没有"
    answer(state, "咳嗽、流鼻涕")
    assert _status(state, "cough") == "present" and _status(state, "runny_nose") == "present"
    assert _status(state, "vomiting") != "absent" and _status(state, "diarrhea") != "absent"


def test_denying_one_item_denies_that_one_only():
    state, step = start("孩子5岁，发烧两天")
    step = _to_question(state, step, "fever_child_associated", reply="没有")
    answer(state, "没有拉肚子和呕吐，有点咳嗽")
    assert _status(state, "diarrhea") == "absent" and _status(state, "vomiting") == "absent"
    assert _status(state, "cough") == "present"
    assert _status(state, "rash") != "absent" and _status(state, "runny_nose") != "absent"


def test_a_bare_yes_to_associated_symptoms_is_followed_by_which():
    state, step = start("孩子5岁，发烧两天")
    step = _to_question(state, step, "fever_child_associated", reply="没有")
    items = list(step.question.about)
    step = answer(state, "有")
    for fid in items:  # not all of them present: which ones is not said
        assert _status(state, fid) != "present"
    assert step.question.id == "fever_child_associated:which" and step.question.about == items
    step = answer(state, "咳嗽")
    assert _status(state, "cough") == "present" and _status(state, "rash") != "present"
    later = []
    while step.status == "open":
        later.append(step.question)
        step = answer(state, "没有")
    assert len(state.asked()) <= MAX_QUESTIONS
    assert not any(set(q.about) & set(items) - {"cough"} for q in later if q.checklist)  # not listed again


def test_a_second_bare_yes_leaves_them_unknown_and_the_interview_goes_on():
    state, step = start("孩子5岁，发烧两天")
    step = _to_question(state, step, "fever_child_associated", reply="没有")
    step = answer(state, "有")
    step = answer(state, "有")
    assert step.status == "open" and not step.question.id.endswith(":which")
    n = 0
    while step.status == "open":
        step = answer(state, "有" if step.question.checklist and step.question.slot != "red_flags" else "没有")
        n += 1
    assert len(state.asked()) <= MAX_QUESTIONS and step.end_reason in ("enough", "limit")


def test_the_engine_builds_checklists_from_what_separates_the_leading_conditions():
    state, step = start("孩子咳嗽，流鼻涕")
    seen = []
    while step.status == "open":
        seen.append(step.question)
        step = answer(state, "不清楚")
    built = [q for q in seen if q.checklist and q.source == "differential"]
    assert built, [q.text for q in seen]
    for q in built:
        assert 2 <= len(q.about) <= 5 and q.options[0] == MSG["checklist_none"]["zh"]
        assert all(get_kb().findings[f].category == "symptom" for f in q.about)


@pytest.mark.parametrize("lang,no", [("zh", "没有"), ("en", "No.")])
def test_every_template_checklist_is_read_back_item_by_item(lang, no):
    """A "no" to a checklist denies each finding it lists, and its quick replies start with "none" and end with
    "not sure" (the chat page sends those alone and lets the others be picked together)."""
    kb = get_kb()
    checked = 0
    for t in templates(kb).values():
        for q in t.questions:
            if not q.checklist:
                continue
            checked += 1
            text = q.ask.zh if lang == "zh" else q.ask.en
            r = understand_dialogue([Utterance(speaker="patient", text="孩子不舒服" if lang == "zh" else "my child is unwell"),
                                     Utterance(speaker="doctor", text=text), Utterance(speaker="patient", text=no)], lang)
            denied = {f.id for f in r.picture.findings if f.status == "absent"}
            assert set(q.about) <= denied, (q.id, set(q.about) - denied)
            first, last = q.options[0], q.options[-1]
            assert (first.zh, last.zh) == ("都没有", "不清楚"), q.id
    assert checked >= 6


def test_english_checklists_work_end_to_end():
    state, step = start("My 4 year old has had a fever for two days")
    step = _to_question(state, step, "fever_child_associated", reply="No.")
    assert step is not None and step.question.text.startswith("Besides the fever")
    answer(state, "cough and a runny nose")
    assert _status(state, "cough") == "present" and _status(state, "runny_nose") == "present"
    assert _status(state, "rash") != "absent"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_each_item_of_a_template_checklist_is_read_when_picked_alone(lang):
    """The chat page sends the picked items' labels ("流鼻涕、烦躁不安"): each must name its finding, present."""
    kb = get_kb()
    for t in templates(kb).values():
        for q in t.questions:
            if not q.checklist:
                continue
            items = q.options[1:-1]
            assert len(items) == len(q.about), q.id  # one quick reply per finding, in order
            ask = q.ask.zh if lang == "zh" else q.ask.en
            for fid, label in zip(q.about, items):
                said = label.zh if lang == "zh" else label.en
                r = understand_dialogue([Utterance(speaker="patient", text="孩子不舒服" if lang == "zh" else "my child is unwell"),
                                         Utterance(speaker="doctor", text=ask), Utterance(speaker="patient", text=said)], lang)
                present = {f.id for f in r.picture.findings if f.status == "present"}
                assert fid in present, (q.id, said, present)


def test_a_list_with_some_items_known_keeps_the_templates_plain_words():
    state, step = start("孩子5岁，发烧两天，咳嗽")
    step = _to_question(state, step, "fever_child_associated", reply="都没有")
    assert step is not None and "咳嗽" not in step.question.about  # already said
    assert "烦躁不安" in step.question.text and "流鼻涕" in step.question.text


SENSATIONS = {"headache", "chest_tightness", "chest_pain", "myalgia", "nausea", "dizziness", "sore_throat"}


@pytest.mark.parametrize("opening", ["宝宝1岁，发烧两天，咳嗽", "孩子2岁，吐了两次，拉肚子", "my 18 month old has a fever and a runny nose"])
def test_a_toddlers_parent_is_not_asked_about_sensations_the_child_cannot_tell(opening):
    state, step = start(opening)
    while step.status == "open":
        step = answer(state, "不清楚" if state.language == "zh" else "Not sure")
    asked = {f for q in state.asked() for f in q.about}
    assert not asked & SENSATIONS, asked & SENSATIONS


def test_an_older_childs_parent_is_asked_about_them():
    asked = set()
    for opening in ("孩子6岁，发烧两天，咳嗽", "孩子7岁，吐了两次，拉肚子", "孩子8岁，嗓子疼，发烧"):
        state, step = start(opening)
        while step.status == "open":
            step = answer(state, "不清楚")
        asked |= {f for q in state.asked() for f in q.about}
    assert asked & SENSATIONS


def test_english_questions_to_a_parent_ask_about_the_child():
    for opening in ("My 4 year old son has had a fever and a cough for two days", "my 6 year old daughter has tummy pain"):
        state, step = start(opening)
        texts = []
        while step.status == "open":
            texts.append(step.question.text)
            step = answer(state, "No.")
        assert not [t for t in texts if re.match(r"(?:Are|Do|Have) you\b", t)], texts
        assert any(t.startswith(("Is your child", "Does your child", "Has your child")) for t in texts)
    state, step = start("I've had a cough for two days")  # an adult is still asked as "you"
    texts = []
    while step.status == "open":
        texts.append(step.question.text)
        step = answer(state, "No.")
    assert not any("your child" in t for t in texts)
