import pytest
from pydantic import ValidationError

from wenzhen.assessment import assess
from wenzhen.assessment.render import render


def test_readable_chinese_and_english():
    zh = render(assess("65岁男性，高血压糖尿病多年，突然胸痛喘不过气两小时，现在应该怎么办？"))
    assert "分诊" in zh and "胸痛" in zh and "120" in zh
    en = assess("my chest hurts and I can't catch my breath")
    assert en.language == "en"
    text = render(en)
    assert "Triage" in text and "chest pain" in text.lower()


def test_json_round_trip():
    a = assess("头痛两天")
    assert a.model_validate_json(a.model_dump_json()) == a


@pytest.mark.parametrize("bad", ["", "   ", "\x00\x01\x02" * 10, "x" * 20_001])
def test_bad_input_is_a_clear_error(bad):
    with pytest.raises(ValidationError):
        assess(bad)


def test_non_medical_text_gets_a_clear_answer():
    a = assess("今天天气很好，我们去公园吧")
    assert not a.recognised
    assert "没能" in a.advice.summary


def test_speed_is_milliseconds():
    assess("热身")
    a = assess("65岁男性，高血压糖尿病多年，突然胸痛喘不过气两小时，现在应该怎么办？")
    assert a.elapsed_ms < 50


def test_a_medicine_taken_is_listed_once():
    from wenzhen.assessment import assess
    from wenzhen.assessment.render import render

    text = render(assess("我爸吃着华法林，胸口压着疼半小时了，出冷汗"))
    assert "华法林" in text and "用过药物" not in text
    assert "用过药物" in render(assess("吃了头孢以后全身起红疹子"))  # said in words, not by a named medicine
