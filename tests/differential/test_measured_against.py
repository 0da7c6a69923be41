"""A measurement that contradicts a condition counts against it: a systolic of 85 mmHg is not uncontrolled
hypertension, a normal temperature is not a febrile illness; the same complaint with the opposite measurement
keeps those conditions at the top (the rule must not simply demote them)."""
from wenzhen.assessment import assess


def ranks(text, **kw):
    return [c.id for c in assess(text, **kw).differential.likely]


def test_low_blood_pressure_counts_against_uncontrolled_hypertension():
    low = assess("头晕", age=72, vitals={"sbp": 85, "hr": 128}).differential.likely
    assert low[0].id != "hypertension_uncontrolled"
    htn = next(c for c in low if c.id == "hypertension_uncontrolled")
    assert "elevated_blood_pressure" in {e.id for e in htn.findings_against}
    assert ranks("头晕", age=72, vitals={"sbp": 185})[0] == "hypertension_uncontrolled"


def test_a_normal_temperature_counts_against_fever_but_a_reported_fever_stands():
    assert "acute_febrile_illness" not in ranks("孩子咳嗽流鼻涕两天", age=4, vitals={"temp_c": 36.8})[:4]
    assert "acute_febrile_illness" in ranks("孩子咳嗽流鼻涕两天", age=4, vitals={"temp_c": 39.2})[:4]
    said = assess("孩子发烧两天，咳嗽流鼻涕", age=4, vitals={"temp_c": 36.8})
    fever = [f for f in said.understanding.findings if f.id == "fever"]
    assert fever and fever[0].status == "present"  # the reading does not overrule what was said
