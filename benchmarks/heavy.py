"""Heavy and hostile uploads against a running server: each must be answered within its time budget, the
server's memory must stay bounded, and `/v1/health` must stay responsive meanwhile.

    python -m benchmarks.heavy
"""
from __future__ import annotations

import io
import json
import random
import struct
import subprocess
import sys
import threading
import time
import zlib

from .common import free_port

BUDGET_S = 10.0  # every request answered within this
MAX_RSS_MB = 1024


def _png_header(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b""))


def _xlsx(rows: int) -> bytes:
    import openpyxl

    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet()
    for i in range(rows):
        ws.append([f"白细胞{i}", 5.1, "10^9/L", "3.5-9.5"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _cases() -> list[tuple[str, str, bytes]]:
    from benchmarks.synthetic_reports import DEGRADATIONS, render_report, sample_rows
    from wenzhen.kb.lab_loader import default_lab_kb

    rng = random.Random(7)
    line = "白细胞,5.2,10^9/L,3.5-9.5\n"
    photo = render_report(sample_rows(default_lab_kb(), 15, rng), DEGRADATIONS["clean"], rng)
    return [
        ("CSV, 19 MB", "big.csv", (line * (19 * 1024 * 1024 // len(line.encode()))).encode()),
        ("CSV, 1 MB", "mid.csv", (line * (1024 * 1024 // len(line.encode()))).encode()),
        ("xlsx, 200,000 rows", "rows.xlsx", _xlsx(200_000)),
        ("PNG declaring 8,900 × 8,900 px", "huge.png", _png_header(8900, 8900)),
        ("report photo (OCR)", "photo.png", photo),
        ("random bytes, 5 MB", "noise.bin", random.Random(1).randbytes(5 * 1024 * 1024)),
    ]



def _rss_peak_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmHWM")) / 1024


def run() -> dict:
    import httpx

    from benchmarks.load import _all_cores

    _all_cores()  # the server's thread pool and event loop may use both cores, as in production

    cases = _cases()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen([sys.executable, "-m", "wenzhen", "serve", "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(200):
            try:
                httpx.get(base + "/v1/health", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.2)
        out = []
        lat: list[float] = []
        done = threading.Event()

        def poll():
            with httpx.Client() as c:
                while not done.is_set():
                    t = time.perf_counter()
                    c.get(base + "/v1/health", timeout=30)
                    lat.append((time.perf_counter() - t) * 1000)
                    time.sleep(0.02)

        poller = threading.Thread(target=poll)
        poller.start()
        with httpx.Client(timeout=120) as c:
            for label, name, data in cases:
                t = time.perf_counter()
                r = c.post(base + "/v1/reports/interpret", files={"file": (name, data)})
                secs = time.perf_counter() - t
                err = r.json().get("error", "") if r.status_code != 200 else ""
                out.append({"upload": label, "bytes": len(data), "status": r.status_code, "seconds": round(secs, 2),
                            "response_kb": round(len(r.content) / 1024, 1), "reason": err[:90],
                            "within_budget": secs <= BUDGET_S})
        done.set()
        poller.join()
        peak = _rss_peak_mb(proc.pid)
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    lat.sort()
    return {"budget_s": BUDGET_S, "uploads": out, "server_peak_rss_mb": round(peak, 1), "rss_limit_mb": MAX_RSS_MB,
            "health_checks": len(lat), "health_p50_ms": round(lat[len(lat) // 2], 1),
            "health_p99_ms": round(lat[max(0, int(len(lat) * 0.99) - 1)], 1), "health_max_ms": round(lat[-1], 1)}


if __name__ == "__main__":
    print(json.dumps(run(), ensure_ascii=False, indent=2))
