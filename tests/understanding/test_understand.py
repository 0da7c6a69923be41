import pytest

from wenzhen.understanding import understand
from wenzhen.understanding.text import cn2num


def by_id(p, fid, experiencer="patient"):
    return next(f for f in p.findings if f.id == fid and f.experiencer == experiencer)


def test_the_example():
    p = understand("65岁男性，高血压糖尿病多年，突然胸痛喘不过气两小时，现在应该怎么办？")
    assert p.language == "zh"
    assert p.demographics.age_years == 65 and p.demographics.sex == "male"
    cp = by_id(p, "chest_pain")
    assert cp.status == "present" and cp.onset == "sudden" and cp.duration_hours == 2 and cp.evidence.text == "胸痛"
    assert by_id(p, "dyspnea").evidence.text == "喘不过气"
    assert by_id(p, "hypertension").category == "history"
    assert by_id(p, "diabetes").duration_hours >= 24 * 365
    assert p.text[cp.evidence.start:cp.evidence.end] == "胸痛"


@pytest.mark.parametrize("text,value", [("三十九", 39), ("十五", 15), ("二十三", 23), ("一百二", 120), ("两", 2), ("39.5", 39.5)])
def test_chinese_numerals(text, value):
    assert cn2num(text) == value


def test_negation_and_its_scope():
    p = understand("发烧三天，没有咳嗽，但是嗓子疼")
    assert by_id(p, "fever").status == "present"
    assert by_id(p, "cough").status == "absent"
    assert by_id(p, "sore_throat").status == "present"


def test_negation_in_english():
    p = understand("I have a headache but no fever and no vomiting")
    assert by_id(p, "headache").status == "present"
    assert by_id(p, "fever").status == "absent"
    assert by_id(p, "vomiting").status == "absent"


def test_pseudo_negation_is_not_negation():
    p = understand("喘不过气，浑身没力气")
    assert by_id(p, "dyspnea").status == "present"
    assert by_id(p, "fatigue").status == "present"


def test_uncertainty():
    p = understand("好像有点发烧")
    assert by_id(p, "fever").status == "uncertain"


def test_experiencer_subject_is_the_person_spoken_of():
    p = understand("我女儿12岁，发烧三天了")
    assert p.demographics.subject == "child" and p.demographics.sex == "female" and p.demographics.age_years == 12
    assert by_id(p, "fever").experiencer == "patient"


def test_other_person_in_the_text():
    p = understand("我女儿发烧两天，我也有点咳嗽")
    assert by_id(p, "fever").experiencer == "patient"
    assert by_id(p, "cough", "other").experiencer == "other"


def test_family_history_is_not_the_patient():
    p = understand("我胸闷两天，我爸有冠心病")
    assert by_id(p, "chest_tightness").experiencer == "patient"
    assert by_id(p, "coronary_heart_disease", "other")


@pytest.mark.parametrize("text,age,sex", [
    ("65岁男性，头痛", 65, "male"),
    ("我女儿12岁，咳嗽", 12, "female"),
    ("宝宝8个月，拉肚子", 8 / 12, None),
    ("a 48-year-old woman with chest pain", 48, "female"),
    ("我妈七十多岁，头晕", 75, "female"),
    ("my son is 3 and has a fever", 3, "male"),
    ("58M chest pain", 58, "male"),
    ("宝宝才一个半月，发烧", 1.5 / 12, None),     # 个半: one and a half months
    ("两个多月的宝宝吐奶", 2.5 / 12, None),
])
def test_age_and_sex(text, age, sex):
    d = understand(text).demographics
    assert d.age_years == pytest.approx(age, abs=0.01)
    assert d.sex == sex


@pytest.mark.parametrize("text,expected", [
    ("血压180/100", {"sbp": 180, "dbp": 100}),
    ("体温39度5", {"temp_c": 39.5}),
    ("烧到三十九度", {"temp_c": 39}),
    ("心率120", {"hr": 120}),
    ("血氧88%", {"spo2": 88}),
    ("BP 90/60", {"sbp": 90, "dbp": 60}),
    ("T 104F", {"temp_c": 40}),
    ("高压160低压95", {"sbp": 160, "dbp": 95}),
    ("血糖 300 mg/dL", {"glucose_mmol": pytest.approx(16.7, abs=0.1)}),
    ("pain 9/10", {"pain_score": 9}),
])
def test_vitals_in_free_text(text, expected):
    v = understand(text).vitals
    for k, val in expected.items():
        assert getattr(v, k) == val


