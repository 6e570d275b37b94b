"""Engine, sessions, SQLite pragmas and schema upgrades (through alembic, never `create_all`)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from app.errors import DatabaseError
from app.settings import MIGRATIONS_DIR, PROJECT_ROOT, to_url


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
    cfg = Config(str(PROJECT_ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["engine"] = engine
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Create the database or bring it to `revision`; a no-op when it is already there."""
    check_connection(engine)
    _refuse_unknown_revision(engine)
    try:
        command.upgrade(alembic_config(engine), revision)
    except (OperationalError, DBAPIError) as exc:
        raise DatabaseError(f"migration failed: {str(exc.orig).strip().splitlines()[0]}") from None
    except CommandError as exc:
        raise DatabaseError(f"migration failed: {exc}") from None


def _refuse_unknown_revision(engine: Engine) -> None:
    current = current_revision(engine)
    scripts = ScriptDirectory.from_config(alembic_config(engine))
    if current is not None and current not in {s.revision for s in scripts.walk_revisions()}:
        raise DatabaseError(
            f"the database is at revision {current}, which this claimdb does not know: it was made by a newer version"
        )


def downgrade(engine: Engine, revision: str = "base") -> None:
    command.downgrade(alembic_config(engine), revision)


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision(engine: Engine) -> str | None:
    return ScriptDirectory.from_config(alembic_config(engine)).get_current_head()


def require_schema(engine: Engine) -> None:
    """Refuse to work on a database that is not at the schema head."""
    check_connection(engine)
    current = current_revision(engine)
    if current is None:
        raise DatabaseError("the database has no claimdb schema: run 'claimdb init' first")
    _refuse_unknown_revision(engine)
    if current != head_revision(engine):
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
