from fastapi.testclient import TestClient

from wenzhen.api import app

client = TestClient(app)


def test_assess_endpoint():
    r = client.post("/v1/assess", json={"text": "65岁男性，高血压糖尿病多年，突然胸痛喘不过气两小时，现在应该怎么办？"})
    assert r.status_code == 200
    j = r.json()
    assert j["triage"]["triage_level"] <= 2
    assert j["readable"].startswith("分诊")


def test_structured_vitals_and_bad_fields():
    r = client.post("/v1/assess", json={"text": "头晕", "vitals": {"sbp": 70, "dbp": 40}, "age": 50})
    assert r.status_code == 200 and r.json()["triage"]["triage_level"] <= 2
    r = client.post("/v1/assess", json={"text": "头晕", "vitals": {"sbp": "high"}})
    assert r.status_code == 422 and "vitals.sbp" in r.json()["error"]


def test_bad_inputs_are_4xx_with_reason():
    assert client.post("/v1/assess", json={"text": ""}).status_code == 422
    assert client.post("/v1/assess", json={}).status_code == 422
    r = client.post("/v1/assess", content=b"\xff\xfe\x00binary", headers={"content-type": "application/json"})
    assert r.status_code in (400, 422) and "JSON" in r.json()["error"]
    assert client.get("/v1/nothing").json()["error"]
    r = client.post("/v1/assess", json={"text": "痛" * 1_000_000})
    assert r.status_code == 413 and "limit" in r.json()["error"]
    r = client.post("/v1/assess", json={"text": "痛" * 30_000})
    assert r.status_code == 422 and "20000" in r.json()["error"]


def test_openapi_page_and_health():
    assert "/v1/assess" in client.get("/openapi.json").json()["paths"]
    assert client.get("/v1/health").json()["status"] == "ok"
    assert "问诊" in client.get("/").text
    css = client.get("/static/common.css")  # the stylesheet both pages link
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css") and ".card" in css.text
    assert 'href="/static/common.css"' in client.get("/report").text
