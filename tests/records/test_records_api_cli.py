"""REST and CLI over the same record functions; bad input gets a reason."""
import subprocess
import sys

from fastapi.testclient import TestClient

from wenzhen.api import app

client = TestClient(app)
DIALOGUE = [{"speaker": "patient", "text": "孩子5岁，发烧两天了，咳嗽"}, {"speaker": "doctor", "text": "考虑是急性支气管炎"},
            {"speaker": "doctor", "text": "建议多喝水，三天不好来复查"}]


def test_draft_and_qc_over_http():
    r = client.post("/v1/records/draft", json={"dialogue": DIALOGUE})
    assert r.status_code == 200, r.text
    d = r.json()
    assert d["record"]["sections"]["主诉"] == "发热、咳嗽2天" and d["supported_share"] == 1.0
    q = client.post("/v1/records/qc", json={"record": d["record"]})
    assert q.status_code == 200 and q.json()["grade"] in ("甲", "乙", "丙")
    q = client.post("/v1/records/qc", json={"text": "主诉：咳嗽3天\n现病史：咳嗽3天。"})
    assert q.status_code == 200 and any(x["rule"] == "outpatient_diagnosis" for x in q.json()["defects"])


def test_bad_requests():
    assert client.post("/v1/records/draft", json={}).status_code == 422
    assert client.post("/v1/records/draft", json={"dialogue": [{"speaker": "nurse", "text": "x"}]}).status_code == 422
    assert client.post("/v1/records/draft", json={"interview_id": "0" * 32}).status_code == 404
    assert client.post("/v1/records/qc", json={}).status_code == 422
    assert client.post("/v1/records/qc", json={"record": {"sections": "x"}}).status_code == 422


def run(*args, stdin=""):
    return subprocess.run([sys.executable, "-m", "wenzhen", *args], input=stdin, capture_output=True, text=True, timeout=120)


def test_cli():
    p = run("record", "draft", "-", stdin="患者：孩子5岁，发烧两天了，咳嗽\n医生：考虑是急性支气管炎\n")
    assert p.returncode == 0 and "主诉：发热、咳嗽2天" in p.stdout
    p = run("qc", "check", "-", stdin="主诉：咳嗽3天\n现病史：咳嗽3天。")
    assert p.returncode == 0 and "outpatient_diagnosis" in p.stdout
    assert run("record", "draft", "-", stdin="no dialogue here").returncode == 2
    assert run("qc", "check", "/nonexistent/file").returncode == 2


def test_qc_of_a_fhir_composition():
    from wenzhen.interview import answer, build_report, report_fhir, start

    state, step = start("咳嗽三天")
    while step.status == "open":
        step = answer(state, "没有")
    bundle = report_fhir(build_report(state), state)
    comp = bundle["entry"][0]["resource"]
    q = client.post("/v1/records/qc", json={"composition": comp})
    assert q.status_code == 200, q.text
    rules = {x["rule"] for x in q.json()["defects"]}
    assert "outpatient_chief_complaint" not in rules  # the pre-consultation report's 主诉 is read from the Composition
    assert client.post("/v1/records/qc", json={"composition": {"resourceType": "Patient"}}).status_code == 422
