"""Copy detection: shingled MinHash sketches and the containment threshold."""

from __future__ import annotations

import random

from hypothesis import given
from hypothesis import strategies as st

from app.families import CONTAINMENT_THRESHOLD, containment, sketch

WORDS = [
    "protest",
    "police",
    "city",
    "arrested",
    "people",
    "killed",
    "minister",
    "said",
    "government",
    "regime",
    "army",
    "street",
    "capital",
    "night",
    "rally",
    "crowd",
    "statement",
    "figures",
    "rights",
    "group",
    "official",
    "report",
    "week",
    "march",
    "square",
]


def _text(seed: int, n: int = 600) -> str:
    rng = random.Random(seed)
    return " ".join(rng.choice(WORDS) for _ in range(n))


def test_identical_and_unrelated() -> None:
    a, b = _text(1), _text(2)
    assert containment(sketch(a), sketch(a)) == 1.0
    assert containment(sketch(a), sketch(b)) < 0.05


def test_a_rewrite_that_keeps_passages_is_a_copy() -> None:
    original = _text(3, 1200)
    words = original.split()
    # keep a third of the original in long passages, rewrite the rest
    rewrite = " ".join(words[:200] + _text(4, 300).split() + words[600:800] + _text(5, 200).split())
    assert containment(sketch(rewrite), sketch(original)) >= CONTAINMENT_THRESHOLD
    assert containment(sketch(original), sketch(rewrite)) >= CONTAINMENT_THRESHOLD  # symmetric: the smaller one


def test_sketch_is_bounded_and_stable() -> None:
    count, hashes = sketch(_text(6, 5000))
    assert count > 1000 and len(hashes) == 256 and hashes == sorted(hashes)
    assert sketch(_text(6, 5000)) == (count, hashes)
    assert sketch("") == (0, [])


def _overlap_by_definition(a: tuple[int, list[int]], b: tuple[int, list[int]]) -> tuple[float, float]:
    """Bottom-k as defined: of the SKETCH_SIZE smallest hashes of the two sketches together, the share both hold."""
    from app.families import SKETCH_SIZE

    (na, sa), (nb, sb) = a, b
    if not na or not nb:
        return 0.0, 0.0
    set_a, set_b = set(sa), set(sb)
    union = sorted(set_a | set_b)[:SKETCH_SIZE]
    both = sum(1 for h in union if h in set_a and h in set_b)
    jaccard = both / len(union)
    shared = jaccard * (na + nb) / (1 + jaccard)
    return min(1.0, shared / min(na, nb)), shared


@given(
    universe=st.lists(st.integers(0, 2**40), min_size=1, max_size=900, unique=True),
    data=st.data(),
)
def test_overlap_matches_its_definition(universe: list[int], data: st.DataObject) -> None:
    from app.families import SKETCH_SIZE, overlap

    a = set(data.draw(st.lists(st.sampled_from(universe), min_size=1, unique=True)))
    b = set(data.draw(st.lists(st.sampled_from(universe), min_size=1, unique=True)))
    sa, sb = (len(a), sorted(a)[:SKETCH_SIZE]), (len(b), sorted(b)[:SKETCH_SIZE])
    assert overlap(sa, sb) == _overlap_by_definition(sa, sb)
