"""REST: an interview over HTTP, its report, and a session that survives a restart and is shared by two servers."""
import pytest
from fastapi.testclient import TestClient

from wenzhen.api import app
from wenzhen.api import interviews as api_interviews
from wenzhen.interview.service import InterviewService
from wenzhen.interview.store import InterviewStore


@pytest.fixture
def client(tmp_path):
    url = f"sqlite:///{tmp_path / 'iv.db'}"
    api_interviews.set_service(InterviewService(InterviewStore(url)))
    yield TestClient(app), url
    api_interviews.set_service(None)


def test_a_whole_interview_over_http(client):
    c, _ = client
    r = c.post("/v1/interviews", json={"complaint": "孩子发烧两天，咳嗽", "age": 4})
    assert r.status_code == 201, r.text
    step = r.json()
    iid = step["interview_id"]
    assert step["status"] == "open" and step["question"]["text"]
    n = 0
    while step["status"] == "open":
        step = c.post(f"/v1/interviews/{iid}/answers", json={"text": "没有"}).json()
        n += 1
        assert n <= 20
    assert step["end_reason"] in ("enough", "limit") and step["message"]
    rep = c.get(f"/v1/interviews/{iid}/report?include_fhir=true").json()
    assert rep["chief_complaint"] and rep["readable"].startswith("预问诊报告") and rep["fhir"]["resourceType"] == "Bundle"
    txt = c.get(f"/v1/interviews/{iid}/report?format=text")
    assert txt.status_code == 200 and "主诉" in txt.text
    assert c.post(f"/v1/interviews/{iid}/answers", json={"text": "还有"}).status_code == 409


def test_emergency_at_the_first_words(client):
    c, _ = client
    step = c.post("/v1/interviews", json={"complaint": "我妈突然口角歪斜，说话不清楚"}).json()
    assert step["status"] == "ended" and step["end_reason"] == "red_flag" and step["triage"]["triage_level"] <= 2


@pytest.mark.parametrize("body", [{}, {"complaint": ""}, {"complaint": "头疼", "age": 300}, {"complaint": "头疼", "extra": 1}])
def test_bad_requests_get_a_reason(client, body):
    c, _ = client
    r = c.post("/v1/interviews", json=body)
    assert r.status_code == 422 and r.json()["error"]


def test_unknown_and_malformed_ids(client):
    c, _ = client
    assert c.post("/v1/interviews/" + "0" * 32 + "/answers", json={"text": "没有"}).status_code == 404
    assert c.get("/v1/interviews/" + "0" * 32 + "/report").status_code == 404
    assert c.post("/v1/interviews/nothex/answers", json={"text": "没有"}).status_code == 422
    iid = c.post("/v1/interviews", json={"complaint": "咳嗽三天"}).json()["interview_id"]
    assert c.post(f"/v1/interviews/{iid}/answers", json={"text": " "}).status_code == 422
    assert c.post(f"/v1/interviews/{iid}/answers", json={}).status_code == 422


def test_a_session_survives_a_server_restart(client):
    c, url = client
    first = c.post("/v1/interviews", json={"complaint": "肚子疼一天"}).json()
    iid, q1 = first["interview_id"], first["question"]["text"]
    api_interviews.set_service(InterviewService(InterviewStore(url)))  # a new process on the same database
    view = c.get(f"/v1/interviews/{iid}").json()
    assert view["question"]["text"] == q1 and view["transcript"][0]["text"] == "肚子疼一天"
    step = c.post(f"/v1/interviews/{iid}/answers", json={"text": "没有"}).json()
    assert step["questions_asked"] == 2


@pytest.mark.postgres
def test_two_servers_on_one_postgresql_serve_the_same_interview(pg_url):
    a = InterviewService(InterviewStore(pg_url))
    b = InterviewService(InterviewStore(pg_url))
    from wenzhen.interview.engine import StartRequest
    iid, step = a.start(StartRequest(complaint="头疼两天"))
    s2 = b.answer(iid, "没有")
    s3 = a.answer(iid, "没有")
    assert s3.questions_asked == s2.questions_asked + 1
    assert a.report(iid).transcript == b.report(iid).transcript
    a.close()
    b.close()
