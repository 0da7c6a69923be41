"""Health scales: hand-worked examples, band edges, the PHQ-9 item-9 rule, errors, English, PSQI oracle."""
from __future__ import annotations

import csv
import shutil

import pytest

from wenzhen.kb.loader import KBError
from wenzhen.scales import ScaleError, UnknownScale, list_scales, load_scales, parse_clock, score_scale

PHQ = [f"phq9_0{i}" for i in range(1, 10)]
GAD = [f"gad7_0{i}" for i in range(1, 8)]
ISI = [f"isi_{i}" for i in range(1, 8)]
ESS = [f"ess_{i}" for i in range(1, 9)]
SB = ["stopbang_" + c for c in "stopbang"]


def spread(ids: list[str], total: int, top: int) -> dict[str, int]:
    """Answers summing to `total`, filling items in order up to `top` each."""
    out = {}
    for i in ids:
        out[i] = min(top, total)
        total -= out[i]
    assert total == 0
    return out


PSQI_GOOD = {  # hand-worked: global 2
    "psqi_01": "23:00", "psqi_02": 10, "psqi_03": "07:00", "psqi_04": 7.5, "psqi_05a": 0, "psqi_05b": 1,
    "psqi_05c": 0, "psqi_05d": 0, "psqi_05e": 0, "psqi_05f": 0, "psqi_05g": 0, "psqi_05h": 0, "psqi_05i": 0,
    "psqi_05j": 0, "psqi_06": 1, "psqi_07": 0, "psqi_08": 0, "psqi_09": 0}


# ---- catalogue and names -------------------------------------------------------------------------------

def test_catalogue_lists_six_scales_with_items_and_options():
    infos = {s.id: s for s in list_scales()}
    assert set(infos) == {"psqi", "isi", "ess", "stopbang", "phq9", "gad7"}
    phq = infos["phq9"]
    assert [i.id for i in phq.items if i.scored] == PHQ and phq.has_safety_rule
    assert [o.label.en for o in phq.items[0].options] == ["Not at all", "Several days", "More than half the days",
                                                          "Nearly every day"]
    assert infos["psqi"].components[0] == "comp1_quality" and infos["psqi"].total_max == 21
    assert all(s.source and s.bands for s in infos.values())


@pytest.mark.parametrize("name,sid", [("psqi", "psqi"), ("匹兹堡睡眠质量指数", "psqi"), ("PHQ-9", "phq9"),
                                      ("phq9", "phq9"), ("GAD 7", "gad7"), ("Epworth", "ess"),
                                      ("STOP-Bang", "stopbang"), ("失眠严重程度指数", "isi")])
def test_names_and_aliases(name, sid):
    ids = {"psqi": PSQI_GOOD, "phq9": dict.fromkeys(PHQ, 0), "gad7": dict.fromkeys(GAD, 0),
           "ess": dict.fromkeys(ESS, 0), "stopbang": dict.fromkeys(SB, 0), "isi": dict.fromkeys(ISI, 0)}
    assert score_scale(name, ids[sid]).scale == sid


def test_unknown_scale():
    with pytest.raises(UnknownScale) as e:
        score_scale("hamd", {})
    assert "phq9" in str(e.value)


# ---- PSQI ---------------------------------------------------------------------------------------------

def test_psqi_hand_worked_good_sleeper():
    r = score_scale("psqi", PSQI_GOOD)
    comps = {c.id: c.score for c in r.components}
    # quality 1; latency 10 min→0 + 5a 0 → 0; duration 7.5 h → 0; efficiency 7.5/8 = 93.75% → 0;
    # disturbances sum 1 → 1; medication 0; daytime 0+0 → 0
    assert comps == {"comp1_quality": 1, "comp2_latency": 0, "comp3_duration": 0, "comp4_efficiency": 0,
                     "comp5_disturbance": 1, "comp6_medication": 0, "comp7_daytime": 0}
    assert r.total == 2 and r.interpretation.risk == "normal" and r.complete
    eff = next(c for c in r.components if c.id == "comp4_efficiency")
    assert eff.details == {"time_in_bed_hours": 8, "sleep_efficiency_pct": 93.8}
    assert {c.id: c.positive for c in r.cutoffs} == {"international": False, "chinese": False}
    assert [a.id for a in r.advice] == ["good"]