def test_traditional_and_full_width_input():
    p = understand("６５歲男性，突然胸痛兩小時")
    assert p.demographics.age_years == 65
    assert by_id(p, "chest_pain").duration_hours == 2


def test_compound_form_implies_its_parts():
    p = understand("孩子上吐下泻一天")
    ids = {f.id for f in p.findings}
    assert {"vomiting", "diarrhea"} <= ids


def test_pregnancy_and_weeks():
    p = understand("怀孕28周，头痛眼花")
    assert p.pregnancy.status == "pregnant" and p.pregnancy.gestational_weeks == 28
    assert p.demographics.sex == "female"


def test_allergy_and_medication():
    p = understand("对青霉素过敏，平时吃阿司匹林和二甲双胍")
    assert [a.allergen_id for a in p.allergies] == ["penicillin"]
    q = understand("对青霉素和海鲜过敏，在吃拜新同")
    assert [a.allergen_id for a in q.allergies] == ["penicillin", "shellfish"]
    assert [m.id for m in q.medications] == ["nifedipine"]
    assert {m.id for m in p.medications} >= {"aspirin", "metformin"}


def test_non_text_is_rejected():
    with pytest.raises(ValueError):
        understand(b"abc")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        understand("   ")


def test_huge_input_is_cut_with_a_note():
    p = understand("头痛" + "啊" * 50_000)
    assert any("only the first" in n for n in p.notes)
    assert by_id(p, "headache")


def test_dialogue_answers_decide_what_the_doctor_asked():
    p = understand("医生：孩子怎么了？\n家属：发烧两天了。\n医生：有没有拉肚子？\n家属：没有。\n医生：有没有呕吐？\n家属：有，吐了两次。")
    assert by_id(p, "fever").status == "present"
    assert by_id(p, "diarrhea").status == "absent"
    assert by_id(p, "vomiting").status == "present"
    p = understand("Doctor: Any chest pain? Patient: No. Doctor: Shortness of breath? Patient: Yes, on stairs.")
    assert by_id(p, "chest_pain").status == "absent"
    assert by_id(p, "dyspnea").status == "present"


def test_unanswered_question_is_not_evidence():
    p = understand("医生：有没有胸痛？\n患者：我就是头疼。")
    assert by_id(p, "chest_pain").status == "hypothetical"
    assert by_id(p, "headache").status == "present"


def test_age_before_the_child_word_and_the_mother_after_birth():
    assert understand("3个月宝宝发烧38度").demographics.age_years == pytest.approx(0.25)
    p = understand("生完孩子一周，出血很多")
    assert p.demographics.age_years is None
    assert any(f.id == "postpartum" for f in p.findings)


def test_words_with_a_negation_character_that_do_not_negate():
    p = understand("不小心把消毒液溅到眼睛里了")
    assert by_id(p, "chemical_eye_exposure").status == "present"


def test_lone_blood_pressure_reading_when_the_text_speaks_of_blood_pressure():
    v = understand("血压一直很高，今天早上量了200/120").vitals
    assert (v.sbp, v.dbp) == (200, 120)
    assert understand("3/4 of the pills").vitals.sbp is None


def test_fish_bone_is_not_choking():
    ids = {f.id for f in understand("鱼刺卡住了，咽口水疼").findings}
    assert "swallowed_foreign_body" in ids and "foreign_body_airway" not in ids
    assert "foreign_body_airway" in {f.id for f in understand("孩子吃东西噎住了，说不出话").findings}


def test_people_listed_together_share_the_symptom():
    p = understand("家里烧着炉子，早上我、我妈和我弟都头疼")
    assert {f.id: f.experiencer for f in p.findings}["headache"] == "patient"
    q = understand("我没事，我妈头疼")
    assert q.findings and all(f.id != "headache" or f.experiencer for f in q.findings)


def test_temperature_after_measuring_word():
    assert understand("宝宝才两个月，腋下量了38.3").vitals.temp_c == 38.3
    assert understand("量了血压150/90").vitals.temp_c is None


def test_pronoun_prefers_the_person_of_its_sex():
    p = understand("my wife had the baby at home an hour ago and now she's really pale")
    assert {f.id: f.experiencer for f in p.findings}["pallor"] == "patient"


def test_ambient_temperature_is_not_a_fever():
    assert understand("今天40度高温在工地干了一天，腿抽筋").vitals.temp_c is None


def test_parent_answers_a_doctors_question_in_a_dialogue():
    p = understand("医生：有没有抽搐？\n家长：没有。\n医生：发烧吗？\n家长：烧到39度。")
    status = {f.id: f.status for f in p.findings}
    assert status["seizure"] == "absent" and status["fever"] == "present"


