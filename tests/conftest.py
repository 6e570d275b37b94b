"""Fixtures for every database test: an empty database and a loaded one, on SQLite and on PostgreSQL.

PostgreSQL: a fresh database `claimdb_test_<random>` is created on the server at 127.0.0.1:5432 (or the admin
URL in CLAIMDB_TEST_PG), migrated once, emptied between tests and dropped at the end. Where no server answers,
the PostgreSQL half of each test is skipped with the reason shown in the summary.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from app.db import make_engine, upgrade
from app.ingest import load_fixtures
from app.models import Base

ADMIN_CANDIDATES = [
    os.environ.get("CLAIMDB_TEST_PG", ""),
    "postgresql+psycopg://postgres@127.0.0.1:5432/postgres",
    "postgresql+psycopg://root@127.0.0.1:5432/postgres",
]
BACKENDS = ["sqlite", "postgresql"]


def _find_admin() -> tuple[str | None, str]:
    reasons = []
    for url in filter(None, ADMIN_CANDIDATES):
        try:
            engine = create_engine(url, connect_args={"connect_timeout": 3})
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            engine.dispose()
            return url, ""
        except ModuleNotFoundError:
            return None, "psycopg is not installed"
        except Exception as exc:  # any failure means "no usable server here"
            reasons.append(f"{make_url(url).render_as_string(hide_password=True)}: {str(exc).splitlines()[0]}")
    return None, "; ".join(reasons)


@pytest.fixture(scope="session")
def pg_template() -> Iterator[str]:
    """A migrated PostgreSQL database for this test session; dropped afterwards."""
    admin_url, reason = _find_admin()
    if admin_url is None:
        pytest.skip(f"PostgreSQL not reachable: {reason}")
    name = f"claimdb_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file, copied for each test."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    return path


def _truncate(url: str) -> None:
    engine = create_engine(url)
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def empty_db(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of an empty database at the schema head, on the parametrised backend."""
    if backend == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        path = tmp_path / "claimdb.sqlite"
        shutil.copyfile(template, path)
        yield f"sqlite:///{path}"
    else:
        url: str = request.getfixturevalue("pg_template")
        _truncate(url)
        yield url


@pytest.fixture
def loaded_db(empty_db: str) -> str:
    """The URL of a database with the project's fixtures loaded."""
    with DbSession(empty_db) as session:
        load_fixtures(session)
    return empty_db


@pytest.fixture
def engine(empty_db: str) -> Iterator[Engine]:
    eng = make_engine(empty_db)
    yield eng
    eng.dispose()


class DbSession:
    """`with DbSession(url) as session:` — a plain session on a test database, disposed on exit."""

    def __init__(self, url: str) -> None:
        self.engine = make_engine(url)
        self.session = Session(self.engine)

    def __enter__(self) -> Session:
        return self.session

    def __exit__(self, *exc: object) -> None:
        self.session.close()
        self.engine.dispose()


@pytest.fixture
def db_session() -> type[DbSession]:
    return DbSession


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def table_counts(url: str) -> dict[str, int]:
    """Row counts of every table: a database that a failed command must leave unchanged."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return {
                t.name: conn.execute(text(f'SELECT count(*) FROM "{t.name}"')).scalar_one()
                for t in Base.metadata.sorted_tables
            }
    finally:
        engine.dispose()


@pytest.fixture
def counts() -> object:
    return table_counts
