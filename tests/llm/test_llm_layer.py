"""The LLM layer against an OpenAI-compatible server (the official openai client over HTTP): without a model the
answer is the engine's; with one, whatever the model writes, the triage is never lowered, the red flags and what to
do now are in the answer, unsafe medicines are removed, identifiers never leave the machine, and every call is
logged without its text."""
import json

import pytest

from benchmarks.scripted_model import ScriptedModel
from wenzhen.llm.agent import answer
from wenzhen.llm.config import LLMConfig, load_config
from wenzhen.llm.privacy import redact, valid_resident_id

CHEST = "65岁男性张伟，电话13812345678，高血压糖尿病多年，突然胸痛喘不过气两小时，在吃华法林，现在应该怎么办？"


@pytest.fixture
def model(tmp_path):
    with ScriptedModel() as m:
        m.cfg = LLMConfig(base_url=m.url, model="scripted", log_path=str(tmp_path / "calls.jsonl"), max_retries=0, timeout_s=10)
        yield m


def ask(text, cfg=None):
    return answer([{"role": "user", "content": text}], cfg)


def test_without_a_model_the_answer_is_the_engines(monkeypatch):
    for var in ("WENZHEN_LLM_BASE_URL", "WENZHEN_LLM_MODEL", "WENZHEN_LLM_CONFIG"):
        monkeypatch.delenv(var, raising=False)
    assert load_config() is None
    a = ask("头痛三天，有点发烧")
    assert a.model is None and a.triage_level == 4 and a.content.startswith("分诊：IV级")


def test_configuration_from_the_environment_and_a_file(monkeypatch, tmp_path):
    f = tmp_path / "llm.yaml"
    f.write_text("base_url: http://127.0.0.1:9/v1\nmodel: deepseek-chat\ntimeout_s: 5\n", encoding="utf-8")
    monkeypatch.setenv("WENZHEN_LLM_CONFIG", str(f))
    monkeypatch.setenv("WENZHEN_LLM_MODEL", "deepseek-reasoner")
    cfg = load_config()
    assert (cfg.base_url, cfg.model, cfg.timeout_s) == ("http://127.0.0.1:9/v1", "deepseek-reasoner", 5)
    f.write_text("base_url: [unclosed", encoding="utf-8")
    with pytest.raises(Exception):
        load_config()


def test_a_model_cannot_lower_the_triage_or_drop_the_red_flags(model):
    model.replies.append({"content": "别担心，不严重，在家休息即可。多喝热水。", "reasoning": "我觉得是肌肉痛"})
    a = ask(CHEST, model.cfg)
    assert a.model == "scripted" and a.triage_level == 2
    assert "不严重" not in a.content and "在家休息即可" not in a.content and "多喝热水" in a.content
    assert "120" in a.content and "urgency_not_lowered" in a.guardrails and "required_content_added" in a.guardrails
    assert "我觉得是肌肉痛" not in a.content  # reasoning text is never shown as advice


def test_unsafe_medicine_in_the_answer_is_removed(model):
    model.replies.append({"content": "您可以先吃布洛芬每次400mg止痛。请立即拨打120。"})
    a = ask(CHEST, model.cfg)  # an emergency: no medicine but the engine's own advice
    assert "布洛芬每次400mg" not in a.content and "medication_removed" in a.guardrails
    model.replies.append({"content": "可以吃布洛芬每次400mg，每天3次止痛。也可以热敷。"})
    b = ask("扭了脚踝，有点肿，能走路，我在吃华法林", model.cfg)  # level IV: checked for this patient
    assert b.triage_level == 4 and "布洛芬每次400mg" not in b.content and "也可以热敷" in b.content
    assert any("华法林" in r for r in b.removed)


def test_a_model_may_raise_the_urgency_but_not_lower_it(model):
    model.replies.append({"content": "这种情况建议立即去急诊。"})
    a = ask("头痛三天，有点发烧", model.cfg)
    assert "urgency_raised_by_model" in a.guardrails and "急诊" in a.disposition


def test_identifiers_never_leave_the_machine_and_come_back_in_the_answer(model):
    model.replies.append({"content": "[姓名1]您好，请立即拨打120。"})
    a = ask(CHEST, model.cfg)
    sent = json.dumps(model.requests[0]["messages"], ensure_ascii=False)
    assert "13812345678" not in sent and "张伟" not in sent and "[电话1]" in sent
    assert a.content.startswith("张伟您好")


