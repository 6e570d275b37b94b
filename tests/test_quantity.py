"""The quantity parser: property tests (hypothesis) for numbers and the interval semantics."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.extract.quantity import NotANumber, parse_number, parse_quantity

ONES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]  # fmt: skip
TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def spell(n: int) -> str:
    """English words for 1 <= n < 1,000,000, British style ("one hundred and seventy-six")."""
    if n < 20:
        return ONES[n]
    if n < 100:
        return TENS[n // 10] + ("" if n % 10 == 0 else "-" + ONES[n % 10])
    if n < 1000:
        rest = n % 100
        return ONES[n // 100] + " hundred" + ("" if rest == 0 else " and " + spell(rest))
    rest = n % 1000
    return spell(n // 1000) + " thousand" + ("" if rest == 0 else (" and " if rest < 100 else " ") + spell(rest))


@given(st.integers(min_value=0, max_value=10**12))
def test_digits_with_and_without_commas(n: int) -> None:
    assert parse_number(f"{n:,}") == n
    assert parse_number(str(n)) == n


@given(st.integers(min_value=1, max_value=999_999))
def test_number_words(n: int) -> None:
    assert parse_number(spell(n)) == n
    assert parse_number(spell(n).capitalize()) == n


@given(st.integers(min_value=1, max_value=10**9))
def test_qualifiers(n: int) -> None:
    more = parse_quantity(first=f"{n:,}", qualifier="more than")
    assert (more.low, more.high, more.qualifier) == (n + 1, None, "more than")
    assert parse_quantity(first=str(n), qualifier="At least").low == n
    upto = parse_quantity(first=str(n), qualifier="as many as")
    assert (upto.low, upto.high) == (None, n)
    fewer = parse_quantity(first=str(n), qualifier="fewer than")
    assert (fewer.low, fewer.high) == (None, n - 1)
    about = parse_quantity(first=str(n), qualifier="about")
    assert about.low is not None and about.high is not None and about.low <= n <= about.high
    nearly = parse_quantity(first=str(n), qualifier="nearly")
    assert nearly.high == n and nearly.low is not None and nearly.low <= n
    plus = parse_quantity(first=str(n), plus=True)
    assert (plus.low, plus.high) == (n + 1, None)


@given(st.integers(min_value=0, max_value=10**7), st.integers(min_value=0, max_value=10**7))
def test_ranges(a: int, b: int) -> None:
    if a <= b:
        q = parse_quantity(first=f"{a:,}", second=f"{b:,}")
        assert (q.low, q.high) == (a, b)
        between = parse_quantity(first=str(a), second=str(b), frame="between")
        assert (between.low, between.high, between.qualifier) == (a, b, "between")
    else:
        with pytest.raises(ValueError):
            parse_quantity(first=str(a), second=str(b))


@pytest.mark.parametrize(
    ("words", "low", "high"),
    [("dozens", 24, None), ("hundreds", 200, None), ("thousands", 2000, None), ("tens of thousands", 20000, None),
     ("hundreds of thousands", 200000, None), ("a few hundred", 200, 900), ("several thousand", 3000, 9000),
     ("a handful", 2, 9), ("a few", 2, 9), ("a few dozen", 24, 108)],
)  # fmt: skip
def test_vague_amounts(words: str, low: int, high: int | None) -> None:
    q = parse_quantity(first=words)
    assert (q.low, q.high, q.qualifier) == (low, high, words)


def test_not_numbers() -> None:
    for words in ("1.5", "banana", "two and a half"):
        with pytest.raises(NotANumber):
            parse_number(words)
    assert parse_number("1.2 million") == 1_200_000
    assert parse_number("a dozen") == 12


QUALIFIER_WORDS = [
    "more than",
    "over",
    "at least",
    "as many as",
    "up to",
    "fewer than",
    "under",
    "about",
    "nearly",
    None,
]


@given(
    st.sampled_from(QUALIFIER_WORDS),
    st.integers(min_value=0, max_value=10**6),
    st.one_of(st.none(), st.integers(min_value=0, max_value=10**6)),
)
def test_an_interval_is_never_inverted_nor_negative(qualifier: str | None, a: int, b: int | None) -> None:
    """Whatever the words, a parsed figure is a real interval of counts, or no figure ("more than 50 to 50")."""
    try:
        q = parse_quantity(first=str(a), second=None if b is None else str(b), qualifier=qualifier)
    except (NotANumber, ValueError):
        return
    assert q.low is None or q.low >= 0
    assert q.high is None or q.high >= 0
    assert q.low is None or q.high is None or q.low <= q.high


def test_more_than_n_to_n_is_no_figure() -> None:
    from app.extract.pipeline import extract_claims

    claims = extract_claims("Officials said more than 50 to 50 people were killed in the clashes.\n").claims
    assert [(c.text, c.low, c.high) for c in claims if c.kind != "quote"] == []


def test_a_range_whose_upper_bound_has_its_own_qualifier() -> None:
    from app.extract.quantity import NotANumber, parse_quantity

    q = parse_quantity(first="100,000", second="about 160,000")
    assert (q.low, q.high) == (100_000, 176_000)
    q = parse_quantity(first="80,000", second="up to 100,000")
    assert (q.low, q.high) == (80_000, 100_000)
    q = parse_quantity(first="20", second="fewer than 30")
    assert (q.low, q.high) == (20, 29)
    import pytest

    with pytest.raises(NotANumber):
        parse_quantity(first="5", second="more than 10")  # no upper bound: not a number the range can end at


@pytest.mark.parametrize(
    ("words", "value"),
    [("half a million", 500_000), ("Half a dozen", 6), ("half a thousand", 500), ("half a billion", 500_000_000)],
)
def test_half_a_scale(words: str, value: int) -> None:
    assert parse_number(words) == value
    assert parse_number("a " + words.split()[-1]) == 2 * value


@given(st.sampled_from(["roughly", "nearly", "more than", "about", None]), st.sampled_from(["million", "thousand"]))
def test_half_a_scale_is_one_figure_in_text(qualifier: str | None, scale: str) -> None:
    """'roughly half a million people': one figure, the half included, never 'a million'."""
    from app.extract.figures import find_figures

    words = f"{qualifier + ' ' if qualifier else ''}half a {scale}"
    text = f"Shelters held {words} people on Sunday."
    figures = find_figures(text)
    assert [text[f.start : f.end] for f in figures] == [words]
    n = parse_number(f"half a {scale}")
    assert figures[0].quantity.low is not None or figures[0].quantity.high is not None
    assert (figures[0].quantity.high or n) <= (n * 11 + 9) // 10


@given(st.integers(min_value=1, max_value=10**6), st.integers(min_value=0, max_value=10**6))
def test_a_range_under_an_upper_or_rough_qualifier_keeps_its_bounds(a: int, extra: int) -> None:
    """'as many as 500,000 to 600,000', 'nearly 20 to 30', 'about 500 to 600': the range itself."""
    b = a + extra
    for qualifier in ("as many as", "up to", "nearly", "about"):
        q = parse_quantity(first=f"{a:,}", second=f"{b:,}", qualifier=qualifier)
        assert (q.low, q.high) == (a, b)
    with pytest.raises(ValueError):
        parse_quantity(first=str(a), second=str(b), qualifier="fewer than")
