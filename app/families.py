"""Copy families: documents that copy each other, so that a figure they share counts once.

Each document gets a bottom-k MinHash sketch of its word 5-shingles (k = 256, one 63-bit hash per shingle, the k
smallest kept). Two documents are copies when the estimated *containment* of the smaller in the larger — the
share of its shingles found in the other — is at least `CONTAINMENT_THRESHOLD`. Containment rather than Jaccard
similarity, because a rewrite that keeps long passages of a longer article (the seeds' 002 against 001) shares a
fifth of its shingles but only 7% of the union.

Threshold: 0.15 and at least MIN_SHARED shared shingles. Measured on the seeds with exact 5-shingles: 002 in 001 =
0.224 (about 90 shared shingles); every unrelated pair ≤ 0.011.
Families are the connected components of the copy relation (union-find). The relation is found when a document is
added — its sketch's hashes are looked up in an inverted index of every document's sketch (`document_shingle`), the
candidates sharing a hash are compared with it, and the copies found are stored (`copy_link`) — so reading families
is reading links, never comparing documents again.
"""

from __future__ import annotations

import hashlib
import json
import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

from sqlalchemy import BigInteger, ColumnElement, Insert, Integer, Select, String, any_, bindparam, func, insert, select
from sqlalchemy.orm import Session

from app.models import CopyLink, Document, DocumentShingle, DocumentSignature

SHINGLE_WORDS = 5
SKETCH_SIZE = 256
CONTAINMENT_THRESHOLD = 0.15
MIN_SHARED = 20
"""…and they must share at least this many shingles (estimated): two short reports that share one stock phrase
("people were killed in the") are not copies."""
MIN_SKETCH_MATCHES = 2
"""A candidate copy shares at least this many sketched hashes with the new document: a copy sharing MIN_SHARED
shingles of documents of some hundreds of shingles shows about eight of them in both bottom-k sketches; one match
is a stock phrase."""
SKETCH_CACHE = 12_000
"""Sketches read for one session (one `add` run) are kept, up to this many (about 20 KB each, as a sorted tuple and
a set of the same hashes, so that the hashes two sketches share are counted without a scan): a document is a
candidate copy of many later ones, and its sketch is decoded once."""
COMMON_SHINGLE_DOCS = 50
"""A shingle found in more documents than this is boilerplate (a site footer): it does not propose pairs."""
BOILERPLATE_CACHE = 1_000_000
"""Boilerplate hashes remembered for one session (one `add` run), up to this many."""
_WORD = re.compile(r"\w+")
_MASK = (1 << 63) - 1


def shingle_hashes(text: str) -> set[int]:
    words = _WORD.findall(text.lower())
    grams = {" ".join(words[i : i + SHINGLE_WORDS]) for i in range(max(0, len(words) - SHINGLE_WORDS + 1))}
    return {int.from_bytes(hashlib.blake2b(g.encode(), digest_size=8).digest(), "big") & _MASK for g in grams}


def sketch(text: str) -> tuple[int, list[int]]:
    """(number of distinct shingles, the SKETCH_SIZE smallest shingle hashes)."""
    hashes = shingle_hashes(text)
    return len(hashes), sorted(hashes)[:SKETCH_SIZE]


def overlap(a: tuple[int, Sequence[int]], b: tuple[int, Sequence[int]]) -> tuple[float, float]:
    """(estimated share of the smaller document's shingles that the other has too, estimated shared shingles).

    The bottom-k estimate of their Jaccard similarity: of the SKETCH_SIZE smallest hashes of both sketches
    together, the share that both hold. Computed from the few hashes both hold, each ranked in the union by binary
    searches in the two sorted sketches (tests/test_families.py checks it against the definition)."""
    (na, sa), (nb, sb) = a, b
    if not na or not nb:
        return 0.0, 0.0
    return _estimate(na, sa, nb, sb, sorted(set(sa).intersection(sb)))


def _estimate(na: int, sa: Sequence[int], nb: int, sb: Sequence[int], common: list[int]) -> tuple[float, float]:
    """`overlap` of two sorted sketches whose common hashes, sorted, are `common`."""
    union = len(sa) + len(sb) - len(common)
    k = min(SKETCH_SIZE, union)
    both = len(common)
    if k < union:
        # the common hashes among the k smallest of the union: those whose rank in the union (the hashes of either
        # sketch at or below it, each counted once) is at most k; the rank grows along `common`
        lo, hi = 0, both
        while lo < hi:
            mid = (lo + hi) // 2
            h = common[mid]
            if bisect_right(sa, h) + bisect_right(sb, h) - (mid + 1) <= k:
                lo = mid + 1
            else:
                hi = mid
        both = lo
    jaccard = both / k
    shared = jaccard * (na + nb) / (1 + jaccard)
    return min(1.0, shared / min(na, nb)), shared


