"""No input crashes the engine or makes it crawl: pathological texts at the length limit."""
import random
import string
import time

import pytest
from pydantic import ValidationError

from wenzhen.assessment import assess

PATHOLOGICAL = ["1" * 20_000, "没有发烧，" * 4_000, "胸痛" * 10_000, "我妈" * 10_000, "no fever " * 2_200,
                "12岁" * 5_000, "青霉素过敏" * 4_000, "对" * 19_000 + "过敏", "三十九度" * 5_000]


@pytest.mark.parametrize("text", PATHOLOGICAL, ids=lambda t: t[:6])
def test_pathological_input_is_bounded(text):
    t0 = time.perf_counter()
    a = assess(text[:20_000])
    assert a.triage.triage_level in (1, 2, 3, 4)
    assert time.perf_counter() - t0 < 5


def test_random_text_never_crashes():
    rng = random.Random(11)
    alphabet = string.printable + "胸痛发烧没有不咳嗽岁个月血压心率体温度过敏对吃和，。！？、%/℃°０１２😀\u200b\u3000"
    for _ in range(500):
        text = "".join(rng.choice(alphabet) for _ in range(rng.choice([1, 10, 80, 400])))
        try:
            a = assess(text)
        except ValidationError:
            continue  # empty or binary-looking input: a clear error, by design
        assert a.triage.triage_level in (1, 2, 3, 4)
