"""Self-care is offered for clearly minor complaints and withheld wherever a clinician is needed."""
import pytest

from wenzhen.assessment import assess

MINOR = [
    "我28岁，昨天去海边晒了一天，肩膀晒得发红有点疼，没起泡，人没别的不舒服",
    "早上起来落枕了，脖子一转就疼，手不麻，不发烧",
    "嘴里长了个小溃疡，吃东西碰到疼，以前也长过，一周就好",
    "I'm 30, sore and stiff thighs two days after my first leg day at the gym, pee is normal colour",
    # one finding, with the danger signs checked and denied
    "昨晚吃了麻辣火锅，今天拉了四回稀的，没发烧，没吐，大便里没有血，能吃能喝",
    "my hay fever is back, sneezing and itchy eyes, no wheeze, no fever",
    "got bitten by mosquitoes in the garden last night, itchy bumps on my legs, no swelling spreading",
]

NOT_SELF_CARE = [
    "我35岁，切菜把手掌划了个口子，3厘米长，口子张着合不上，血按住了",
    "I'm 27 and was bitten on the hand by my neighbour's dog yesterday, small puncture, not bleeding now",
    "儿子5岁，耳朵疼一晚上了，发烧38.6，吃了退烧药精神还行",
    "这两天大便干，拉完纸上有几滴鲜红的血，人不晕",
    "我40岁，嗓子疼两天，今天烧到39度，咽东西疼",
    "我妈55岁，右边腰上起了一串小水泡，火辣辣地疼，晚上疼得睡不着",
    "吃了三天阿莫西林，今天身上起了一片片红疹子，很痒，嘴唇不肿，不喘",
    "感冒后咳嗽一周了，今天早上痰里带了点血丝，不发烧",
    "拉了三回稀的，大便里有血，没发烧",
]


@pytest.mark.parametrize("text", MINOR, ids=lambda x: x[:16])
def test_minor_complaint_gets_self_care(text):
    a = assess(text)
    assert a.triage.triage_level == 4 and a.triage.disposition == "self_care", [c.id for c in a.differential.likely[:3]]


@pytest.mark.parametrize("text", NOT_SELF_CARE, ids=lambda x: x[:16])
def test_self_care_withheld_when_a_clinician_is_needed(text):
    a = assess(text)
    assert a.triage.disposition != "self_care", [c.id for c in a.differential.likely[:3]]


def test_gaping_wound_is_seen_today():
    assert assess("切菜切到手指，口子挺深的，血按住了").triage.triage_level == 3


def test_hives_after_contrast_are_observed_but_mosquito_bites_are_self_care():
    assert assess("44岁，做完增强CT打了造影剂20分钟，胳膊上起了几个风团，痒").triage.triage_level == 3
    a = assess("我25岁，昨晚被蚊子咬了好几个包，很痒，别的没事")
    assert a.triage.triage_level == 4
