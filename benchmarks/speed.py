"""Latency of assess() on one core, throughput, and the server's peak memory.

    python -m benchmarks.speed
"""
from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from .common import free_port

EXAMPLE = "65岁男性，高血压糖尿病多年，突然胸痛喘不过气两小时，现在应该怎么办？"
# A 200-character colloquial complaint (written for this benchmark, not from any dataset).
LONG = (
    "我妈今年七十二岁，有高血压十几年了，一直在吃硝苯地平，去年还查出糖尿病。昨天晚上开始说头晕，"
    "今天早上起来觉得右边胳膊和腿没力气，拿筷子都拿不稳，说话也有点含糊不清，嘴角好像往左边歪。"
    "刚才量了血压是一百八十五比一百，心率九十多，没有发烧，也没有吐，但是精神不太好，一直想睡觉。"
    "她平时对青霉素过敏，前年做过胆囊手术。我们现在在家里，离医院大概半小时车程，家里只有我和我爸两个人，"
    "请问要不要马上去医院？"
)


def _pin_one_core() -> str:
    try:
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
        return "pinned to one core"
    except (AttributeError, OSError):
        return "not pinned (sched_setaffinity unavailable)"


def _latencies(fn, text: str, n: int) -> list[float]:
    for _ in range(20):
        fn(text)
    out = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn(text)
        out.append((time.perf_counter() - t0) * 1000)
    return out


def _pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(q * (len(xs) - 1))))]



def server_memory(requests: int = 300) -> dict:
    """Start the real server on loopback, send a bounded number of requests, read its peak RSS."""
    import httpx

    port = free_port()
    root = Path(__file__).resolve().parent.parent
    proc = subprocess.Popen([sys.executable, "-m", "wenzhen.cli", "serve", "--port", str(port)], cwd=root,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                if httpx.get(f"{url}/v1/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        else:
            return {"error": "server did not start within 60 s"}
        t0 = time.perf_counter()
        with httpx.Client(timeout=10) as c:
            for i in range(requests):
                r = c.post(f"{url}/v1/assess", json={"text": EXAMPLE if i % 2 else LONG})
                r.raise_for_status()
        elapsed = time.perf_counter() - t0
        status = Path(f"/proc/{proc.pid}/status").read_text()
        peak_kb = int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM")))
        return {"requests": requests, "http_requests_per_s": round(requests / elapsed, 1), "peak_rss_mb": round(peak_kb / 1024, 1)}
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def run(n: int = 2000) -> dict:
    pinned = _pin_one_core()
    # Cold start in a fresh interpreter: imports, knowledge-base validation, matcher build, first answer.
    cold = subprocess.run([sys.executable, "-c", "import time; t = time.perf_counter(); "
                           "from wenzhen.assessment import assess; assess('头痛'); "
                           "print((time.perf_counter() - t) * 1000)"],
                          capture_output=True, text=True, check=True, cwd=Path(__file__).resolve().parent.parent)
    from wenzhen.assessment import assess

    res: dict = {"cpu": pinned, "first_call_ms_including_kb_load": round(float(cold.stdout.strip()), 1)}
    for name, text in (("example", EXAMPLE), ("complaint_200_chars", LONG)):
        lat = _latencies(assess, text, n)
        res[name] = {
            "chars": len(text),
            "p50_ms": round(statistics.median(lat), 3),
            "p99_ms": round(_pct(lat, 0.99), 3),
            "throughput_per_s": round(1000 / statistics.mean(lat), 1),
        }
    res["server"] = server_memory()
    return res


if __name__ == "__main__":
    print(json.dumps(run(), indent=2, ensure_ascii=False))
