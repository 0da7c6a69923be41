"""CLI verbs and REST endpoints of the calculators (thin layers over the same functions)."""
import json
import subprocess
import sys

import pytest
from fastapi.testclient import TestClient

from wenzhen.api import app


def run(args, stdin=None):
    return subprocess.run([sys.executable, "-m", "wenzhen.cli", *args], input=stdin, capture_output=True, timeout=60)


@pytest.fixture(scope="module")
def client():
    return TestClient(app)


def test_cli_calc_text_and_json():
    r = run(["calc", "cha2ds2_vasc", "age=78", "sex=female", "hypertension=yes"])
    assert r.returncode == 0 and "结果: 4" in r.stdout.decode()
    r = run(["calc", "crcl", "age=60", "sex=male", "weight=70kg", "height=175cm", "creatinine=88.4umol/L", "--json"])
    assert r.returncode == 0 and json.loads(r.stdout)["value"] == pytest.approx(77.78, abs=0.05)


def test_cli_calc_errors_exit_2_with_reasons():
    r = run(["calc", "crcl", "age=300"])
    assert r.returncode == 2 and "不可能" in r.stderr.decode() and "血肌酐" in r.stderr.decode()
    r = run(["calc", "no_such_calculator"])
    assert r.returncode == 2 and "unknown calculator" in r.stderr.decode()
    r = run(["calc", "crcl", "age"])
    assert r.returncode == 2 and "name=value" in r.stderr.decode()


def test_cli_calc_list():
    r = run(["calc", "--list"])
    assert r.returncode == 0 and "cha2ds2_vasc" in r.stdout.decode()


def test_cli_risk(tmp_path):
    p = tmp_path / "patient.json"
    p.write_text(json.dumps({"age": 70, "sex": "male", "sbp": 80, "dbp": 45}), encoding="utf-8")
    r = run(["risk", str(p)])
    assert r.returncode == 0 and "平均动脉压" in r.stdout.decode()
    r = run(["risk", "-", "--json", "--lang", "en"], stdin=b'{"age": 70, "sbp": 120, "dbp": 80}')
    assert r.returncode == 0 and json.loads(r.stdout)["language"] == "en"
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    r = run(["risk", str(bad)])
    assert r.returncode == 2 and "not valid JSON" in r.stderr.decode()
    r = run(["risk", str(tmp_path / "missing.json")])
    assert r.returncode == 2 and "cannot read" in r.stderr.decode()


def test_api_typed_endpoint_and_errors(client):
    r = client.post("/v1/calculators/cha2ds2_vasc", json={"age": 80, "sex": "male", "chf": "yes"})
    assert r.status_code == 200 and r.json()["value"] == 3 and r.json()["readable"]
    r = client.post("/v1/calculators/cha2ds2_vasc", json={"age": 80, "not_an_input": 1})
    assert r.status_code == 422 and "not_an_input" in r.json()["error"]
    r = client.post("/v1/calculators/creatinine_clearance_cockcroft_gault", json={"age": 80})
    assert r.status_code == 422 and {p["var"] for p in r.json()["detail"]} >= {"creatinine", "weight"}


def test_api_generic_list_info_and_risk(client):
    r = client.post("/v1/calculate", json={"calculator": "MAP", "inputs": {"sbp": 120, "dbp": 80}, "language": "en"})
    assert r.status_code == 200 and r.json()["value"] == pytest.approx(93.3, abs=0.1)
    assert client.post("/v1/calculate", json={"calculator": "nope", "inputs": {}}).status_code == 404
    infos = client.get("/v1/calculators").json()
    assert any(i["id"] == "cha2ds2_vasc" for i in infos)
    assert client.get("/v1/calculators/CHA2DS2-VASc").json()["id"] == "cha2ds2_vasc"
    assert client.get("/v1/calculators/nope").status_code == 404
    r = client.post("/v1/risk", json={"patient": {"age": 70, "sbp": 80, "dbp": 45}})
    assert r.status_code == 200 and r.json()["alerts"]
    assert client.post("/v1/risk", json={"patient": "x"}).status_code == 422


def test_openapi_has_a_schema_per_calculator(client):
    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    props = schemas["CreatinineClearanceCockcroftGaultInputs"]["properties"]
    assert "creatinine" in props and "μmol/L" in props["creatinine"]["description"]


PHQ9_ITEM9 = {f"phq9_0{i}": 0 for i in range(1, 9)} | {"phq9_09": 1}


def test_cli_scale(tmp_path):
    p = tmp_path / "a.json"
    p.write_text(json.dumps(PHQ9_ITEM9), encoding="utf-8")
    r = run(["scale", "phq9", str(p)])
    assert r.returncode == 0 and "12356" in r.stdout.decode()
    r = run(["scale", "phq9", "-"], stdin=b'{"phq9_09": 2}')
    assert r.returncode == 2 and "12356" in r.stderr.decode()  # the alert stands without a score
    r = run(["scale", "nope", str(p)])
    assert r.returncode == 2
    assert "psqi" in run(["scale", "--list"]).stdout.decode()


def test_api_scales(client):
    assert {s["id"] for s in client.get("/v1/scales").json()} >= {"psqi", "phq9", "gad7", "isi", "ess", "stopbang"}
    r = client.post("/v1/scales/phq9", json={"answers": PHQ9_ITEM9, "language": "en"})
    assert r.status_code == 200 and r.json()["safety"]["alert"] and r.json()["readable"]
    r = client.post("/v1/scales/phq9", json={"answers": {"phq9_09": 3}})
    assert r.status_code == 422 and r.json()["safety"]["alert"]
    assert client.post("/v1/scales/nope", json={"answers": {}}).status_code == 404


def test_conversions_cli_api_and_library():
    from wenzhen.calculators import CalculationError, convert
    assert convert("creatinine", "1.4 mg/dL", "μmol/L").value == pytest.approx(123.76, abs=0.01)
    assert convert("glucose", [7, "mmol/L"]).value == pytest.approx(126.1, abs=0.1)
    assert convert("temperature", "101.3F", "°C").value == pytest.approx(38.5)
    with pytest.raises(CalculationError):
        convert("creatinine", "1.4 mg/dL", "stone")
    with pytest.raises(CalculationError):
        convert("sex", "male")
    r = run(["convert", "weight", "150lb", "kg"])
    assert r.returncode == 0 and "68.0389 kg" in r.stdout.decode()
    assert run(["convert", "weight", "abc"]).returncode == 2


def test_api_convert(client):
    r = client.get("/v1/convert", params={"variable": "bilirubin", "value": "34 umol/L", "to": "mg/dL"})
    assert r.status_code == 200 and r.json()["value"] == pytest.approx(1.988, abs=0.01)
    assert client.get("/v1/convert", params={"variable": "bilirubin", "value": "x"}).status_code == 422
