"""With a language model, a section's wording may improve; a rewrite that adds a finding, a number or a medicine, or
drops a denial, is refused and the draft stands."""
import pytest

from benchmarks.scripted_model import ScriptedModel
from wenzhen.interview import Utterance as U
from wenzhen.llm.config import LLMConfig
from wenzhen.records import draft_record
from wenzhen.records.polish import grounded_rewrite, polish

OLD = "患儿2天前出现发热、咳嗽。无腹泻。"


@pytest.mark.parametrize("new, ok", [
    ("患儿于2天前无明显诱因出现发热、咳嗽，无腹泻。", True),
    ("患儿2天前出现发热、咳嗽、呕吐。无腹泻。", False),        # a new finding
    ("患儿2天前出现发热（39.5℃）、咳嗽。无腹泻。", False),     # a new number
    ("患儿2天前出现发热、咳嗽，已服布洛芬。无腹泻。", False),   # a new medicine
    ("患儿2天前出现发热、咳嗽。", False),                      # the denial lost
])
def test_grounding(new, ok):
    assert (grounded_rewrite(OLD, new) is None) is ok


def test_polish_keeps_what_passes_and_refuses_the_rest(tmp_path):
    d = draft_record([U(speaker="patient", text="孩子5岁，发烧两天了，咳嗽"), U(speaker="doctor", text="有没有拉肚子？"),
                      U(speaker="patient", text="没有"), U(speaker="doctor", text="对什么药过敏吗？"), U(speaker="patient", text="对青霉素过敏")])
    with ScriptedModel() as m:
        cfg = LLMConfig(base_url=m.url, model="scripted", log_path=str(tmp_path / "c.jsonl"), max_retries=0, timeout_s=10)
        m.replies[:] = [{"content": "患儿于2天前无明显诱因出现发热、咳嗽，无腹泻。"}, {"content": "对青霉素及头孢过敏。"}]
        p, kept = polish(d, cfg)
    assert p.record.sections["现病史"] == "患儿于2天前无明显诱因出现发热、咳嗽，无腹泻。"
    assert p.record.sections["过敏史"] == d.record.sections["过敏史"] and kept  # the added allergen was refused
    assert p.record.sections["主诉"] == d.record.sections["主诉"]
    assert all(s.utterances for s in p.record.sources)


def test_without_a_model_nothing_changes():
    d = draft_record([U(speaker="patient", text="头疼三天")])
    assert polish(d, None)[0] == d