def _may_copy(na: int, ka: int, nb: int, kb: int, both: int) -> bool:
    """Whether `overlap` could reach the copy thresholds for documents of `na` and `nb` shingles whose sketches (of
    `ka` and `kb` hashes) hold `both` hashes in common: an upper bound (the union sketch can count no more of them),
    cheap enough to leave the exact estimate to the few that pass."""
    if not na or not nb or not both:
        return False
    union = min(SKETCH_SIZE, ka + kb - both)
    jaccard = min(1.0, both / union)
    shared = jaccard * (na + nb) / (1 + jaccard)
    return shared >= MIN_SHARED and shared / min(na, nb) >= CONTAINMENT_THRESHOLD


def containment(a: tuple[int, list[int]], b: tuple[int, list[int]]) -> float:
    """Estimated share of the smaller document's shingles that the other one has too."""
    return overlap(a, b)[0]


_INDEX = DocumentShingle.__table__.c


def _listed(dialect: str) -> ColumnElement[bool]:
    """`document_shingle.hash` is one of the hashes bound to `hashes`, as one statement whatever their number: a
    JSON array read by `json_each` on SQLite, an array on PostgreSQL. (An expanding IN of some hundreds of values
    is rendered and its parameters processed again on every execution, for as long as the statement itself runs.)"""
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import ARRAY

        return _INDEX.hash == any_(bindparam("hashes", type_=ARRAY(BigInteger)))
    listed = func.json_each(bindparam("hashes", type_=String)).table_valued("value")
    return _INDEX.hash.in_(select(listed.c.value))


def _hashes(dialect: str, hashes: list[int]) -> object:
    """The hashes as `_listed` binds them."""
    return hashes if dialect == "postgresql" else json.dumps(hashes)


@cache
def _boilerplate(dialect: str) -> Select[int]:
    """Of the hashes given, those indexed for COMMON_SHINGLE_DOCS documents already."""
    return select(_INDEX.hash).where(_listed(dialect)).group_by(_INDEX.hash).having(func.count() >= COMMON_SHINGLE_DOCS)


@cache
def _sharing(dialect: str) -> Select[int, int]:
    """The documents indexed for MIN_SKETCH_MATCHES or more of the hashes given, with how many."""
    return (
        select(_INDEX.document_id, func.count())
        .where(_listed(dialect))
        .group_by(_INDEX.document_id)
        .having(func.count() >= MIN_SKETCH_MATCHES)
    )


@cache
def _indexing(dialect: str) -> Insert:
    """The hashes given indexed for the document `document_id`, in their order, as one statement (no parameters
    to process for each row)."""
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import ARRAY

        hashes = (
            func.unnest(bindparam("hashes", type_=ARRAY(BigInteger)))
            .table_valued("value", with_ordinality="n")
            .render_derived()
        )
        order = hashes.c.n
    else:
        hashes = func.json_each(bindparam("hashes", type_=String)).table_valued("value", "key")
        order = hashes.c.key
    rows = select(hashes.c.value, bindparam("document_id", type_=Integer)).order_by(order)
    return insert(DocumentShingle).from_select(["hash", "document_id"], rows)


