"""The pre-consultation report: what was said, in the record's sections; what was not said is "not given"."""
from fhir.resources.R4B.bundle import Bundle

from wenzhen.interview import answer, build_report, render_report, report_fhir, start


def interview(opening, replies):
    state, step = start(opening)
    for r in replies:
        if step.status != "open":
            break
        step = answer(state, r(step.question) if callable(r) else r)
    return state


def by_slot(answers):
    def reply(q):
        return answers.get(q.slot, "没有")
    return reply


def test_sections_come_from_the_dialogue():
    state = interview("肚子疼，拉肚子两天", [by_slot({"allergies": "对青霉素过敏", "medications": "吃了蒙脱石散"})] * 14)
    r = build_report(state)
    assert len(r.chief_complaint) <= 20 and "腹痛" in r.chief_complaint and "2天" in r.chief_complaint
    assert "青霉素" in r.allergy_history
    assert "蒙脱石" in r.medication_history
    assert r.findings_absent  # the denials are in the record too
    assert r.triage.triage_level in (1, 2, 3, 4) and r.triage.department
    text = render_report(r)
    for label in ("主诉", "现病史", "既往史", "用药史", "过敏史", "分诊", "鉴别诊断"):
        assert label in text


def test_what_was_not_said_is_not_given():
    state, _ = start("头晕")
    r = build_report(state)
    assert r.allergy_history == "未提供。" and r.medication_history == "未提供。" and r.past_history == "未提供。"
    assert "时间未提供" in r.present_illness
    assert r.chief_complaint == "头晕"


def test_english_report():
    state = interview("I've had a sore throat for two days", ["No."] * 14)
    r = build_report(state)
    assert r.language == "en" and "sore throat" in r.chief_complaint.lower() and "2 d" in r.chief_complaint
    assert "Chief complaint" in render_report(r)


def test_fhir_bundle_is_valid_r4b():
    state = interview("咳嗽一周", ["没有"] * 3)
    r = build_report(state)
    b = report_fhir(r, state, patient_ref="Patient/123")
    Bundle.model_validate(b)
    comp = b["entry"][0]["resource"]
    qr = b["entry"][1]["resource"]
    assert comp["resourceType"] == "Composition" and qr["resourceType"] == "QuestionnaireResponse"
    assert {s["code"]["coding"][0]["code"] for s in comp["section"] if "code" in s} >= {"10154-3", "10164-2", "48765-2"}
    assert len(qr["item"]) == 1 + len(state.asked())  # the opening words and each question
    assert qr["subject"]["reference"] == "Patient/123"


def test_the_past_history_is_the_answer_to_the_history_question_not_to_a_finding_question():
    from wenzhen.interview import answer, start
    from wenzhen.interview.report import build_report
    state, step = start("5岁孩子咳嗽两天")
    while step.status == "open":
        q = step.question
        reply = "不是" if q.id == "child_atopy" else "做过阑尾手术" if q.id == "general_history" else "没有"
        step = answer(state, reply)
    assert "阑尾" in build_report(state).past_history
