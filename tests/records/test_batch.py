"""QC of an archive: a folder, JSONL or Parquet, streamed; the same results locally and on a local Ray cluster; bad
entries reported, not fatal; CSV and HTML written."""
import csv
import json

import pytest

from wenzhen.records import qc_batch

BASE = {"kind": "outpatient", "patient": {"age": 40, "sex": "male"},
        "sections": {"主诉": "咳嗽3天", "现病史": "3天前出现咳嗽，无发热。", "既往史": "既往体健", "过敏史": "否认药物过敏史",
                     "体格检查": "T 36.8℃，咽红", "辅助检查": "无", "初步诊断": "急性支气管炎", "处理意见": "对症治疗"},
        "diagnoses": [{"name": "急性支气管炎", "icd10": "J20.900"}]}


def archive(n=60):
    out = []
    for i in range(n):
        r = json.loads(json.dumps(BASE))
        r["id"], r["department"], r["doctor"] = f"r{i}", ["内科", "儿科"][i % 2], ["王医生", "李医生", "张医生"][i % 3]
        if i % 5 == 0:
            del r["sections"]["主诉"]
        if i % 7 == 0:
            r["sections"]["处理意见"] = "XXX"
        out.append(r)
    return out


@pytest.fixture
def jsonl(tmp_path):
    p = tmp_path / "a.jsonl"
    p.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in archive()) + "\nnot json\n", encoding="utf-8")
    return p


def test_jsonl_summary_and_files(jsonl, tmp_path):
    s = qc_batch(jsonl, out_dir=tmp_path / "out")
    assert s.records == 60 and s.unreadable == 1 and "line 61" in s.errors[0]
    assert s.by_rule["outpatient_chief_complaint"] == 12 and s.by_rule["placeholder_text"] == 9
    assert sum(s.grades.values()) == 60 and set(s.by_department) == {"内科", "儿科"} and len(s.by_doctor) == 3
    rows = list(csv.reader(open(tmp_path / "out" / "results.csv", encoding="utf-8")))
    assert len(rows) == 61 and rows[0][0] == "record"
    assert "by rule" in (tmp_path / "out" / "summary.html").read_text(encoding="utf-8")


def test_parquet_and_folder_give_the_same_results(jsonl, tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    recs = archive()
    pq.write_table(pa.table({"record": [json.dumps(r, ensure_ascii=False) for r in recs]}), tmp_path / "a.parquet")
    folder = tmp_path / "folder"
    folder.mkdir()
    for r in recs:
        (folder / f"{r['id']}.json").write_text(json.dumps(r, ensure_ascii=False), encoding="utf-8")
    a, b, c = qc_batch(jsonl), qc_batch(tmp_path / "a.parquet"), qc_batch(folder)
    assert a.by_rule == b.by_rule == c.by_rule and a.grades == b.grades == c.grades


def test_text_records_in_a_folder(tmp_path):
    (tmp_path / "one.txt").write_text("主诉：咳嗽3天\n现病史：咳嗽3天。\n初步诊断：XXX", encoding="utf-8")
    s = qc_batch(tmp_path)
    assert s.records == 1 and s.by_rule["placeholder_text"] == 1


def test_not_an_archive(tmp_path):
    with pytest.raises(ValueError):
        qc_batch(tmp_path / "x.csv")


@pytest.mark.slow
def test_ray_gives_the_same_results_as_local(jsonl, tmp_path):
    local = qc_batch(jsonl, out_dir=tmp_path / "l")
    on_ray = qc_batch(jsonl, engine="ray", workers=2, out_dir=tmp_path / "r")
    assert on_ray.records == local.records and on_ray.by_rule == local.by_rule and on_ray.grades == local.grades
    assert on_ray.by_doctor == local.by_doctor and on_ray.unreadable == local.unreadable
    read = lambda d: sorted(open(tmp_path / d / "results.csv", encoding="utf-8").read().splitlines())  # noqa: E731
    assert read("l") == read("r")
