"""The same quote or chant reported in different words across documents.

Quotes are compared after names are folded to their source (so "the Supreme Leader" and "Khamenei" read alike):
two quotes from different documents, of the same form (chant or speech) and, for speeches, not given to two
different speakers, neither a fragment, at most `MAX_LENGTH_RATIO` times longer one than the
other, are variants when rapidfuzz's token-sort ratio of their folded words reaches `VARIANT_THRESHOLD` (0-100)
and the words differ; identical wordings are repeats. Measured on the seeds: the 001/002 chant pairs score 67-96,
unrelated chants that share a name ("Death to Khamenei" / "No crown, no turban, …") at most 52. Each variant pair
comes with a word diff: "[-murders-] {+commits crimes+}".
"""

from __future__ import annotations

import difflib
import re

from pydantic import BaseModel
from rapidfuzz import fuzz
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.claims import ClaimFilter, list_claims
from app.models import Source, SourceAlias
from app.schemas import ClaimOut

VARIANT_THRESHOLD = 60.0
MAX_LENGTH_RATIO = 2.0
_WORDS = re.compile(r"[\w'’\-]+")


class QuoteVariant(BaseModel):
    a: ClaimOut
    b: ClaimOut
    similarity: float
    identical: bool
    diff: str


def _alias_folder(session: Session) -> tuple[re.Pattern[str] | None, dict[str, str]]:
    rows = session.execute(select(SourceAlias.alias, Source.name).join(Source, Source.id == SourceAlias.source_id))
    mapping = {alias.lower(): name.lower() for alias, name in rows if len(alias) > 2}
    if not mapping:
        return None, {}
    pattern = re.compile(
        r"\b(?:" + "|".join(re.escape(a) for a in sorted(mapping, key=len, reverse=True)) + r")\b", re.IGNORECASE
    )
    return pattern, mapping


def _fold(text: str, pattern: re.Pattern[str] | None, mapping: dict[str, str]) -> str:
    lowered = text.lower().replace("’", "'")
    if pattern is not None:
        lowered = pattern.sub(lambda m: mapping.get(m.group(0).lower(), m.group(0)), lowered)
    return " ".join(_WORDS.findall(lowered))


def word_diff(a: str, b: str) -> str:
    """A word-level diff of b against a: unchanged words plain, '[-removed-]', '{+added+}'."""
    wa, wb = a.split(), b.split()
    out: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=wa, b=wb, autojunk=False).get_opcodes():
        if op == "equal":
            out.extend(wa[i1:i2])
        if op in ("delete", "replace"):
            out.append("[-" + " ".join(wa[i1:i2]) + "-]")
        if op in ("insert", "replace"):
            out.append("{+" + " ".join(wb[j1:j2]) + "+}")
    return " ".join(out)


def quote_variants(
    session: Session, *, event: str | None = None, threshold: float = VARIANT_THRESHOLD, include_identical: bool = False
) -> list[QuoteVariant]:
    quotes = [
        q
        for q in list_claims(session, flt=ClaimFilter(event=event, kind="quote", include_rejected=False))
        if q.quote_form != "fragment"
    ]
    pattern, mapping = _alias_folder(session)
    folded = [_fold(q.text, pattern, mapping) for q in quotes]
    out: list[QuoteVariant] = []
    for i in range(len(quotes)):
        for j in range(i + 1, len(quotes)):
            a, b = quotes[i], quotes[j]
            if a.document == b.document or not folded[i] or not folded[j] or a.quote_form != b.quote_form:
                continue
            if a.quote_form == "speech" and a.attributed_to and b.attributed_to and a.attributed_to != b.attributed_to:
                continue  # different speakers say different things
            words_i, words_j = len(folded[i].split()), len(folded[j].split())
            if max(words_i, words_j) > MAX_LENGTH_RATIO * min(words_i, words_j):
                continue  # a short chant inside a long speech is not a variant of it
            score = fuzz.token_sort_ratio(folded[i], folded[j])
            if score < threshold:
                continue
            identical = folded[i] == folded[j]
            if identical and not include_identical:
                continue
            out.append(
                QuoteVariant(a=a, b=b, similarity=round(score, 1), identical=identical, diff=word_diff(a.text, b.text))
            )
    out.sort(key=lambda v: (-v.similarity, v.a.id or 0, v.b.id or 0))
    return out
