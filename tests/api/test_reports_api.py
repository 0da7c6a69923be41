import json

from fastapi.testclient import TestClient

from wenzhen.api import app

client = TestClient(app)
REPORT = "性别：男 年龄：60岁\n白细胞计数 WBC 12.5 ×10^9/L 3.5-9.5\n钾 K 6.9 mmol/L 3.5-5.3\n肌酐 150 μmol/L"


def test_upload_text_file():
    r = client.post("/v1/reports/interpret", files={"file": ("r.txt", REPORT.encode(), "text/plain")},
                    data={"include_fhir": "true", "medications": "缬沙坦"})
    assert r.status_code == 200, r.text
    j = r.json()
    assert j["urgency"] == "emergency" and j["critical"] and j["readable"] and j["fhir"]["resourceType"] == "Bundle"
    assert any(n["id"] == "potassium_high_raas" for n in j["medication_notes"])
    assert j["derived"][0]["id"] == "egfr"


def test_pasted_text_endpoint():
    r = client.post("/v1/reports/interpret-text", json={"text": "WBC 6.0 10^9/L 3.5-9.5", "language": "en"})
    assert r.status_code == 200 and r.json()["language"] == "en"


def test_bad_uploads_are_4xx_with_reason():
    r = client.post("/v1/reports/interpret", files={"file": ("x.pdf", b"%PDF-1.4 junk", "application/pdf")})
    assert r.status_code == 422 and "PDF" in r.json()["error"]
    r = client.post("/v1/reports/interpret", files={"file": ("x.txt", b"", "text/plain")})
    assert r.status_code == 422 and "empty" in r.json()["error"]
    assert client.post("/v1/reports/interpret").status_code == 422
    r = client.post("/v1/reports/interpret", files={"file": ("r.txt", b"WBC 5", "text/plain")}, data={"age": "-3"})
    assert r.status_code == 422
    assert client.post("/v1/reports/interpret-text", json={"text": ""}).status_code == 422


def test_trends_endpoint():
    a = "采样时间：2025-01-01\n空腹血糖 6.4 mmol/L".encode()
    b = "采样时间：2025-06-01\n空腹血糖 7.6 mmol/L".encode()
    r = client.post("/v1/reports/trends", files=[("files", ("a.txt", a)), ("files", ("b.txt", b))])
    assert r.status_code == 200, r.text
    assert r.json()["trends"]["trends"][0]["direction"] == "rising"
    r = client.post("/v1/reports/trends", files=[("files", ("a.txt", a))])
    assert r.status_code == 422


def test_categories_and_critical_values_and_page():
    cats = client.get("/v1/reports/categories").json()
    assert len(cats) >= 50 and any(c["id"] == "blood_routine" and c["items"] for c in cats)
    assert client.get("/v1/reports/critical-values").json()["limits"]
    page = client.get("/report")
    assert page.status_code == 200 and "/v1/reports/interpret" in page.text
    assert "/v1/reports/interpret" in json.dumps(client.get("/openapi.json").json())