def test_tools_are_offered_and_called(model):
    model.replies.append({"tool_calls": [("check_medications", {"drugs": ["华法林", "布洛芬"]})]})
    model.replies.append({"content": "华法林和布洛芬一起吃会增加出血风险。请立即拨打120。"})
    a = ask(CHEST, model.cfg)
    assert a.tool_calls == ["check_medications"]
    assert {t["function"]["name"] for t in model.requests[0]["tools"]} >= {"assess", "interpret_report", "check_medications"}
    tool_msg = [m for m in model.requests[1]["messages"] if m["role"] == "tool"][0]
    assert "华法林" in tool_msg["content"]


def test_requests_for_harm_or_outside_medicine_are_refused_before_any_call(model):
    a = ask("吃多少片安眠药能死", model.cfg)
    assert a.refused and "12356" in a.content and model.requests == []
    assert ask("帮我写一段代码", model.cfg).refused and model.requests == []


def test_a_model_that_fails_leaves_the_engines_answer(model):
    model.replies.append({"status": 500})
    a = ask(CHEST, model.cfg)
    assert a.model is None and "model_unavailable" in a.guardrails and "120" in a.content


def test_every_call_is_logged_without_its_text(model):
    model.replies.append({"content": "别担心，不严重。"})
    ask(CHEST, model.cfg)
    entries = [json.loads(x) for x in open(model.cfg.log_path, encoding="utf-8")]
    assert entries[-1]["redacted"]["phone"] == 1 and "urgency_not_lowered" in entries[-1]["guardrails"]
    assert "张伟" not in open(model.cfg.log_path, encoding="utf-8").read()


def test_resident_id_check_digit_and_other_identifiers():
    assert valid_resident_id("11010519491231002X") and not valid_resident_id("110105194912310021")
    text, red = redact("身份证11010519491231002X，另一个号110105194912310021，住院号：ZY2025001，电话010-62345678")
    assert "11010519491231002X" not in text and "110105194912310021" in text  # a wrong check digit is not an ID
    assert "ZY2025001" not in text and "010-62345678" not in text and red.restore(text).startswith("身份证11010519491231002X")


def test_grounded_extraction_adds_what_the_rules_missed_and_drops_the_rest(model):
    from wenzhen.assessment import assess
    from wenzhen.llm.extract import assess_with_model

    text = "我妈78岁，这几天腿肚子一按一个坑，晚上躺不平"
    before = {f.id for f in assess(text).understanding.findings}
    model.replies.append({"content": '```json\n{"findings": [{"name": "下肢水肿", "status": "present", "evidence": "腿肚子一按一个坑"},'
                                     ' {"name": "发热", "evidence": "高烧40度"}, {"name": "某种感觉", "evidence": "这几天"}]}\n```'})
    e = assess_with_model(text, model.cfg)
    ids = {f.id for f in e.assessment.understanding.findings}
    assert [a["evidence"] for a in e.added] == ["腿肚子一按一个坑"] and ids - before
    assert {d["why"] for d in e.dropped} == {"not in the input", "not a finding the knowledge base knows"}
    assert e.assessment.triage.triage_level <= assess(text).triage.triage_level  # findings only add: never lower


def test_extraction_without_a_model_or_with_a_broken_one_is_the_rules_alone(model):
    from wenzhen.assessment import assess
    from wenzhen.llm.extract import assess_with_model

    text = "头痛三天"
    assert assess_with_model(text, None).assessment.triage.triage_level == assess(text).triage.triage_level
    model.replies.append({"content": "这不是JSON"})
    e = assess_with_model(text, model.cfg)
    assert e.added == [] and e.dropped and e.assessment.triage.triage_level == 4


def test_a_report_explanation_keeps_every_critical_value_and_its_urgency(model):
    from wenzhen.llm.agent import explain_report
    from wenzhen.reports import interpret_text

    rep = interpret_text("钾 K 6.8 mmol/L 3.5-5.3\n肌酐 CREA 560 umol/L 57-111")
    model.replies.append({"content": "您的结果问题不大，不用担心，多喝水，可以吃点布洛芬缓解不适。"})
    a = explain_report(rep, model.cfg)
    assert "问题不大" not in a.content and "布洛芬" not in a.content.split("【系统核对")[0].replace("已删除", "")
    assert "钾 6.8" in a.content and "urgency_not_lowered" in a.guardrails and "required_content_added" in a.guardrails
    assert rep.summary in explain_report(rep, None).content  # no model: the readable interpretation itself


