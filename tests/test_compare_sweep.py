"""The group verdict without pairs agrees with the pairwise definition it replaced, on any group of figures."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from app.compare import _RANK, CLOSE_AGREEMENT, credibility, pair_verdict, ratio, verdict_pair
from app.schemas import ClaimOut


def _pairwise(figures: list[ClaimOut], origin_of: list[int], factor: float) -> tuple[str, tuple[object, ...]]:
    """The definition, by every pair: the worst verdict and the strength of the pair that explains it (most
    credible, then farthest apart); else the closest pair of independent origins."""
    worst: tuple[int, float, float] | None = None
    verdict_of_worst = ""
    closest: float | None = None
    for i, j in itertools.combinations(range(len(figures)), 2):
        a, b = figures[i], figures[j]
        if a.document_id == b.document_id and origin_of[i] == origin_of[j]:
            continue
        verdict = pair_verdict(a, b, factor=factor)
        if verdict != "consistent":
            strength = (_RANK[verdict], credibility(a) + credibility(b), min(ratio(a, b), 999))
            if worst is None or strength > worst:
                worst, verdict_of_worst = strength, verdict
        elif origin_of[i] != origin_of[j] and (closest is None or ratio(a, b) < closest):
            closest = ratio(a, b)
    if worst is not None:
        return verdict_of_worst, (round(worst[1], 9), round(worst[2], 9))
    if len(set(origin_of)) <= 1:
        return "single-source", ()
    assert closest is not None
    return ("corroborated" if closest < CLOSE_AGREEMENT else "consistent"), (round(closest, 9),)


@st.composite
def groups(draw: st.DrawFn) -> tuple[list[ClaimOut], list[int]]:
    n = draw(st.integers(1, 9))
    figures, origin_of = [], []
    for k in range(n):
        low = draw(st.one_of(st.none(), st.integers(0, 60)))
        high = draw(st.one_of(st.none(), st.integers(0, 60)))
        if low is None and high is None:
            low = draw(st.integers(0, 60))
        if low is not None and high is not None and high < low:
            low, high = high, low
        figures.append(
            ClaimOut(
                id=k + 1,
                kind="death_toll",
                text=str(low or high),
                start=0,
                end=1,
                low=low,
                high=high,
                qualifier=None,
                sentence="",
                event="e",
                conduit=None,
                document=None,
                document_id=draw(st.integers(1, 4)),
                status=draw(st.sampled_from(["extracted", "confirmed"])),
                origin="extractor",
                attributed_to=draw(st.sampled_from([None, "police", "ministry"])),
                confidence=draw(st.sampled_from([None, 0.3, 0.6, 0.9])),
            )
        )
        origin_of.append(draw(st.integers(0, 3)))
    return figures, origin_of


@settings(max_examples=600, deadline=None)
@given(groups(), st.sampled_from([1.5, 2.0, 3.0]))
def test_sweep_verdict_matches_every_pair(group: tuple[list[ClaimOut], list[int]], factor: float) -> None:
    figures, origin_of = group
    verdict, i, j = verdict_pair(figures, origin_of, factor)
    expected, detail = _pairwise(figures, origin_of, factor)
    assert verdict == expected
    if verdict in ("conflicting", "divergent"):
        a, b = figures[i], figures[j]
        assert (a.document_id, origin_of[i]) != (b.document_id, origin_of[j])
        assert pair_verdict(a, b, factor=factor) == verdict
        got = (round(credibility(a) + credibility(b), 9), round(min(ratio(a, b), 999), 9))
        assert got == detail
    elif verdict in ("corroborated", "consistent"):
        assert origin_of[i] != origin_of[j]
        assert (round(ratio(figures[i], figures[j]), 9),) == detail
