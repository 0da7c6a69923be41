"""Record QC: each rule finds its defect and stays quiet on a correct record (both sides bounded)."""
from datetime import datetime, timedelta

import pytest

from wenzhen.records import MedicalRecord, qc_record, record_from_text

GOOD = """主诉：发热、咳嗽2天
现病史：患儿2天前出现发热，最高39℃，伴咳嗽，有痰。无气促。
既往史：既往体健。
过敏史：否认药物过敏史。
体格检查：T 38.6℃，咽充血，左下肺可闻及湿啰音。
辅助检查：血常规白细胞升高。胸片示左下肺片状影。
初步诊断：社区获得性肺炎
处理意见：阿莫西林口服，3天复诊。"""


def rules(text=GOOD, **kw):
    kw.setdefault("patient", {"age": 5, "sex": "female"})
    kw.setdefault("diagnoses", [{"name": "社区获得性肺炎", "icd10": "J18.900"}])
    return {d.rule for d in qc_record(record_from_text(text, **kw)).defects}


def test_a_correct_record_has_no_defect_and_grade_a():
    r = qc_record(record_from_text(GOOD, patient={"age": 5, "sex": "female"}, prescriptions=["阿莫西林 0.25g tid"],
                                   diagnoses=[{"name": "社区获得性肺炎", "icd10": "J18.900"}]))
    assert r.defects == [] and r.score == 100 and r.grade == "甲"


@pytest.mark.parametrize("edit, rule", [
    (lambda t: t.replace("主诉：发热、咳嗽2天\n", ""), "outpatient_chief_complaint"),
    (lambda t: t.replace("过敏史：否认药物过敏史。\n", ""), "outpatient_allergy"),
    (lambda t: t.replace("主诉：发热、咳嗽2天", "主诉：患儿因发热伴有咳嗽咳痰来我院门诊就诊已有两天了"), "chief_complaint_length"),
    (lambda t: t.replace("主诉：发热、咳嗽2天", "主诉：发热、咳嗽"), "chief_complaint_form"),
    (lambda t: t.replace("主诉：发热、咳嗽2天", "主诉：腹痛2天"), "chief_in_history"),
    (lambda t: t.replace("无气促。", "无气促。末次月经3天前。"), "age_consistency"),
    (lambda t: t.replace("主诉：发热、咳嗽2天", "主诉：右膝疼痛2天").replace("左下肺可闻及湿啰音", "左膝关节肿胀"), "laterality_consistency"),
    (lambda t: t.replace("处理意见：阿莫西林口服", "处理意见：XXX"), "placeholder_text"),
])
def test_each_rule_finds_its_defect(edit, rule):
    assert rule in rules(edit(GOOD))


def test_sex_specific_words():
    assert "sex_consistency" in rules(GOOD.replace("无气促。", "无气促。前列腺无压痛。"))
    assert "sex_consistency" not in rules(GOOD.replace("无气促。", "无气促。前列腺无压痛。"), patient={"age": 60, "sex": "male"})


def test_diagnosis_rules():
    assert "diagnosis_coded" in rules(diagnoses=[{"name": "社区获得性肺炎"}])
    assert "diagnosis_coded" in rules(diagnoses=[{"name": "社区获得性肺炎", "icd10": "肺炎"}])
    assert "diagnosis_supported" in rules(GOOD.replace("社区获得性肺炎", "偏头痛"), diagnoses=[{"name": "偏头痛", "icd10": "G43.900"}])
    assert "diagnosis_supported" not in rules()
    assert "diagnosis_coded" not in rules(diagnoses=[{"name": "高血压", "icd10": "I10.x00x002"}])  # 国家临床版 2.0 form
    assert "diagnosis_coded" not in rules(diagnoses=[{"name": "带状疱疹后神经痛", "icd10": "B02.202+G53.0*"}])  # dagger, asterisk
    assert "diagnosis_coded" in rules(diagnoses=[{"name": "带状疱疹后神经痛", "icd10": "B02.202+"}])


MYOMA = """主诉：月经量增多1年
现病史：患者1年前起月经量明显增多，有血块，伴乏力、头晕，无腹痛。
既往史：既往体健。
过敏史：否认药物过敏史。
体格检查：贫血貌，子宫增大如孕10周大小。
辅助检查：盆腔B超：子宫肌壁间多发低回声结节。
初步诊断：子宫平滑肌瘤
处理意见：择期手术。"""


def test_a_diagnosis_in_place_of_the_symptoms():
    def got(text):
        return rules(text, patient={"age": 42, "sex": "female"}, diagnoses=[{"name": "子宫平滑肌瘤", "icd10": "D25.900"}])
    assert "chief_complaint_diagnosis" not in got(MYOMA)
    assert "chief_complaint_diagnosis" in got(MYOMA.replace("月经量增多1年", "发现子宫肌瘤1年"))
    # no symptom to tell: a finding at a check-up may be the complaint (诊断学); so may the planned treatment
    silent = MYOMA.replace("月经量增多1年", "发现子宫肌瘤1年").replace(
        "患者1年前起月经量明显增多，有血块，伴乏力、头晕，无腹痛。", "1年前体检B超发现子宫肌瘤，无月经改变，无腹痛，无尿频。")
    assert "chief_complaint_diagnosis" not in got(silent)
    assert "chief_complaint_diagnosis" not in got(MYOMA.replace("月经量增多1年", "子宫肌瘤术后1年复查"))


