"""The drafted record: every sentence from the consultation and linked to its utterances; what was not said is
missing, never invented; the doctor's diagnosis coded; the engine's differential kept apart."""
import pytest

from wenzhen.interview import Utterance as U
from wenzhen.interview import answer, start
from wenzhen.records import draft_record, qc_record

CONSULT = [U(speaker="patient", text="医生你好，我家孩子5岁，发烧两天了，咳嗽"), U(speaker="doctor", text="最高多少度？"),
           U(speaker="patient", text="39度"), U(speaker="doctor", text="有没有拉肚子？"), U(speaker="patient", text="没有"),
           U(speaker="doctor", text="对什么药过敏吗？"), U(speaker="patient", text="对青霉素过敏"),
           U(speaker="doctor", text="考虑是急性支气管炎"), U(speaker="doctor", text="建议多喝水，三天不好来复查")]


def test_sections_from_the_consultation_with_their_sources():
    d = draft_record(CONSULT)
    s = d.record.sections
    assert s["主诉"] == "发热、咳嗽2天"
    assert "无腹泻" in s["现病史"]
    assert "青霉素" in s["过敏史"]
    assert "39" in s["体格检查"]
    assert s["初步诊断"].startswith("急性支气管炎") and d.record.diagnoses[0].icd10
    assert "复查" in s["处理意见"]
    assert d.supported_share == 1.0
    by = {(x.section, x.sentence): x.utterances for x in d.record.sources}
    assert by[("过敏史", s["过敏史"])] == [6]
    assert all(x.utterances for x in d.record.sources)


def test_nothing_is_invented():
    d = draft_record([U(speaker="patient", text="头疼三天"), U(speaker="doctor", text="有没有发烧？"), U(speaker="patient", text="没有")])
    assert "既往史" in d.record.missing and "过敏史" in d.record.missing and "初步诊断" in d.record.missing
    assert "初步诊断" not in d.record.sections  # the engine's guesses are suggestions, not the record
    assert d.suggested_diagnoses
    assert "（对话中未提及）" in d.text


def test_a_doctors_question_or_general_advice_is_not_a_diagnosis():
    d = draft_record([U(speaker="patient", text="孩子咳嗽一周"), U(speaker="doctor", text="是不是肺炎？去拍个片子吧"),
                      U(speaker="doctor", text="感冒以后容易引起气管炎和肺炎")])
    assert not d.record.diagnoses


def test_from_a_pre_consultation_interview():
    state, step = start("肚子疼一天，拉肚子")
    while step.status == "open":
        step = answer(state, "没有")
    d = draft_record(state=state)
    assert "腹痛" in d.record.sections["主诉"] and d.supported_share == 1.0


def test_the_draft_passes_its_own_qc_on_what_it_has():
    d = draft_record(CONSULT)
    r = qc_record(d.record)
    rules = {x.rule for x in r.defects}
    assert "chief_complaint_form" not in rules and "chief_complaint_length" not in rules and "chief_in_history" not in rules
    assert "outpatient_past_history" in rules  # the missing section is a defect to fix, not filled in


def test_english():
    d = draft_record([U(speaker="patient", text="I've had a sore throat for three days"), U(speaker="doctor", text="Any fever?"),
                      U(speaker="patient", text="No.")])
    assert "sore throat" in d.record.sections["主诉"].lower() and "fever" in d.record.sections["现病史"].lower()


def test_nothing_to_draft_from():
    with pytest.raises(ValueError):
        draft_record([])


def test_results_told_in_the_consultation_go_to_the_tests_section_as_said():
    from wenzhen.interview.dialogue import Utterance as U
    from wenzhen.records import draft_record

    d = draft_record([U(speaker="patient", text="孩子咳嗽三天了"), U(speaker="doctor", text="查血常规了吗？"),
                      U(speaker="patient", text="查了，血常规白细胞有点高。"),
                      U(speaker="doctor", text="建议再查个支原体抗体。")])
    tests = d.record.sections.get("辅助检查", "")
    assert "白细胞有点高" in tests
    assert "支原体" not in tests and "查血常规了吗" not in tests  # an order and a question are not results
    src = [s for s in d.record.sources if s.section == "辅助检查"]
    assert src and all(s.utterances == [2] for s in src)
    none = draft_record([U(speaker="patient", text="孩子咳嗽三天了"), U(speaker="doctor", text="去查个血常规吧。")])
    assert "辅助检查" not in none.record.sections and "辅助检查" in none.record.missing
