"""Emergencies as clinicians, physicians and relatives write them, and the same words denied or their everyday
look-alikes: each emergency at least as urgent as its bound, each look-alike not an emergency (bounded from both
sides)."""
import pytest

from wenzhen.assessment import assess

EMERGENCIES = [
    # clinicians' case notes in Chinese
    ('患者男，72岁，突发右侧肢体无力伴言语含糊1小时', 2),
    ('患者男，68岁，突发言语不利伴左侧肢体活动障碍2小时', 2),
    ('女，60岁，心前区疼痛1小时，伴大汗', 2),
    ('女，45岁，持续性胸骨后压榨样疼痛40分钟，伴恶心、大汗', 2),
    ('男，30岁，突发剧烈头痛，呈炸裂样，伴喷射性呕吐', 2),
    ('女，35岁，全身皮疹伴喉头发紧、呼吸困难，进食海鲜后半小时', 1),
    ('男，66岁，咯鲜血约200ml', 2),
    ('男，55岁，呕血约300ml，伴黑便，头晕乏力', 2),
    ('女，70岁，意识障碍半天，呼之不应', 1),
    ('患儿，8个月，腹泻3天，尿少，前囟凹陷，精神萎靡', 2),
    ('男，45岁，被重物砸伤左下肢，左小腿肿胀明显、剧痛，足背动脉搏动减弱', 2),
    ('男，22岁，剧烈运动后肌肉酸痛，尿呈酱油色', 2),
    ('女，30岁，产后2小时阴道流血约600ml', 2),
    ('患儿，1岁，异物吸入后剧烈呛咳，面色青紫', 1),
    ('女，29岁，孕32周，自觉胎动消失1天', 2),
    ('男，50岁，右眼被化学液体溅入，眼痛、畏光', 2),
    ('女，48岁，双下肢进行性无力3天，由下向上发展，近期腹泻史', 2),
    ('患儿，5岁，高热5天，双眼结膜充血，口唇皲裂，手足硬肿', 3),
    ('女，55岁，SpO2 85%，口唇发绀，呼吸窘迫', 1),
    # physicians' vignettes in English (and a Chinese retelling)
    ('A 19-year-old woman with type 1 diabetes presents with vomiting, abdominal pain and rapid deep breathing.', 2),
    ('An 80-year-old woman presents with a fall, a shortened externally rotated left leg and inability to weight-bear.', 3),
    ("A 40-year-old man presents with sudden-onset occipital headache, 'the worst ever', with neck stiffness.", 2),
    ('突然头痛得厉害，脖子发硬，吐了两次', 2),
    # patients' and relatives' words
    ('my son fell off the trampoline, his arm is bent the wrong way', 3),
    ("throat swelling after a bee sting, can't swallow my spit", 1),
    ("blood pouring from a cut on my wrist, it won't stop", 2),
    ('孩子吃了花生以后嘴巴肿了，喘气有呼噜声', 1),
    ('我妈心跳特别快，一分钟一百八十多下，头晕', 2),
    ('孩子吃东西卡住了，咳不出来，说不了话', 1),
    ('我妈腿突然又冷又白又疼，摸不到脉', 2),
    ('孩子手脚冰凉，皮肤发花，精神很差', 1),
    ("my baby's soft spot is bulging and she won't stop crying", 2),
    ('老人吃饭呛了以后一直咳嗽发烧，喘', 2),
    ("my wife's waters broke and she can see the cord", 2),
    ('dad has been drinking heavily, now shaking, seeing things, sweating', 2),
    ('我爸喝酒几十年，昨天停了酒，今天浑身发抖，说看见墙上有虫子爬', 2),
    ('my 2 year old drank some of the dishwasher liquid', 2),
    ("got hit in the eye with a squash ball, now can't see properly and blood in the eye", 2),
    ('我男朋友吸了笑气以后腿麻走不了路', 2),
]

# Denied dangers and everyday complaints that share words with them.
NOT_EMERGENCIES = [
    '无言语不利，无肢体活动障碍，无胸痛',
    '无阴道流血，无腹痛',
    '尿量无减少，无尿频尿急尿痛',
    '头发紧，像箍住一样，下午更明显',
    '跑步后腿酸，尿色有点黄',
    '孩子感冒了，喘气有呼噜声，不发烧，精神好',
    '落枕了，脖子僵硬转不动，有点头疼',
    'stiff neck from sleeping badly and a mild tension headache',
    '天冷腿疼',
    '鱼刺卡住了，咽东西疼',
    '跑完步有点喘，歇一会就好了',
    '孩子手脚有点凉，精神好，在玩',
    '孩子有哮喘，刚才跑完步有点喘，喷了一下万托林现在好了，说话正常又在玩了',
    '喝了点酒，有点头晕',
    'I had a few beers last night and feel rough today',
    '腿麻了一下，蹲久了',
]


@pytest.mark.parametrize("text, least", EMERGENCIES)
def test_emergency_is_not_under_triaged(text, least):
    assert assess(text).triage.triage_level <= least


@pytest.mark.parametrize("text", NOT_EMERGENCIES)
def test_look_alike_is_not_an_emergency(text):
    assert assess(text).triage.triage_level >= 3


def test_a_stated_volume_makes_a_bleed_large_only_above_the_threshold():
    big = next(f for f in assess("咯鲜血约200ml").understanding.findings if f.id == "hemoptysis")
    small = next(f for f in assess("咯血约20ml").understanding.findings if f.id == "hemoptysis")
    assert big.severity == "severe" and small.severity != "severe"


@pytest.mark.parametrize("text, hr", [("心跳特别快，一分钟一百八十多下", 180), ("心跳一分钟180下", 180), ("脉搏一百一十次", 110)])
def test_a_pulse_counted_in_words_is_read(text, hr):
    assert assess(text).understanding.vitals.hr == hr


def test_a_heartbeat_felt_in_pulses_is_not_a_rate():
    assert assess("心跳一下一下的疼").understanding.vitals.hr is None
