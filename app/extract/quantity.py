"""Step 4 of the pipeline: turn a figure's words into an interval of whole numbers.

Bounds are inclusive; `None` is an open bound. The semantics (fixtures/README.md, "Interval semantics"):
`more than N` → [N+1, open); `at least N` → [N, open); `as many as N` → (open, N]; `fewer than N` → (open, N-1];
`about N` → [floor(0.9N), ceil(1.1N)]; `nearly N` → [floor(0.9N), N]; `A to B` → [A, B]; vague amounts from the
lexicon (`dozens` → [24, open), `a few hundred` → [200, 900]).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from text_to_num import text2num

from app.extract.lexicon import (
    NUMBER_WORDS,
    QUALIFIERS,
    RANGE_QUALIFIER_KINDS,
    SCALE_WORDS,
    UPPER_BOUND_KINDS,
    UPPER_QUALIFIER,
    VAGUE_AMOUNTS,
    VAGUE_MULTIPLIERS,
)

_SPACES = re.compile(r"\s+")
_DIGITS = re.compile(r"^(\d{1,3}(?:,\d{3})+|\d{1,3}(?: \d{3})+|\d+(?:\.\d+)?)(?:(?:\s+|-)([a-z]+))?$")


class NotANumber(ValueError):
    """The words do not make a number."""


@dataclass(frozen=True, slots=True)
class Quantity:
    low: int | None
    high: int | None
    qualifier: str | None
    vague: bool = False


def _fold(words: str) -> str:
    return _SPACES.sub(" ", words.strip().lower())


_HALF = re.compile(r"half\s+an?\s+(\w+)$")


def parse_number(words: str) -> int:
    """'8,000' → 8000; '1.2 million' → 1200000; 'one hundred and seventy-six' → 176; 'a dozen' → 12."""
    folded = _fold(words)
    if folded in ("a dozen", "dozen"):
        return 12
    half = _HALF.match(folded)
    if half:
        return parse_number(f"a {half.group(1)}") // 2  # "half a million" → 500000, "half a dozen" → 6
    if folded.endswith(" dozen"):
        return 12 * parse_number(folded[: -len(" dozen")])  # "two dozen", "3 dozen"
    digits = _DIGITS.match(folded)
    if digits:
        value = Decimal(digits.group(1).replace(",", "").replace(" ", ""))  # "8,000", "9 900" (thin-space style)
        scale = digits.group(2)
        if scale:
            if scale not in SCALE_WORDS:
                raise NotANumber(words)
            value *= SCALE_WORDS[scale]
        if value != int(value):
            raise NotANumber(words)
        return int(value)
    if folded in ("a dozen", "dozen"):
        return 12
    if folded in NUMBER_WORDS:
        return NUMBER_WORDS[folded]
    if folded.startswith("a "):
        folded = "one " + folded[2:]
    try:
        return int(text2num(folded, "en"))
    except ValueError:
        raise NotANumber(words) from None


def vague_interval(words: str) -> tuple[int, int | None] | None:
    """The interval of a vague amount ('dozens', 'a few hundred'), or None if the words are a plain number."""
    folded = _fold(words)
    if folded in VAGUE_AMOUNTS:
        low, high = VAGUE_AMOUNTS[folded]
        assert low is not None
        return low, high
    for multiplier, (lo, hi) in VAGUE_MULTIPLIERS.items():
        if folded.startswith(multiplier + " "):
            unit = folded[len(multiplier) + 1 :]
            base = 12 if unit == "dozen" else SCALE_WORDS.get(unit)
            if base is not None:
                return lo * base, hi * base
    return None


def apply_qualifier(kind: str, n: int) -> tuple[int | None, int | None]:
    if kind == "gt":
        return n + 1, None
    if kind == "ge":
        return n, None
    if kind == "le":
        return None, n
    if kind == "lt":
        return None, max(n - 1, 0)
    if kind == "approx":
        return (9 * n) // 10, -((-11 * n) // 10)
    if kind == "near":
        return (9 * n) // 10, n
    raise ValueError(kind)


_UPPER_QUALIFIED = re.compile(rf"({UPPER_QUALIFIER})\s+(.+)$", re.IGNORECASE)


def parse_quantity(
    *, first: str, second: str | None = None, qualifier: str | None = None, frame: str | None = None, plus: bool = False
) -> Quantity:
    """The interval for one figure. `first`/`second` are the numbers of a range; `qualifier` the words before;
    `frame` 'between'/'from'; `plus` a trailing '+'. The second number may keep its own qualifier ('about
    160,000' of '100,000 to about 160,000'). Raises NotANumber or ValueError for what is not a figure."""
    qual_kind = QUALIFIERS[_fold(qualifier)] if qualifier else None
    written = qualifier
    upper_qualifier = None
    if second is not None and (upper := _UPPER_QUALIFIED.match(second)) is not None:
        upper_qualifier, second = upper.group(1), upper.group(2)
    if second is not None:
        a, b = parse_number(first), parse_number(second)
        if b < a:
            raise ValueError(f"range {first}-{second} runs backwards")
        low: int | None = a
        if qual_kind in ("gt", "ge"):
            low = apply_qualifier(qual_kind, a)[0]
        elif qual_kind is not None and qual_kind not in RANGE_QUALIFIER_KINDS:
            raise ValueError("qualifier does not fit a range")  # "fewer than 5 to 10"
        # "about 500 to 600", "as many as 500,000 to 600,000", "nearly 20 to 30": the range's own bounds
        written = qualifier or frame
        high: int | None = b
        if upper_qualifier:  # "100,000 to about 160,000", "80,000 and up to 100,000": the upper bound's own word
            upper_kind = QUALIFIERS[_fold(upper_qualifier)]
            if upper_kind not in UPPER_BOUND_KINDS:
                raise ValueError(f"{upper_qualifier!r} does not bound a range from above")
            high = apply_qualifier(upper_kind, b)[1]
        if low is not None and high is not None and low > high:
            raise ValueError(f"{qualifier} {first} to {second} holds no number")  # "more than 50 to 50"
        return Quantity(low=low, high=high, qualifier=written)
    vague = vague_interval(first)
    if vague is not None:
        v_low, v_high = vague
        if qual_kind in ("gt", "ge"):
            return Quantity(
                low=v_low + (1 if qual_kind == "gt" and v_high is not None else 0),
                high=None,
                qualifier=qualifier,
                vague=True,
            )
        if qual_kind in ("le", "lt") and v_high is not None:
            return Quantity(low=None, high=v_high, qualifier=qualifier, vague=True)
        return Quantity(low=v_low, high=v_high, qualifier=qualifier or first, vague=True)
    n = parse_number(first)
    if plus and qual_kind is None:
        return Quantity(low=n + 1, high=None, qualifier="+")
    if qual_kind is None:
        return Quantity(low=n, high=n, qualifier=None)
    low, high = apply_qualifier(qual_kind, n)
    if high is not None and (high < 0 or (low is not None and low > high)):
        raise ValueError(f"{qualifier} {first} holds no count")  # "fewer than 0"
    return Quantity(low=low, high=high, qualifier=written)
