"""Bad input never becomes a 500, and a safety alert is never lost with the response (issue 12 reproducers)."""
import json

import pytest
from fastapi.testclient import TestClient

from wenzhen.api import app

client = TestClient(app, raise_server_exceptions=False)


def post(path: str, raw: str):
    return client.post(path, content=raw.encode("utf-8"), headers={"content-type": "application/json"})


@pytest.mark.parametrize("path, raw", [
    ("/v1/risk", json.dumps({"text": "   "})),
    ("/v1/risk", json.dumps({"text": "\u200b\u200b"})),
    ("/v1/risk", json.dumps({"text": "a\u0000b"})),
    ("/v1/risk", json.dumps({"text": "\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e"})),
    ("/v1/assess", '{"text": "\\ud800"}'),
    ("/v1/assess", json.dumps({"text": "头痛", "age": True})),
    ("/v1/assess", json.dumps({"text": "头晕", "vitals": {"sbp": True}})),
    ("/v1/assess", '{"text": "头痛", "age": NaN}'),
    ("/v1/assess", '{"text": "头痛", "vitals": {"hr": Infinity}}'),
    ("/v1/calculators/qtc_hodges", json.dumps({"heart_rate": 1.7976931348623157e+308, "qt_interval": 400})),
    ("/v1/calculators/bmi", json.dumps({"weight": True, "height": 170})),
    ("/v1/calculate", json.dumps({"calculator": "qtc_hodges", "inputs": {"heart_rate": 1.7976931348623157e+308, "qt_interval": 400}})),
    ("/v1/calculate", json.dumps({"calculator": "bmi", "inputs": {"weight": 1e308, "height": 1e-308}})),
    ("/v1/calculate", '{"calculator": "bmi", "inputs": {"weight": NaN, "height": 170}}'),
    ("/v1/scales/psqi", '{"answers": {"psqi_01": "\\ud800"}}'),
])
def test_bad_input_is_a_4xx_with_a_reason(path, raw):
    r = post(path, raw)
    assert 400 <= r.status_code < 500, r.text
    assert r.json()["error"]


@pytest.mark.parametrize("answer", ['"\\ud800"', '"NaN"', '"abc"', '"3"', '3'])
def test_the_phq9_item9_alert_survives_any_answer(answer):
    # An unreadable or unasked item 9 is not "no": the alert is decided first and always returned.
    r = post("/v1/scales/phq9", '{"answers": {"phq9_09": %s}}' % answer)
    assert r.status_code in (200, 422), r.text
    body = r.json()
    assert body["safety"]["alert"] is True, body


def test_a_huge_number_in_the_risk_report_is_refused_not_a_crash():
    r = post("/v1/risk", json.dumps({"patient": {"heart_rate": 1.7976931348623157e+308, "age": 1e308}}))
    assert r.status_code in (200, 422)
    if r.status_code == 200:
        assert r.json()["problems"]  # the impossible values are named


def test_the_body_limit_counts_bytes_actually_read():
    # A chunked body has no Content-Length: it is still stopped at the limit.
    def chunks():
        yield b'{"text": "'
        for _ in range(400):
            yield "头痛".encode() * 1000
        yield b'"}'

    r = client.post("/v1/assess", content=chunks(), headers={"content-type": "application/json"})
    assert r.status_code == 413


def test_the_connection_stays_usable_after_bad_input():
    assert post("/v1/risk", json.dumps({"text": "   "})).status_code == 422
    assert post("/v1/assess", json.dumps({"text": "头痛"})).status_code == 200


