"""The medication check over REST: a prescription in, findings with severity and source out; bad input is a 422."""
from fastapi.testclient import TestClient

from wenzhen.api import app

client = TestClient(app, raise_server_exceptions=False)


def test_check_a_list_for_a_patient():
    r = client.post("/v1/medications/check", json={
        "patient": {"age": 72, "egfr": 25, "allergies": ["青霉素"], "conditions": ["胃溃疡"]},
        "drugs": ["华法林", {"name": "布洛芬", "dose": "400 mg", "frequency": "tid"}, "阿莫西林"]})
    assert r.status_code == 200, r.text
    body = r.json()
    kinds = {f["kind"] for f in body["findings"]}
    assert {"interaction", "allergy", "condition", "renal"} <= kinds
    assert body["findings"][0]["severity"] == "contraindicated" and body["readable"]
    assert all(f["source"] for f in body["findings"])


def test_a_clean_list_has_no_findings():
    r = client.post("/v1/medications/check", json={"patient": {"age": 30}, "drugs": ["阿莫西林"]})
    assert r.status_code == 200 and r.json()["findings"] == []


def test_drug_info_by_brand_and_unknown_names():
    r = client.get("/v1/medications/泰诺")
    assert r.status_code == 200 and r.json()["ingredients"]
    assert client.get("/v1/medications/不存在的药").status_code == 404


def test_bad_input_is_a_422_with_the_reason():
    for body in [{"drugs": []}, {"drugs": ["布洛芬"], "patient": {"age": True}}, {"drugs": [""]},
                 {"drugs": ["布洛芬"], "patient": {"egfr": -5}}, {"patient": {}}]:
        r = client.post("/v1/medications/check", json=body)
        assert r.status_code == 422 and r.json()["error"], body


def test_the_medication_page_is_served_and_linked():
    page = client.get("/meds")
    assert page.status_code == 200 and "/v1/medications/check" in page.text
    assert 'href="/meds"' in client.get("/").text


def test_the_pages_shared_script_is_served():
    js = client.get("/static/common.js")
    assert js.status_code == 200 and "javascript" in js.headers["content-type"] and "const esc" in js.text
    for page in ("/meds", "/report"):
        assert '<script src="/static/common.js">' in client.get(page).text


def test_self_care_for_a_childs_cold_and_none_for_an_emergency():
    r = client.post("/v1/medications/self-care", json={"complaint": "孩子5岁，发烧38.8度，流鼻涕，精神好",
                                                       "patient": {"weight_kg": 18}})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["triage_level"] == 4 and body["offered"]
    assert [m["drug"] for m in body["medicines"]] == ["paracetamol", "ibuprofen"] and "180–270 mg" in body["readable"]
    r = client.post("/v1/medications/self-care", json={"complaint": "突然胸痛大汗，喘不上气"})
    assert r.status_code == 200 and not r.json()["offered"] and r.json()["medicines"] == []


def test_self_care_bad_input_is_a_422_with_the_reason():
    assert client.post("/v1/medications/self-care", json={"complaint": ""}).status_code == 422
    r = client.post("/v1/medications/self-care", json={"complaint": "头痛", "patient": {"weight_kg": -1}})
    assert r.status_code == 422 and "weight_kg" in r.text
