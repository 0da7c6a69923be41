"""Dialogue understanding: answers take their meaning from the question; corrections override; what the doctor
only asks or explains is not a finding."""
import pytest

from wenzhen.interview import Utterance, pooled_status, understand_dialogue


def read(*turns):
    r = understand_dialogue([Utterance(speaker=s, text=t) for s, t in turns])
    return {f.id: f.status for f in r.picture.findings if f.experiencer == "patient"}, r


@pytest.mark.parametrize("turns, fid, expected", [
    ((("doctor", "有没有发热？"), ("patient", "没有")), "fever", "absent"),
    ((("doctor", "有没有发热？"), ("patient", "有一点")), "fever", "present"),
    ((("doctor", "有没有发热？"), ("patient", "不确定")), "fever", "uncertain"),     # maybe: counts for triage
    ((("doctor", "有没有发热？"), ("patient", "不清楚")), "fever", "hypothetical"),  # nobody knows: no evidence
    ((("doctor", "发烧不"), ("patient", "没")), "fever", "absent"),            # a question without a question mark
    ((("doctor", "拉肚子吗"), ("patient", "拉了三次")), "diarrhea", "present"),
    ((("doctor", "Any fever?"), ("patient", "No.")), "fever", "absent"),
    ((("doctor", "Short of breath?"), ("patient", "not sure")), "dyspnea", "uncertain"),
])
def test_answers_take_the_question(turns, fid, expected):
    status, _ = read(*turns)
    assert status.get(fid) == expected


def test_a_question_alone_is_not_a_finding():
    status, r = read(("patient", "孩子咳嗽两天"), ("doctor", "有没有发烧？"))
    assert status["cough"] == "present"
    assert status.get("fever") == "hypothetical"
    assert pooled_status(r.mentions)["fever"] == "hypothetical"


def test_a_bit_of_something_else_does_not_answer_the_question():
    status, _ = read(("doctor", "孩子有没有脖子发硬？"), ("patient", "有点喘"))
    assert status.get("neck_stiffness") not in ("present", "uncertain")
    status, _ = read(("doctor", "孩子有没有脖子发硬？"), ("patient", "有点"))
    assert status.get("neck_stiffness") == "present"


def test_a_later_correction_overrides():
    status, _ = read(("patient", "发烧了"), ("doctor", "量过体温吗？"), ("patient", "不对，其实没发烧，是手脚凉"))
    assert status["fever"] == "absent"
    status, _ = read(("doctor", "有没有呕吐？"), ("patient", "没有"), ("patient", "哦其实早上吐了一次"))
    assert status["vomiting"] == "present"


def test_without_a_correction_the_affirmative_reading_stands():
    # "现在不烧了" says it has settled, not that there was no fever: the safe reading keeps the fever.
    status, _ = read(("patient", "发烧两天"), ("doctor", "现在还烧吗？"), ("patient", "现在不烧了"))
    assert status["fever"] == "present"


def test_a_doctors_general_advice_is_not_a_finding():
    status, _ = read(("patient", "孩子咳嗽"), ("doctor", "感冒一般会打喷嚏流鼻涕，注意保暖"))
    assert status.get("runny_nose") in (None, "hypothetical") and status.get("sneezing") in (None, "hypothetical")
    status, _ = read(("patient", "孩子拉肚子"), ("doctor", "宝宝大便发绿，有消化不良"))
    assert status.get("green_stool") == "present"


def test_mentions_keep_their_turn_and_speaker():
    _, r = read(("patient", "肚子疼"), ("doctor", "有没有呕吐？"), ("patient", "吐了两次"))
    by = {(m.id, m.turn): m for m in r.mentions}
    assert by[("abdominal_pain", 0)].speaker == "patient"
    assert ("vomiting", 1) in by


def test_bad_dialogues_are_refused():
    with pytest.raises(ValueError):
        understand_dialogue([])
    with pytest.raises(ValueError):
        Utterance(speaker="nurse", text="x")


def test_a_measurement_in_the_dialogue_is_a_finding_where_it_was_said():
    status, r = read(("doctor", "今天体温多少？"), ("patient", "早上量了37.8"))
    assert status["fever"] == "present"
    assert any(m.id == "fever" and m.turn == 1 for m in r.mentions)


def test_a_question_that_takes_the_finding_as_given():
    status, _ = read(("doctor", "宝宝除了发热还有其他症状吗？"), ("patient", "没有"))
    assert status["fever"] == "present"


def test_a_condition_the_patient_asks_about_is_not_a_diagnosis():
    _, r = read(("patient", "孩子咳嗽，这个是肺炎吗？"))
    assert {m.id: m.status for m in r.mentions if m.kind == "condition"}["community_acquired_pneumonia"] == "hypothetical"
    _, r = read(("patient", "医生说是肺炎，住院了"))
    assert {m.id: m.status for m in r.mentions if m.kind == "condition"}["community_acquired_pneumonia"] == "present"