def test_psqi_hand_worked_poor_sleeper_personalised_advice():
    a = dict(PSQI_GOOD, psqi_01="22:00", psqi_02="50分钟", psqi_03="06:00", psqi_04="5.5小时", psqi_05a="每周3次或以上",
             psqi_05e=3, psqi_05i=2, psqi_06="较差", psqi_07="1-2次/周", psqi_08=2, psqi_09=2)
    r = score_scale("psqi", a)
    comps = {c.id: c.score for c in r.components}
    # latency 50 min → 2, + 3 = 5 → 3; duration 5.5 → 2; efficiency 5.5/8 = 68.75% → 2;
    # disturbances 1+3+2 = 6 → 1; medication 2; daytime 2+2 = 4 → 2; quality 2
    assert comps == {"comp1_quality": 2, "comp2_latency": 3, "comp3_duration": 2, "comp4_efficiency": 2,
                     "comp5_disturbance": 1, "comp6_medication": 2, "comp7_daytime": 2}
    assert r.total == 14 and r.interpretation.risk == "moderate"
    assert {c.id: c.positive for c in r.cutoffs} == {"international": True, "chinese": True}
    ids = [x.id for x in r.advice]
    for want in ["poor_overall", "long_latency", "short_duration", "low_efficiency", "breathing_snoring", "pain",
                 "medication", "daytime_dysfunction", "drowsy_driving"]:
        assert want in ids
    assert "disturbances" not in ids and "good" not in ids
    assert "刺激控制" in next(x.text for x in r.advice if x.id == "long_latency")
    assert "医生" in next(x.text for x in r.advice if x.id == "low_efficiency")


@pytest.mark.parametrize("total,risk,intl,cn", [(5, "normal", False, False), (6, "low", True, False),
                                                (7, "low", True, False), (8, "moderate", True, True)])
def test_psqi_band_edges_and_both_cutoffs(total, risk, intl, cn):
    # PSQI_GOOD scores 1 (disturbances) + quality (item 6) + medication (item 7) + daytime (item 9: 1 → 1)
    extra = total - 1
    a = dict(PSQI_GOOD, psqi_06=min(3, extra), psqi_07=min(3, max(0, extra - 3)), psqi_09=max(0, extra - 6))
    r = score_scale("psqi", a)
    assert r.total == total
    assert r.interpretation.risk == risk
    assert {c.id: c.positive for c in r.cutoffs} == {"international": intl, "chinese": cn}


@pytest.mark.parametrize("minutes,score", [(15, 0), (16, 1), (30, 1), (31, 2), (60, 2), (61, 3)])
def test_psqi_latency_minutes_bands(minutes, score):
    r = score_scale("psqi", dict(PSQI_GOOD, psqi_02=minutes))
    assert next(c.details for c in r.components if c.id == "comp2_latency")["latency_minutes_score"] == score


@pytest.mark.parametrize("hours,score", [(7.01, 0), (7, 1), (6, 1), (5.99, 2), (5, 2), (4.99, 3)])
def test_psqi_duration_bands(hours, score):
    r = score_scale("psqi", dict(PSQI_GOOD, psqi_04=hours, psqi_03="10:00"))
    assert next(c.score for c in r.components if c.id == "comp3_duration") == score


@pytest.mark.parametrize("asleep,score", [(6.81, 0), (6.8, 1), (6.0, 1), (5.99, 2), (5.2, 2), (5.19, 3)])
def test_psqi_efficiency_bands_8h_in_bed(asleep, score):  # 85% of 8 h = 6.8, 75% = 6, 65% = 5.2
    r = score_scale("psqi", dict(PSQI_GOOD, psqi_04=asleep))
    assert next(c.score for c in r.components if c.id == "comp4_efficiency") == score


def test_psqi_missing_time_makes_efficiency_and_global_not_computable():
    a = dict(PSQI_GOOD)
    del a["psqi_03"]
    r = score_scale("psqi", a, "en")
    eff = next(c for c in r.components if c.id == "comp4_efficiency")
    assert eff.score is None and "psqi_03" in eff.reason
    assert r.total is None and "comp4_efficiency" in r.total_reason and r.interpretation is None
    assert [p.item for p in r.missing] == ["psqi_03"] and not r.complete
    assert "incomplete" in [x.id for x in r.advice]
    assert all(c.positive is None for c in r.cutoffs)


