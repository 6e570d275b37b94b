"""Step 2 of the pipeline: split text into paragraphs and sentences, as character spans into the text.

A line break always ends a sentence (articles put headings, captions and list items on lines of their own).
Inside a line, a sentence ends at `.`, `!`, `?` or `…` (possibly followed by closing quotes or brackets) when
the next word starts a new sentence and the word before the stop is not a known abbreviation.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import NamedTuple

from app.extract.lexicon import ABBREVIATIONS

_BOUNDARY = re.compile(r"""[.!?…](["'”’)\]]*)[^\S\n]+(?=["'“‘(\[]?[A-Z0-9•])""")
_INITIALS = re.compile(r"(?:[a-z]\.){1,3}")
_NEWLINE = re.compile("\n")
_PARAGRAPH_BREAK = re.compile(r"\n(?=[ \t\u00a0]*\n)")


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
    begin = stop
    while begin > line_start and not text[begin - 1].isspace():
        begin -= 1
    token = text[begin:stop].lstrip("([\"'“‘").lower()
    return token in ABBREVIATIONS or _INITIALS.fullmatch(token) is not None


def _add(out: list[Span], text: str, start: int, end: int) -> None:
    span = _trim(text, start, end)
    if span:
        out.append(span)


def sentences(text: str) -> list[Span]:
    """Sentence spans in document order; they cover every non-blank character except surrounding whitespace.
    Sentence stops are found in one pass over the text; a stop never looks past the end of its line."""
    out: list[Span] = []
    line_ends = iter([m.start() for m in _NEWLINE.finditer(text)] + [len(text)])
    line_end = next(line_ends)
    begin = 0  # start of the current sentence
    for boundary in _BOUNDARY.finditer(text):
        while boundary.start() > line_end:  # the lines before this stop end their sentences
            _add(out, text, begin, line_end)
            begin, line_end = line_end + 1, next(line_ends)
        stop = boundary.start() + 1
        while stop > begin and text[stop - 1] in "\"'”’)]":
            stop -= 1
        if text[stop - 1] == "." and _is_abbreviation(text, stop, begin):
            continue
        _add(out, text, begin, boundary.end(1))
        begin = boundary.end()
    _add(out, text, begin, line_end)
    for following in line_ends:  # the lines after the last stop
        _add(out, text, line_end + 1, following)
        line_end = following
    return out


def paragraphs(text: str) -> list[Span]:
    """Paragraph spans: runs of text separated by blank lines (a single newline does not end a paragraph)."""
    out: list[Span] = []
    begin = 0
    for brk in _PARAGRAPH_BREAK.finditer(text):
        _add(out, text, begin, brk.start())
        begin = brk.end()
    _add(out, text, begin, len(text))
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


@dataclass(frozen=True)
class Page:
    """A document as the steps that read past one sentence see it: its text and normalised text (same length), its
    paragraphs, and its date — given, or estimated from the dates it mentions."""

    text: str
    norm: str
    paragraphs: SpanIndex
    published: dt.date | None
    estimated: bool = False

    @classmethod
    def of(cls, text: str, *, published: dt.date | None = None, estimated: bool = False) -> Page:
        """The page of a text on its own (tests, tools): normalised and split into paragraphs here."""
        from app.extract.normalise import normalise

        return cls(text, normalise(text), SpanIndex.of_paragraphs(text), published, estimated)
