"""Advice comes from the decision and never names a drug the patient's own words rule out."""
import pytest

from wenzhen.assessment import assess


def _advice(a) -> str:
    return " ".join(a.advice.what_to_do_now)


@pytest.mark.parametrize("text", [
    "我对阿司匹林过敏，刚才胸口压着疼，出了一身冷汗",
    "我爸一直吃华法林，半小时前开始胸口闷痛，出冷汗",
    "我爸胸口和后背突然撕裂一样的疼，满头大汗",
    "上周刚胃出血住过院，今天又胸口压着疼，出冷汗",
    "I'm allergic to aspirin and I've had crushing chest pain for 30 minutes, sweating",
    "my husband is on warfarin, crushing chest pain for 40 minutes and sweaty",
])
def test_aspirin_is_withheld_when_the_patient_said_why_not(text):
    a = assess(text)
    assert a.triage.triage_level <= 2
    assert "阿司匹林" not in _advice(a) and "aspirin" not in _advice(a).lower()


def test_aspirin_is_still_offered_when_nothing_rules_it_out():
    # The check withholds with a reason; it does not remove aspirin from every chest pain.
    a = assess("65岁男性，胸口压着疼半小时，出冷汗")
    assert a.triage.triage_level <= 2
    assert "阿司匹林" in _advice(a)


def test_withheld_advice_says_why():
    a = assess("对阿司匹林过敏，胸口压着疼，出冷汗")
    assert any("阿司匹林" in w.text and w.reason for w in a.advice.withheld)


@pytest.mark.parametrize("text, must, must_not", [
    ("家里烧煤炉子取暖，早上起来一家人都头疼恶心", ["离开"], ["暗室", "休息"]),
    ("孩子被蜜蜂蛰了，嘴唇肿起来，喘不上气", ["肾上腺素"], ["吸入剂"]),
    ("my son was stung by a wasp, now his lips are swelling and he is wheezing", ["adrenaline"], ["reliever inhaler"]),
    ("孩子发烧，腿上起了好多紫红色的点，按了不褪色", ["急诊"], ["布洛芬", "多休息"]),
])
def test_advice_follows_the_rule_that_fired(text, must, must_not):
    a = assess(text)
    advice = _advice(a)
    assert a.triage.triage_level <= 2
    assert all(m.lower() in advice.lower() for m in must), advice
    assert not any(m.lower() in advice.lower() for m in must_not), advice


@pytest.mark.parametrize("text", [
    "A 45-year-old man presents with a three-day history of productive cough and fever. SpO2 86% on room air.",
    "78岁老人，咳嗽发热两天，血氧88%",
    "发烧三天，两周前刚从非洲回来",
])
def test_no_home_care_at_level_one_or_two(text):
    a = assess(text)
    assert a.triage.triage_level <= 2
    advice = _advice(a)
    for word in ("多休息", "多饮水", "rest", "drink fluids", "ibuprofen", "布洛芬"):
        assert word not in advice


def test_home_care_still_given_for_a_minor_complaint():
    a = assess("30岁，昨天开始流鼻涕打喷嚏，嗓子有点痒，不发烧，精神挺好")
    assert a.triage.triage_level == 4
    assert len(a.advice.what_to_do_now) >= 2  # the disposition and the condition's own advice