def test_psqi_missing_disturbance_items_are_skipped_until_all_are_missing():
    a = dict(PSQI_GOOD, psqi_05b="NA", psqi_05c=2)
    assert next(c.details for c in score_scale("psqi", a).components
                if c.id == "comp5_disturbance")["disturbance_sum"] == 2
    for k in [f"psqi_05{c}" for c in "bcdefghij"]:
        a[k] = None
    r = score_scale("psqi", a)
    assert next(c.score for c in r.components if c.id == "comp5_disturbance") is None and r.total is None


def test_psqi_invalid_answers_raise_naming_each_item():
    with pytest.raises(ScaleError) as e:
        score_scale("psqi", dict(PSQI_GOOD, psqi_01="25:61", psqi_04=30, psqi_06="excellent"), "en")
    items = {p.item for p in e.value.problems}
    assert items == {"psqi_01", "psqi_04", "psqi_06"}
    assert "psqi_04" in str(e.value) and "0–24" in str(e.value)


def test_psqi_nothing_answered_is_an_error():
    with pytest.raises(ScaleError):
        score_scale("psqi", {"psqi_11a": 1})


@pytest.mark.parametrize("text,hours", [("22:30", 22.5), ("22:30:00", 22.5), ("10:30 pm", 22.5), ("10pm", 22.0),
                                        ("晚上10点半", 22.5), ("23点15分", 23.25), ("凌晨1点", 1.0), ("7:05 am", 7 + 5 / 60),
                                        ("12:00 am", 0.0), ("25:00", None), ("abc", None)])
def test_clock_parsing(text, hours):
    got = parse_clock(text)
    assert (got is None and hours is None) or abs(got - hours) < 1e-9


def test_psqi_over_midnight_and_english():
    r = score_scale("psqi", dict(PSQI_GOOD, psqi_01="1:00 am", psqi_03="7:00 am", psqi_04=6,
                                 psqi_06="Fairly bad"), "en")
    eff = next(c for c in r.components if c.id == "comp4_efficiency")
    assert eff.details["time_in_bed_hours"] == 6 and eff.score == 0 and eff.name == "Habitual sleep efficiency"
    assert r.name == "Pittsburgh Sleep Quality Index" and r.language == "en"
    assert all(x.text.isascii() or "—" in x.text for x in r.advice)
    assert r.cutoffs[0].label.startswith("International")


# ---- PHQ-9 and the item-9 safety rule -------------------------------------------------------------------

def test_phq9_item9_alert_with_low_total():
    a = dict.fromkeys(PHQ, 0) | {"phq9_01": 1, "phq9_02": 1, "phq9_09": 1}
    r = score_scale("phq9", a)
    assert r.total == 3
    assert r.safety.alert is True
    for must in ("120", "急诊", "12356", "010-82951332", "今天"):
        assert must in r.safety.message
    assert r.advice[0].id == "safety_item9_self_harm"
    assert r.interpretation.risk == "high" and r.interpretation.override == "item9_positive"
    assert r.interpretation.band == "无或极轻微抑郁症状"
    assert "minimal" not in [x.id for x in r.advice]


def test_phq9_item9_alert_english_and_by_label():
    a = dict.fromkeys(PHQ, "Not at all") | {"phq9_09": "Several days"}
    r = score_scale("phq9", a, "en")
    assert r.safety.alert and "120" in r.safety.message and "12356" in r.safety.message
    assert "emergency department" in r.safety.message


def test_phq9_no_alert_when_item9_zero_even_if_severe():
    a = dict.fromkeys(PHQ, 3) | {"phq9_09": 0}
    r = score_scale("phq9", a)
    assert r.total == 24 and not r.safety.alert and r.interpretation.risk == "very_high"
    assert "severe" in [x.id for x in r.advice]


