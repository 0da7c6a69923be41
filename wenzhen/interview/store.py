"""Persistence of pre-consultation interviews (SQLite by default, PostgreSQL for several servers).

One row per interview holds the whole interview state as JSON. Writers use optimistic concurrency: each save
names the version it read, and a save against an older version fails with StaleInterview instead of silently
overwriting someone else's answer. The schema is owned by the Alembic migrations shipped next to this file,
which every InterviewStore applies on start, so a fresh database or an upgraded install needs no manual step.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from pydantic import BaseModel
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import URL, Connection, Engine, make_url

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"

# Any fixed 64-bit number works; it only has to be the same in every process that migrates this database.
_MIGRATION_LOCK_KEY = 0x77656E7A68656E  # "wenzhen" in ASCII
_SQLITE_BUSY_TIMEOUT_MS = 30_000
_STATUS_MAX_LEN = 16

# The live table, for queries and autogenerate. The migrations keep their own frozen copy of the schema.
metadata = sa.MetaData()
interviews = sa.Table(
    "interviews",
    metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("status", sa.String(_STATUS_MAX_LEN), nullable=False),
    # JSONB on PostgreSQL: binary, indexable, and stores non-ASCII as characters, not \u escapes.
    sa.Column("state", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)


class InterviewRecord(BaseModel):
    """One interview as stored; `version` is what the next save must pass as expected_version."""

    id: str
    version: int
    status: str
    state: dict
    created_at: datetime
    updated_at: datetime


class UnknownInterview(KeyError):
    """No interview has this id."""


class StaleInterview(RuntimeError):
    """Someone else saved a newer version first: reload, merge and try again."""


def default_database_url() -> str:
    """$WENZHEN_DATABASE_URL, else a SQLite file in the user's data folder (created here if missing)."""
    url = os.environ.get("WENZHEN_DATABASE_URL")
    if url:
        return url
    data_dir = os.environ.get("WENZHEN_DATA_DIR")
    if data_dir:
        folder = Path(data_dir)
    else:
        xdg = os.environ.get("XDG_DATA_HOME")
        # XDG says a relative XDG_DATA_HOME is invalid and must be ignored.
        base = Path(xdg) if xdg and os.path.isabs(xdg) else Path.home() / ".local" / "share"
        folder = base / "wenzhen"
    folder = folder.expanduser()
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{(folder / 'wenzhen.db').resolve()}"


def _dumps(value: Any) -> str:
    # ensure_ascii=False: Chinese text is stored as itself, readable in the database and half the size.
    return json.dumps(value, ensure_ascii=False)


def _normalize_url(url: str) -> URL:
    """A SQLAlchemy URL, or a plain file path meaning a SQLite file there. Raises ValueError for anything else."""
    if "://" not in url and url.strip():
        url = f"sqlite:///{Path(url).expanduser().resolve()}"
    try:
        parsed = make_url(url)
    except (sa.exc.ArgumentError, ValueError) as e:
        raise ValueError(f"not a database URL or file path: {url!r} ({e})") from e
    # A bare postgresql:// URL means psycopg2 to SQLAlchemy; the driver we depend on is psycopg 3.
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def create_store_engine(url: str) -> Engine:
    """An engine set up for this store: JSON without \\u escapes, SQLite tuned for a threaded web server."""
    parsed = _normalize_url(url)
    if parsed.get_backend_name() != "sqlite":
        # pre_ping: a server that outlives a database restart gets a fresh connection instead of an error.
        # UTF-8 on the wire whatever the client's locale, so Chinese text arrives as sent.
        connect_args = {"client_encoding": "utf8"} if parsed.drivername == "postgresql+psycopg" else {}
        return sa.create_engine(parsed, json_serializer=_dumps, pool_pre_ping=True, connect_args=connect_args)

    engine = sa.create_engine(
        parsed,
        json_serializer=_dumps,
        # The web server runs handlers on several threads; the pool hands each connection to one thread at a time.
        connect_args={"check_same_thread": False, "timeout": _SQLITE_BUSY_TIMEOUT_MS / 1000},
    )

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the sqlite3 module, decide where transactions begin (so DDL is transactional too).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        # The busy timeout makes writers queue instead of failing at once.
        cursor.execute(f"PRAGMA busy_timeout={_SQLITE_BUSY_TIMEOUT_MS}")
        # WAL: readers do not block the writer. It is stored in the file, so only the first connection switches.
        if parsed.database not in (None, "", ":memory:"):
            _enable_wal(cursor)
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # Writers take the write lock up front (BEGIN IMMEDIATE), so they wait on the busy timeout rather than
        # fail when upgrading a read snapshot that another writer has just made stale.
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")

    return engine


