"""With a language model configured, it words the questions; its wording is kept only when it still asks the same
thing and adds nothing (no new symptom, medicine, second question); without a model the templates serve."""
import pytest

from benchmarks.scripted_model import ScriptedModel
from wenzhen.interview import answer, start
from wenzhen.interview.engine import Question
from wenzhen.interview.phrasing import acceptable
from wenzhen.llm.config import LLMConfig


@pytest.fixture
def model(tmp_path):
    with ScriptedModel() as m:
        m.cfg = LLMConfig(base_url=m.url, model="scripted", log_path=str(tmp_path / "calls.jsonl"), max_retries=0, timeout_s=10)
        yield m


FEVER = Question(id="q", slot="associated", text="孩子有没有发烧？", about=["fever"], source="differential")


@pytest.mark.parametrize("text, ok", [
    ("宝宝这两天有没有发烧呀？", True),
    ("宝宝有没有发烧？要不要先吃点布洛芬？", False),   # two questions, and a medicine
    ("宝宝有没有发烧，要不要吃布洛芬？", False),        # a medicine
    ("宝宝咳嗽吗？", False),                          # asks something else
    ("宝宝有没有发烧、抽搐？", False),                  # adds a finding
    ("发烧的话多喝水就好。", False),                    # not a question
])
def test_what_wording_is_accepted(text, ok):
    assert (acceptable(text, FEVER, "zh") is None) is ok


def test_the_model_words_the_next_question(model):
    state, step = start("孩子咳嗽两天", llm=None)
    template_text = step.question.text
    model.replies[:] = []
    state, step = start("孩子咳嗽两天")
    assert step.question.phrased_by is None and step.question.text == template_text  # no model: the template
    # The same step with a model: whatever it proposes must pass; a reply that changes the question is refused.
    model.replies[:] = [{"content": "小朋友这次咳了多长时间啦？"}]
    state, step = start("5岁孩子咳嗽", llm=model.cfg)  # the age said, so the first question is how long
    q = step.question
    assert q.phrased_by == "scripted" and q.text == "小朋友这次咳了多长时间啦？"
    assert "孩子咳嗽" in model.requests[-1]["messages"][1]["content"]  # the model sees the patient's words
    model.replies[:] = [{"content": "要不要先吃点止咳药？"}]
    step = answer(state, "两天", llm=model.cfg)
    assert step.question.phrased_by is None and "止咳药" not in step.question.text


def test_a_model_that_does_not_answer_leaves_the_template(tmp_path):
    dead = LLMConfig(base_url="http://127.0.0.1:9/v1", model="none", log_path=str(tmp_path / "c.jsonl"), max_retries=0,
                     timeout_s=1)
    state, step = start("肚子疼", llm=dead)
    assert step.question is not None and step.question.phrased_by is None
