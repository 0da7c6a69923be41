"""Shared fixtures: one real PostgreSQL (from the pgserver package) for the whole test run, a fresh database per test."""
from __future__ import annotations

import uuid
import warnings

import pytest
from sqlalchemy.engine import make_url


@pytest.fixture(scope="session")
def pg_server(tmp_path_factory: pytest.TempPathFactory):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs warns when XDG_RUNTIME_DIR is unset
        import pgserver  # a test dependency: missing it is an error, not a skip

        try:
            server = pgserver.get_server(tmp_path_factory.mktemp("pgdata"), cleanup_mode="delete")
            server.psql("SELECT 1;")
        except Exception as exc:  # noqa: BLE001 - any failure to start means "no PostgreSQL on this machine"
            pytest.skip(f"pgserver could not start PostgreSQL on this machine: {exc!r}")
    yield server
    server.cleanup()


@pytest.fixture
def pg_url(pg_server):
    """A fresh database per test on the shared server, as a psycopg 3 SQLAlchemy URL."""
    name = f"t_{uuid.uuid4().hex}"
    pg_server.psql(f'CREATE DATABASE "{name}";')
    url = make_url(pg_server.get_uri(name)).set(drivername="postgresql+psycopg")
    yield url.render_as_string(hide_password=False)
    pg_server.psql(f'DROP DATABASE "{name}" WITH (FORCE);')