def store_signature(
    session: Session, *, document_id: int, text: str, signature: tuple[int, list[int]] | None = None
) -> None:
    """Keep the document's sketch, index its hashes, and link it to the documents already in the database that it
    copies or that copy it: the candidates are the documents sharing a sketched hash (not a boilerplate one, found
    in more than COMMON_SHINGLE_DOCS documents), looked up in the index — the work per document does not grow with
    the database. `signature`: the text's sketch, where a worker process made it already."""
    count, hashes = signature if signature is not None else sketch(text)
    conn = session.connection()  # Core statements and rows, no ORM bookkeeping needed
    dialect = conn.dialect.name
    conn.execute(insert(DocumentSignature), {"document_id": document_id, "shingles": count, "sketch": hashes})
    if not hashes:
        return
    # a hash indexed for COMMON_SHINGLE_DOCS documents already is boilerplate: it proposes no pair and is indexed no
    # further, so that no lookup ever reads more than that many rows per hash; the database counts them, and counts
    # the documents sharing the other hashes too (candidates: MIN_SKETCH_MATCHES of them or more). A sketch holds
    # at most SKETCH_SIZE hashes: one statement each.
    # A hash once boilerplate stays so (the index only grows), so those seen in this session are not counted again.
    common: set[int] = session.info.setdefault("claimdb.boilerplate", set())
    if len(common) > BOILERPLATE_CACHE:
        common.clear()
    unknown = [h for h in hashes if h not in common]
    if unknown:
        common.update(conn.execute(_boilerplate(dialect), {"hashes": _hashes(dialect, unknown)}).scalars())
    boilerplate = frozenset(h for h in hashes if h in common)
    fresh = [h for h in hashes if h not in boilerplate]
    shared: dict[int, int] = (
        dict(conn.execute(_sharing(dialect), {"hashes": _hashes(dialect, fresh)}).all()) if fresh else {}
    )
    if fresh:
        conn.execute(_indexing(dialect), {"hashes": _hashes(dialect, fresh), "document_id": document_id})
    candidates = sorted(shared)
    if not candidates:
        return
    links = []
    # sketches read in this session (one `add` run): a document is a candidate of many later ones
    known: dict[int, tuple[int, tuple[int, ...], frozenset[int]]] = session.info.setdefault("claimdb.sketches", {})
    missing = [d for d in candidates if d not in known]
    if len(known) + len(missing) > SKETCH_CACHE:
        known.clear()  # memory stays bounded; this document's candidates are read again below
        missing = candidates
    stored = DocumentSignature.__table__.c
    for chunk in _chunks(missing, 500):
        for other, n, other_hashes in conn.execute(
            select(stored.document_id, stored.shingles, stored.sketch).where(stored.document_id.in_(chunk))
        ):
            ordered = tuple(other_hashes)
            known[other] = (n, ordered, frozenset(ordered))
    mine_set = frozenset(hashes)
    for other in candidates:
        if other not in known:
            continue
        n, other_hashes, other_set = known[other]
        # the hashes both sketches hold: the fresh ones the index counted (a document's hash not boilerplate now was
        # not boilerplate when it was added either, so it is indexed for it) and the boilerplate ones they share
        both = shared[other] + len(boilerplate & other_set)
        if not _may_copy(n, len(other_hashes), count, len(hashes), both):
            continue
        c, estimated = _estimate(n, other_hashes, count, hashes, sorted(mine_set & other_set))
        if c >= CONTAINMENT_THRESHOLD and estimated >= MIN_SHARED:
            a, b = sorted((other, document_id))
            links.append({"document_id": b, "copy_of": a, "containment": round(c, 4)})
    if links:
        conn.execute(insert(CopyLink), links)


def _chunks(items: list[int], size: int) -> list[list[int]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


@dataclass(frozen=True)
class Family:
    id: int  # the smallest document id in the family
    documents: list[int]
    origins: list[str]
    links: list[tuple[str, str, float]]  # (origin, origin, containment) for each pair found to copy


def _roots(pairs: Iterable[tuple[int, int]]) -> dict[int, int]:
    """Union-find over copy links: each linked document's family, as the smallest document id in it."""
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return {d: find(d) for d in list(parent)}


def family_roots(session: Session) -> dict[int, int]:
    """The family of every document that copies or is copied, as the smallest document id in it (from the stored
    copy links; a document not in the result is a family of one). Cheap: no document is read."""
    return _roots((a, b) for a, b in session.execute(select(CopyLink.copy_of, CopyLink.document_id)))


def copy_families(session: Session, *, documents: Iterable[int | None] | None = None) -> dict[int, Family]:
    """The family of each document (of `documents`, else of every one), by document id, from the copy links stored
    as documents were added. A document that copies nothing is a family of one."""
    links: list[tuple[int, int, float]] = [
        (a, b, c) for a, b, c in session.execute(select(CopyLink.copy_of, CopyLink.document_id, CopyLink.containment))
    ]
    links.sort()
    root = _roots((a, b) for a, b, _ in links)
    wanted = set(session.scalars(select(Document.id))) if documents is None else {d for d in documents if d is not None}
    members: dict[int, list[int]] = {}
    for doc, r in root.items():
        members.setdefault(r, []).append(doc)
    links_of: dict[int, list[tuple[int, int, float]]] = {}
    for a, b, c in links:
        links_of.setdefault(root[a], []).append((a, b, c))
    linked = {d for docs in members.values() if any(x in wanted for x in docs) for d in docs}
    origin_of = (
        {d: o for d, o in session.execute(select(Document.id, Document.origin).where(Document.id.in_(linked)))}
        if linked
        else {}
    )
    out: dict[int, Family] = {}
    for r, docs in members.items():
        if not any(d in wanted for d in docs):
            continue
        docs.sort()
        family = Family(
            id=docs[0],
            documents=docs,
            origins=[origin_of.get(d, str(d)) for d in docs],
            links=[
                (origin_of.get(a, str(a)), origin_of.get(b, str(b)), round(c, 3)) for a, b, c in links_of.get(r, [])
            ],
        )
        for d in docs:
            out[d] = family
    missing = [d for d in wanted if d not in out]
    if missing:
        for d, origin in session.execute(select(Document.id, Document.origin).where(Document.id.in_(missing))):
            out[d] = Family(id=d, documents=[d], origins=[origin], links=[])
    return out
