import json
import subprocess
import sys


def run(args, stdin=None):
    return subprocess.run([sys.executable, "-m", "wenzhen.cli", *args], input=stdin, capture_output=True, timeout=60)


def test_assess_text_and_json():
    r = run(["assess", "65岁男性，高血压糖尿病多年，突然胸痛喘不过气两小时，现在应该怎么办？"])
    assert r.returncode == 0 and "分诊" in r.stdout.decode()
    r = run(["assess", "--json", "头痛两天"])
    assert r.returncode == 0 and json.loads(r.stdout)["triage"]["triage_level"] in (1, 2, 3, 4)


def test_assess_reads_stdin():
    r = run(["assess"], stdin="I have had diarrhoea for two days".encode())
    assert r.returncode == 0 and "Triage" in r.stdout.decode()


def test_bad_input_exits_non_zero_with_reason():
    r = run(["assess", ""])
    assert r.returncode != 0 and "empty" in r.stderr.decode()
    r = run(["assess"], stdin=b"\x00\x01\x02\xff" * 10)
    assert r.returncode != 0 and r.stderr
    r = run(["assess", "--vital", "sbp", "头晕"])
    assert r.returncode != 0 and "name=value" in r.stderr.decode()
