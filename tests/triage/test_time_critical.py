"""Time-critical emergencies in plain words reach level I–II; their benign look-alikes do not.

Written the way a worried relative or a busy clinician types, not in the KB's own wording.
Each pair bounds the engine from both sides: one that sends everyone to resuscitation fails
the benign half as surely as one that sends everyone home fails the emergency half.
"""
import pytest

from wenzhen.assessment import assess

EMERGENCIES = [
    # (text, least urgent acceptable level)
    ("我妈吃饭时突然说脑袋像被人用锤子砸了一下，疼得直哭，还吐了", 2),
    ("老公搬东西时胸口连着后背像被撕开一样疼，满头大汗", 2),
    ("我爸说话含含糊糊的，右手拿杯子老掉，嘴角也有点歪", 2),
    ("孩子发烧一天，腿上冒出好多紫色小点点，用杯子压了也不褪", 2),
    ("他有糖尿病，这两天一直吐，喘气又深又快，嘴里一股烂苹果味", 2),
    ("室友把一瓶安眠药全吃了，现在叫她反应很慢", 2),
    ("工友说吃了二十多片扑热息痛，现在看着没事", 2),
    ("两岁孩子把纽扣电池吞下去了，现在还在玩", 2),
    ("宝宝出生45天，刚才量了38.2度", 2),
    ("孩子抽了快十分钟了还在抽", 1),
    ("孩子咳嗽声音像小狗叫，吸气时喉咙里呼呼响，胸口一吸气往里凹", 2),
    ("我爸喝酒多年，刚才吐了一大口血，手脚冰凉出冷汗，站起来就晕倒了", 1),
    ("孩子肚子疼一天，发烧39度，现在疼得不敢动，一颠就哭", 2),
    ("我妈吃着华法林，上午摔了一跤磕到头，现在说头越来越疼想吐", 2),
    ("患者男，70岁，1小时前右眼突然视物不见，无眼痛", 2),
    ("患者女，26岁，停经7周，下腹痛2小时伴晕厥一次，BP 82/50mmHg", 2),
    ("患者男，62岁，血钾 7.3mmol/L，乏力", 1),
    ("A 58-year-old man presents with a 2-day history of fever and confusion; BP 84/50, HR 118.", 2),
    ("My 11-month-old swallowed a button battery about an hour ago, seems fine", 2),
    ("A 72-year-old woman presents with sudden severe headache, the worst of her life, with vomiting and neck stiffness.", 2),
    ("my son is 6, barking cough and a high-pitched noise when he breathes in even when resting", 2),
    ("seizure has been going on for 8 minutes and she won't stop shaking", 1),
    ("we all have headaches and feel sick since the gas heater was on all night", 2),
    ("My husband is diabetic on insulin, sweaty, shaking and not making sense", 2),
    # plain words for reduced consciousness, shock and prolonged seizures
    ("我哥喝了一整瓶白酒，现在躺着叫他只会哼哼", 1),
    ("奶奶在厕所倒了，叫她有时候应有时候不应", 1),
    ("我妈抽起来了，手脚乱抖，都七八分钟了还没停", 1),
    ("我们厂里一个人喝了半瓶除草的药，现在口水直流", 1),
    ("媳妇怀孕七个多月，刚才突然抽过去了", 1),
    ("老婆生完孩子第三天，下面一直流血，刚才在厕所晕倒了", 1),
    ("孩子发烧，身上出了好多按不褪的紫点，手脚冰凉", 1),
    ("三岁孩子打翻了热水壶，胳膊和肚子都烫了，起了大水泡", 2),
    ("孩子在河边玩掉进水里了，捞上来的时候没气了，现在会哭了", 2),
    ("被马蜂蜇了好几下，浑身起大包，头晕站不住", 1),
    ("我爸62岁，出了一身虚汗，胃里堵得慌，还有点恶心", 2),
    ("my 4 year old pulled a kettle of boiling water over himself, his chest is blistered", 2),
    ("my grandad is 79 and barely responding, only groans when we shake him", 1),
]

BENIGN = [
    # (text, most urgent acceptable level)
    ("30岁，流鼻涕打喷嚏两天，不发烧，能吃能睡", 4),
    ("最近晚上睡不太好，白天有点累，想调理一下", 4),
    ("膝盖疼了好几年了，上下楼梯更明显，60岁", 4),
    ("脸上长痘痘好几个月了", 4),
    ("no fever, no cough, just a runny nose and sneezing since yesterday, I'm 28", 4),
    ("mild heartburn after a big dinner, otherwise fine, 35 years old", 4),
    ("头晕了两天，有点头疼，休息后好一些，28岁", 3),
    ("这两天大便有点干，肚子不疼", 4),
    ("孩子被蚊子咬了好几个包，挺痒的，别的都好", 4),
    ("倒开水的时候溅到手背上一点，红了一小块，没起泡", 3),
    ("最近总是睡不着，白天没精神", 4),
]


@pytest.mark.parametrize("text, least_urgent", EMERGENCIES, ids=lambda x: str(x)[:20])
def test_emergency_is_not_under_triaged(text, least_urgent):
    a = assess(text)
    assert a.triage.triage_level <= least_urgent, [r.id for r in a.triage.rules_fired]
    assert a.triage.disposition in ("call_120", "emergency_now")


@pytest.mark.parametrize("text, most_urgent", BENIGN, ids=lambda x: str(x)[:20])
def test_benign_complaint_is_not_escalated(text, most_urgent):
    a = assess(text)
    assert a.triage.triage_level >= most_urgent, [r.id for r in a.triage.rules_fired]