@pytest.mark.parametrize("said, expected", [("前天晚上开始烧的", "present"), ("吃完药就不烧了", "absent"), ("烧心", None)])
def test_fever_in_a_parents_words(said, expected):
    status, _ = read(("patient", said))
    assert status.get("fever") == expected


@pytest.mark.parametrize("reply, expected", [
    ("有", "absent"),          # passes wind: no sign of obstruction
    ("放屁挺多的", "absent"),
    ("没有", "present"),       # passes no wind
    ("不放", "present"),
    ("不清楚", "hypothetical"),
])
def test_a_question_about_passing_wind_counts_its_answer_the_right_way_round(reply, expected):
    """"有没有放屁？" holds the words 没有放屁, the name of a finding by its absence (no flatus): the question asks
    about the positive, so a yes means the finding is absent and a no that it is present."""
    status, _ = read(("doctor", "孩子有没有放屁？"), ("patient", reply))
    assert status.get("no_flatus_stool") == expected
    question_alone, _ = read(("doctor", "孩子有没有排气？"))
    assert question_alone.get("no_flatus_stool") in (None, "hypothetical")
    stated, _ = read(("patient", "肚子胀，两天没有放屁了"))
    assert stated.get("no_flatus_stool") == "present"


def test_a_compound_complaint_is_a_mention_of_each_part():
    _, r = read(("patient", "前几天肠胃炎上吐下泻"))
    said = pooled_status([m for m in r.mentions if m.kind == "finding"])
    assert said.get("vomiting") == "present" and said.get("diarrhea") == "present"
    _, r = read(("patient", "孩子吐了两次"))
    assert "diarrhea" not in pooled_status(r.mentions)


@pytest.mark.parametrize("text, fid", [
    ("她总是放屁，声音还挺大", "flatulence"),
    ("而且拉出来的都是水了", "diarrhea"),
    ("看过嗓子稍微有点红", "pharyngeal_congestion"),
])
def test_parents_words(text, fid):
    status, _ = read(("patient", text))
    assert status.get(fid) == "present"


def test_a_tonsillitis_named_by_the_parent_is_a_diagnosis_not_pus_on_the_tonsils():
    status, r = read(("patient", "医生说是扁桃体发炎"))
    assert "tonsil_exudate" not in status
    assert any(m.kind == "condition" and m.id == "acute_tonsillopharyngitis" for m in r.mentions)


@pytest.mark.parametrize("turns, fid, expected", [
    ((("doctor", "有痰吗？"), ("patient", "早上有一点")), "sputum", "present"),           # a yes after its time
    ((("doctor", "咳嗽有痰吗？"), ("patient", "一般早上睡醒有一点，其他时间还好")), "sputum", "present"),
    ((("doctor", "晚上咳嗽吗？"), ("patient", "晚上没有")), "night_cough", "absent"),      # the clause ends denying
    ((("doctor", "晚上咳嗽吗？"), ("patient", "晚上咳得厉害")), "night_cough", "present"),
    ((("patient", "不知道为什么一直咳嗽"),), "cough", "present"),    # not knowing the cause, not doubting the cough
    ((("patient", "不知道是不是发烧了"),), "fever", "uncertain"),
    ((("patient", "咳的时候嘴里都是痰"),), "sputum", "present"),
])
def test_answers_and_doubts_in_parents_words(turns, fid, expected):
    status, _ = read(*turns)
    assert status.get(fid) == expected


def test_denying_the_night_cough_does_not_deny_the_cough():
    _, r = read(("patient", "孩子咳嗽三天了"), ("doctor", "晚上咳嗽吗？"), ("patient", "晚上没有"))
    said = pooled_status([m for m in r.mentions if m.kind == "finding"])
    assert said.get("cough") == "present" and said.get("night_cough") == "absent"


@pytest.mark.parametrize("question, reply, fid, expected", [
    ("今天有没有小便？", "没有", "oliguria", "present"),      # a normal function answered no is the finding
    ("哭的时候有没有眼泪？", "没有", "no_tears_crying", "present"),
    ("放屁了吗？", "没有", "no_flatus_stool", "present"),
    ("Any tears when she cries?", "no", "no_tears_crying", "present"),
    ("哭的时候有没有眼泪？", "有", "no_tears_crying", None),  # the function is there: nothing to record
    ("尿了吗？", "尿了", "oliguria", None),
])
def test_a_normal_function_asked_about_and_answered(question, reply, fid, expected):
    status, _ = read(("doctor", question), ("patient", reply))
    assert status.get(fid) == expected


def test_a_question_naming_the_loss_of_a_function_is_not_a_lost_function_when_denied():
    status, _ = read(("doctor", "孩子尿量有没有比平时少？"), ("patient", "没有"))
    assert status.get("oliguria") != "present"
