"""Dialogues: a bare answer takes its meaning from the doctor's question."""
import pytest

from wenzhen.understanding import understand


def status(p, fid):
    return next((f.status for f in p.findings if f.id == fid), None)


def test_bare_numbers_answer_measurement_questions():
    p = understand("医生：宝宝多大了？ 家属：两个月。 医生：发烧多少度？ 家属：38.5。")
    assert p.demographics.age_years == pytest.approx(2 / 12, abs=0.01)
    assert p.vitals.temp_c == 38.5
    assert status(p, "fever") == "present"  # "多少度？" takes the fever as given
    p = understand("Doctor: How old is the baby? Mum: Six weeks. Doctor: What's the temperature? Mum: 38.3 under the arm.")
    assert p.demographics.age_years == pytest.approx(6 / 52, abs=0.01) and p.vitals.temp_c == 38.3
    p = understand("医生：多大年纪？ 患者：72。 医生：血压多少？ 患者：85/50")
    assert p.demographics.age_years == 72 and p.vitals.sbp == 85


def test_a_number_outside_a_measurement_question_is_not_a_measurement():
    p = understand("医生：吐了几次？ 患者：三次。 医生：拉了几次？ 患者：五次。")
    assert p.vitals.temp_c is None and p.demographics.age_years is None


@pytest.mark.parametrize("text, fid, expected", [
    ("医生：头晕吗？ 患者：晕，心跳快。", "dizziness", "present"),           # the answer repeats the word
    ("医生：腿肿吗？吐了吗？ 患者：不肿，吐了一次。", "vomiting", "present"),
    ("医生：腿肿吗？吐了吗？ 患者：不肿，吐了一次。", "edema", "absent"),
    ("医生：嘴唇发紫吗？ 家属：我看是有点紫。", "cyanosis", "present"),
    ("医生：发烧几天了？ 家属：今天早上开始的。", "fever", "present"),       # a 'since when' answer
    ("医生：咳嗽吗？ 患者：不咳。", "cough", "absent"),
    ("Doctor: Is she floppy at all? Mum: Kind of, yeah.", "lethargy", "present"),
    ("Doctor: Any chest pain? Patient: It's more like pressure.", "chest_pain", "present"),
    ("Doctor: Any fever? Patient: No.", "fever", "absent"),
    ("医生：有没有胸痛？ 患者：不确定。", "chest_pain", "uncertain"),
])
def test_answers(text, fid, expected):
    assert status(understand(text), fid) == expected


@pytest.mark.parametrize("label", ["妈妈", "老伴", "Husband", "Caller", "女儿"])
def test_relatives_named_as_speakers_make_a_dialogue(label):
    p = understand(f"医生：发烧吗？ {label}：没有。")
    assert status(p, "fever") == "absent"


def test_the_writer_reported_on_by_a_relative_is_the_patient():
    p = understand("Patient: my wife says im slurring a bit")
    assert p.demographics.subject == "self"
    assert next(f for f in p.findings if f.id == "slurred_speech").experiencer == "patient"


def test_breathless_pauses_do_not_split_words():
    p = understand("患者：喘……说不了……整句话")
    assert status(p, "dyspnea") == "present"


def test_a_chat_pasted_without_names_is_read_as_questions_and_answers():
    p = understand("孩子怎么了\n一直吐\n吐了几次？\n七八次了\n精神怎么样？\n很蔫\n发烧吗？\n不烧")
    assert status(p, "fever") == "absent" and status(p, "vomiting") == "present"
    p = understand("any chest pain?\nyes crushing\nsweating?\nyes\nhow old are you?\n61")
    assert status(p, "chest_pain") == "present" and status(p, "diaphoresis") == "present"
    assert p.demographics.age_years == 61


def test_lines_that_are_not_a_chat_stay_plain_text():
    p = understand("胸口疼\n出汗\n两小时了")
    assert status(p, "chest_pain") == "present" and status(p, "diaphoresis") == "present"


@pytest.mark.parametrize("text, fid, expected", [
    ("Doctor: Is he breathing fast? Mum: He is, yes.", "rapid_breathing_child", "present"),
    ("Doctor: Any vomiting? Mum: She hasn't.", "vomiting", "absent"),
    ("医生：发烧吗？ 家属：好像没有。", "fever", "absent"),
    ("医生：发烧吗？ 家属：嗯嗯，38度多", "fever", "present"),
])
def test_more_ways_to_say_yes_and_no(text, fid, expected):
    assert status(understand(text), fid) == expected


