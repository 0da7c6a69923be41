"""`wenzhen interview`: answers from stdin, a number picks a quick reply, the report at the end; bad input exits 2."""
import subprocess
import sys


def run(args, stdin, tmp_path):
    env = {"WENZHEN_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin", "PYTHONPATH": "."}
    return subprocess.run([sys.executable, "-m", "wenzhen", "interview", *args], input=stdin, capture_output=True,
                          text=True, env=env, timeout=120)


def test_an_interview_in_the_terminal(tmp_path):
    p = run(["孩子发烧，咳嗽", "--age", "4"], "两天\n2\n没有\n没有\n", tmp_path)
    assert p.returncode == 0, p.stderr
    assert "预问诊报告" in p.stdout and "主诉：发热、咳嗽2天" in p.stdout
    iid = p.stderr.split("interview ")[1].split()[0]
    resumed = run(["--resume", iid, "--report", "json"], "", tmp_path)
    assert resumed.returncode == 0 and '"chief_complaint"' in resumed.stdout


def test_bad_input_exits_2(tmp_path):
    assert run([], "", tmp_path).returncode == 2
    assert run(["--resume", "f" * 32], "", tmp_path).returncode == 2


def test_several_numbers_pick_several_items_of_a_checklist(tmp_path):
    """"1" to the danger signs is "都没有"; "2,3" to the next list names its second and third options together."""
    p = run(["孩子发烧两天", "--age", "4", "--database", str(tmp_path / "iv.db")], "1\n2,3\n", tmp_path)
    assert p.returncode == 0, p.stderr
    lines = p.stdout.splitlines()
    options = next(ln for ln in lines if ln.strip().startswith("[1] 都没有") and "[2] 精神" not in ln)
    second, third = (options.split(f"[{i}] ")[1].split("  ")[0].strip() for i in (2, 3))
    assert f"答：{second}、{third}" in p.stdout  # the transcript in the report
    assert (tmp_path / "iv.db").exists()  # a plain path is a SQLite file


def test_a_bad_database_url_exits_2_with_a_reason(tmp_path):
    p = run(["孩子发烧", "--database", "postgresql://x::y:/"], "", tmp_path)
    assert p.returncode == 2 and "not a database URL" in p.stderr
