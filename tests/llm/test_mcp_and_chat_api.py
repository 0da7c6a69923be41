"""`wenzhen mcp` over stdio with the official MCP client, and the OpenAI-compatible chat endpoint with and without
a model (the official openai client talks to it, as a chat front-end would)."""
import asyncio
import json
import sys

import pytest
from fastapi.testclient import TestClient

from benchmarks.common import free_port
from benchmarks.scripted_model import ScriptedModel
from wenzhen.api import app

client = TestClient(app, raise_server_exceptions=False)


def test_mcp_server_over_stdio_lists_and_runs_the_tools():
    from mcp import ClientSession
    from mcp.client.stdio import StdioServerParameters, stdio_client

    async def run():
        params = StdioServerParameters(command=sys.executable, args=["-m", "wenzhen.cli", "mcp"])
        async with stdio_client(params) as (read, write):
            async with ClientSession(read, write) as session:
                await session.initialize()
                names = {t.name for t in (await session.list_tools()).tools}
                ok = await session.call_tool("assess", {"text": "突然胸痛出冷汗两小时"})
                bad = await session.call_tool("assess", {"text": ""})
                return names, ok, bad

    names, ok, bad = asyncio.run(asyncio.wait_for(run(), 60))
    assert {"assess", "interpret_report", "check_medications", "calculate", "score_scale", "convert_unit"} <= names
    assert not ok.is_error and json.loads(ok.content[0].text)["triage_level"] <= 2
    assert bad.is_error and "empty" in bad.content[0].text


def test_chat_completions_without_a_model_is_the_engine(monkeypatch):
    monkeypatch.delenv("WENZHEN_LLM_BASE_URL", raising=False)
    monkeypatch.delenv("WENZHEN_LLM_MODEL", raising=False)
    monkeypatch.delenv("WENZHEN_LLM_CONFIG", raising=False)
    r = client.post("/v1/chat/completions", json={"model": "wenzhen", "messages": [{"role": "user", "content": "头痛三天"}]})
    body = r.json()
    assert r.status_code == 200 and body["object"] == "chat.completion" and body["wenzhen"]["model"] is None
    assert body["choices"][0]["message"]["content"].startswith("分诊：")
    r = client.post("/v1/chat/completions", json={"messages": [{"role": "user", "content": "头痛三天"}], "stream": True})
    chunks = [json.loads(line[6:]) for line in r.text.splitlines() if line.startswith("data: {")]
    assert r.text.rstrip().endswith("data: [DONE]") and chunks[0]["wenzhen"]["triage_level"] == 4
    assert "".join(c["choices"][0]["delta"].get("content", "") for c in chunks).startswith("分诊：")
    assert client.post("/v1/chat/completions", json={"messages": []}).status_code == 422
    assert client.post("/v1/chat/completions", json={"messages": [{"role": "system", "content": "x"}]}).status_code == 422
    assert client.get("/v1/models").json()["data"][0]["id"] == "wenzhen"


def test_chat_completions_with_a_model_through_the_openai_client(monkeypatch, tmp_path):
    import threading

    import uvicorn
    from openai import OpenAI

    with ScriptedModel() as model:
        model.replies.append({"content": "不严重，在家休息即可。"})
        monkeypatch.setenv("WENZHEN_LLM_BASE_URL", model.url)
        monkeypatch.setenv("WENZHEN_LLM_MODEL", "scripted")
        monkeypatch.setenv("WENZHEN_DATA_DIR", str(tmp_path))
        port = free_port()
        server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
        t = threading.Thread(target=server.run, daemon=True)
        t.start()
        try:
            while not server.started:
                pass
            oa = OpenAI(base_url=f"http://127.0.0.1:{port}/v1", api_key="any")
            r = oa.chat.completions.create(model="wenzhen", messages=[
                {"role": "user", "content": "65岁，突然胸痛喘不过气两小时"}])
            text = r.choices[0].message.content
            assert "不严重" not in text and "120" in text
            stream = oa.chat.completions.create(model="wenzhen", stream=True, messages=[
                {"role": "user", "content": "65岁，突然胸痛喘不过气两小时"}])
            assert "120" in "".join(c.choices[0].delta.content or "" for c in stream if c.choices)
        finally:
            server.should_exit = True
            t.join(timeout=5)
    assert (tmp_path / "llm-calls.jsonl").exists()


@pytest.mark.parametrize("body", [{"messages": "hi"}, {"messages": [{"role": "robot", "content": "x"}]}, {}])
def test_chat_bad_requests_are_422(body):
    assert client.post("/v1/chat/completions", json=body).status_code == 422