@pytest.mark.parametrize("text, fid", [
    ("医生：叫得醒吗？ 家属：叫不醒。", "altered_consciousness"),
    ("Nurse: Is he breathing? Wife: No, I don't think so.", "not_breathing"),
    ("医生：胎动正常吗？ 患者：今天没怎么动", "reduced_fetal_movement"),
    ("医生：能说话吗？ 家属：不能", "slurred_speech"),
])
def test_a_normal_function_answered_no_is_a_finding(text, fid):
    assert status(understand(text), fid) == "present"


@pytest.mark.parametrize("text, fid", [
    ("医生：有没有呼吸困难？ 患者：没有", "not_breathing"),     # the question names a symptom, not the function
    ("Doctor: is he breathing ok? Mum: no, really fast", "not_breathing"),
    ("医生：能走路吗？ 患者：能", "unable_to_bear_weight"),
    ("any blood in his wee?\nhaven't checked\nis he pale?\nyes\nwhere does it hurt?\ntummy", "oliguria"),
])
def test_no_false_loss_of_function(text, fid):
    assert status(understand(text), fid) in (None, "absent", "hypothetical", "uncertain")


def test_bracketed_and_first_person_labels():
    p = understand("[医生] 有没有想过伤害自己？ [患者] 想过 [医生] 发烧吗？ [患者] 不烧")
    assert status(p, "fever") == "absent"
    p = understand("Nurse: any palpitations? Me: no")
    assert status(p, "palpitations") == "absent"


def test_a_word_inside_the_answer_echoes_the_question():
    p = understand("医生：头晕吗？ 患者：站起来就晕。 医生：多大岁数？ 患者：我爸，七十六")
    assert status(p, "dizziness") == "present" and p.demographics.age_years == 76


def _dialogue_status(*turns):
    """Pooled status per finding of a dialogue given as (speaker, text) pairs."""
    from wenzhen.interview.dialogue import Utterance, pooled_status, understand_dialogue

    return pooled_status(understand_dialogue([Utterance(speaker=s, text=t) for s, t in turns]).mentions)


def test_a_question_that_takes_the_finding_as_given():
    """Asking how long, how often or whether it is better presupposes the finding; asking whether it is there does not."""
    assert _dialogue_status(("doctor", "发烧几天了？"), ("patient", "记不清了")).get("fever") == "present"
    assert _dialogue_status(("doctor", "咳嗽好点了吗？"), ("patient", "还是那样")).get("cough") == "present"
    assert _dialogue_status(("doctor", "How long has the cough been going on?"), ("patient", "not sure")).get("cough") == "present"
    assert _dialogue_status(("doctor", "有没有发烧？"), ("patient", "不清楚")).get("fever") == "hypothetical"
    assert _dialogue_status(("doctor", "有没有发烧？"), ("patient", "没有")).get("fever") == "absent"


def test_a_reply_that_asks_back_and_an_amount_asked_of_another_finding():
    assert _dialogue_status(("doctor", "有没有发烧？"), ("patient", "有吗？")).get("fever") == "hypothetical"
    assert _dialogue_status(("doctor", "发烧吗？"), ("patient", "发烧，怎么办？")).get("fever") == "present"
    # "几次" asks about the diarrhoea, not the urine
    assert _dialogue_status(("doctor", "拉几次了？小便量少吗"), ("patient", "3次")).get("oliguria") == "hypothetical"


def test_the_patient_speaker_label_is_not_a_third_person():
    """"患者：她还有点拉肚子" — 她 is the child talked about, not the '患者' of the speaker label."""
    from wenzhen.interview.dialogue import Utterance as U
    from wenzhen.interview.dialogue import understand_dialogue

    r = understand_dialogue([U(speaker="patient", text="宝宝咳嗽三天了"), U(speaker="doctor", text="建议先雾化"),
                             U(speaker="patient", text="她还有点拉肚子")])
    assert [(f.id, f.experiencer) for f in r.picture.findings if f.id == "diarrhea"] == [("diarrhea", "patient")]


@pytest.mark.parametrize("chat,present,absent", [
    ("how long?\n2 days\nfever?\nyes\nchest pain?\nno\nany cough?\nno", {"fever"}, {"chest_pain", "cough"}),
    ("how long?\n2 days\nfever?\nyes\ncough?\nyes\nshort of breath?\nno", {"fever", "cough"}, {"dyspnea"}),
])
def test_a_yes_or_no_in_a_pasted_chat_answers_its_own_question_not_the_next_line(chat, present, absent):
    """"fever?\\nyes\\nchest pain?": the next question is not the answer's own words; the yes is the fever's."""
    status = {f.id: f.status for f in understand(chat).findings}
    assert {f for f in present if status.get(f) == "present"} == present, status
    assert {f for f in absent if status.get(f) == "absent"} == absent, status
