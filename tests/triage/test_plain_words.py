"""Emergencies in patients' and relatives' plain words, Chinese and English; minor complaints stay minor.

Where the engine is known to stop one level short (II for a case a clinician might call I, III for
a likely hip fracture) the bound is that level, so a regression still fails.
"""
from pathlib import Path

import pytest
import yaml

from wenzhen.assessment import assess

EMERGENCIES = [
    # Chinese, relatives' words
    ('我老婆刚才突然说不出话了，右手也抬不起来，嘴歪了', 2),
    ('我爸吃饭的时候突然噎住了，脸憋得发紫，说不出话', 1),
    ('孩子把一颗花生呛进去了，一直咳，喘气有呼呼声', 2),
    ('老人早上起来叫不醒，打呼噜很响，床边有个空药瓶', 1),
    ('我婆婆糖尿病，今天一直出冷汗，说话颠三倒四的，早上打了胰岛素没吃饭', 2),
    ('孩子发烧抽风了，现在抽完了，眼睛有点发直，叫他有反应', 2),
    ('我男朋友喝了一斤多白酒，吐了好几次，现在叫不醒，喘气很慢', 1),
    ('同事在车间被机器把手卷进去了，手指头都变形了，血流了一地', 2),
    ('我妈心脏不好，刚才突然喘不上气，坐起来才好一点，咳粉红色的泡沫痰', 1),
    ('我爸胸口压着疼，像有块大石头压着，疼到左胳膊，一身冷汗', 2),
    ('孩子两岁，从二楼阳台掉下来了，现在哭着，头上起了个大包，吐了一次', 2),
    ('我怀孕7个月了，今天感觉宝宝一直不怎么动，肚子也有点疼', 2),
    ('我小孩三岁，喝了一口爷爷的农药，现在嘴里有股怪味', 1),
    ('我姐吃了一整板安眠药，现在还能说话，但是说话有点大舌头', 2),
    ('我爷爷90岁，这两天不吃不喝，今天叫他也不怎么睁眼', 2),
    ('孩子肚子疼得在地上打滚，一阵一阵的，吐了，拉的大便像果酱', 2),
    ('我老公被马蜂蜇了十几下，脸肿得眼睛都睁不开，喘气费劲', 1),
    ('我爸刚才上厕所的时候晕倒了，拉了好多黑色的大便，像柏油一样', 1),
    ('我弟打篮球的时候突然倒地了，没有呼吸，摸不到脉搏', 1),
    ('婆婆摔了一跤，右腿变短了往外撇，站不起来', 3),
    ('孩子头疼得厉害，一直吐，脖子发硬，还发烧', 2),
    ('我突然右眼看不见了，像拉了一道帘子，一点都不疼', 2),
    ('宝宝一个月，黄疸越来越重，不怎么吃奶，老是睡觉', 2),
    ('我妈吃了头孢，晚上又喝了点酒，现在脸通红心慌头晕，胸闷', 2),
    ('孩子玩磁铁，吞了好几颗下去了', 2),
    # English, patients' and relatives' words
    ("my husband suddenly can't lift his right arm and his words are all muddled, started 20 mins ago", 2),
    ("mum's face has dropped on one side and she can't smile properly", 2),
    ("my son ate a peanut cookie and now his lips are swelling and he's wheezing", 1),
    ("my 3 month old feels really hot, 38.5, and won't feed", 2),
    ("dad collapsed in the garden, he's breathing but we can't wake him", 1),
    ("my friend took a load of pills after a breakup, she's getting really drowsy", 1),
    ('my wife is 34 weeks and has a pounding headache, flashing lights and swollen face', 2),
    ("i've been throwing up blood and feel dizzy when i stand", 2),
    ('my daughter has a stiff neck, high fever and the light hurts her eyes', 2),
    ("grandma fell and hit her head, she's on blood thinners and is now being sick", 2),
    ('my partner has the worst headache of his life, came on like a thunderclap', 2),
    ('my baby is breathing really fast and sucking in under her ribs', 2),
    ("chest feels tight and heavy, going down my left arm, I'm 58 and sweating", 2),
    ('i think my appendix, pain moved to the right side, fever, cant walk straight', 2),
    ('my 2 year old swallowed one of those little round batteries', 2),
    ("my teenage son says his testicle suddenly really hurts and it's swollen", 2),
    ("my toddler is having a fit and it won't stop, it's been 10 minutes", 1),
    ("i'm diabetic and my sugar reading says 1.9 and i'm shaky and confused", 1),
    ("my dad is really breathless, lips look blue, can't speak in full sentences", 1),
    ('we had the heater on all night and all of us have headaches and are being sick', 2),
    ("my dog bit my son's face and it's bleeding a lot, won't stop", 2),
    ("i cut my wrist deep, there's blood spurting out", 1),
    ("my mum is really confused, feverish, and her wee smells bad, she's 85", 2),
    ("i'm 8 weeks pregnant with sharp pain on one side and i fainted", 1),
    ("woke up with the worst sore throat ever, can't swallow my own spit, drooling, voice muffled", 2),
]

