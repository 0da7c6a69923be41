"""Signs that make a visit urgent without naming a disease, bounded from both sides: a restless child, a child who
vomits everything, fever after handling marmots. And what they must not do: send an irritable, feverish child to a
psychiatrist, or make every vomit or every trip to the grasslands an emergency."""
import pytest

from wenzhen.assessment import assess


def _fired(a):
    return {r.id for r in a.triage.rules_fired}


@pytest.mark.parametrize("text", ["孩子4岁，发烧两天，有点烦躁不安", "宝宝3岁，咳嗽发烧，晚上烦躁不安睡不好",
                                  "my 6 year old has a fever and is restless and agitated"])
def test_a_restless_child_is_seen_soon_not_sent_to_psychiatry(text):
    a = assess(text)
    assert a.triage.triage_level == 3
    assert "acute_psychosis" not in _fired(a) and a.department.department.id != "psychiatry"


def test_hallucinations_still_get_a_psychiatric_assessment():
    a = assess("我弟弟28岁，这几天总说有人要害他，还听到有人跟他说话")
    assert "acute_psychosis" in _fired(a) and a.triage.triage_level <= 3


@pytest.mark.parametrize("text,level", [("孩子5岁，发烧两天，吃什么吐什么", 3), ("孩子吐了一天，喝水都吐", 3),
                                        ("my 3 year old is throwing up everything, even water", 3),
                                        ("孩子吐了两次，现在能喝水", 4)])
def test_a_child_who_vomits_everything_is_urgent_but_one_who_vomited_twice_is_not(text, level):
    assert assess(text).triage.triage_level == level


@pytest.mark.parametrize("text", ["前几天在草原上剥过旱獭，现在高烧，腹股沟淋巴结肿痛", "吃了旱獭肉以后高烧咳嗽",
                                  "抓了只土拨鼠玩，现在发高烧"])
def test_fever_after_handling_marmots_is_suspected_plague(text):
    a = assess(text)
    assert a.triage.triage_level <= 2 and "fever_after_marmot_contact" in _fired(a)
    assert "plague" in {c.id for c in a.differential.cant_miss + a.differential.likely} or "淋巴结" not in text


@pytest.mark.parametrize("text", ["去草原玩了，发烧两天", "我女儿5岁，发烧两天了，咳嗽"])
def test_a_fever_without_that_contact_is_not(text):
    a = assess(text)
    assert a.triage.triage_level >= 3
    shown = {c.id for c in a.differential.cant_miss + a.differential.likely}
    assert "plague" not in shown and "high_altitude_pulmonary_edema" not in shown and "neutropenic_fever" not in shown


def test_febrile_neutropenia_leads_when_the_count_or_the_chemotherapy_says_so():
    for text in ("白细胞0.3，发烧", "ANC 0.3, fever 38.5", "化疗后第7天，发烧39度"):
        a = assess(text)
        assert a.triage.triage_level <= 2
        assert a.differential.likely[0].id == "neutropenic_fever", text
