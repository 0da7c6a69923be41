"""Quality control of an archive: a folder (one record per .json or .txt file), a JSONL file or a Parquet file,
streamed (an archive larger than memory never is in memory), checked locally or on Ray, summarised by rule,
department and doctor, with a CSV of every record and an HTML summary. The Ray engine gives the same results as
the local one: it checks the same chunks with the same function and merges in the archive's order."""
from __future__ import annotations

import csv
import html
import json
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, ValidationError

from .models import MedicalRecord
from .qc import QCResult, load_rules, qc_record, record_from_text

CHUNK = 1000  # records a Ray task checks at once: large enough to outweigh the task's overhead


class GroupStats(BaseModel):
    records: int = 0
    score_sum: float = 0.0
    defects: int = 0

    @property
    def mean_score(self) -> float:
        return round(self.score_sum / self.records, 2) if self.records else 0.0


class BatchSummary(BaseModel):
    engine: str
    records: int = 0
    unreadable: int = Field(default=0, description="entries that are not a record (reported, skipped)")
    mean_score: float = 0.0
    grades: dict[str, int] = Field(default_factory=dict)
    by_rule: dict[str, int] = Field(default_factory=dict)
    by_department: dict[str, GroupStats] = Field(default_factory=dict)
    by_doctor: dict[str, GroupStats] = Field(default_factory=dict)
    seconds: float = 0.0
    records_per_second: float = 0.0
    errors: list[str] = Field(default_factory=list, description="the first unreadable entries, with the reason")


def iter_raw(path: Path) -> Iterator[tuple[str, object]]:
    """(where, raw entry) for every entry of the archive, streamed."""
    path = Path(path)
    if path.is_dir():
        for f in sorted(path.rglob("*")):
            if f.suffix.lower() == ".json":
                data = json.loads(f.read_text(encoding="utf-8"))
                for i, d in enumerate(data if isinstance(data, list) else [data]):
                    yield f"{f.name}#{i}", d
            elif f.suffix.lower() == ".txt":
                yield f.name, {"__text__": f.read_text(encoding="utf-8"), "id": f.stem}
    elif path.suffix.lower() == ".jsonl":
        with open(path, encoding="utf-8") as fh:
            for n, line in enumerate(fh, 1):
                if line.strip():
                    try:
                        yield f"line {n}", json.loads(line)
                    except json.JSONDecodeError as e:
                        yield f"line {n}", ValueError(f"not JSON: {e}")
    elif path.suffix.lower() == ".parquet":
        import pyarrow.parquet as pq

        pf = pq.ParquetFile(path)
        n = 0
        for batch in pf.iter_batches(batch_size=CHUNK):
            for row in batch.to_pylist():
                n += 1
                yield f"row {n}", _from_row(row)
    else:
        raise ValueError(f"{path}: give a folder, a .jsonl or a .parquet file")


def _from_row(row: dict) -> dict:
    """A Parquet row: a `record` column of JSON, or the record's fields as columns (nested ones as JSON text)."""
    if "record" in row and isinstance(row["record"], str):
        return json.loads(row["record"])
    out = {}
    for k, v in row.items():
        if v is None:
            continue
        if isinstance(v, str) and k in ("sections", "patient", "diagnoses", "prescriptions", "documents", "events"):
            v = json.loads(v)
        out[k] = v
    return out


def to_record(raw: object) -> MedicalRecord:
    if isinstance(raw, Exception):
        raise raw
    if isinstance(raw, dict) and "__text__" in raw:
        text = raw.pop("__text__")
        return record_from_text(text, **raw)
    if isinstance(raw, dict) and raw.get("resourceType") == "Composition":
        return record_from_composition(raw)
    return MedicalRecord.model_validate(raw)


def record_from_composition(comp: dict) -> MedicalRecord:
    """A FHIR Composition: each section's title and narrative text."""
    import re

    sections = {}
    for s in comp.get("section") or []:
        div = ((s.get("text") or {}).get("div")) or ""
        sections[s.get("title") or ""] = html.unescape(re.sub(r"<[^>]+>", "", div)).strip()
    return MedicalRecord(id=str(comp.get("id") or ""), sections=sections)


def _check_chunk(entries: list[tuple[str, object]]) -> list[tuple[str, dict | None, str | None]]:
    """Check a chunk: (where, the result as a dict, or the reason it could not be read)."""
    rs = load_rules()
    out = []
    for where, raw in entries:
        try:
            rec = to_record(raw)
            if not rec.id:
                rec.id = where
            out.append((where, qc_record(rec, rs).model_dump(), None))
        except (ValidationError, ValueError, TypeError) as e:
            out.append((where, None, str(e).splitlines()[0][:200]))
    return out