# Children, in parents' words
CHILDREN = [
    ('孩子8个月，发烧39.5度，一直哭闹，怎么哄都不行，吃奶也少了', 2),
    ('宝宝2个月，今天吐了好几次，吐的是绿色的水', 2),
    ('孩子3岁，从床上摔下来后一直睡，叫醒了又睡过去，吐了两次', 2),
    ('孩子1岁半，咳嗽声音像狗叫，晚上喘气有响声，嘴唇不紫', 2),
    ('宝宝4个月，这两天拉肚子很多次，眼窝凹下去了，哭没有眼泪，尿很少', 2),
    ('孩子5岁，发烧三天，今天脖子疼不敢低头，头疼得厉害', 2),
    ('孩子6岁，吃了邻居给的糖，半小时后嘴唇肿了，说嗓子不舒服，咳嗽', 2),
    ('孩子10岁，肚子疼了一天，先是肚脐周围，现在右下边疼，走路弯着腰', 2),
    ('孩子7岁，糖尿病，今天一直说口渴，尿多，吐了好几次，喘气很深', 2),
    ('宝宝6周，呼吸好快，吃奶时满头大汗，嘴唇有点发青', 1),
    ('孩子3岁，突然一边腿不敢走路了，发烧38.8，膝盖肿', 2),
    ('孩子4岁，尿里有血，脸和眼皮肿了，尿很少，血压高', 3),
    ('孩子2岁，把奶奶的降糖药吃了两片，现在还在玩', 2),
    ('孩子12岁，打篮球时突然晕倒了，过了一会醒了，说胸口疼', 2),
    ('女儿15岁，月经推迟了，突然肚子剧痛晕倒了', 1),
    ('儿子14岁，睡醒后睾丸疼得厉害，肿了，想吐', 2),
    ('孩子高烧40度，抽了一下，抽完了现在睡着了叫不醒', 1),
    ('孩子被烟花炸到眼睛了，眼睛流血看不见', 2),
    ('孩子误喝了半瓶酒精（医用酒精），现在站不稳想睡觉', 2),
    ('宝宝3周，黄疸，发烧38度，不吃奶', 2),
]

CHILDREN_MINOR = [
    '孩子5岁，流鼻涕两天，有点咳，不发烧，吃喝玩都正常',
    '宝宝8个月，出牙流口水，有点烦躁，不发烧',
    '孩子6岁，膝盖摔破了点皮，已经不流血了，走路正常',
]

# Pregnancy and older adults
PREGNANCY_AND_OLDER = [
    ('怀孕38周，羊水破了，水是绿色的', 2),
    ('怀孕30周，下面突然流了很多水，肚子一阵一阵发紧', 2),
    ('怀孕6周，下面出血比月经还多，有血块，肚子疼', 2),
    ('产后一周，发烧39度，下面流的东西有臭味，肚子疼', 2),
    ('生完孩子两周，左腿突然肿得很粗，又红又疼，今天有点喘', 2),
    ('怀孕34周，这两天手脚脸都肿，今天头疼眼花，看东西模糊', 2),
    ('怀孕10周，吐得很厉害，一口水都喝不进去，尿很少，人没力气', 3),
    ('怀孕28周，今天摔了一跤，肚子着地，现在有点疼', 2),
    ('孕36周，感觉胎动比平时少了很多，半天都没怎么动', 2),
    ('我奶奶85岁，这两天不怎么吃饭，今天说话含糊不清，有点糊涂', 2),
    ('我爸75岁，摔倒后一直说头疼，在吃阿司匹林和氯吡格雷', 2),
    ('老人家80多了，发烧不高37.8，但是人很没精神，喘气快，不想吃东西', 2),
    ('我妈70岁，尿不出来一天了，肚子胀得很疼', 2),
    ('我爷爷78岁，突然肚子剧痛，摸着肚子硬邦邦的，以前有胃溃疡', 2),
    ('我妈65岁，糖尿病，脚上一个伤口发黑了，发烧', 2),
    ('老人心衰病史，这两天腿肿得越来越厉害，晚上不能平躺，要坐着睡', 2),
]

