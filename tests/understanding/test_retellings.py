"""Long retellings in patients' and relatives' words (avey-dev style): what is denied stays denied,
what is described in a roundabout way is still read."""
import pytest

from wenzhen.understanding import understand


def status(text: str, fid: str) -> str | None:
    return next((f.status for f in understand(text).findings if f.id == fid), None)


READ = [
    # roundabout retellings
    ('睡着睡着被胸口正中间一阵尖锐的疼痛疼醒了', 'chest_pain'),
    ('眼睛和手发黄', 'jaundice'),
    ('她发高烧，脸色很白', 'pallor'),
    ('我觉得他喘气很费劲', 'dyspnea'),
    ('吃奶喝水也少了', 'poor_feeding'),
    ('晚上吃了炸鸡，之后右上腹一直疼', 'right_upper_quadrant_pain'),
    ('肚子疼也没有发烧', 'abdominal_pain'),
    ('说不出话', 'slurred_speech'),
    # clinicians' and relatives' English
    ("She says the baby's movements are decreased since this morning", 'reduced_fetal_movement'),
    ("He states that his rings and hats don't fit anymore", 'acral_enlargement'),
    ('She has increased in weight remarkably in the past few months', 'weight_gain'),
    ('sensation of a blocked heavy ear on the left', 'ear_fullness'),
    ('she is always thirsty and tired', 'excessive_thirst'),
    ('He feels full with only small amounts of food', 'early_satiety'),
    ('a burning pain centred behind the left eye', 'retro_orbital_pain'),
    ('left-sided chest pain that increases with respiration', 'pleuritic_chest_pain'),
    ('Secretions are thick and green in color', 'purulent_nasal_discharge'),
    ('her hands change in color, into blue then red and white', 'raynaud_phenomenon'),
    ('she wakes up every hour to go to the bathroom', 'nocturia'),
    ('a rash appeared behind the ears and on the forehead and is spreading to his chest', 'descending_rash'),
    ('皮疹先从耳后、额头出现，逐渐蔓延到胸部', 'descending_rash'),
    ('戒指戴不上了，鞋子也穿不下', 'acral_enlargement'),
    # patients' Chinese
    ('吃一点点就饱了', 'early_satiety'),
    ('阴囊隐隐作痛，有时候能看到右边鼓起来一块', 'scrotal_swelling'),
    ('时不时一阵一阵觉得浑身特别热，月经也不规律了', 'hot_flashes'),
    # obstetric and postural wording
    ('Her last menstrual period was 6 weeks ago', 'amenorrhea'),
    ('末次月经是7周前', 'amenorrhea'),
    ('she had a positive home pregnancy test', 'hcg_positive'),
    ('验孕棒两条杠', 'hcg_positive'),
    ('dizzy especially when she stands up', 'orthostatic_dizziness'),
    # clinical Chinese
    ('伴尿色加深及大便颜色变浅', 'dark_urine'),
    ('伴尿色加深及大便颜色变浅', 'pale_stool'),
    ('尿痛、耻骨上区疼痛', 'lower_abdominal_pain'),
    ('排尿后有膀胱排空不尽感', 'incomplete_bladder_emptying'),
    ('少量进食即有饱胀感', 'early_satiety'),
    ('阴茎有绿色恶臭分泌物', 'urethral_discharge'),
    ('无明显外伤即出现瘀斑', 'easy_bruising'),
    ('从椅子上起身困难', 'proximal_muscle_weakness'),
    ('今晨面部出现皮疹，现已蔓延至胸部及上肢', 'descending_rash'),
    ('上腹痛，向背部放射', 'pain_radiating_to_back'),
    # more patients' Chinese
    ('喘气深了胸口就疼', 'pleuritic_chest_pain'),
    ('尿变得很深', 'dark_urine'),
    ('身上没怎么磕碰就青一块紫一块', 'easy_bruising'),
    ('从椅子上站起来都费劲', 'proximal_muscle_weakness'),
    ('大腿和胳膊上面的肌肉变细了', 'muscle_wasting'),
    # clinical English
    ('She has lost her appetite', 'anorexia'),
    ('he feels muscle ache as well', 'myalgia'),
    ('difficulty in breathing when playing', 'dyspnea'),
    ('Pain started in the mid-abdominal region 6 hours ago and is now in the right lower quadrant', 'migrating_rlq_pain'),
    ('the right eyelid droops', 'ptosis'),
    ('She reports increased lacrimation', 'epiphora'),
    ('black discoloration in the back of her neck and armpits', 'acanthosis_nigricans'),
    ('she experienced painful intercourse', 'dyspareunia'),
    ('a 1-year history of aching and hurting all over', 'widespread_pain'),
    ('small clots in his urine', 'hematuria'),
    ('goes several days without defecating', 'constipation'),
    ('Her LMP was 3 months ago', 'amenorrhea'),
    ('It was dry at first and became productive recently', 'sputum'),
    ('He often falls asleep in front of the TV', 'daytime_sleepiness'),
    # relatives' Chinese
    ('现在基本一直都有，一运动就更喘', 'dyspnea'),
    ('眼睛里老出黄白色的稠眼屎，早上起来眼睛被糊住睁不开', 'eye_discharge'),
    ('这几个月体重从80公斤掉到75公斤了', 'weight_loss'),
    ('疼的时候得待在黑屋子里', 'photophobia'),
    ('手有时候会变颜色，先变青紫，然后又变红', 'raynaud_phenomenon'),
    ('晚上呼噜打得特别响', 'snoring_apnea'),
    ('今天发现拉的东西里有血了', 'hematochezia'),
    ('右小腿上有个挺大的溃疡', 'skin_ulcer'),
    ('发现舌头越来越红，还肿、疼', 'sore_tongue'),
    ('右眼一直流眼泪，1个星期了', 'epiphora'),
    ('左边脖子上长了个包，越来越大', 'neck_lump'),
    ('我感觉像有东西卡在喉咙里', 'globus'),
    ('在高速上开着开着睡着了', 'daytime_sleepiness'),
    ('注意力、专注力都比以前差了', 'poor_concentration'),
    ('就在左眼后面深处，像火烧一样', 'retro_orbital_pain'),
    # Chinese case summaries
    ('另诉胸骨后钝痛，无放射', 'chest_pain'),
    ('患者2天前出现脐周持续性疼痛，程度逐渐加重', 'periumbilical_pain'),
    ('时向下腰背部及双侧腹股沟放射', 'pain_radiating_to_back'),
    ('自觉手足进行性增大，戒指、帽子已不合适', 'acral_enlargement'),
    ('眼部黏稠的黄白色分泌物', 'eye_discharge'),
    ('进食尚可，但食欲有所下降', 'anorexia'),
    ('颈前外侧可触及小的疼痛性肿块', 'neck_lump'),
    ('近几个月体重由80kg降至75kg', 'weight_loss'),
    ('尿中可见小血块', 'hematuria'),
    ('夜尿每晚2次', 'nocturia'),
    ('第2～6天经量非常多', 'heavy_menstrual_bleeding'),
]