def _chunks(path: Path, size: int) -> Iterator[list[tuple[str, object]]]:
    chunk: list[tuple[str, object]] = []
    for entry in iter_raw(path):
        chunk.append(entry)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def qc_batch(path: Path | str, *, engine: Literal["local", "ray"] = "local", workers: int = 2, out_dir: Path | str | None = None,
             progress: bool = False, ray_address: str | None = None) -> BatchSummary:
    """Check every record of an archive. Writes results.csv and summary.html (and summary.json) into out_dir."""
    t0 = time.perf_counter()
    summary = BatchSummary(engine=engine)
    out = Path(out_dir) if out_dir else None
    writer = fh = None
    if out:
        out.mkdir(parents=True, exist_ok=True)
        fh = open(out / "results.csv", "w", newline="", encoding="utf-8")
        writer = csv.writer(fh)
        writer.writerow(["record", "kind", "department", "doctor", "score", "grade", "defects"])
    bar = _progress(progress)
    score_sum = 0.0
    try:
        for results in _run(path, engine, workers, ray_address):
            for where, res, err in results:
                if res is None:
                    summary.unreadable += 1
                    if len(summary.errors) < 20:
                        summary.errors.append(f"{where}: {err}")
                    continue
                r = QCResult.model_validate(res)
                _add(summary, r)
                score_sum += r.score
                if writer:
                    writer.writerow([r.record_id, r.kind, r.department or "", r.doctor or "", r.score, r.grade,
                                     "; ".join(f"{d.rule}@{d.section or ''}" for d in r.defects)])
            bar(summary.records + summary.unreadable)
    finally:
        if fh:
            fh.close()
        bar(None)
    summary.mean_score = round(score_sum / summary.records, 2) if summary.records else 0.0
    summary.seconds = round(time.perf_counter() - t0, 3)
    summary.records_per_second = round(summary.records / summary.seconds, 1) if summary.seconds else 0.0
    if out:
        (out / "summary.json").write_text(summary.model_dump_json(indent=2), encoding="utf-8")
        (out / "summary.html").write_text(render_html(summary), encoding="utf-8")
    return summary


def _run(path, engine: str, workers: int, ray_address: str | None) -> Iterator[list]:
    if engine == "local":
        for chunk in _chunks(Path(path), CHUNK):
            yield _check_chunk(chunk)
        return
    import ray

    started = not ray.is_initialized()
    if started:
        ray.init(address=ray_address, num_cpus=None if ray_address else workers, include_dashboard=False,
                 log_to_driver=False, ignore_reinit_error=True)
    task = ray.remote(_check_chunk)
    pending: list = []
    try:
        for chunk in _chunks(Path(path), CHUNK):
            pending.append(task.remote(chunk))
            if len(pending) >= 2 * workers:  # bounded: the archive streams through, in its order
                yield ray.get(pending.pop(0))
        while pending:
            yield ray.get(pending.pop(0))
    finally:
        if started:
            ray.shutdown()


def _add(summary: BatchSummary, r: QCResult) -> None:
    summary.records += 1
    summary.grades[r.grade] = summary.grades.get(r.grade, 0) + 1
    for d in r.defects:
        summary.by_rule[d.rule] = summary.by_rule.get(d.rule, 0) + 1
    for key, table in ((r.department or "-", summary.by_department), (r.doctor or "-", summary.by_doctor)):
        g = table.setdefault(key, GroupStats())
        g.records += 1
        g.score_sum += r.score
        g.defects += len(r.defects)


def _progress(on: bool):
    if not on:
        return lambda n: None
    try:
        from tqdm import tqdm
    except ImportError:  # pragma: no cover - tqdm comes with the batch extra
        def plain(n):
            if n is not None:
                print(f"\r{n} records", end="", file=sys.stderr)
        return plain
    bar = tqdm(unit=" records", file=sys.stderr)

    def update(n):
        if n is None:
            bar.close()
        else:
            bar.n = n
            bar.refresh()
    return update


def render_html(s: BatchSummary) -> str:
    rs = load_rules()
    names = {r.id: r.message.zh for r in rs.rules}

    def table(title: str, head: list[str], rows: list[list]) -> str:
        th = "".join(f"<th>{html.escape(h)}</th>" for h in head)
        body = "".join("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in r) + "</tr>" for r in rows)
        return f"<h2>{html.escape(title)}</h2><table><tr>{th}</tr>{body}</table>"

    parts = [f"<p>records {s.records}, unreadable {s.unreadable}, mean score {s.mean_score}, engine {s.engine}, "
             f"{s.records_per_second} records/s</p>",
             table("grades", ["grade", "records"], [[g, n] for g, n in s.grades.items()]),
             table("by rule", ["rule", "message", "defects"], [[r, names.get(r, ""), n] for r, n in
                                                               sorted(s.by_rule.items(), key=lambda kv: -kv[1])]),
             table("by department", ["department", "records", "mean score", "defects"],
                   [[k, g.records, g.mean_score, g.defects] for k, g in sorted(s.by_department.items())]),
             table("by doctor", ["doctor", "records", "mean score", "defects"],
                   [[k, g.records, g.mean_score, g.defects] for k, g in sorted(s.by_doctor.items())])]
    style = "body{font-family:sans-serif;max-width:960px;margin:auto}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px}"
    return f"<!doctype html><html lang='zh-CN'><meta charset='utf-8'><title>QC summary</title><style>{style}</style><body><h1>QC summary</h1>{''.join(parts)}</body></html>"
