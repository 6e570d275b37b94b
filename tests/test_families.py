"""Copy detection: shingled MinHash sketches and the containment threshold."""

from __future__ import annotations

import random

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