def _enable_wal(cursor: sqlite3.Cursor) -> None:
    # Switching needs an exclusive lock, and SQLite answers "database is locked" at once (without the busy
    # handler) when several connections open a new file together: retry until the busy timeout is spent.
    deadline = time.monotonic() + _SQLITE_BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            if cursor.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def alembic_config(connection: Connection) -> Config:
    """An Alembic config for the shipped migrations that runs them on `connection` (no alembic.ini needed)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to `revision`; safe when several processes start at once."""
    with _writing(engine) as conn:
        if conn.dialect.name == "postgresql":
            # Released at commit: the second server waits here, then finds the schema already current.
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK_KEY})
        command.upgrade(alembic_config(conn), revision)


@contextmanager
def _writing(engine: Engine) -> Iterator[Connection]:
    # A transaction that will write: on SQLite it holds the write lock from its first statement.
    with engine.connect() as conn:
        conn.execution_options(sqlite_begin="IMMEDIATE")
        with conn.begin():
            yield conn


def _utc(value: datetime) -> datetime:
    # SQLite keeps no offset: what we wrote was UTC, so say so; PostgreSQL answers in the session's zone.
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


def _record(row: sa.Row) -> InterviewRecord:
    return InterviewRecord(
        id=row.id,
        version=row.version,
        status=row.status,
        state=row.state,
        created_at=_utc(row.created_at),
        updated_at=_utc(row.updated_at),
    )


def _check(state: dict, status: str | None) -> None:
    # Checked here so both backends reject the same input (SQLite would store an over-long status as is).
    if not isinstance(state, dict):
        raise TypeError(f"state must be a dict, not {type(state).__name__}")
    if status is not None and not (0 < len(status) <= _STATUS_MAX_LEN):
        raise ValueError(f"status must be 1 to {_STATUS_MAX_LEN} characters: {status!r}")


class InterviewStore:
    """Interviews in one database; one instance per process, shared by its threads."""

    def __init__(self, url: str | None = None) -> None:
        self.engine = create_store_engine(url or default_database_url())
        upgrade(self.engine)

    def create(self, state: dict, status: str = "open") -> InterviewRecord:
        _check(state, status)
        now = datetime.now(timezone.utc)
        values = {"id": uuid.uuid4().hex, "version": 1, "status": status, "state": state, "created_at": now, "updated_at": now}
        with _writing(self.engine) as conn:
            # RETURNING: the caller gets the state as stored (JSON-normalized), the same as a later get().
            row = conn.execute(interviews.insert().values(**values).returning(*interviews.c)).one()
        return _record(row)

    def get(self, interview_id: str) -> InterviewRecord:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(interviews).where(interviews.c.id == interview_id)).one_or_none()
        if row is None:
            raise UnknownInterview(interview_id)
        return _record(row)

    def save(self, interview_id: str, state: dict, expected_version: int, status: str | None = None) -> InterviewRecord:
        """Replace the state if the stored version is still `expected_version`; the new version is one more."""
        _check(state, status)
        values: dict[str, Any] = {"state": state, "version": interviews.c.version + 1, "updated_at": datetime.now(timezone.utc)}
        if status is not None:
            values["status"] = status
        statement = (
            interviews.update()
            .where(interviews.c.id == interview_id, interviews.c.version == expected_version)
            .values(**values)
            .returning(*interviews.c)
        )
        with _writing(self.engine) as conn:
            # One statement compares and writes, so two concurrent saves of the same version cannot both win.
            row = conn.execute(statement).one_or_none()
            if row is None:
                current = conn.execute(sa.select(interviews.c.version).where(interviews.c.id == interview_id)).scalar()
        if row is None:
            if current is None:
                raise UnknownInterview(interview_id)
            raise StaleInterview(f"interview {interview_id} is at version {current}, not {expected_version}")
        return _record(row)

    def close(self) -> None:
        """Close the pooled connections (the store is unusable afterwards)."""
        self.engine.dispose()

    def __enter__(self) -> InterviewStore:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()