def test_phq9_alert_survives_an_error_and_unreadable_item9_alerts():
    a = {"phq9_09": 2}  # the rest missing: error, but the alert is still carried
    with pytest.raises(ScaleError) as e:
        score_scale("phq9", a)
    assert e.value.safety.alert and "12356" in str(e.value)
    assert {p.item for p in e.value.problems} == set(PHQ[:8])
    with pytest.raises(ScaleError) as e:
        score_scale("phq9", dict.fromkeys(PHQ[:8], 0) | {"phq9_09": "maybe"})
    assert e.value.safety.alert and e.value.problems[0].item == "phq9_09"


@pytest.mark.parametrize("total,risk", [(4, "normal"), (5, "low"), (9, "low"), (10, "moderate"), (14, "moderate"),
                                        (15, "high"), (19, "high"), (20, "very_high"), (24, "very_high")])
def test_phq9_band_edges(total, risk):
    a = spread(PHQ[:8], total, 3) | {"phq9_09": 0}
    r = score_scale("phq9", a)
    assert r.total == total and r.interpretation.risk == risk
    assert r.cutoffs[0].positive is (total >= 10)


def test_phq9_missing_and_invalid_named():
    a = dict.fromkeys(PHQ, 0)
    del a["phq9_04"]
    a["phq9_05"] = 4
    with pytest.raises(ScaleError) as e:
        score_scale("phq9", a, "en")
    assert {p.item: p.reason for p in e.value.problems}.keys() == {"phq9_04", "phq9_05"}
    assert "not answered" in str(e.value) and "Nearly every day" in str(e.value)


# ---- GAD-7 ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("total,risk", [(0, "normal"), (4, "normal"), (5, "low"), (9, "low"), (10, "moderate"),
                                        (14, "moderate"), (15, "high"), (21, "high")])
def test_gad7_band_edges(total, risk):
    r = score_scale("gad7", spread(GAD, total, 3))
    assert r.total == total and r.interpretation.risk == risk


def test_gad7_hand_worked_labels_and_advice():
    a = {"gad7_01": "几乎每天", "gad7_02": "一半以上的天数", "gad7_03": "好几天", "gad7_04": 2, "gad7_05": "0",
         "gad7_06": "Several days", "gad7_07": 3}
    r = score_scale("gad7", a)
    assert r.total == 3 + 2 + 1 + 2 + 0 + 1 + 3 == 12
    assert r.interpretation.label == "中度焦虑症状"
    assert [x.id for x in r.advice] == ["moderate", "low_mood_check"]
    assert not r.safety.alert
    with pytest.raises(ScaleError) as e:
        score_scale("gad7", dict(a, gad7_03="sometimes"))
    assert e.value.problems[0].item == "gad7_03"


# ---- ISI -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("total,risk", [(7, "normal"), (8, "low"), (14, "low"), (15, "moderate"), (21, "moderate"),
                                        (22, "high"), (28, "high")])
def test_isi_band_edges(total, risk):
    r = score_scale("isi", spread(ISI, total, 4))
    assert r.total == total and r.interpretation.risk == risk


def test_isi_hand_worked_and_aliases():
    a = {"isi_1a": "中度", "isi_1b": "重度", "isi_1c": 1, "satisfaction": "不满意", "noticeable": "有些", "worried": "较多",
         "interference": 2}
    r = score_scale("ISI", a, "en")
    assert r.total == 2 + 3 + 1 + 3 + 2 + 3 + 2 == 16
    assert r.interpretation.label == "Clinical insomnia (moderate severity)"
    assert {c.id: c.positive for c in r.cutoffs} == {"clinical": True, "community": True}
    assert [x.id for x in r.advice] == ["clinical_moderate", "mood_check"]
    assert "CBT-I" in r.advice[0].text


# ---- ESS -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("total,risk,positive", [(10, "normal", False), (11, "low", True), (12, "low", True),
                                                 (13, "moderate", True), (15, "moderate", True), (16, "high", True)])
def test_ess_band_edges(total, risk, positive):
    r = score_scale("ess", spread(ESS[:7], total, 3) | {"ess_8": 0})
    assert r.total == total and r.interpretation.risk == risk and r.cutoffs[0].positive is positive
    ids = [x.id for x in r.advice]
    assert ("excessive" in ids) is positive