def test_age_in_past_history_only_for_a_minimum_age():
    adult = GOOD.replace("既往体健。", "前列腺增生病史2年。")
    assert "age_consistency" in rules(adult, patient={"age": 25, "sex": "male"})
    assert "age_consistency" not in rules(adult, patient={"age": 68, "sex": "male"})
    # neonatal jaundice is history at any age
    assert "age_consistency" not in rules(GOOD.replace("既往体健。", "生后新生儿黄疸，已愈。"), patient={"age": 30, "sex": "male"})


def test_allergy_against_the_prescription_is_a_veto():
    text = GOOD.replace("否认药物过敏史", "对青霉素过敏")
    r = qc_record(record_from_text(text, patient={"age": 5, "sex": "female"}, prescriptions=["阿莫西林 0.25g tid"],
                                   diagnoses=[{"name": "社区获得性肺炎", "icd10": "J18.900"}]))
    assert "allergy_vs_prescription" in {d.rule for d in r.defects} and r.grade == "丙"
    r = qc_record(record_from_text(text, patient={"age": 5, "sex": "female"}, prescriptions=["阿奇霉素 0.1g qd"],
                                   diagnoses=[{"name": "社区获得性肺炎", "icd10": "J18.900"}]))
    assert "allergy_vs_prescription" not in {d.rule for d in r.defects}


def test_deadlines():
    t0 = datetime(2026, 12, 1, 8, 0)
    docs = [{"type": "入院记录", "written_at": t0 + timedelta(hours=30)}, {"type": "首次病程记录", "written_at": t0 + timedelta(hours=5)},
            {"type": "上级医师首次查房记录", "written_at": t0 + timedelta(hours=20)}]
    rec = MedicalRecord(kind="admission", admitted_at=t0, documents=docs, sections={"主诉": "发热2天"})
    found = {d.rule: d.detail for d in qc_record(rec).defects}
    assert found["admission_record_24h"] == "+6.0 h"
    assert "first_progress_note_8h" not in found and "senior_round_48h" not in found
    rec.events = {"抢救": t0 + timedelta(hours=50)}
    assert qc_record(rec).defects and "rescue_record_6h" in {d.rule for d in qc_record(rec).defects}  # no rescue record


def test_score_and_grades():
    r = qc_record(record_from_text("主诉：咳嗽3天\n现病史：咳嗽3天。", patient={"age": 30, "sex": "male"}))
    assert r.score < 90 and r.grade in ("乙", "丙")
    assert r.grade == "丙"  # no diagnosis: a single-item veto
    for d in r.defects:
        assert d.message and d.fix and d.source


def test_headings_and_aliases():
    r = record_from_text("主诉：咳嗽3天\n查体：咽红\n诊断：急性咽炎")
    from wenzhen.records.qc import canonical_sections, load_rules
    s = canonical_sections(r, load_rules())
    assert s["体格检查"] == "咽红" and s["初步诊断"] == "急性咽炎"


COLD = """主诉：发热、流涕1天
现病史：患儿1天前出现发热，最高38.5℃，伴流清涕、鼻塞，偶有咳嗽。
既往史：既往体健。
过敏史：否认药物过敏史。
体格检查：T 38.3℃，咽部充血，双侧鼓膜完整。
辅助检查：无。
初步诊断：急性上呼吸道感染
处理意见：对症处理。"""


def test_support_another_diagnosis_accounts_for_does_not_count_twice():
    def got(text, dx):
        return rules(text, patient={"age": 3, "sex": "male"}, diagnoses=[{"name": n, "icd10": c} for n, c in dx])
    cold = [("急性上呼吸道感染", "J06.900")]
    assert "diagnosis_supported" not in got(COLD, cold)
    otitis = cold + [("急性中耳炎", "H66.900x002")]
    assert "diagnosis_supported" in got(COLD, otitis)  # fever and a runny nose are the cold's
    assert "diagnosis_supported" not in got(COLD.replace("偶有咳嗽。", "偶有咳嗽，今日诉左耳痛，抓耳哭闹。"), otitis)


def test_a_known_disease_is_supported_by_its_history():
    dx = [("社区获得性肺炎", "J18.900"), ("2型糖尿病", "E11.900")]
    def got(text):
        return rules(text, patient={"age": 60, "sex": "male"}, diagnoses=[{"name": n, "icd10": c} for n, c in dx])
    assert "diagnosis_supported" in got(GOOD)  # nothing in the record speaks of diabetes
    assert "diagnosis_supported" not in got(GOOD.replace("既往体健。", "2型糖尿病病史8年，口服二甲双胍。"))
    assert "diagnosis_supported" not in got(GOOD.replace("有痰。", "有痰。近1月口干、多饮、多尿。"))
