from pathlib import Path

from wenzhen.assessment import assess
from wenzhen.kb import get_kb


def test_example_goes_to_chest_pain_centre():
    d = assess("65岁男性，高血压糖尿病多年，突然胸痛喘不过气两小时").department
    assert d.department.id in ("chest_pain_center", "emergency")


def test_stroke_goes_to_stroke_centre():
    d = assess("我妈突然嘴歪了，说话不清楚", age=70).department
    assert d.department.id in ("stroke_center", "emergency")


def test_child_goes_to_paediatrics():
    d = assess("我儿子5岁，咳嗽流鼻涕三天").department
    assert d.department.id in ("pediatrics", "ent")


def test_hospital_configuration_replaces_departments(tmp_path: Path):
    cfg = tmp_path / "hospital.yaml"
    cfg.write_text(
        "hospital: 示例社区医院\n"
        "departments:\n"
        "  - {id: er, name: {zh: 急诊室, en: ER}, covers: [emergency, chest_pain_center, stroke_center], emergency: true, source: 本院科室设置}\n"
        "  - {id: im, name: {zh: 大内科, en: Medicine}, covers: [internal_medicine, general_practice], source: 本院科室设置}\n"
        "doctors:\n"
        "  - {id: d1, name: 王医生, department: er, title: 主治医师, specialties: [acute_coronary_syndrome], schedule: [{weekday: 1, start: '00:00', end: '23:59'}, {weekday: 2, start: '00:00', end: '23:59'}, {weekday: 3, start: '00:00', end: '23:59'}, {weekday: 4, start: '00:00', end: '23:59'}, {weekday: 5, start: '00:00', end: '23:59'}, {weekday: 6, start: '00:00', end: '23:59'}, {weekday: 7, start: '00:00', end: '23:59'}]}\n",
        encoding="utf-8")
    kb = get_kb(str(cfg))
    a = assess("65岁男性，突然胸痛喘不过气两小时", kb=kb)
    assert a.department.department.id == "er"
    assert a.department.hospital == "示例社区医院"
    assert a.department.doctors and a.department.doctors[0].name == "王医生"
    b = assess("咳嗽两周，有点乏力", age=40, kb=kb)
    assert b.department.department.id == "im"