# Denials that must be read as denials.
DENIED = [
    ("She didn't have a fever", 'fever'),
    ('He did not experience any vomiting', 'vomiting'),
    ("She hasn't had any chest pain since", 'chest_pain'),
    ('No loss of appetite', 'anorexia'),
    ('He has not lost weight', 'weight_loss'),
]

# Denied, or in passing: never read as present (read as absent, or not at all).
NOT_PRESENT = [
    ('胸口不疼，不出汗，不鼻塞', 'diaphoresis'),
    ('拉的不带血，也没有拉血水，肚子疼', 'bloody_diarrhea'),
    ('不喘，也没有吃一点就饱的情况。', 'early_satiety'),
    ('咽东西不困难也不疼', 'dysphagia'),
    ('身上没起水泡、疙瘩或者疹子', 'urticaria'),
    ('发烧也没有', 'fever'),
    ("no decrease in the baby's movements", 'reduced_fetal_movement'),
    ('No weight gain', 'weight_gain'),
    ('拉的东西里没有血', 'hematochezia'),
    ('脖子上没摸到疙瘩', 'neck_lump'),
    ('无眼部分泌物', 'eye_discharge'),
    ('经量不多', 'heavy_menstrual_bleeding'),
]


@pytest.mark.parametrize("text,fid", READ)
def test_wording_is_read(text, fid):
    assert status(text, fid) == "present"


@pytest.mark.parametrize("text,fid", DENIED)
def test_denial_is_read(text, fid):
    assert status(text, fid) == "absent"


@pytest.mark.parametrize("text,fid", NOT_PRESENT)
def test_denied_or_passing_words_are_not_present(text, fid):
    assert status(text, fid) in (None, "absent")


