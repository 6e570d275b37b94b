"""Step 2 of the pipeline: split text into paragraphs and sentences, as character spans into the text.

A line break always ends a sentence (articles put headings, captions and list items on lines of their own).
Inside a line, a sentence ends at `.`, `!`, `?` or `…` (possibly followed by closing quotes or brackets) when
the next word starts a new sentence and the word before the stop is not a known abbreviation.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import NamedTuple

from app.extract.lexicon import ABBREVIATIONS

_LINE = re.compile(r"[^\n]+")
_BOUNDARY = re.compile(r"""[.!?…](["'”’)\]]*)\s+(?=["'“‘(\[]?[A-Z0-9•])""")
_LAST_WORD = re.compile(r"(\S+)$")


class Span(NamedTuple):
    start: int
    end: int


def _trim(text: str, start: int, end: int) -> Span | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end) if end > start else None


def _is_abbreviation(text: str, stop: int, line_start: int) -> bool:
    """True when the period at `stop - 1` closes an abbreviation such as "Mr." or "U.S."."""
    word = _LAST_WORD.search(text, line_start, stop)
    if not word:
        return False
    token = word.group(1).lstrip("([\"'“‘").lower()
    return token in ABBREVIATIONS or bool(re.fullmatch(r"(?:[a-z]\.){1,3}", token))


def sentences(text: str) -> list[Span]:
    """Sentence spans in document order; they cover every non-blank character except surrounding whitespace."""
    out: list[Span] = []
    for line in _LINE.finditer(text):
        begin = line.start()
        for boundary in _BOUNDARY.finditer(text, line.start(), line.end()):
            stop = boundary.start() + 1
            while stop > begin and text[stop - 1] in "\"'”’)]":
                stop -= 1
            if text[stop - 1] == "." and _is_abbreviation(text, stop, begin):
                continue
            span = _trim(text, begin, boundary.end(1))
            if span:
                out.append(span)
            begin = boundary.end()
        span = _trim(text, begin, line.end())
        if span:
            out.append(span)
    return out


def paragraphs(text: str) -> list[Span]:
    """Paragraph spans: runs of text separated by blank lines (a single newline does not end a paragraph)."""
    out: list[Span] = []
    for block in re.finditer(r"(?:[^\n]|\n(?![ \t\u00a0]*\n))+", text):
        span = _trim(text, block.start(), block.end())
        if span:
            out.append(span)
    return out


class SpanIndex:
    """Find the span (sentence, paragraph), or run of spans, that covers an offset or a span."""

    def __init__(self, spans: list[Span]) -> None:
        self.spans = spans
        self._starts = [s.start for s in spans]

    @classmethod
    def of_sentences(cls, text: str) -> SpanIndex:
        return cls(sentences(text) or [Span(0, len(text))])

    @classmethod
    def of_paragraphs(cls, text: str) -> SpanIndex:
        return cls(paragraphs(text) or [Span(0, len(text))])

    def at(self, offset: int) -> int:
        return max(0, bisect_right(self._starts, offset) - 1)

    def covering(self, start: int, end: int) -> Span:
        first = self.spans[self.at(start)]
        last = self.spans[self.at(max(start, end - 1))]
        return Span(min(first.start, start), max(last.end, end))