def test_a_negator_in_a_patterns_gap_is_not_swallowed():
    p = understand("头疼两天，脖子不硬")
    assert all(f.id != "neck_stiffness" or f.status != "present" for f in p.findings)
    q = understand("把那瓶药吞了差不多三十片")
    assert any(f.id in ("medication_overdose", "acetaminophen_overdose") for f in q.findings)


def test_a_negation_with_its_own_object_stays_in_its_clause():
    p = understand("宝宝4个月，拉肚子很多次，哭没有眼泪，尿很少")
    assert {f.id: f.status for f in p.findings}.get("oliguria") == "present"
    q = understand("没有：发烧，咳嗽")
    assert all(f.status == "absent" for f in q.findings if f.id in ("fever", "cough"))


def test_a_new_subject_ends_an_english_negation():
    p = understand("she can't make a sound, no sound coming out and her lips are going blue")
    assert {f.id: f.status for f in p.findings}.get("cyanosis") == "present"


def test_the_writer_acting_on_the_patient_is_not_the_experiencer():
    p = understand("我爸胸口疼，我用血压计量了两个胳膊差了好几十")
    assert {f.id: f.experiencer for f in p.findings}.get("pulse_deficit") == "patient"
    q = understand("我妈头疼，我也头疼")
    assert q.findings


@pytest.mark.parametrize("text", ["painful swollen R 1st MTPJ", "HR 2nd reading pending"])
def test_a_number_followed_by_letters_is_not_a_rate(text):
    v = understand(text).vitals
    assert v.rr is None and v.hr is None


@pytest.mark.parametrize("text, finding, status", [
    ("我儿子2岁，发高烧，吃了退烧药对乙酰氨基酚也退不下来", "medication_overdose", None),  # his own fever medicine
    ("孩子吃了奶奶的降压药，好像有十几片", "medication_overdose", "present"),
    ("这一年时不时拉肚子，老放屁", "diarrhea", "present"),  # 时不时: now and then, not a denial
    ("动不动就乏，整天犯困", "fatigue", "present"),
    ("我爸咳嗽咳了2年了，动一动就喘，烟抽了47年", "smoking", "present"),
    # words that look like a danger sign but are not
    ("疼的地方在心口窝正中间，往里头深处疼", "headache", None),
    ("这3个月一走路左腿就疼", "peritonism", None),
    ("腿上还痒，偶尔掉皮，皮肤颜色也变黑了", "skin_necrosis_signs", None),
    ("吃饭的时候胸口时不时有种噎住的感觉", "foreign_body_airway", None),
    ("我爸吃饭的时候突然噎住了，脸憋得发紫，说不出话", "foreign_body_airway", "present"),
    ("吐了两次，然后血压掉下来了，叫他也没反应了", "altered_consciousness", "present"),
    ("肚脐上面偏左一点能摸到一个包，一跳一跳的", "pulsatile_abdominal_mass", "present"),
    ("孩子已经12个小时没尿尿了", "oliguria", "present"),
    ("干咳一个星期，嗓子慢慢哑了，后来干脆说不出话来", "slurred_speech", None),  # a lost voice, not a stroke
    ("怀孕8周，下班回家路上下面开始出鲜红色的血", "vaginal_bleeding", "present"),
    ("3个月没来月经了，在家测了4次怀孕都是阴性", "pregnancy", "absent"),
    ("大拇指和手腕一动就疼得厉害", "peritonism", None),  # a wrist that hurts to move is not a belly that does
    ("孩子肚子疼，一走路就疼得哭", "peritonism", "present"),
    # relief denied is not the next finding denied
    ("Sudden severe middle chest pain not relieved by analgesia, radiating to the back.", "pain_radiating_to_back", "present"),
    ("胸口疼，吃了止疼药也不缓解，疼到后背", "pain_radiating_to_back", "present"),
    ("She has never been pregnant.", "pregnancy", "absent"),
    # a general word must not swallow the dangerous one it overlaps
    ("吃了药也没用，还吐血", "hematemesis", "present"),
    ("这几天老咳血", "hemoptysis", "present"),
    ("一直拉血", "hematochezia", "present"),
    ("chest pain that does not go away, sweating", "diaphoresis", "present"),
    ("pain not responding to painkillers", "altered_consciousness", None),
    ("my dad is not responding when we call him", "altered_consciousness", "present"),
    ("not able to speak properly since this morning", "slurred_speech", "present"),
])
def test_colloquial_retellings(text, finding, status):
    found = {f.id: f.status for f in understand(text).findings}
    assert found.get(finding) == status


