"""Property tests (Hypothesis) for the interview: whatever the turns and answers, dialogue understanding and the
interview give a result or a ValueError with a reason, never another exception, and an open interview always has a
question while an ended one has the advice."""
import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wenzhen.interview import InterviewEnded, Utterance, answer, start, understand_dialogue

EXAMPLES = int(os.environ.get("WENZHEN_FUZZ_EXAMPLES", "60"))
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck),
                    derandomize="WENZHEN_FUZZ_EXAMPLES" not in os.environ, database=None)
WORDS = ["有", "没有", "不清楚", "不确定", "其实", "对", "有点", "发烧", "咳嗽", "胸痛", "38.5", "吗", "？", "，", "。", "医生：",
         "患者：", "\n", "no", "yes", "fever", "不烧了", "除了", "过敏", "对青霉素过敏", "3", "两天", ""]
token = st.one_of(st.sampled_from(WORDS), st.text(max_size=5))
text_like = st.lists(token, min_size=1, max_size=20).map("".join)
turn = st.builds(lambda s, t: (s, t), st.sampled_from(["doctor", "patient"]), text_like)


@SETTINGS
@given(st.lists(turn, min_size=1, max_size=12))
def test_dialogue_understanding_never_crashes(turns):
    kept = [Utterance(speaker=s, text=t) for s, t in turns if t.strip()]
    if not kept:
        return
    try:
        r = understand_dialogue(kept)
    except ValueError:
        return
    assert all(0 <= m.turn < len(kept) for m in r.mentions)


@SETTINGS
@given(text_like, st.lists(text_like, max_size=8))
def test_the_interview_never_crashes(opening, answers):
    try:
        state, step = start(opening)
    except ValueError:
        return
    for a in answers:
        assert (step.status == "open") == (step.question is not None)
        if step.status == "ended":
            assert step.message
        try:
            step = answer(state, a)
        except InterviewEnded:
            assert state.status == "ended"
        except ValueError:
            pass