def test_ess_over_10_advice_mentions_apnoea_and_driving():
    r = score_scale("ess", dict.fromkeys(ESS, 2), "en")
    assert r.total == 16
    text = " ".join(x.text for x in r.advice)
    assert "sleep apnoea" in text and "drive" in text
    assert {"excessive", "severe", "driving"} <= {x.id for x in r.advice}


# ---- STOP-BANG -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("yes,risk", [("", "low"), ("ta", "low"), ("tap", "moderate"), ("tapo", "moderate"),
                                      ("tapb", "high"),
                                      ("stopb", "high")])
def test_stopbang_bands(yes, risk):
    a = {f"stopbang_{c}": ("是" if c in yes else "否") for c in "stopban" + "g"}
    r = score_scale("stopbang", a)
    assert r.total == len(yes) and r.interpretation.risk == risk
    assert ("sleep_study" in [x.id for x in r.advice]) is (len(yes) >= 3)


def test_stopbang_stop2_plus_male_is_high():
    a = {"snoring": "yes", "tired": "yes", "observed": "no", "pressure": "no", "bmi": "no", "age": "no",
         "neck": "no", "male": True}
    r = score_scale("stopbang", a, "en")
    assert r.total == 3 and r.interpretation.risk == "high" and r.interpretation.override == "stop2_plus_bng"
    assert {c.id: c.score for c in r.components} == {"stop_score": 2, "bang_score": 1}
    r2 = score_scale("stopbang", dict(a, male=False, age=True))  # STOP 2 + age only: not raised
    assert r2.total == 3 and r2.interpretation.risk == "moderate"


def test_stopbang_missing_named_in_chinese():
    with pytest.raises(ScaleError) as e:
        score_scale("stopbang", {"stopbang_s": "是"})
    assert "未作答" in str(e.value) and "stopbang_g" in str(e.value) and len(e.value.problems) == 7


# ---- KB checks can fail ----------------------------------------------------------------------------------

def test_loader_rejects_band_gap(tmp_path):
    from wenzhen.scales.loader import SCALE_DIR
    shutil.copy(SCALE_DIR / "gad7.yaml", tmp_path / "gad7.yaml")
    p = tmp_path / "gad7.yaml"
    p.write_text(p.read_text(encoding="utf-8").replace("{ge: 5, le: 9, risk: low", "{ge: 6, le: 9, risk: low"),
                 encoding="utf-8")
    with pytest.raises(KBError, match="falls in 0 bands"):
        load_scales(tmp_path)


def test_loader_rejects_unknown_key_and_unknown_reference(tmp_path):
    from wenzhen.scales.loader import SCALE_DIR
    src = (SCALE_DIR / "gad7.yaml").read_text(encoding="utf-8")
    (tmp_path / "gad7.yaml").write_text(src.replace("timeframe:", "colour: red\ntimeframe:"), encoding="utf-8")
    with pytest.raises(KBError, match="colour"):
        load_scales(tmp_path)
    (tmp_path / "gad7.yaml").write_text(src.replace("{of: total, ge: 10}]", "{of: gad7_99, ge: 10}]"),
                                        encoding="utf-8")
    with pytest.raises(KBError, match="gad7_99"):
        load_scales(tmp_path)


# ---- PSQI reference vectors (LCBC-UiO/questionnaires test data) ---------------------------------------------

def test_psqi_dataset_vectors():
    from benchmarks.common import Skip
    from benchmarks.psqi import run
    try:
        out = run()
    except Skip as e:
        pytest.skip(str(e))
    assert out["respondents"] == 12
    assert out["mismatches"] == []
    assert out["components_exact"] == "84/84" and out["global_exact"] == "12/12"


def test_psqi_dataset_row4_not_computable_reason():
    from benchmarks.common import Skip, dataset
    from benchmarks.psqi import item_columns
    try:
        base = dataset("psqi")
    except Skip as e:
        pytest.skip(str(e))
    with open(base / "psqi.tsv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    r = score_scale("psqi", item_columns(rows[3]), "en")
    assert r.total is None and "comp4_efficiency" in r.total_reason
    eff = next(c for c in r.components if c.id == "comp4_efficiency")
    assert eff.score is None and "psqi_01" in eff.reason and "psqi_03" in eff.reason
