"""Full-text search over documents, the sentences claims stand in, and source names with their aliases.

The database keeps the index (migration 0009): SQLite FTS5 tables over document (title, text) and source_alias,
kept in step by triggers on every insert, update and delete (so at ingest, on a source merge, on any change);
PostgreSQL a generated tsvector column ('simple' configuration) on each, with a GIN index. A query is the words in
it (letters and digits; punctuation and operators are dropped, so nothing typed is ever read as query syntax), every
word required, each as a prefix: "Samsa arrest" finds "Soona Samsami … arrested". Sentences are those of claims in
the documents found, holding every word; the claim filters (event, kind, source, status) narrow documents to those
with such a claim, and sentences to those claims.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace

from pydantic import BaseModel
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from app.claims import ClaimFilter, count_claims, list_claims
from app.documents import list_documents
from app.errors import InputError
from app.models import Document
from app.schemas import ClaimOut, DocumentOut, SourceOut
from app.sources import list_sources

MAX_TERMS = 12
MAX_TERM_CHARS = 64
DOCUMENT_LIMIT = 200
"""At most this many documents are found, the best ranked first; sentences come from them."""
SNIPPET_CHARS = 90
_WORD = re.compile(r"[^\W_]+")


class DocumentHit(BaseModel):
    document: DocumentOut
    snippet: str
    """Text around the first word found (or the document's opening), with … where it was cut."""


class SearchOut(BaseModel):
    query: str
    terms: list[str]
    documents: list[DocumentHit]
    sentences: list[ClaimOut]
    sources: list[SourceOut]


def fold(word: str) -> str:
    """Lower case without accents, as FTS5's unicode61 tokenizer folds ("État" → "etat")."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def terms_of(query: str) -> list[str]:
    """The words of a query, folded; anything else in it (quotes, operators, SQL) is dropped."""
    words = [fold(w)[:MAX_TERM_CHARS] for w in _WORD.findall(query)]
    return list(dict.fromkeys(w for w in words if w))[:MAX_TERMS]


def _holds_all(sentence: str, terms: list[str]) -> bool:
    words = [fold(w) for w in _WORD.findall(sentence)]
    return all(any(w.startswith(t) for w in words) for t in terms)


def _snippet(body: str, terms: list[str]) -> str:
    folded = fold(body)
    at = -1
    if len(folded) == len(body):  # positions agree only where folding kept the length
        for t in terms:
            m = re.search(r"\b" + re.escape(t), folded)
            if m and (at < 0 or m.start() < at):
                at = m.start()
    start = max(0, at - SNIPPET_CHARS // 2) if at >= 0 else 0
    end = min(len(body), start + SNIPPET_CHARS * 2)
    piece = " ".join(body[start:end].split())
    return ("…" if start else "") + piece + ("…" if end < len(body) else "")


def _matching_ids(session: Session, terms: list[str], *, table: str, limit: int) -> list[int]:
    """Ids of the documents (table 'document') or sources (table 'source') whose text holds every term."""
    if session.get_bind().dialect.name == "sqlite":
        fts = "search_document" if table == "document" else "search_source"
        match = " ".join(f'"{t}"*' for t in terms)  # terms are letters and digits only: nothing to escape
        if table == "document":
            sql = f"SELECT rowid FROM {fts} WHERE {fts} MATCH :match ORDER BY rank LIMIT :limit"
        else:
            sql = (
                f"SELECT DISTINCT a.source_id FROM {fts} JOIN source_alias a ON a.id = {fts}.rowid "
                f"WHERE {fts} MATCH :match LIMIT :limit"
            )
        return [int(r[0]) for r in session.execute(text(sql), {"match": match, "limit": limit})]
    tsquery = " & ".join(f"{t}:*" for t in terms)
    if table == "document":
        sql = (
            "SELECT id FROM document WHERE search_tsv @@ to_tsquery('simple', :q) "
            "ORDER BY ts_rank(search_tsv, to_tsquery('simple', :q)) DESC, id LIMIT :limit"
        )
    else:
        sql = "SELECT DISTINCT source_id FROM source_alias WHERE search_tsv @@ to_tsquery('simple', :q) LIMIT :limit"
    return [int(r[0]) for r in session.execute(text(sql), {"q": tsquery, "limit": limit})]


def search(
    session: Session,
    *,
    query: str,
    event: str | None = None,
    kind: str | None = None,
    source: str | None = None,
    status: str | None = None,
    limit: int = 50,
) -> SearchOut:
    """Documents, claim sentences and sources whose text holds every word of `query` (each as a prefix), at most
    `limit` of each; documents and sentences narrowed by the claim filters."""
    terms = terms_of(query)
    if not terms:
        raise InputError("nothing to search for: give words (letters or digits)")
    if not 0 < limit <= 1000:
        raise InputError("the limit is a number from 1 to 1000")
    flt = ClaimFilter(event=event or None, kind=kind or None, source=source or None, status=status or None)
    filtered = any((flt.event, flt.kind, flt.source, flt.status))
    count_claims(session, flt=flt)  # an unknown event, kind, source or status is reported here, once
    doc_ids = _matching_ids(session, terms, table="document", limit=DOCUMENT_LIMIT)
    rank = {d: i for i, d in enumerate(doc_ids)}
    sentences: list[ClaimOut] = []
    with_claims: set[int] = set()
    if doc_ids:
        for c in list_claims(session, flt=replace(flt, document_ids=tuple(doc_ids))):
            with_claims.add(c.document_id or 0)
            if len(sentences) < limit and _holds_all(c.sentence, terms):
                sentences.append(c)
    kept = [d for d in doc_ids if d in with_claims] if filtered else doc_ids
    kept = kept[:limit]
    texts: dict[int, str] = {}
    for document_id, body in session.execute(select(Document.id, Document.text).where(Document.id.in_(kept))):
        texts[document_id] = body
    documents = sorted(list_documents(session, ids=kept), key=lambda d: rank[d.id])
    hits = [DocumentHit(document=d, snippet=_snippet(texts.get(d.id, ""), terms)) for d in documents]
    source_ids = set(_matching_ids(session, terms, table="source", limit=limit)) if not filtered else set()
    sources = [s for s in list_sources(session) if s.id in source_ids]
    return SearchOut(query=query, terms=terms, documents=hits, sentences=sentences, sources=sources)
