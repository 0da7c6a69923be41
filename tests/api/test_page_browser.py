"""The page as a person sees it: headless Chromium loads /?q=… and the triage level appears.
Skipped where Debian's chromium is not installed (apt-get install chromium fonts-wqy-microhei)."""
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [pytest.mark.slow, pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")]


@pytest.fixture(scope="module")
def server():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "wenzhen.cli", "serve", "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(f"{url}/v1/health", timeout=1)
            break
        except OSError:
            time.sleep(0.2)
    yield url
    proc.terminate()
    proc.wait(timeout=10)


def test_page_shows_triage_for_a_complaint(server, tmp_path):
    q = urllib.parse.quote("65岁男性，高血压糖尿病多年，突然胸痛喘不过气两小时，现在应该怎么办？")
    dom = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--no-first-run", "--disable-component-update", "--disable-sync", f"--user-data-dir={tmp_path}",
         "--virtual-time-budget=8000", "--dump-dom", f"{server}/?q={q}"],
        capture_output=True, text=True, timeout=60,
    ).stdout
    assert 'id="level"' in dom
    assert "II级 危重" in dom and "120" in dom
    assert "胸痛中心" in dom