def test_severity_in_the_next_clause_qualifies_the_pain():
    p = understand("右上腹一直疼，疼得很厉害，恶心还吐了")
    assert next(f for f in p.findings if f.id == "right_upper_quadrant_pain").severity == "severe"
    assert next(f for f in p.findings if f.id == "vomiting").severity is None


def test_a_hyphenated_duration_is_read_but_not_an_age():
    p = understand("She presents with a 4-month history of heartburn")
    assert next(f for f in p.findings if f.id == "heartburn").duration_hours == 4 * 720
    p = understand("a 3-day-old baby with yellow skin")
    assert all(f.duration_hours is None for f in p.findings)


def test_not_a_period_does_not_deny_the_pain_after_it():
    # "不是来月经" denies a period, not the lower abdominal pain of a pregnant woman in the next clause.
    p = understand("怀孕32周，今天一大早突然下面出血，不是来月经，肚子下面疼，下腰也疼")
    assert any(f.id in ("abdominal_pain", "lower_abdominal_pain") and f.status == "present" for f in p.findings)
    assert status("来月经第一天，小肚子坠着疼", "menstrual_pain") == "present"


@pytest.mark.parametrize("text,general", [
    ("恶心，偶尔吐，没吐过血", "vomiting"),
    ("Diarrhoea and cramps for two days, no blood", "diarrhea"),
])
def test_denying_the_specific_finding_keeps_the_general_one(text, general):
    p = understand(text)
    assert status(text, general) == "present", [(f.id, f.status) for f in p.findings]


def test_denying_blood_in_the_stool_does_not_make_it_bloody():
    assert status("Diarrhoea and cramps for two days, no blood", "bloody_diarrhea") in (None, "absent")


def test_a_child_hot_in_waves_has_a_fever_not_hot_flushes():
    assert status("孩子一阵一阵发热", "fever") == "present"
    assert status("孩子一阵一阵发热", "hot_flashes") is None


def test_a_failed_treatment_is_not_a_denial():
    assert status("Paracetamol didn't help the headache", "headache") == "present"


def test_weeks_pregnant_is_gestation_not_how_long_a_symptom_lasted():
    p = understand("She is now 8 weeks pregnant according to her positive pregnancy test, bleeding since this morning")
    assert all(f.duration_hours != 8 * 168 for f in p.findings)


def test_a_worse_cough_is_not_pain_on_breathing_and_a_denied_chest_pain_stays_denied():
    text = "因咳嗽、气短加重就诊。近2天咳嗽加重，痰由白色变为绿色。无发热，无胸痛"
    assert status(text, "pleuritic_chest_pain") is None
    assert status(text, "chest_pain") == "absent"
    assert status(text, "dyspnea") == "present"
    assert status("胸痛，深呼吸时加重", "pleuritic_chest_pain") == "present"


def test_a_reflexive_is_the_person_just_spoken_of_not_the_writer():
    # "自己醒过来了" is the mother coming round: her breathlessness and chest pain are hers, not the writer's.
    p = understand("我妈53岁，她站着的时候突然倒下去，昏过去3分钟，自己醒过来了，但特别虚弱，喘不上气，之后左边胸口疼")
    assert {f.id: f.experiencer for f in p.findings}["chest_pain"] == "patient"
    assert {f.id: f.experiencer for f in p.findings}["dyspnea"] == "patient"
    assert {f.id: f.experiencer for f in understand("孩子发烧，我自己也有点咳嗽").findings}["cough"] == "other"
    assert {f.id: f.experiencer for f in understand("自己最近老是头疼").findings}["headache"] == "patient"


@pytest.mark.parametrize("text,fids", [
    ("两边肩膀和胯骨一圈都疼、发僵", {"shoulder_pain", "hip_pain"}),
    ("pain in her knees and hips", {"knee_pain", "hip_pain"}),
])
def test_a_list_of_sites_names_each(text, fids):
    assert fids <= {f.id for f in understand(text).findings if f.status == "present"}


def test_cannot_speak_in_full_sentences_is_breathlessness_not_slurred_speech():
    p = understand("Doctor: Can you speak in full sentences?\nPatient: No.")
    present = {f.id for f in p.findings if f.status == "present"}
    assert "speaks_in_words_only" in present and "slurred_speech" not in present
    assert not understand("Doctor: Can you speak in full sentences?\nPatient: Yes.").findings
