"""stored copy links: an inverted index of the documents' sketches and the copy links found at ingest, so that
families are read, never recomputed from every sketch

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 22:20:00
"""

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SKETCH_SIZE = 256
CONTAINMENT_THRESHOLD = 0.15
MIN_SHARED = 20
COMMON_SHINGLE_DOCS = 50
MIN_SKETCH_MATCHES = 2
"""As app/families.py had them when this migration was written: the links found now are the ones it found."""


def _overlap(a: tuple[int, list[int]], b: tuple[int, list[int]]) -> tuple[float, float]:
    (na, sa_), (nb, sb) = a, b
    if not na or not nb:
        return 0.0, 0.0
    set_a, set_b = set(sa_), set(sb)
    union_sketch = sorted(set_a | set_b)[:SKETCH_SIZE]
    both = sum(1 for h in union_sketch if h in set_a and h in set_b)
    jaccard = both / len(union_sketch)
    shared = jaccard * (na + nb) / (1 + jaccard)
    return min(1.0, shared / min(na, nb)), shared


def upgrade() -> None:
    op.create_table(
        "document_shingle",
        sa.Column("hash", sa.BigInteger(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"], ["document.id"], name=op.f("fk_document_shingle_document_id_document"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("hash", "document_id", name=op.f("pk_document_shingle")),
    )
    op.create_index(op.f("ix_document_shingle_document_id"), "document_shingle", ["document_id"])
    op.create_table(
        "copy_link",
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("copy_of", sa.Integer(), nullable=False),
        sa.Column("containment", sa.Float(), nullable=False),
        sa.CheckConstraint("copy_of < document_id", name=op.f("ck_copy_link_order")),
        sa.ForeignKeyConstraint(
            ["copy_of"], ["document.id"], name=op.f("fk_copy_link_copy_of_document"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["document_id"], ["document.id"], name=op.f("fk_copy_link_document_id_document"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("document_id", "copy_of", name=op.f("pk_copy_link")),
    )
    op.create_index(op.f("ix_copy_link_copy_of"), "copy_link", ["copy_of"])
    # the documents already in the database: index their sketches and find their copies, as copy_families did
    bind = op.get_bind()
    signatures: dict[int, tuple[int, list[int]]] = {}
    for doc_id, count, sketch in bind.execute(
        sa.text("SELECT document_id, shingles, sketch FROM document_signature ORDER BY document_id")
    ):
        hashes = json.loads(sketch) if isinstance(sketch, str) else list(sketch)
        signatures[doc_id] = (count, hashes)
    shingle_table = sa.table("document_shingle", sa.column("hash"), sa.column("document_id"))
    indexed: dict[int, int] = {}
    rows = []
    for d, (_, hashes) in signatures.items():  # as ingest indexes them: at most COMMON_SHINGLE_DOCS per hash
        for h in set(hashes):
            if indexed.get(h, 0) < COMMON_SHINGLE_DOCS:
                indexed[h] = indexed.get(h, 0) + 1
                rows.append({"hash": h, "document_id": d})
    for i in range(0, len(rows), 5000):
        bind.execute(sa.insert(shingle_table), rows[i : i + 5000])
    by_hash: dict[int, list[int]] = {}
    for d, (_, hashes) in signatures.items():
        for h in hashes:
            by_hash.setdefault(h, []).append(d)
    matches: dict[tuple[int, int], int] = {}
    for docs in by_hash.values():
        if len(docs) <= COMMON_SHINGLE_DOCS:
            for i, a in enumerate(docs):
                for b in docs[i + 1 :]:
                    if a != b:
                        matches[(a, b)] = matches.get((a, b), 0) + 1
    candidates = {pair for pair, n in matches.items() if n >= MIN_SKETCH_MATCHES}
    links = []
    for a, b in sorted(candidates):
        c, shared = _overlap(signatures[a], signatures[b])
        if c >= CONTAINMENT_THRESHOLD and shared >= MIN_SHARED:
            low, high = sorted((a, b))
            links.append({"document_id": high, "copy_of": low, "containment": round(c, 4)})
    if links:
        link_table = sa.table("copy_link", sa.column("document_id"), sa.column("copy_of"), sa.column("containment"))
        bind.execute(sa.insert(link_table), links)


def downgrade() -> None:
    op.drop_index(op.f("ix_copy_link_copy_of"), table_name="copy_link")
    op.drop_table("copy_link")
    op.drop_index(op.f("ix_document_shingle_document_id"), table_name="document_shingle")
    op.drop_table("document_shingle")
