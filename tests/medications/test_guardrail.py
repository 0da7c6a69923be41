"""The guardrail on model-written text: every medicine and dose it suggests is checked for this patient; unsafe
suggestions are removed with the reason, safe ones and "do not take X" sentences are kept word for word."""
from wenzhen.medications.guardrail import find_mentions, screen_text

ADVICE = "您可以先吃布洛芬每次400mg，每天3次，缓解疼痛。也可以用对乙酰氨基酚0.5g。不要吃阿司匹林。多喝水，注意休息。"


def test_a_safe_answer_for_a_healthy_adult_passes_unchanged():
    r = screen_text(ADVICE, {"age": 35})
    assert r.text == ADVICE and r.removed == []
    assert [(m.drug, m.dose, m.negated) for m in r.mentions] == [
        ("ibuprofen", "400mg", False), ("paracetamol", "0.5g", False), ("aspirin", None, True)]


def test_ibuprofen_is_removed_for_a_patient_on_warfarin_and_the_rest_kept():
    r = screen_text(ADVICE, {"age": 70}, taking=["华法林"])
    assert "布洛芬每次400mg" not in r.text and "华法林" in r.removed[0].reason
    assert "也可以用对乙酰氨基酚0.5g。" in r.text and "不要吃阿司匹林。" in r.text and "多喝水" in r.text


def test_allergy_pregnancy_and_kidneys_each_remove_the_suggestion():
    assert screen_text("可以吃布洛芬。", {"allergies": ["布洛芬"]}).removed
    assert screen_text("Take ibuprofen 400 mg three times a day.", {"pregnant": True, "trimester": 3}, language="en").removed
    assert screen_text("可以吃布洛芬止痛。", {"age": 60, "egfr": 20}).removed


def test_a_dose_over_the_daily_maximum_is_removed_and_a_normal_one_kept():
    assert screen_text("对乙酰氨基酚每次1000mg，一天6次。", {"age": 30}).removed
    assert not screen_text("对乙酰氨基酚每次500mg，一天3次。", {"age": 30}).removed


def test_brands_and_combination_products_are_found():
    ids = [m.drug for m in find_mentions("晚上吃白加黑，白天再来一片泰诺，退烧可以用美林。")]
    assert "ibuprofen" in ids and len(ids) == 3
    assert screen_text("泰诺每次2片，每4小时一次，再加上白加黑。", {"age": 30}).removed  # paracetamol twice


def test_text_without_medicines_is_untouched():
    text = "多休息，多喝水，如果发热超过三天请就医。Rest and drink plenty."
    r = screen_text(text, {"age": 30})
    assert r.text == text and r.mentions == []
