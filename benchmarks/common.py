"""Shared helpers: where the datasets are, and a clear skip when they are absent."""
from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class Skip(Exception):
    """A benchmark cannot run here (its data is missing); the message says why."""


def datasets_dir() -> Path:
    return Path(os.environ.get("WENZHEN_DATASETS", ROOT.parent / "shared" / "datasets"))


def dataset(name: str) -> Path:
    path = datasets_dir() / name
    if not path.exists():
        raise Skip(f"dataset {name!r} not found at {path} (set WENZHEN_DATASETS)")
    return path


def free_port() -> int:
    """A TCP port on loopback that nothing listens on now."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_server(*args: str, timeout_s: float = 30):
    """`wenzhen serve` on a free loopback port (extra CLI `args`), yielding its base URL once /v1/health answers;
    stopped on exit. Raises RuntimeError when it does not start in time."""
    import subprocess
    import sys
    import time
    import urllib.request

    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "wenzhen.cli", "serve", "--port", str(port), *args], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + timeout_s
        while True:
            try:
                urllib.request.urlopen(f"{url}/v1/health", timeout=1)
                break
            except OSError:
                if time.time() > deadline or proc.poll() is not None:
                    raise RuntimeError(f"wenzhen serve did not start on port {port} within {timeout_s:g} s") from None
                time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)
