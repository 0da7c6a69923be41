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


def test_report_cli(tmp_path, capsys):
    from wenzhen.cli import main

    f = tmp_path / "r.txt"
    f.write_text("性别：女 年龄：30岁\n血红蛋白 95 g/L 115-150\n平均红细胞体积 70 fL 82-100\n", encoding="utf-8")
    assert main(["report", str(f)]) == 0
    out = capsys.readouterr().out
    assert "血红蛋白" in out and "小细胞性贫血" in out
    assert main(["report", "--json", str(f)]) == 0
    import json

    assert json.loads(capsys.readouterr().out)["urgency"] == "prompt"
    assert main(["report", "--fhir", str(f)]) == 0
    assert json.loads(capsys.readouterr().out)["resourceType"] == "Bundle"
    g = tmp_path / "s.txt"
    g.write_text("采样时间：2024-01-01\n血红蛋白 90 g/L 115-150\n", encoding="utf-8")
    assert main(["report", str(g), str(f)]) == 0
    assert "趋势" in capsys.readouterr().out


def test_report_cli_errors(tmp_path, capsys):
    from wenzhen.cli import main

    assert main(["report", str(tmp_path / "missing.pdf")]) == 2
    bad = tmp_path / "x.png"
    bad.write_bytes(b"\x89PNG\r\n\x1a\ngarbage")
    assert main(["report", str(bad)]) == 2
    assert "cannot open the image" in capsys.readouterr().err


def test_kb_check_validates_every_domain(tmp_path):
    from wenzhen.cli import main

    assert main(["kb", "check"]) == 0
    bad = tmp_path / "h.yaml"
    bad.write_text("hospital: x\ndepartments: []\n", encoding="utf-8")
    assert main(["kb", "check", "--hospital-config", str(bad)]) == 1


def test_meds_selfcare_doses_a_child_and_refuses_an_emergency():
    r = run(["meds", "selfcare", "孩子3岁，体重14公斤，发烧38.6度，流鼻涕"])
    assert r.returncode == 0 and "140–210 mg" in r.stdout.decode()
    r = run(["meds", "selfcare", "突然胸痛大汗，喘不上气"])
    assert r.returncode == 0 and "120" in r.stdout.decode() and "mg" not in r.stdout.decode()
    assert run(["meds", "selfcare"]).returncode == 2


def test_every_example_file_the_readme_names_exists():
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    named = set(re.findall(r"examples/[\w.-]+\.\w+", (root / "README.md").read_text(encoding="utf-8")))
    assert named and all((root / n).exists() for n in named), sorted(n for n in named if not (root / n).exists())
    assert (root / "scripts" / "make_examples.py").exists()  # generated, not hand-made
