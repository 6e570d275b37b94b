"""Concurrent reviewers: a change made against a claim someone else changed since is refused, never silently
applied over theirs; every change carries the reviewer's name in the change log."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy.orm import Session

from app.claims import get_claim
from app.db import make_engine
from app.errors import ConflictError
from app.review import claim_history, edit_claim, link_claims, set_status, set_status_many


def _first_figures(url: str, n: int = 2) -> list[tuple[int, int]]:
    engine = make_engine(url)
    with Session(engine) as session:
        from app.claims import ClaimFilter, list_claims

        rows = list_claims(session, flt=ClaimFilter(kind="death_toll"))[:n]
    engine.dispose()
    return [(c.id or 0, c.version or 0) for c in rows]


def test_stale_version_is_refused(loaded_db: str) -> None:
    (claim_id, version), (other_id, other_version) = _first_figures(loaded_db)
    engine = make_engine(loaded_db)
    try:
        with Session(engine) as session:
            out = set_status(session, claim_id=claim_id, status="rejected", version=version, reviewer="ana")
            assert (out.status, out.version) == ("rejected", version + 1)
            with pytest.raises(ConflictError, match=rf"claim {claim_id} was changed by someone else"):
                edit_claim(session, claim_id=claim_id, low=1, version=version, reviewer="ben")
            with pytest.raises(ConflictError):  # the batch is refused whole: the other claim stays as it was
                set_status_many(
                    session,
                    status="confirmed",
                    claim_ids=[other_id, claim_id],
                    versions={other_id: other_version, claim_id: version},
                    reviewer="ben",
                )
            assert get_claim(session, other_id).version == other_version
            assert get_claim(session, claim_id).status == "rejected"
            with pytest.raises(ConflictError):
                link_claims(session, event="iran-protests-2017-18", claim_ids=[claim_id], versions={claim_id: version})
            history = claim_history(session, claim_id=claim_id)
            assert [(h.action, h.reviewer) for h in history] == [("reject", "ana")]
            # with the version it now has, the change goes through
            edited = edit_claim(session, claim_id=claim_id, low=1, version=version + 1, reviewer="ben")
            assert (edited.low, edited.version) == (1, version + 2)
    finally:
        engine.dispose()


def test_two_reviewers_at_once_one_wins(loaded_db: str) -> None:
    """Two reviewers loaded the same version and send their edits at the same moment: one is applied, the other
    gets a conflict; the claim holds the winner's change and the log one line."""
    ((claim_id, version),) = _first_figures(loaded_db, 1)
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def review(name: str, low: int) -> None:
        engine = make_engine(loaded_db)
        try:
            with Session(engine) as session:
                barrier.wait()
                try:
                    edit_claim(session, claim_id=claim_id, low=low, version=version, reviewer=name)
                    outcomes[name] = "applied"
                except ConflictError:
                    outcomes[name] = "conflict"
        finally:
            engine.dispose()

    threads = [threading.Thread(target=review, args=(n, low)) for n, low in (("ana", 11), ("ben", 12))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(outcomes.values()) == ["applied", "conflict"], outcomes
    winner = next(n for n, o in outcomes.items() if o == "applied")
    engine = make_engine(loaded_db)
    try:
        with Session(engine) as session:
            claim = get_claim(session, claim_id)
            assert claim.low == {"ana": 11, "ben": 12}[winner] and claim.version == version + 1
            assert [(h.action, h.reviewer) for h in claim_history(session, claim_id=claim_id)] == [("edit", winner)]
    finally:
        engine.dispose()