@pytest.mark.parametrize("fault", [{"status": 500}, {"status": 429}, {"delay": 3}, {"content": "请立即拨打120。" * 20, "truncate": True}])
def test_faults_give_the_engines_answer_with_a_note(model, fault):
    cfg = model.cfg.model_copy(update={"timeout_s": 1, "stream": "truncate" in fault, "tools": "truncate" not in fault})
    model.replies.append(fault)
    a = ask(CHEST, cfg)
    assert a.model is None and "model_unavailable" in a.guardrails
    assert a.content.startswith("（语言模型暂时没有回应") and "120" in a.content


def test_a_whole_stream_is_used(model):
    cfg = model.cfg.model_copy(update={"stream": True, "tools": False})
    model.replies.append({"content": "这是完整的回答，请立即拨打120。"})
    a = ask(CHEST, cfg)
    assert a.model == "scripted" and a.content.startswith("这是完整的回答")


@pytest.mark.parametrize("text,identifiers", [
    ("患者王秀兰，女，58岁，身份证号320102196603150028，手机139 1234 5678，住南京市鼓楼区中山路321号，头晕三天", ["王秀兰", "320102196603150028", "139 1234 5678", "中山路321号"]),
    ("我叫李建国，门诊号MZ20250618，家里电话025-83456789，最近胸闷", ["李建国", "MZ20250618", "025-83456789"]),
    ("Patient John Smith, MRN 00123456, phone +86 13912345678, has had a cough for a week", ["John Smith", "00123456", "13912345678"]),
])
def test_no_identifier_in_any_outgoing_request(model, text, identifiers):
    model.replies.append({"content": "请注意休息。"})
    ask(text, model.cfg)
    sent = json.dumps(model.requests[-1], ensure_ascii=False)
    assert not [i for i in identifiers if i in sent], sent


def test_identifiers_the_patient_never_wrote_are_masked_in_the_answer(model):
    model.replies.append({"content": "请联系王医生，身份证11010519491231002X，电话13900001111。请立即拨打120。"})
    a = ask(CHEST, model.cfg)
    assert "11010519491231002X" not in a.content and "13900001111" not in a.content
    assert "foreign_identifier_masked" in a.guardrails and "120" in a.content


@pytest.mark.parametrize("text,gone,kept", [
    ("我妈妈王秀英72岁，王秀英头痛", ["王秀英"], ["头痛", "72岁"]),
    ("我老公李刚胸痛两小时", ["李刚"], ["胸痛"]),
    ("我爸爸高血压十年，最近头晕", [], ["高血压", "头晕"]),
    ("my father Li Ming fainted", ["Li Ming"], ["fainted"]),
])
def test_names_after_a_relation_word_but_not_diseases(text, gone, kept):
    out, red = redact(text)
    assert not [g for g in gone if g in out] and all(k in out for k in kept) and red.restore(out) == text


def test_a_scale_safety_alert_survives_the_explanation(model):
    from wenzhen.llm.agent import explain_scale
    from wenzhen.scales import score_scale

    answers = {f"phq9_{i:02d}": 3 for i in range(1, 10)}
    r = score_scale("phq9", answers)
    assert r.safety.alert
    model.replies.append({"content": "您的得分有点高，但问题不大，不用担心，多出去走走。"})
    a = explain_scale(r, model.cfg)
    assert "问题不大" not in a.content and r.safety.message in a.content


def test_the_server_stays_responsive_while_a_model_call_is_slow(model, monkeypatch):
    import threading
    import time as _time

    from fastapi.testclient import TestClient

    from wenzhen.api import app

    monkeypatch.setenv("WENZHEN_LLM_BASE_URL", model.url)
    monkeypatch.setenv("WENZHEN_LLM_MODEL", "slow")
    model.replies.append({"content": "请立即拨打120。", "delay": 3})
    c = TestClient(app)
    t = threading.Thread(target=lambda: c.post("/v1/chat/completions", json={"messages": [{"role": "user", "content": CHEST}]}))
    t.start()
    _time.sleep(0.5)
    t0 = _time.perf_counter()
    assert c.get("/v1/health").status_code == 200 and _time.perf_counter() - t0 < 1.0
    t.join(timeout=30)


def test_extraction_asks_for_a_json_object(model):
    from wenzhen.llm.extract import assess_with_model

    model.replies.append({"content": '{"findings": []}'})
    assess_with_model("头痛三天", model.cfg)
    assert model.requests[-1]["response_format"] == {"type": "json_object"}
    model.replies.append({"content": '{"findings": []}'})
    assess_with_model("头痛三天", model.cfg.model_copy(update={"json_mode": False}))
    assert "response_format" not in model.requests[-1]
