"""One settings object: where the database is. `--db` wins over `CLAIMDB_URL`, which wins over the default."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from app.errors import ConfigError

DEFAULT_DB = "./claimdb.sqlite"
ENV_VAR = "CLAIMDB_URL"
PROJECT_ROOT = Path(__file__).resolve().parent.parent
MIGRATIONS_DIR = PROJECT_ROOT / "migrations"
FIXTURES_DIR = PROJECT_ROOT / "fixtures"


def to_url(value: str) -> URL:
    """Turn a path or a SQLAlchemy URL into a URL. A bare path means a SQLite file."""
    value = value.strip()
    if not value:
        raise ConfigError("database URL is empty")
    if "://" not in value:
        return make_url("sqlite:///" + str(Path(value).expanduser()))
    try:
        url = make_url(value)
    except (ArgumentError, ValueError) as exc:
        raise ConfigError(f"malformed database URL {value!r}: {exc}") from None
    if url.get_backend_name() == "postgresql" and url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    if url.get_backend_name() not in ("sqlite", "postgresql"):
        raise ConfigError(f"unsupported database {url.get_backend_name()!r}: use sqlite or postgresql")
    return url


@dataclass(frozen=True)
class Settings:
    db_url: URL

    @classmethod
    def load(cls, db: str | None = None) -> Settings:
        return cls(db_url=to_url(db or os.environ.get(ENV_VAR) or DEFAULT_DB))
