"""The interview store on SQLite and on a real PostgreSQL (from the pgserver package)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timezone
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.engine import make_url

from wenzhen.interview.store import (
    InterviewRecord,
    InterviewStore,
    StaleInterview,
    UnknownInterview,
    alembic_config,
    default_database_url,
    metadata,
)

STATE = {
    "主诉": "头痛三天，伴恶心",
    "answers": [{"问题": "疼痛部位？", "回答": "额头"}, {"问题": "发热吗", "回答": None}],
    "vitals": {"体温": 37.8, "心率": 92, "吸烟": False},
    "note": "emoji 🤒 and a quote \" and a backslash \\",
}


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def url(request, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'wenzhen.db'}"
    return request.getfixturevalue("pg_url")


@pytest.fixture
def store(url: str):
    s = InterviewStore(url)
    yield s
    s.close()


def _raw_state_text(store: InterviewStore, interview_id: str) -> str:
    cast = "state::text" if store.engine.dialect.name == "postgresql" else "state"
    with store.engine.connect() as conn:
        return conn.exec_driver_sql(f"SELECT {cast} FROM interviews WHERE id = '{interview_id}'").scalar_one()


def _revisions(store: InterviewStore) -> list[str]:
    with store.engine.connect() as conn:
        return list(conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalars())


# --- both backends ---------------------------------------------------------------------------------------


def test_create_then_get_round_trips_chinese_text(store: InterviewStore) -> None:
    created = store.create(STATE)
    assert isinstance(created, InterviewRecord)
    assert len(created.id) == 32 and int(created.id, 16) >= 0
    assert (created.version, created.status, created.state) == (1, "open", STATE)
    assert created.created_at == created.updated_at
    assert created.created_at.tzinfo is not None and created.created_at.utcoffset() == timezone.utc.utcoffset(None)

    got = store.get(created.id)
    assert got == created
    assert got.state["主诉"] == "头痛三天，伴恶心"
    # Stored as characters, not \u escapes: readable in the database and by other tools.
    raw = _raw_state_text(store, created.id)
    assert "头痛三天，伴恶心" in raw and "\\u" not in raw


def test_ids_are_unique(store: InterviewStore) -> None:
    assert len({store.create({}).id for _ in range(5)}) == 5


def test_save_increments_version_and_keeps_status_unless_given(store: InterviewStore) -> None:
    first = store.create({"step": 1}, status="draft")
    second = store.save(first.id, {"step": 2, "回答": "是"}, expected_version=1)
    assert (second.version, second.status, second.state) == (2, "draft", {"step": 2, "回答": "是"})
    assert second.created_at == first.created_at
    assert second.updated_at >= first.updated_at

    third = store.save(first.id, {"step": 3}, expected_version=2, status="closed")
    assert (third.version, third.status) == (3, "closed")
    assert store.get(first.id) == third


def test_save_with_an_old_version_is_stale_and_changes_nothing(store: InterviewStore) -> None:
    record = store.create({"v": 0})
    winner = store.save(record.id, {"v": "winner"}, expected_version=1)
    with pytest.raises(StaleInterview):
        store.save(record.id, {"v": "loser"}, expected_version=1, status="closed")
    with pytest.raises(StaleInterview):
        store.save(record.id, {"v": "from the future"}, expected_version=7)
    assert store.get(record.id) == winner


def test_missing_id_is_unknown(store: InterviewStore) -> None:
    with pytest.raises(UnknownInterview):
        store.get("0" * 32)
    with pytest.raises(KeyError):  # UnknownInterview is a KeyError, so dict-style handlers catch it
        store.get("no such interview")
    with pytest.raises(UnknownInterview):
        store.save("0" * 32, {}, expected_version=1)


def test_bad_input_is_rejected_the_same_on_every_backend(store: InterviewStore) -> None:
    with pytest.raises(ValueError):
        store.create({}, status="x" * 17)
    with pytest.raises(ValueError):
        store.create({}, status="")
    with pytest.raises(TypeError):
        store.create(["not", "a", "dict"])  # type: ignore[arg-type]
    record = store.create({})
    with pytest.raises(ValueError):
        store.save(record.id, {}, expected_version=1, status="y" * 17)
    assert store.get(record.id).version == 1


def test_a_restarted_store_sees_the_record(url: str) -> None:
    with InterviewStore(url) as before:
        record = before.save(before.create(STATE).id, {"结果": "完成"}, expected_version=1, status="done")
    with InterviewStore(url) as after:
        assert after.get(record.id) == record


def test_two_servers_see_each_others_writes_and_conflict(url: str) -> None:
    with InterviewStore(url) as a, InterviewStore(url) as b:
        record = a.create({"from": "a"})
        assert b.get(record.id).state == {"from": "a"}

        b.save(record.id, {"from": "b"}, expected_version=1)
        assert a.get(record.id).state == {"from": "b"}
        with pytest.raises(StaleInterview):
            a.save(record.id, {"from": "a again"}, expected_version=1)

        a.save(record.id, {"from": "a, reloaded"}, expected_version=a.get(record.id).version)
        assert b.get(record.id).version == 3
        assert b.get(record.id).state == {"from": "a, reloaded"}


def test_twenty_threads_create_and_save_concurrently(url: str) -> None:
    start = threading.Barrier(20)

    def work(store: InterviewStore, n: int) -> InterviewRecord:
        start.wait(timeout=30)
        record = store.create({"线程": n, "step": 0})
        for step in range(1, 4):
            record = store.save(record.id, {"线程": n, "step": step}, expected_version=record.version)
        return record

    with InterviewStore(url) as a, InterviewStore(url) as b:
        with ThreadPoolExecutor(max_workers=20) as pool:
            results = list(pool.map(lambda n: work(a if n % 2 else b, n), range(20)))
        assert sorted(r.state["线程"] for r in results) == list(range(20))
        for r in results:
            assert b.get(r.id) == r and r.version == 4 and r.state["step"] == 3
        with a.engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT count(*) FROM interviews").scalar_one() == 20


def test_concurrent_saves_of_one_version_have_exactly_one_winner(url: str) -> None:
    start = threading.Barrier(20)

    with InterviewStore(url) as a, InterviewStore(url) as b:
        record = a.create({"n": None})

        def attempt(n: int) -> str:
            store = a if n % 2 else b
            start.wait(timeout=30)
            try:
                store.save(record.id, {"n": n}, expected_version=1)
            except StaleInterview:
                return "stale"
            return "won"

        with ThreadPoolExecutor(max_workers=20) as pool:
            outcomes = list(pool.map(attempt, range(20)))
        assert outcomes.count("won") == 1 and outcomes.count("stale") == 19
        final = a.get(record.id)
        assert final.version == 2 and final.state["n"] in range(20)


def test_servers_starting_together_migrate_once(url: str) -> None:
    start = threading.Barrier(4)

    def boot(_: int) -> InterviewStore:
        start.wait(timeout=30)
        return InterviewStore(url)

    with ThreadPoolExecutor(max_workers=4) as pool:
        stores = list(pool.map(boot, range(4)))
    try:
        assert all(_revisions(s) == ["0001"] for s in stores)
        record = stores[0].create({})
        assert stores[3].get(record.id) == record
    finally:
        for s in stores:
            s.close()


def test_upgrade_is_idempotent(url: str) -> None:
    with InterviewStore(url) as first:
        record = first.create({"a": 1})
    with InterviewStore(url) as second:
        assert _revisions(second) == ["0001"]
        assert second.get(record.id) == record


def test_downgrade_to_base_then_upgrade_again(store: InterviewStore) -> None:
    store.create({"lost": "on downgrade"})
    with store.engine.begin() as conn:
        command.downgrade(alembic_config(conn), "base")
    assert "interviews" not in sa.inspect(store.engine).get_table_names()
    assert _revisions(store) == []

    with store.engine.begin() as conn:
        command.upgrade(alembic_config(conn), "head")
    assert _revisions(store) == ["0001"]
    columns = {c["name"] for c in sa.inspect(store.engine).get_columns("interviews")}
    assert columns == {"id", "version", "status", "state", "created_at", "updated_at"}
    record = store.create({"again": "再次"})
    assert store.get(record.id).state == {"again": "再次"}


def test_migrations_build_exactly_the_table_the_store_uses(store: InterviewStore) -> None:
    # A change to the live table without a new revision shows up here as a difference.
    with store.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, metadata) == []


@pytest.mark.postgres
def test_postgres_state_column_is_jsonb(pg_url: str) -> None:
    with InterviewStore(pg_url) as store:
        with store.engine.connect() as conn:
            kind = conn.exec_driver_sql(
                "SELECT data_type FROM information_schema.columns WHERE table_name = 'interviews' AND column_name = 'state'"
            ).scalar_one()
        assert kind == "jsonb"


@pytest.mark.postgres
def test_postgres_bare_url_uses_psycopg(pg_url: str) -> None:
    bare = pg_url.replace("postgresql+psycopg://", "postgresql://", 1)
    with InterviewStore(bare) as store:
        assert store.engine.dialect.driver == "psycopg"
        assert store.get(store.create({"键": "值"}).id).state == {"键": "值"}


# --- SQLite and the default location -------------------------------------------------------------------


def test_sqlite_uses_wal_and_a_busy_timeout(tmp_path: Path) -> None:
    with InterviewStore(f"sqlite:///{tmp_path / 'w.db'}") as store:
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar_one() == "wal"
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar_one() >= 1000


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    for name in ("WENZHEN_DATABASE_URL", "WENZHEN_DATA_DIR", "XDG_DATA_HOME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    return monkeypatch


def test_default_url_honours_wenzhen_database_url(clean_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    clean_env.setenv("WENZHEN_DATA_DIR", str(tmp_path / "ignored"))
    clean_env.setenv("WENZHEN_DATABASE_URL", "postgresql+psycopg://u:p@db.example/wenzhen")
    assert default_database_url() == "postgresql+psycopg://u:p@db.example/wenzhen"
    assert not (tmp_path / "ignored").exists()


def test_default_url_uses_wenzhen_data_dir_and_creates_it(clean_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    data_dir = tmp_path / "nested" / "data"
    clean_env.setenv("WENZHEN_DATA_DIR", str(data_dir))
    clean_env.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    url = default_database_url()
    assert data_dir.is_dir()
    assert make_url(url).get_backend_name() == "sqlite"
    assert Path(make_url(url).database) == data_dir / "wenzhen.db"

    with InterviewStore() as store:
        record = store.create({"默认": "位置"})
    assert (data_dir / "wenzhen.db").is_file()
    assert not (tmp_path / "xdg").exists()
    with InterviewStore(url) as store:
        assert store.get(record.id).state == {"默认": "位置"}


def test_default_url_falls_back_to_xdg_then_home(clean_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    clean_env.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert Path(make_url(default_database_url()).database) == tmp_path / "xdg" / "wenzhen" / "wenzhen.db"
    assert (tmp_path / "xdg" / "wenzhen").is_dir()

    clean_env.delenv("XDG_DATA_HOME")
    expected = tmp_path / "home" / ".local" / "share" / "wenzhen"
    assert Path(make_url(default_database_url()).database) == expected / "wenzhen.db"
    assert expected.is_dir()