@pytest.mark.parametrize("text, sex, subject", [
    ("29 year old Female. Vaginal discharge for 2 weeks. She lives with her husband, who has no symptoms.", "female", "self"),
    ("45岁女性，白带多一周。她老公没有症状。", "female", "self"),
    ("fever for 3 days in my son", "male", "child"),   # named after the complaint: still the one complaining
    ("我妈胸痛，65岁", "female", "parent"),
    ("我69岁，女，生过5个孩子，都是顺产。现在一直在漏尿", "female", "self"),  # children counted, not complaining
    ("我儿子6岁，孩子发烧，手和脚又肿又疼", "male", "child"),
])
def test_whose_complaint_it_is(text, sex, subject):
    d = understand(text).demographics
    assert (d.sex, d.subject) == (sex, subject)


@pytest.mark.parametrize("text, status", [
    ("不排除肺炎", "uncertain"),       # X is possible
    ("胸痛，不除外心梗", "uncertain"),
    ("需要排除肺炎", "hypothetical"),  # rule out X: a plan, not a finding
    ("已排除肺炎", "absent"),
    ("排除了肺炎", "absent"),
])
def test_ruling_out_is_not_ruled_out(text, status):
    from wenzhen.understanding import understand

    assert {d.status for d in understand(text).stated_diagnoses} == {status}


@pytest.mark.parametrize("text, absent", [
    ("风热感冒颗粒，小儿咳喘灵颗粒还有阿莫西林颗粒", {"wheezing", "cough"}),
    ("给他喝了止咳糖浆", {"cough"}),
])
def test_a_medicines_product_name_names_no_symptom(text, absent):
    from wenzhen.understanding import understand

    p = understand(text)
    assert not absent & {f.id for f in p.findings} and not p.stated_diagnoses


def test_a_symptom_beside_a_product_name_is_still_read():
    from wenzhen.understanding import understand

    assert {f.id for f in understand("头疼吃了一片布洛芬").findings} == {"headache", "medication_taken"}
    assert "cough" in {f.id for f in understand("喝了止咳糖浆还是咳").findings}


@pytest.mark.parametrize("text, finding", [
    ("吃了一瓶安眠药", "medication_overdose"),          # a medicine taken, but first an overdose
    ("孩子吃了十几片降压药", "medication_overdose"),
    ("吃了头孢以后喝酒，现在脸红心慌", "disulfiram_reaction"),
    ("吃了头孢以后全身起红疹子", "medication_taken"),
    ("孩子吃了两天阿莫西林", "medication_taken"),         # named by the medicine itself
    ("挂了三天水还在烧", "medication_taken"),
])
def test_a_medicine_taken_gives_way_to_what_the_words_say_more_specifically(text, finding):
    from wenzhen.understanding import understand

    ids = {f.id for f in understand(text).findings if f.status == "present"}
    assert finding in ids
    assert finding == "medication_taken" or "medication_taken" not in ids or finding == "disulfiram_reaction"


def test_no_medicine_is_taken_when_none_is_said():
    from wenzhen.understanding import understand

    for text in ("对青霉素过敏", "没吃药，发烧两天", "孩子咳嗽三天"):
        assert "medication_taken" not in {f.id for f in understand(text).findings if f.status == "present"}


@pytest.mark.parametrize("text, sbp", [
    ("血压量了八十多", 80), ("高压才80", 80), ("血压一直150左右", 150), ("血压150/90", 150),
    ("高血压20年", None), ("血压高了3天", None),    # the disease and a duration are not readings
])
def test_one_number_for_the_blood_pressure_is_the_systolic(text, sbp):
    from wenzhen.understanding.measurements import extract_vitals

    assert extract_vitals(text)[0].sbp == sbp


@pytest.mark.parametrize("text, absent", [
    ("i didnt hit my head", "head_injury"), ("she hasnt vomited", "vomiting"), ("he doesnt have a fever", "fever"),
    ("VA 6/6 both eyes, no photophobia, no pain", "eye_pain"),   # a denial between a site and its complaint word
])
def test_english_denials_typed_loosely(text, absent):
    from wenzhen.understanding import understand

    assert absent not in {f.id for f in understand(text).findings if f.status == "present"}


def test_a_denial_of_one_thing_keeps_the_next_complaint():
    from wenzhen.understanding import understand

    assert "chest_pain" in {f.id for f in understand("i didn't sleep, had chest pain all night").findings
                            if f.status == "present"}
