"""Step 2b of the pipeline: one pass over the document for every word the later steps look up.

Number words (figures), speech verbs (attribution), chant cues (quotes), month names (dates), outcome words
("killed", "arrested": classification), incident words ("quake", "stampede": discovery) and the event catalogue's
keywords (event links) are found by a single
regular expression over the lower-cased text rather than one scan per list, then looked up by position. Digit runs
are found once too: they anchor figures and, four digits long, years. Inside a document scope (`scope.py`) every
step of one extraction shares its document's scan.
"""

from __future__ import annotations

import functools
import re
from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache

from app.extract.lexicon import (
    CHANT_CUES,
    CONDUIT_CUES,
    COUNT_FRAMES,
    INCIDENT_EXCLUSIONS,
    INCIDENT_KINDS,
    KIND_CUES,
    MONTHS,
    NUMBER_ANCHOR_WORDS,
    QUOTE_VERBS,
    SPEECH_VERBS,
    TOLL_VERBS,
    Hit,
    MultiFinder,
    lower_same_length,
)
from app.extract.scope import per_document

_LISTS: dict[str, list[str]] = {
    "numbers": NUMBER_ANCHOR_WORDS,
    "speech_verbs": [*SPEECH_VERBS, *sorted(QUOTE_VERBS), "spoken of", "spoke of"],
    "chant_cues": CHANT_CUES,
    "months": list(MONTHS),
    "kind_cues": [w for words in KIND_CUES.values() for w in words],
    "conduit_cues": CONDUIT_CUES,
    "count_frames": COUNT_FRAMES,
    "toll_verbs": TOLL_VERBS,
    "incident_words": [w for spec in INCIDENT_KINDS.values() for w in spec["words"]],
    "incident_exclusions": INCIDENT_EXCLUSIONS,
}


@lru_cache(maxsize=8)
def _finder(keywords: tuple[str, ...]) -> MultiFinder:
    """The finder for the fixed lists and an event catalogue's keywords."""
    return MultiFinder({**_LISTS, "keywords": list(keywords)})


_DIGITS = re.compile(r"\d\d*")  # same as \d+, but CPython then skips to digits ~40% faster
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")


class Hits:
    """Words of one list in one document, in text order, looked up by position. Kept in columns — starts and ends
    in arrays, the words shared — since a long document holds hundreds of thousands: a tuple each would cost eight
    times the memory."""

    __slots__ = ("_search", "ends", "starts", "words")

    def __init__(self, items: Iterable[Hit] = (), search: Callable[[int, int], list[Hit]] | None = None) -> None:
        self.starts = array("q")
        self.ends = array("q")
        self.words: list[str] = []
        for hit in items:
            self.append(hit)
        self._search = search

    def append(self, hit: Hit) -> None:
        self.starts.append(hit[0])
        self.ends.append(hit[1])
        self.words.append(hit[2])

    def __iter__(self) -> Iterator[Hit]:
        return self.items

    @property
    def items(self) -> Iterator[Hit]:
        """Every hit, in text order."""
        return zip(self.starts, self.ends, self.words, strict=True)

    def __len__(self) -> int:
        return len(self.starts)

    def between(self, start: int, end: int) -> list[Hit]:
        """What a search of text[start:end] alone finds: the words inside it, or, where a word of the document
        runs over an edge ("shot dead" over a line break, at a sentence's start), what is left of it there."""
        lo, hi = bisect_left(self.starts, start), bisect_left(self.starts, end)
        over_start = lo > 0 and self.ends[lo - 1] > start
        over_end = hi > lo and self.ends[hi - 1] > end
        if (over_start or over_end) and self._search is not None:
            return self._search(start, end)
        return list(zip(self.starts[lo:hi], self.ends[lo:hi], self.words[lo:hi], strict=True))


class DocumentScan:
    __slots__ = ("digits", "keywords", "lowered", "words", "years")

    def __init__(self, norm: str, keywords: tuple[str, ...]) -> None:
        self.keywords = keywords
        self.lowered = lower_same_length(norm)
        finder = _finder(keywords)
        self.words = finder.find_into(self.lowered, Hits)
        for name, hits in self.words.items():
            hits._search = functools.partial(finder.find_one, name, self.lowered)
        self.digits = Hits(
            ((m.start(), m.end(), m.group(0)) for m in _DIGITS.finditer(norm)),
            functools.partial(_matches, _DIGITS, norm),
        )
        years = (r for r in self.digits.items if r[1] - r[0] == 4 and r[2].startswith(("19", "20")))
        self.years = Hits(years, functools.partial(_matches, _YEAR, norm))


def word_before(lowered: str, at: int) -> str | None:
    """The run of letters that ends, then some space, right before `at` ("put the toll at |": "at"); None when no
    space comes right before `at`. A cheap test of the last word before a regex anchored there."""
    end = at
    while end > 0 and lowered[end - 1].isspace():
        end -= 1
    if end == at:
        return None
    begin = end
    while begin > 0 and lowered[begin - 1].isalpha():
        begin -= 1
    return lowered[begin:end]


def _matches(pattern: re.Pattern[str], text: str, start: int, end: int) -> list[Hit]:
    return [(m.start(), m.end(), m.group(0)) for m in pattern.finditer(text, start, end)]


def scan(norm: str, keywords: tuple[str, ...] | None = None) -> DocumentScan:
    """The scan of a normalised document (its text works too: normalising changes no word or digit), with the
    event keywords given; without them, the scan of that text made earlier in the same document scope, whatever
    keywords it had (see `scope.py`)."""
    memo = _scans()
    found = memo.get(norm) if memo is not None else None
    if found is None or (keywords is not None and keywords != found.keywords):
        found = DocumentScan(norm, keywords or ())
        if memo is not None:
            memo[norm] = found
    return found


@per_document
def _scans() -> dict[str, DocumentScan] | None:
    """The scans of the current document scope (None outside one)."""
    return {}