# Poisons, gases, bites, heat, altitude and diving
ENVIRONMENT_AND_POISONS = [
    ('我儿子吸了笑气，现在手脚发麻走不稳', 2),
    ('朋友吃了不知道什么药丸，在夜店，现在体温很高，一直出汗，很躁动', 2),
    ('孩子吃了几片奶奶的降压药，现在很困，脸色白', 1),
    ('我爸喝了假酒，现在眼睛看不清', 2),
    ('家里煤气泄漏了，我妈晕倒在厨房', 1),
    ('在地下室刷油漆，现在头晕想吐，站不稳', 2),
    ('被毒蛇咬了脚，现在肿得厉害，牙龈出血', 1),
    ('被蝎子蜇了，孩子3岁，一直哭，流口水，出汗', 2),
    ('在工厂吸入了大量氯气，咳嗽得很厉害，喘不上气', 2),
    ('打完狂犬疫苗后全身起疹子，喉咙发紧', 1),
    ('天太热了，我爸在田里干活，突然倒了，浑身滚烫，不出汗', 1),
    ('登山到4500米，头疼得厉害，走路不稳，说胡话', 1),
    ('潜水上来后关节疼，手脚发麻', 2),
    ('I drank antifreeze by mistake an hour ago, I feel ok', 2),
    ('my son ate some mushrooms he picked in the woods, now vomiting and diarrhoea 8 hours later', 2),
    ("she swallowed a handful of her antidepressants, now her heart is racing and she's twitching", 2),
]

# Level I in plain words: arrest, airway, shock, coma, major haemorrhage
LEVEL_ONE = [
    ('他倒地后没有呼吸了，摸不到脉搏', 1),
    ("my dad isn't breathing and has no pulse", 1),
    ('孩子溺水了，捞上来嘴唇发紫，没反应', 1),
    ('老人噎住了，脸发紫，说不出话也咳不出来', 1),
    ("he's making gurgling noises and his lips are blue, we can't wake him", 1),
    ('吃了海鲜后全身起疹子，嘴唇舌头肿，喘不上气，头晕眼前发黑', 1),
    ('小孩从三楼摔下来，叫不醒', 1),
    ('车祸，腿上的骨头露出来了，血流不止', 1),
    ('工人触电了，现在没有意识', 1),
    ('我爸胸口剧痛，满头大汗，血压测出来只有70/40', 1),
    ('my wife is 30 weeks pregnant and having a fit', 1),
    ('我妈大口大口地吐血，吐了一脸盆，人开始迷糊', 1),
    ("he took his heroin and now he's barely breathing, pinpoint pupils", 1),
    ('孩子喘得很厉害，嘴唇发紫，说不出话，肋骨都凹进去了', 1),
    ('全身大面积烧伤，脸和脖子也烧了，声音嘶哑', 1),
    ('skiing accident, hit a tree, now confused and vomiting, GCS 10', 2),
    ('患者男，58岁，心跳骤停，心肺复苏后恢复自主循环', 1),
    ("I found my son hanging, we cut him down, he's breathing but unconscious", 1),
    ('孩子吞了个硬币，现在喘不上气，脸憋得通红', 1),
    ('体温42度，人已经不清醒了，一直在高温车间干活', 1),
]

# Long retellings: the danger sits among denials, in roundabout words or dialect.
RETELLINGS = [
    ('我爸七十多了，不发烧也不咳嗽，吃饭还行，就是刚才说心口窝堵得难受，往左胳膊那边窜，一脑门子汗', 2),
    ('娃生下来才四十来天，没咳嗽没吐，就是今天量了38.2度，吃奶少了', 2),
    ('两岁的孩子，遥控器里的纽扣电池不见了一颗，他一直指嘴巴，现在还挺精神的', 2),
    ('个仔一岁，屙咗成日水，喊都冇眼泪，尿片成日都系干嘅，瞓觉唔郁', 1),
    ("no fever, no cough, eating ok. tonight he suddenly got awful pain in his lower back and belly and he's gone grey", 2),
    ('No history of trauma, now has crushing chest pain and is sweating', 2),
    ('3-year-old, hot tea scald 20 min ago, partial-thickness burns about 15% TBSA', 2),
    ('the baby has had diarrhoea for 2 days, no wet nappy since this morning, no tears, and she is really floppy', 1),
    ('我妈做完手术第五天开始发烧，一直在输液，血压还是偏低，尿也少了', 2),
]

