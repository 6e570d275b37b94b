"""Engine, sessions, SQLite pragmas and schema upgrades (through alembic, never `create_all`)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from app.errors import DatabaseError
from app.settings import MIGRATIONS_DIR, to_url

if TYPE_CHECKING:
    from alembic.config import Config


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def make_engine(url: URL | str, *, must_exist: bool = False) -> Engine:
    """Create an engine. With `must_exist`, a SQLite file that does not exist yet is an error, not a new file."""
    if isinstance(url, str):
        url = to_url(url)
    backend = url.get_backend_name()
    kwargs: dict[str, Any] = {}
    if backend == "sqlite":
        database = url.database or ""
        if must_exist and database not in ("", ":memory:"):
            from pathlib import Path

            if not Path(database).exists():
                raise DatabaseError(f"no database at {database}: run 'claimdb init' first")
    elif backend == "postgresql":
        kwargs["connect_args"] = {"connect_timeout": 5}
    try:
        engine = create_engine(url, **kwargs)
    except (ImportError, ModuleNotFoundError) as exc:
        raise DatabaseError(
            f"the driver for {backend} is not installed ({exc.name}); install claimdb[postgres]"
        ) from None
    if backend == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def check_connection(engine: Engine) -> None:
    try:
        with engine.connect():
            pass
    except (OperationalError, DBAPIError) as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise DatabaseError(
            f"cannot open database {engine.url.render_as_string(hide_password=True)}: {reason}"
        ) from None


def alembic_config(engine: Engine) -> Config:
    """The alembic configuration claimdb migrates with: the migrations shipped in the package (`app.migrations`,
    the checkout's `migrations/` folder), on `engine`. The same settings as the checkout's alembic.ini, which
    serves the `alembic` command line."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("path_separator", "os")
    cfg.set_main_option("file_template", "%%(rev)s_%%(slug)s")
    cfg.attributes["engine"] = engine
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Create the database or bring it to `revision`; a no-op when it is already there."""
    from alembic import command
    from alembic.util.exc import CommandError

    check_connection(engine)
    _refuse_unknown_revision(engine)
    try:
        command.upgrade(alembic_config(engine), revision)
    except (OperationalError, DBAPIError) as exc:
        raise DatabaseError(f"migration failed: {str(exc.orig).strip().splitlines()[0]}") from None
    except CommandError as exc:
        raise DatabaseError(f"migration failed: {exc}") from None


_REVISION = re.compile(r"^(down_)?revision\b[^=]*=\s*(?:None|[\"']([^\"']+)[\"'])", re.MULTILINE)


@cache
def known_revisions() -> tuple[frozenset[str], str | None]:
    """(every revision this claimdb ships, the head), read from the migration files' `revision` and `down_revision`
    lines without importing alembic or the migrations: every command checks the schema, and most never migrate.
    The chain is linear; tests/test_migrations.py checks this against alembic's own reading."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in sorted((MIGRATIONS_DIR / "versions").glob("*.py")):
        for down, value in _REVISION.findall(path.read_text(encoding="utf-8")):
            if value:
                (parents if down else revisions).add(value)
    heads = revisions - parents
    return frozenset(revisions), (next(iter(heads)) if len(heads) == 1 else None)


def _refuse_unknown_revision(engine: Engine) -> None:
    current = current_revision(engine)
    if current is not None and current not in known_revisions()[0]:
        raise DatabaseError(
            f"the database is at revision {current}, which this claimdb does not know: it was made by a newer version"
        )


def downgrade(engine: Engine, revision: str = "base") -> None:
    from alembic import command

    command.downgrade(alembic_config(engine), revision)


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at (alembic's version table), None for a database without claimdb's schema."""
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def head_revision(engine: Engine | None = None) -> str | None:
    """The latest revision this claimdb ships."""
    return known_revisions()[1]


def require_schema(engine: Engine) -> None:
    """Refuse to work on a database that is not at the schema head."""
    check_connection(engine)
    current = current_revision(engine)
    if current is None:
        raise DatabaseError("the database has no claimdb schema: run 'claimdb init' first")
    _refuse_unknown_revision(engine)
    if current != head_revision():
        raise DatabaseError(f"the database is at revision {current}, not the latest: run 'claimdb init' to upgrade")


@contextmanager
def open_session(url: URL | str) -> Iterator[Session]:
    """A session on a database that is at the schema head; library functions commit their own units of work."""
    engine = make_engine(url, must_exist=True)
    try:
        require_schema(engine)
        factory = sessionmaker(engine, expire_on_commit=False)
        with factory() as session:
            yield session
    finally:
        engine.dispose()


def insert_ignore(session: Session, model: Any, conflict: list[str]) -> Any:
    """INSERT … ON CONFLICT (conflict) DO NOTHING for the session's backend: a row another writer made a moment
    ago is kept, not an error; `.returning(...)` then gives no row."""
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(model).on_conflict_do_nothing(index_elements=conflict)
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert(model).on_conflict_do_nothing(index_elements=conflict)


RETRY_PGCODES = frozenset({"40001", "40P01"})
"""PostgreSQL serialization failure and deadlock: the transaction may simply be run again."""


def retryable(exc: BaseException) -> bool:
    """Whether a failed transaction lost a race with another writer and may be run again: SQLite busy or locked
    (a snapshot that another writer moved on), PostgreSQL deadlock or serialization failure."""
    if not isinstance(exc, DBAPIError) or exc.orig is None:
        return False
    code = getattr(exc.orig, "sqlstate", None) or getattr(exc.orig, "pgcode", None)
    if code in RETRY_PGCODES:
        return True
    message = str(exc.orig).lower()
    return isinstance(exc, OperationalError) and ("database is locked" in message or "database is busy" in message)


ANALYSIS_LIMIT = 1000
"""Rows SQLite's ANALYZE samples per index: planner statistics in milliseconds even at a million claims."""


def refresh_statistics(session: Session) -> None:
    """Bring the query planner's statistics up to date after writing documents: without them SQLite picks plans
    for empty tables (who-says and compare 1.8-3.8x slower at a million claims). PostgreSQL's autovacuum analyses
    tables that changed by a tenth on its own, so only SQLite needs this."""
    if session.get_bind().dialect.name != "sqlite":
        return
    session.execute(text(f"PRAGMA analysis_limit={ANALYSIS_LIMIT}"))
    session.execute(text("ANALYZE"))
    session.commit()