def test_numbers_of_tablets_below_an_overdose_are_not_an_overdose():
    for text in ("头疼，吃了两片扑热息痛，好一些了", "took 2 paracetamol for a headache, feeling better"):
        ids = {f.id for f in assess(text).understanding.findings}
        assert "acetaminophen_overdose" not in ids and "medication_overdose" not in ids


def test_consensus_vital_criteria():
    level = lambda **v: assess("头晕", vitals=v, age=40).triage.triage_level  # noqa: E731
    assert level(temp_c=41.5) == 1           # 腋温 >41 °C
    assert level(glucose_mmol=3.0) == 1      # POCT glucose <3.33
    assert level(potassium_mmol=7.2) == 1    # K⁺ >7.0
    assert level(sbp=75) == 2                # SBP 70–80
    assert level(hr=53) == 3                 # HR 50–55
    assert level(pain_score=8) == 2          # severe pain 7–10
    assert level(hr=80, sbp=120) == 4        # normal values do not escalate


def test_child_bradycardia_and_older_child_hypotension():
    assert assess("孩子没精神", age=6, vitals={"hr": 50}).triage.triage_level <= 2
    assert assess("孩子头晕", age=11, vitals={"sbp": 78}).triage.triage_level <= 2


@pytest.mark.parametrize("text", ["我爸在厕所倒了", "孩子误食了一个东西", "快来人救命"])
def test_danger_words_are_never_an_outpatient_booking(text):
    a = assess(text)
    assert a.triage.triage_level <= 3 and a.triage.disposition in ("call_120", "emergency_now", "doctor_24h")


@pytest.mark.parametrize("text", ["血压多少算正常", "我想问一下体检的事", "hello"])
def test_questions_without_danger_words_are_not_escalated(text):
    assert assess(text).triage.triage_level == 4


def test_early_warning_score_over_a_case_summarys_vitals():
    sick = assess("患者男，45岁，咳嗽气短2天。查体：T 38.6℃，P 124次/分，R 28次/分，BP 96/58mmHg，SpO2 88%")
    assert sick.triage.triage_level == 1 and any(r.id.startswith("news2") for r in sick.triage.rules_fired)
    well = assess("患者女，30岁，咳嗽2天。查体：T 37.2℃，P 78次/分，R 16次/分，BP 118/76mmHg，SpO2 98%")
    assert not any(r.id.startswith("news2") for r in well.triage.rules_fired) and well.triage.triage_level >= 3
    # two measurements are not a set of observations
    assert not any(r.id.startswith("news2") for r in assess("头晕，心率115，血压98/60", age=40).triage.rules_fired)


def test_onset_modifier_keeps_new_breathlessness_urgent_but_not_months_old():
    assert assess("我30岁，今天突然喘不上气").triage.triage_level <= 3
    assert assess("我30岁，这三个月爬楼梯的时候有点气短，休息就好").triage.triage_level == 4
    assert assess("心慌两个月了，偶尔一阵，没有胸痛头晕，28岁").triage.triage_level == 4
    assert assess("刚才突然心慌得厉害，28岁").triage.triage_level <= 3


def test_examination_signs_in_a_summary():
    assert assess("患者男，60岁，腹痛腹胀2天，查体：全腹膨隆，肠鸣音消失").triage.triage_level <= 2
    assert assess("A 3-year-old with fever for a day; she appears toxic and mottled.").triage.triage_level <= 2
    assert assess("患者男，30岁，腹痛1天，查体：腹软，无压痛，肠鸣音正常").triage.triage_level >= 3


def test_threats_of_suicide_and_fever_with_hiv():
    assert assess("我老公喝醉了说要跳楼").triage.triage_level <= 2
    assert assess("HIV阳性，发烧一周，咳嗽").triage.triage_level <= 2


def test_epiglottitis_posture_and_abruption_with_bleeding():
    assert assess("孩子发高烧，口水咽不下去往外淌，非要坐着往前趴着喘").triage.triage_level == 1
    assert assess("怀孕32周，肚子一直硬邦邦不放松，下面出血了").triage.triage_level == 1
    assert assess("孩子出牙，流口水，不发烧，精神好").triage.triage_level >= 3


def test_dialect_and_typos():
    assert assess("喘不上起了，嘴唇发紫").triage.triage_level == 1     # 起 for 气
    assert assess("俺娘喘不动气了，脸发青").triage.triage_level == 1
    assert assess("我家那口子突然说不了话了，半边身子不能动").triage.triage_level <= 2
    assert assess("冬天手指冻得发紫，暖和一下就好了").triage.triage_level >= 3


def test_found_on_text_written_by_others():
    # new diabetes presenting as ketoacidosis, in a parent's words
    assert assess("孩子11岁，这几天特别能喝水，尿也特别多，今天吐了，肚子疼，人蔫蔫的").triage.triage_level <= 2
    # "疼得不厉害" is not severe pain; "按肚子不疼" after a period word is not period pain
    a = assess("肚子有点疼，疼得不厉害，月经方面没什么问题，按肚子不疼，30岁")
    assert a.triage.triage_level >= 3 and "menstrual_pain" not in {f.id for f in a.understanding.findings}
    assert assess("患者男，30岁，中美洲旅行回国3周，发热寒战5天").triage.triage_level <= 2
    assert assess("A 25-year-old man with pain in the right lower quadrant, pain severity is 7 out of 10").understanding.vitals.pain_score == 7
    assert assess("我40岁，喘气越来越困难，晚上睡着睡着憋醒，只有坐起来才好一点").triage.triage_level <= 2
    assert assess("我40岁，上腹疼，还吐，往后背窜").triage.triage_level <= 3
