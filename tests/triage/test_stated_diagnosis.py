"""A report's conclusion or a doctor's words naming an emergency raise the level; history does not."""
import pytest

from wenzhen.assessment import assess

STATED = [
    "胸部CT：右侧气胸，肺组织压缩约60%",
    "B超提示：宫外孕包块，盆腔积液",
    "CTA: Stanford A型主动脉夹层",
    "Chest X-ray: large left pneumothorax with mediastinal shift",
    "CT肺动脉造影：右肺动脉栓塞",
    "医生说是急性心梗，让马上住院",
    "颅脑MRI：左侧大脑中动脉供血区急性脑梗死",
]

NOT_STATED = [
    "值班记录：患者男，68岁，高血压、陈旧性心梗病史，来开药",
    "我爸以前中风过，现在恢复得挺好",
    "3年前打过破伤风加强针，今天膝盖擦破点皮",
    "孩子是早产儿，现在3个月，想问奶粉怎么选",
    "我有癫痫，一直吃药，最近没发作，想问能不能打疫苗",
    "是不是心梗啊？我就是有点累",
    "我有哮喘，想问能不能打流感疫苗",
]


@pytest.mark.parametrize("text", STATED, ids=lambda x: x[:14])
def test_stated_emergency_is_level_two(text):
    a = assess(text)
    assert a.triage.triage_level <= 2 and any(r.id.startswith("stated_") for r in a.triage.rules_fired)


@pytest.mark.parametrize("text", NOT_STATED, ids=lambda x: x[:14])
def test_history_questions_and_vaccines_are_not_stated_diagnoses(text):
    a = assess(text)
    assert not any(r.id.startswith("stated_") for r in a.triage.rules_fired)
    assert a.triage.triage_level >= 3
