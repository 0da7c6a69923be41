"""Less common emergencies in plain words and terse summaries reach level I–II; look-alikes do not.

Written from clinical knowledge (oncology, renal, endocrine, toxicology, obstetrics, airway, spine),
not from the knowledge base's phrasing.
"""
import pytest

from wenzhen.assessment import assess

EMERGENCIES = [
    ('我妈乳腺癌在化疗，上次化疗是8天前，今晚发烧38.3度，打寒战', 2),  # neutropenic fever
    ("I'm on chemotherapy for lymphoma, last cycle 10 days ago, now temperature 38.2 and shivering", 2),  # neutropenic en
    ('我爸在做透析，这次透析没去，今天浑身没劲，腿软站不起来，心跳很慢', 2),  # hyperK dialysis
    ('长期吃强的松，最近自己停了，这两天呕吐、肚子疼，人很虚，头晕站不住，血压90/50', 2),  # adrenal crisis
    ('突然心跳特别快，数了一下180多，头晕眼前发黑，出冷汗', 2),  # SVT hypotension
    ('我奶奶80岁，这两天老是头晕，今天晕倒了一次，摸脉搏才三十几下', 2),  # complete heart block
    ("Known lung cancer, 2 days of worsening breathlessness, can't lie flat, BP 85/60, HR 125, neck veins distended", 1),  # tamponade
    ('术后第5天突然胸闷气短，大汗，血压82/50，血氧85%', 1),  # massive PE
    ('我爸72岁，突然肚子和腰疼得厉害，摸着肚子里有个跳动的包，刚才晕倒了', 1),  # AAA rupture
    ('有胃溃疡，突然上腹部像刀割一样疼，肚子硬得像木板，一动就疼', 2),  # perforated ulcer
    ('右上腹疼，发烧寒战，眼睛皮肤发黄，人有点糊涂', 2),  # cholangitis
    ('75岁房颤老人，突然肚子剧痛，但按肚子不怎么疼，吐了', 2),  # mesenteric ischaemia
    ('嗓子疼了5天，今天一边肿得厉害，张不开嘴，口水都咽不下去，说话含着东西似的', 2),  # peritonsillar abscess
    ('牙疼了几天，今天下巴底下和脖子肿得硬邦邦的，舌头往上抬，喘气有点费劲', 1),  # Ludwig
    ('孩子6岁，鼻窦炎后左眼皮又红又肿睁不开，眼珠转动时疼，看东西重影，发烧', 2),  # orbital cellulitis
    ('糖尿病，阴囊和会阴部红肿发黑，疼得厉害，发烧', 2),  # Fournier
    ('肺癌骨转移，这两天背疼加重，两条腿越来越没劲，今天尿不出来', 2),  # cord compression
    ('IV drug user with fever and severe back pain, now legs feel weak and numb', 2),  # epidural abscess
    ('喝了散装白酒，今天看东西模糊，肚子疼，喘气又深又快', 2),  # methanol
    ('孩子误喝了一口百草枯', 1),  # paraquat
    ('孩子可能吃了老鼠药，现在还好', 2),  # rat poison
    ('吃碳酸锂的病人，最近拉肚子呕吐，手抖得厉害，走路不稳，说话含糊', 2),  # lithium tox
    ('我妈吃地高辛，这两天恶心呕吐，看东西发黄，心跳慢', 2),  # digoxin tox
    ('吃氟哌啶醇后高烧40度，全身肌肉僵硬，意识不清', 1),  # NMS
    ('脚被生锈钉子扎了一周，现在嘴张不开，脖子发硬，一碰就抽', 2),  # tetanus
    ('跳水头撞到池底，脖子疼，手脚麻木动不了', 1),  # diving spinal
    ('2个月的宝宝，身上好几处淤青，不同颜色的，家长说不清怎么来的，宝宝很蔫', 2),  # child abuse
    ('我不想活了，药都已经准备好了，今晚就吃', 2),  # suicide plan
    ("I have a plan to kill myself tonight, I've got the pills ready", 2),  # suicide en
    ('孕36周，破水了，感觉下面有东西掉出来，像一根带子', 1),  # cord prolapse
    ('孕34周，右上腹疼，恶心，血压160/110，头疼', 2),  # HELLP
    ('宝宝出生5天，全身发黄越来越重，连手心脚心都黄了，吃奶差，老睡', 2),  # neonatal jaundice
    ('my 6 week old has a cold and keeps stopping breathing for a few seconds and going blue', 1),  # bronchiolitis apnoea
    ('喝完酒后上腹剧痛向后背放射，呕吐，血压85/50，心率130', 1),  # pancreatitis shock
    ('甲减老人，最近越来越没精神，怕冷，今天叫不太醒，体温35度', 1),  # myxoedema
    ('镰状细胞病，全身骨头剧痛，胸痛，发烧，喘', 2),  # sickle
    # case summaries with measurements: shock index, pulse, glucose, hypotension, hypoxaemia
    ("患者男，55岁，长期服用泼尼松，1周前自行停药，恶心呕吐2天。BP 82/50mmHg，P 118次/分", 1),  # shock index 1.44
    ("患者男，47岁，高处坠落，诉腹痛，P 124次/分，BP 92/60mmHg", 1),  # injury with HR > SBP
    ("患者男，66岁，头晕乏力3天，心电图示三度房室传导阻滞，心室率32次/分", 1),
    ("患者男，52岁，服用碳酸锂，呕吐腹泻3天，手抖，走路不稳", 2),
    ("患者女，70岁，意识模糊1天，多饮多尿，血糖 38mmol/L", 1),
    ("患者男，25岁，发热、头痛，皮肤瘀点瘀斑，BP 80/50mmHg", 1),
    ("患者男，23岁，被刀刺伤左胸部，R 32次/分，SpO2 86%", 1),
    ("患儿男，5周，喷射性呕吐3天，尿少，前囟凹陷", 2),
]

LOOK_ALIKES = [
    ("我在做化疗，今天有点累，不发烧，吃饭还行", 3),
    ("透析刚做完，有点乏，别的没事", 3),
    ("心跳有点快，刚跑完步，休息一会就好了，25岁", 3),
    ("牙疼两天了，腮帮子不肿，能张嘴，不发烧", 3),
    ("跳水的时候呛了口水，现在没事，能说能笑", 3),
    ("宝宝8个月，会爬了，膝盖上有块淤青", 3),
    ("吃地高辛好几年了，最近挺好，来开药", 4),
]


@pytest.mark.parametrize("text, least_urgent", EMERGENCIES, ids=lambda x: str(x)[:16])
def test_uncommon_emergency_is_not_under_triaged(text, least_urgent):
    a = assess(text)
    assert a.triage.triage_level <= least_urgent, [r.id for r in a.triage.rules_fired]


@pytest.mark.parametrize("text, most_urgent", LOOK_ALIKES, ids=lambda x: str(x)[:16])
def test_look_alike_is_not_escalated(text, most_urgent):
    a = assess(text)
    assert a.triage.triage_level >= most_urgent, [r.id for r in a.triage.rules_fired]


def test_a_fast_pulse_with_normal_pressure_is_not_shock():
    a = assess("跑完步心跳110，血压125/80，没有不舒服", age=30)
    assert a.triage.triage_level >= 3


def test_days_without_stool_are_not_an_age():
    from wenzhen.understanding import understand
    assert understand("孩子3天没拉了").demographics.age_years is None
    assert understand("宝宝10天大，吃奶少").demographics.age_years < 0.1
