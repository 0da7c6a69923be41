import pytest

from wenzhen.assessment import assess


def level(text, **kw):
    return assess(text, **kw).triage


def test_example_is_emergency_with_reasons_and_sources():
    t = level("65岁男性，高血压糖尿病多年，突然胸痛喘不过气两小时，现在应该怎么办？")
    assert t.triage_level <= 2
    assert t.disposition == "call_120"
    assert t.rules_fired and all(r.source for r in t.rules_fired)
    assert any("胸痛" in r.evidence for r in t.rules_fired)


@pytest.mark.parametrize("text,max_level", [
    ("我爸突然叫不醒了", 1),
    ("嘴唇发紫，喘不上气", 1),
    ("突然口角歪斜，说话不清", 2),
    ("一辈子最厉害的头痛，突然开始的", 2),
    ("吐血了，很多", 2),
    ("不想活了，想自杀", 2),
    ("孩子误服了奶奶的降压药", 2),
    ("my husband has crushing chest pain and is sweating", 2),
    ("she suddenly can't speak and her face is drooping", 2),
])
def test_red_flags(text, max_level):
    assert level(text).triage_level <= max_level


@pytest.mark.parametrize("vitals,max_level", [
    ({"spo2": 85}, 2), ({"spo2": 75}, 1), ({"sbp": 65, "dbp": 40}, 1), ({"hr": 190}, 1),
    ({"rr": 34}, 2), ({"temp_c": 41.5}, 2), ({"gcs": 7}, 1),
])
def test_vital_criteria_apply_whatever_the_complaint(vitals, max_level):
    assert level("脚趾头有点痒", age=40, vitals=vitals).triage_level <= max_level


def test_vitals_in_text_apply_too():
    assert level("有点咳嗽，血氧88%").triage_level <= 2


def test_infant_fever_is_urgent():
    assert level("宝宝2个月大，发烧38.5度").triage_level <= 2


def test_infant_thresholds_do_not_apply_to_adults():
    t = level("发烧38.5度，嗓子疼，有点咳嗽", age=30)
    assert t.triage_level >= 3


def test_mild_complaint_is_not_an_emergency():
    t = level("流鼻涕打喷嚏两天，不发烧", age=30)
    assert t.triage_level == 4
    assert t.disposition in ("self_care", "outpatient")


def test_negated_red_flag_does_not_fire():
    t = level("头痛两天，没有胸痛，没有呼吸困难", age=30)
    assert not any(r.id.startswith("chest_pain") for r in t.rules_fired)


def test_uncertain_red_flag_still_escalates():
    assert level("好像有点胸痛，喘不过气", age=50).triage_level <= 2


def test_unknown_age_is_said():
    t = level("头痛")
    assert any("年龄" in n.zh for n in t.notes)


def test_ktas_mapping():
    assert level("流鼻涕两天", age=30).ktas_equivalent in (4, 5)
    assert level("胸痛，喘不过气", age=60).ktas_equivalent == 2


def test_a_clearly_leading_urgent_condition_is_seen_today():
    # A knocked-out tooth is not can't-miss, but it is time-critical: level III, not an outpatient booking.
    a = assess("孩子摔了一跤，门牙整颗掉出来了，牙龈一直出血，牙疼")
    assert a.triage.triage_level == 3 and any(r.id == "likely_dental_avulsion" for r in a.triage.rules_fired)


def test_a_leading_benign_condition_does_not_escalate():
    assert assess("嗓子有点疼，流鼻涕，打喷嚏两天了").triage.triage_level == 4


def test_assumed_age_band_is_said_in_both_languages_and_only_when_assumed():
    notes = level("孩子发烧咳嗽两天").notes
    assert any(n.zh == "未说明具体年龄，按儿童评估。" and n.en == "Exact age not given: assessed as child." for n in notes)
    stated = level("5岁孩子发烧咳嗽两天").notes
    assert not any("Exact age not given" in n.en for n in stated)