def _png_header(width: int, height: int) -> bytes:
    """A PNG whose header declares the size (the pixels are never needed to refuse it)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b"")


def test_a_huge_image_is_refused_from_its_header():
    import time

    t = time.perf_counter()
    r = client.post("/v1/reports/interpret", files={"file": ("big.png", _png_header(8900, 8900), "image/png")})
    assert r.status_code == 422 and "megapixels" in r.json()["error"]
    assert time.perf_counter() - t < 5  # decoding it would take over 10 s


def test_a_csv_with_far_more_rows_than_a_report_is_refused_quickly():
    import time

    rows = "项目,结果,单位,参考范围\n" + "".join(f"白细胞{i},5.{i % 10},10^9/L,3.5-9.5\n" for i in range(50_000))
    t = time.perf_counter()
    r = client.post("/v1/reports/interpret", files={"file": ("many.csv", rows.encode(), "text/csv")})
    assert r.status_code == 422 and "rows" in r.json()["error"]
    assert time.perf_counter() - t < 3


def test_docs_work_offline():
    r = client.get("/docs")
    assert r.status_code == 200 and "cdn." not in r.text and "/static-offline-docs/swagger-ui-bundle.js" in r.text
    assert client.get("/static-offline-docs/swagger-ui-bundle.js").status_code == 200
    assert client.get("/redoc").status_code == 200


def test_security_headers_on_every_response():
    for r in (client.get("/"), client.get("/v1/health"), post("/v1/assess", json.dumps({"text": ""}))):
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["x-frame-options"] == "DENY"
        assert "frame-ancestors 'none'" in r.headers["content-security-policy"]
        assert "server" not in r.headers or "uvicorn" not in r.headers["server"]
    assert "access-control-allow-origin" not in client.options(
        "/v1/assess", headers={"origin": "https://elsewhere.example", "access-control-request-method": "POST"}).headers


def test_api_keys_when_configured(monkeypatch):
    monkeypatch.setenv("WENZHEN_API_KEYS", "k1,k2")
    body = json.dumps({"text": "头痛"})
    r = post("/v1/assess", body)
    assert r.status_code == 401 and "API key" in r.json()["error"]
    assert client.post("/v1/assess", content=body, headers={"content-type": "application/json",
                                                            "authorization": "Bearer k2"}).status_code == 200
    assert client.post("/v1/assess", content=body, headers={"content-type": "application/json",
                                                            "x-api-key": "k1"}).status_code == 200
    assert client.post("/v1/assess", content=body, headers={"content-type": "application/json",
                                                            "x-api-key": "wrong"}).status_code == 401
    assert client.get("/v1/health").status_code == 200  # for load balancers
    assert client.get("/").status_code == 200


def test_serving_off_loopback_needs_a_key(monkeypatch, capsys):
    from wenzhen.cli import main

    monkeypatch.delenv("WENZHEN_API_KEYS", raising=False)
    assert main(["serve", "--host", "0.0.0.0", "--port", "1"]) == 2
    assert "API key" in capsys.readouterr().err


def test_an_excel_sheet_far_longer_than_a_report_is_refused_before_parsing():
    import io
    import time

    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    for i in range(10_000):
        ws.append([f"白细胞{i}", 5.1, "10^9/L", "3.5-9.5"])
    buf = io.BytesIO()
    wb.save(buf)
    t = time.perf_counter()
    r = client.post("/v1/reports/interpret", files={"file": ("rows.xlsx", buf.getvalue())})
    assert r.status_code == 422 and "rows" in r.json()["error"]
    assert time.perf_counter() - t < 1.5


def test_a_report_past_its_time_budget_gets_a_503_with_the_reason(monkeypatch):
    import wenzhen.api.reports as reports_api

    monkeypatch.setattr(reports_api, "TIME_BUDGET_S", 0.0)
    r = client.post("/v1/reports/interpret", files={"file": ("r.csv", "项目,结果,单位\n白细胞,5.1,10^9/L\n".encode(), "text/csv")})
    assert r.status_code == 503 and "time budget of 0 s" in r.json()["error"] and r.headers["retry-after"] == "10"
    r = client.post("/v1/reports/interpret-text", json={"text": "白细胞 5.1 10^9/L"})
    assert r.status_code == 503 and "time budget" in r.json()["error"]
    monkeypatch.setattr(reports_api, "TIME_BUDGET_S", 30.0)
    r = client.post("/v1/reports/interpret-text", json={"text": "白细胞 5.1 10^9/L"})
    assert r.status_code == 200  # within the budget: served as before


def test_the_schema_declares_the_limits_the_server_enforces():
    schema = app.openapi()
    text = json.dumps(schema)
    for key in ('"ge":', '"le":', '"gt":', '"lt":'):  # pydantic's names, which no schema tool reads
        assert key not in text
    props = schema["components"]["schemas"]
    assert props["AssessRequest"]["properties"]["age"]["anyOf"][0] == {"type": "number", "minimum": 0.0, "maximum": 125.0}
    assert props["VitalsInput"]["properties"]["spo2"]["anyOf"][0]["maximum"] == 100.0
    weight = props["BmiInputs"]["properties"]["weight"]
    assert weight["minimum"] > 0 and weight["maximum"] < 1000
    # ... and what the schema declares is what is enforced
    assert post("/v1/calculators/bmi", json.dumps({"weight": weight["maximum"] * 2, "height": 170})).status_code == 422
    assert post("/v1/calculators/bmi", json.dumps({"weight": 70, "height": 170})).status_code == 200
    assert post("/v1/assess", json.dumps({"text": "头痛", "vitals": {"spo2": 101}})).status_code == 422