RETELLINGS_MINOR = [
    '不发烧，不咳嗽，大便也正常，就是这两天鼻子有点堵，流清鼻涕，能吃能睡',
    "no fever, no chest pain, no shortness of breath, just a bit of a runny nose for two days",
    'kettle splash on the back of my hand, about the size of a coin, red, no blisters',
    '发烧38度一天了，血压不低，精神挺好，能吃能喝，30岁',
]

MINOR = [
    '这两天有点拉肚子，一天三四次，不发烧，能吃能喝，25岁',
    '最近老失眠，白天没精神，别的都还好',
    '嗓子有点疼，不发烧，能吃东西，30岁',
    '手上起了几个小水泡，痒，天热的时候就长',
    'got a runny nose and a bit of a cough, no fever, feel ok',
    "i've got a mouth ulcer that's been there 3 days",
    "i stubbed my toe, it's a bit bruised but i can walk fine",
    "mild headache after a long day at the computer, it's easing with rest",
]


# Every group is held to the same bound: at least as urgent as the level written beside each text.
ALL_EMERGENCIES = EMERGENCIES + CHILDREN + PREGNANCY_AND_OLDER + ENVIRONMENT_AND_POISONS + LEVEL_ONE + RETELLINGS


@pytest.mark.parametrize("text, least_urgent", ALL_EMERGENCIES, ids=lambda x: str(x)[:16])
def test_emergency_in_plain_words(text, least_urgent):
    a = assess(text)
    assert a.triage.triage_level <= least_urgent, [r.id for r in a.triage.rules_fired]


@pytest.mark.parametrize("text", MINOR + CHILDREN_MINOR + RETELLINGS_MINOR, ids=lambda x: x[:16])
def test_minor_complaint_in_plain_words(text):
    assert assess(text).triage.triage_level == 4


def test_a_fall_without_injury_words_in_early_pregnancy_is_not_escalated_by_gestation():
    assert assess("怀孕8周，今天有点恶心，别的都好").triage.triage_level >= 3


@pytest.mark.parametrize("text, level", [
    ("突然后背剧痛", 2),                       # severe central pain in words: the score's 7–10 band
    ("my back pain is unbearable", 2),
    ("牙疼得厉害，受不了", 3),                  # severe peripheral pain: urgent, not emergent
    ("膝盖疼得要命", 3),
    ("有点头疼，两天了，25岁", 4),
    ("I'm 30, dull headache for 2 days, not the worst headache ever, came on gradually", 4),
])
def test_pain_described_in_words_takes_the_score_band(text, level):
    assert assess(text).triage.triage_level == level


@pytest.mark.parametrize("text", [
    "左眼胀痛，看路灯周围有一圈彩虹，吐了两次",                            # acute angle closure
    "fell off his scooter onto the handlebars an hour ago, now pale and clammy",   # injury with shock signs
    "县医院CT说有出血，医生让转市里，我们想明天再去",                           # a scan showing a bleed
    "大便什么颜色？\n黑的，跟柏油一样\n头晕吗？\n站起来就晕\n多大岁数？\n七十六",  # melena in a chat
])
def test_emergencies_in_chats_and_relayed_messages(text):
    assert assess(text).triage.triage_level <= 2


@pytest.mark.parametrize("text, most, least", [
    ("他吃了半瓶安眠药", 1, 2),
    ("my husband collapsed and is breathing funny", 1, 2),
    ("my daughter has a rash that doesn't fade when I press a glass on it and a fever", 1, 2),
    ("吃了药也没用，还吐血", 1, 2),
    ("Sudden severe middle chest pain not relieved by painkillers, going through to the back", 1, 2),
    ("not able to speak properly since this morning and his face looks droopy", 1, 2),
    ("he was stabbed in the chest", 1, 1),
    ("我弟胸口被人捅了一刀", 1, 1),
    ("手被刀扎伤了", 2, 3),  # a cut hand is not a torso wound
    ("我爸糖尿病，今天特别迷糊，一直喊渴", 1, 2),
    ("my husband is having a fit that has lasted ten minutes", 1, 1),
    ("grandma fell and her leg is shorter and turned out", 1, 2),
    ("我怀孕36周，早上起来脸和腿都肿了，看东西有点模糊", 1, 2),
    ("my grandma is really drowsy and her lips look blue", 1, 1),
    ("my wife had a baby last week and now has a fever and smelly discharge", 1, 2),
    ("my teenager took 20 of her antidepressant tablets", 1, 2),
    ("my toddler is wheezing and sucking in under the ribs", 1, 2),
    ("my son burned his face with boiling oil", 1, 2),
    ("发烧，脸很烫", 3, 4),  # a hot face with fever is not a burn
])
def test_worried_relatives_words(text, most, least):
    level = assess(text).triage.triage_level
    assert most <= level <= least
