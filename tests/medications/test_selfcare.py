"""Self-care guidance: offered only at level IV, dosed for the patient's age and weight, and every medicine passes
the medication checks — an allergy, an anticoagulant or late pregnancy removes ibuprofen, while a healthy adult
with the same sprain is offered both painkillers."""
import pytest

from wenzhen.assessment import assess
from wenzhen.kb.loader import load_kb
from wenzhen.medications.selfcare import load_self_care_plans, self_care_for_assessment, self_care_guidance


def offered(g):
    return [m.drug for m in g.medicines]


def test_every_plan_names_known_conditions_and_otc_drugs():
    kb = load_kb()
    plans = load_self_care_plans()
    assert len(plans) >= 10
    for p in plans:
        for c in p.conditions:
            assert c in kb.conditions, f"{p.id}: {c}"
            assert kb.conditions[c].self_care_possible, f"{p.id}: {c} is not a self-care condition"


def test_an_emergency_gets_no_self_medication():
    g = self_care_for_assessment(assess("65岁男性，高血压糖尿病多年，突然胸痛喘不过气两小时"))
    assert not g.offered and g.medicines == [] and "120" in g.reason
    g = self_care_guidance(["common_cold"], {"age": 30}, triage_level=3, level_name="III")
    assert not g.offered and g.medicines == []


def test_a_childs_fever_dose_by_weight_in_millilitres():
    g = self_care_guidance(["common_cold"], {"age": 3, "weight_kg": 14})
    assert offered(g) == ["paracetamol", "ibuprofen"]
    para = g.medicines[0].how_to_take
    assert "140–210 mg" in para and "4–6.5 mL" in para and "840 mg" in para  # 10–15 mg/kg; 60 mg/kg/day
    ibu = g.medicines[1].how_to_take
    assert "70–140 mg" in ibu and "560 mg" in ibu  # 5–10 mg/kg; 40 mg/kg/day


def test_a_child_without_a_weight_is_told_the_rule_not_a_guessed_dose():
    g = self_care_guidance(["common_cold"], {"age": 4})
    assert g.offered and all("mg/kg" not in m.how_to_take and "每公斤体重" in m.how_to_take for m in g.medicines)


def test_a_young_baby_is_not_dosed_at_home():
    g = self_care_guidance(["common_cold"], {"age": 0.15, "weight_kg": 5})
    assert offered(g) == [] and {m.drug for m in g.not_for_you} == {"paracetamol", "ibuprofen"}


def test_the_patients_own_facts_remove_what_does_not_suit_them():
    healthy = self_care_for_assessment(assess("崴脚了，脚踝肿痛，还能走路"))
    assert healthy.offered and offered(healthy) == ["paracetamol", "ibuprofen"]
    allergic = self_care_for_assessment(assess("我对布洛芬过敏，崴脚了，脚踝肿痛，还能走路"))
    assert offered(allergic) == ["paracetamol"] and [m.drug for m in allergic.not_for_you] == ["ibuprofen"]
    on_warfarin = self_care_guidance(["ankle_sprain"], {"age": 70}, taking=["华法林"])
    assert "ibuprofen" not in offered(on_warfarin) and "paracetamol" in offered(on_warfarin)
    pregnant = self_care_guidance(["common_cold"], {"age": 30, "pregnant": True, "trimester": 3})
    assert offered(pregnant) == ["paracetamol"]


def test_adult_doses_stay_within_the_otc_label():
    g = self_care_guidance(["common_cold"], {"age": 40})
    assert "500 mg" in g.medicines[0].how_to_take and "2000 mg" in g.medicines[0].how_to_take
    assert "1200 mg" in g.medicines[1].how_to_take


@pytest.mark.parametrize("text,plan", [
    ("拉肚子一天了，水样便，没有发烧", "diarrhoea"),
    ("I get heartburn after big meals, no trouble swallowing", "heartburn"),
])
def test_plain_complaints_reach_their_plan(text, plan):
    a = assess(text)
    g = self_care_for_assessment(a)
    if a.triage.triage_level < 4:
        assert not g.offered
    else:
        assert g.plan == plan and g.see_doctor_if


def test_a_leading_condition_that_needs_a_doctor_stops_self_care_even_at_level_iv():
    a = assess("肚子痛了一天")
    top = a.differential.likely[0]
    g = self_care_for_assessment(a)
    if top.typical_urgency < 4:
        assert not g.offered and g.medicines == []


def test_no_plan_says_so():
    g = self_care_guidance(["psoriasis"], {"age": 30}, condition_names={"psoriasis": "银屑病"})
    assert not g.offered and "银屑病" in g.reason
