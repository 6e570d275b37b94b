"""One settings object: where the database is. `--db` wins over `CLAIMDB_URL`, which wins over the default."""

from __future__ import annotations

import os
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from app.errors import ConfigError

DEFAULT_DB = "./claimdb.sqlite"
ENV_VAR = "CLAIMDB_URL"
MAX_DOCUMENT_MB_VAR = "CLAIMDB_MAX_DOCUMENT_MB"
DEFAULT_MAX_DOCUMENT_MB = 20.0
"""The largest document `add` takes (an article is some kilobytes; a book-length file is no article): extraction
is linear, about 1 MB/s, so this bounds one document's time to about 20 s and its memory to about 0.5 GB."""


def max_document_bytes() -> int:
    """The size limit for one document: CLAIMDB_MAX_DOCUMENT_MB, else 20 MB."""
    raw = os.environ.get(MAX_DOCUMENT_MB_VAR)
    try:
        mb = float(raw) if raw else DEFAULT_MAX_DOCUMENT_MB
    except ValueError:
        raise ConfigError(f"{MAX_DOCUMENT_MB_VAR}={raw!r}: a number of megabytes") from None
    if mb <= 0:
        raise ConfigError(f"{MAX_DOCUMENT_MB_VAR}={raw!r}: must be more than 0")
    return int(mb * 1_000_000)


def _package_dir(package: str) -> Path:
    """A folder shipped as a package: the checkout's top-level `migrations/` and `fixtures/` are `app.migrations`
    and `app.fixtures` in the wheel (pyproject.toml maps them), found the same way from either."""
    return Path(str(files(package)))


MIGRATIONS_DIR = _package_dir("app.migrations")
FIXTURES_DIR = _package_dir("app.fixtures")


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
