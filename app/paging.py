"""Which rows of a listing a command shows: --limit and --offset, applied in SQL."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select

from app.errors import InputError


@dataclass(frozen=True)
class Page:
    """Which rows of a listing: `limit` (None: all) from `offset`."""

    limit: int | None = None
    offset: int = 0

    def apply(self, query: Select) -> Select:
        if (self.limit is not None and self.limit < 0) or self.offset < 0:
            raise InputError("--limit and --offset take numbers of 0 or more")
        if self.offset:
            query = query.offset(self.offset)
        return query.limit(self.limit) if self.limit is not None else query
