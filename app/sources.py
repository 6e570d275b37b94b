"""Sources and their aliases: one source however it is spelled ("MEK", "PMOI", "Mujahedin-e-Khalq")."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

from rapidfuzz import fuzz, process
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from app.db import insert_ignore
from app.errors import InputError, NotFoundError
from app.models import Attribution, Document, Source, SourceAlias
from app.schemas import SourceIn, SourceOut, SourceRecord

FUZZY_THRESHOLD = 90.0
"""rapidfuzz ratio (0-100) above which an unknown name is taken for a known alias. Spelling variants of a
transliterated name ("Mujahedin-e Khalq" / "Mojahedin-e Khalq") score 94; different people who share a surname
score well below it because the whole folded name is compared."""

_MIN_FUZZY_LENGTH = 6
_NON_WORD = re.compile(r"[^\w]+")


def normalise_name(name: str) -> str:
    """The folded key that alias lookups use: no accents, no case, no punctuation, no leading article."""
    decomposed = unicodedata.normalize("NFKD", name.replace("’", "'"))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    bare = bare.replace("'s ", "s ")
    words = _NON_WORD.sub(" ", bare).split()
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def spelling_variant(a: str, b: str) -> bool:
    """Whether two folded names differ only as transliterations do ("mujahedin e khalq" / "mojahedin e khalq",
    "rohani" / "rouhani"): the same number of words, and every differing word long, with the same first and last
    letter. "interior minister" / "interior ministry" and "amnesty international uk" / "amnesty international"
    are different sources, however close the letters."""
    wa, wb = a.split(), b.split()
    if len(wa) != len(wb):
        return False
    for x, y in zip(wa, wb, strict=True):
        if x != y and (min(len(x), len(y)) < 5 or x[0] != y[0] or x[-1] != y[-1]):
            return False
    return True


class SourceResolver:
    """Resolves names to source ids within one session, creating sources on demand.

    The alias table is read once; names added through the resolver are remembered, so resolving many documents
    costs one query, not one per name."""

    def __init__(self, session: Session, *, threshold: float = FUZZY_THRESHOLD) -> None:
        self.session = session
        self.threshold = threshold
        self._by_norm: dict[str, int] = {}
        self.reload()

    def reload(self) -> None:
        """Re-read the alias table (after a rollback, names added since are gone)."""
        rows = self.session.execute(select(SourceAlias.norm, SourceAlias.source_id)).all()
        self._by_norm = {norm: sid for norm, sid in rows}

    def find(self, name: str) -> int | None:
        key = normalise_name(name)
        if not key:
            return None
        found = self._by_norm.get(key)
        if found is not None or len(key) < _MIN_FUZZY_LENGTH:
            return found
        for candidate, _score, _ in process.extract(
            key, self._by_norm.keys(), scorer=fuzz.ratio, score_cutoff=self.threshold, limit=5
        ):
            if spelling_variant(key, candidate):
                return self._by_norm[candidate]
        return None

    def get_or_create(self, name: str, *, kind: str = "unknown", description: str | None = None) -> int:
        if not normalise_name(name):
            raise InputError(f"bad source name {name!r}: it needs letters or digits")
        found = self.find(name)
        if found is not None:
            return found
        return self.add(SourceIn(name=name.strip(), kind=kind, description=description))

    def add(self, source: SourceIn) -> int:
        """Insert a source with its aliases; aliases already known for it are skipped. Safe against a concurrent
        writer adding the same source, or one whose name folds the same ("ACME News" / "Acme News"): its row is
        taken (INSERT … ON CONFLICT DO NOTHING, then read back) and no source is left without its name."""
        key = normalise_name(source.name)
        sid = self._by_norm.get(key)
        if sid is None:  # another writer may have added this name since the aliases were read
            sid = self.session.scalar(select(SourceAlias.source_id).where(SourceAlias.norm == key))
        created = False
        if sid is None:
            sid = self.session.execute(
                insert_ignore(self.session, Source, ["name"])
                .values(name=source.name, kind=source.kind, description=source.description)
                .returning(Source.id)
            ).scalar()
            created = sid is not None
            if sid is None:  # another writer has just added it
                sid = self.session.scalars(select(Source.id).where(Source.name == source.name)).one()
        rows: list[dict[str, object]] = []
        for alias in [source.name, *source.aliases]:
            norm = normalise_name(alias)
            if norm and norm not in self._by_norm and all(r["norm"] != norm for r in rows):
                rows.append({"source_id": sid, "alias": alias, "norm": norm})
        if rows:
            self.session.execute(insert_ignore(self.session, SourceAlias, ["norm"]), rows)
            norms = [r["norm"] for r in rows]
            for norm, owner in self.session.execute(
                select(SourceAlias.norm, SourceAlias.source_id).where(SourceAlias.norm.in_(norms))
            ):
                self._by_norm[norm] = owner
        owner = self._by_norm.get(key, sid)
        if created and owner != sid:  # a concurrent writer's source holds this name: ours would be an orphan
            self.session.execute(update(SourceAlias).where(SourceAlias.source_id == sid).values(source_id=owner))
            self.session.execute(delete(Source).where(Source.id == sid))
            self._by_norm = {norm: (owner if s == sid else s) for norm, s in self._by_norm.items()}
        return owner


def list_sources(session: Session, *, records: Mapping[str, SourceRecord] | None = None) -> list[SourceOut]:
    """Every source with its aliases and counts, and its track record from `records` where it has one."""
    records = records or {}
    docs = select(Document.publisher_id, func.count().label("n")).group_by(Document.publisher_id).subquery()
    claims = (
        select(Attribution.source_id, func.count(func.distinct(Attribution.claim_id)).label("n"))
        .group_by(Attribution.source_id)
        .subquery()
    )
    rows = session.execute(
        select(Source, func.coalesce(docs.c.n, 0), func.coalesce(claims.c.n, 0))
        .outerjoin(docs, docs.c.publisher_id == Source.id)
        .outerjoin(claims, claims.c.source_id == Source.id)
        .order_by(Source.name)
    ).all()
    aliases: dict[int, list[str]] = {}
    for sid, alias in session.execute(select(SourceAlias.source_id, SourceAlias.alias).order_by(SourceAlias.id)):
        aliases.setdefault(sid, []).append(alias)
    return [
        SourceOut(
            id=src.id,
            name=src.name,
            kind=src.kind,
            aliases=[a for a in aliases.get(src.id, []) if a != src.name],
            description=src.description,
            documents=ndocs,
            claims=nclaims,
            reliability=records[src.name].reliability if src.name in records else None,
            evidence=records[src.name].evidence if src.name in records else 0,
        )
        for src, ndocs, nclaims in rows
    ]


def resolve_source(session: Session, name: str) -> Source:
    sid = SourceResolver(session).find(name)
    if sid is None:
        raise NotFoundError(f"no source named {name!r}")
    return session.get_one(Source, sid)
