"""A family history speaks of relatives, to the end of its sentence; a denied one speaks of nobody; the patient named
again takes the symptoms back."""
import pytest

from wenzhen.understanding import understand


def _who(text):
    return {f.id: f.experiencer for f in understand(text).findings}


def test_a_relatives_symptoms_in_the_family_history_are_theirs_to_the_end_of_the_sentence():
    who = _who("患儿男，3岁，咳嗽发热4天。家族史：1周前一名兄弟姐妹有发热、咳嗽及咽痛。")
    assert who["sore_throat"] == "other"
    assert understand("患儿男，3岁，咳嗽发热4天。家族史：1周前一名兄弟姐妹有发热、咳嗽及咽痛。").affirmed_ids() >= {"cough", "fever"}


@pytest.mark.parametrize("text,fid", [("无家族史，咳嗽三天，发烧", "cough"), ("否认家族史，头痛一天", "headache"),
                                      ("家族史无特殊，咳嗽两天", "cough"), ("家族史：无。咳嗽两天", "cough")])
def test_a_denied_family_history_leaves_the_symptoms_with_the_patient(text, fid):
    assert _who(text)[fid] == "patient"


@pytest.mark.parametrize("text,fid", [("家族史：父亲冠心病，患者胸痛2小时", "chest_pain"),
                                      ("家族史：母亲有偏头痛，我也经常头痛", "headache")])
def test_the_patient_named_again_takes_the_symptom_back(text, fid):
    assert _who(text)[fid] == "patient"