# Events told in the relative's own order of words (the chemical after the verb, the bleeding timed): each reaches
# at least its level; the everyday versions do not.
@pytest.mark.parametrize("text, at_least", [
    ("孩子吃果冻噎住了，脸都憋紫了", 1),             # choking with cyanosis
    ("老人家吃了几个野蘑菇，现在又吐又拉", 2),         # wild mushrooms
    ("孩子鼻子流血流了半小时还止不住", 2),             # active bleeding
    ("婆婆脚肿，最近晚上睡觉躺不平，得坐着", 3),       # orthopnoea: heart failure
    ("眼睛溅进了消毒液", 2),
    ("孩子误吞了一颗纽扣电池", 2),                       # the battery, not just an object
    ("孩子发烧，身上起了一片一片按不退的紫红点", 2),     # 按不退: a non-blanching rash, not a denial
    ("孩子发烧，身上的红点按了不退", 2),
    ("我儿子跟人打架，肚子被踢了，现在脸色发白", 2),     # internal bleeding after a blow
    ("爷爷咳了好多血", 2),
    ("Grandpa is coughing up a lot of blood", 2),
    ("孩子喘得厉害，说话都说不成句，嘴唇有点紫", 1),     # words only, cyanosis
    ("孩子被热油烫了脸和脖子", 2),                       # a burn to the face and neck: the airway
    ("小孩玩的时候手指被门夹断了一截", 2),               # an amputated fingertip: replantation has a time limit
    ("我朋友在桑拿房里晕倒了，身上很烫", 2),             # heat stroke
])
def test_plainly_worded_emergencies(text, at_least):
    assert assess(text).triage.triage_level <= at_least


@pytest.mark.parametrize("text", ["孩子流鼻血，按了一会儿就止住了", "我有点感冒，流鼻涕，嗓子有点疼", "眼睛里进了沙子，揉了揉好了",
                                  "孩子身上起红疹子，按一下就退了", "肚子被踢了一脚，有点疼", "痰里有点血丝",
                                  "孩子吞了一枚硬币", "手指被门夹了一下，有点紫"])
def test_their_everyday_versions_stay_calm(text):
    assert assess(text).triage.triage_level >= 3


_DATA = Path(__file__).parent / "data"
# Every file there: cases written by authors who did not see the knowledge base.
_CASES = [c for path in sorted(_DATA.glob("*.yaml")) for c in yaml.safe_load(path.read_text(encoding="utf-8"))]


@pytest.mark.parametrize("case", _CASES, ids=[c["id"] for c in _CASES])
def test_messages_others_wrote_are_triaged_within_bounds(case):
    level = assess(case["text"]).triage.triage_level
    assert level <= case["max_level"], f"under-triaged ({case['why']})"
    assert level >= case["min_level"], f"over-triaged ({case['why']})"


def test_the_sets_hold_both_kinds_and_few_adjusted_bounds():
    cases = _CASES
    emergencies = [c for c in cases if c["max_level"] <= 2]
    minor = [c for c in cases if c["min_level"] >= 3]
    assert len(emergencies) >= 540 and len(minor) >= 225
    assert sum("adjusted" in c for c in cases) <= 35  # of 858


@pytest.mark.parametrize("text, level", [
    ("被自家猫挠了一下，手背上几道红印子，没出血", 3),   # a denied danger word is no alarm
    ("出血了", 2),                                      # a danger word alone still is
])
def test_a_denied_danger_word_is_no_alarm(text, level):
    assert assess(text).triage.triage_level >= level if level > 2 else assess(text).triage.triage_level <= level


def test_flank_pain_with_fever_alone_is_not_a_blocked_kidney():
    # pyelonephritis without colic or a known stone stays level III; colic with fever is an infected blocked kidney
    plain = assess("26岁女性，尿频尿痛3天，昨天开始右侧腰痛，发烧38.6度，能喝水，不吐")
    blocked = assess("以前有肾结石，今天腰一阵一阵绞痛，发烧39度，冷得直打哆嗦")
    assert plain.triage.triage_level == 3 and blocked.triage.triage_level == 2
