"""Finding quotations: straight and curly marks, single and double, even a mismatched pair (‘…”).

A quote may run over several sentences but not over a paragraph break. Its span is the words between the marks,
without surrounding spaces or a trailing comma. Apostrophes (regime’s, protesters’) are not quotation marks: a
single mark opens only after a non-letter and closes only before one.
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_left
from dataclasses import dataclass

from app.extract.attribute import speech_verbs_in
from app.extract.scan import scan
from app.extract.scope import per_document

_MARKS = re.compile("[\"“”„«»‘’']")
_MAX_QUOTE = 3000
_OPEN_DOUBLE = "“„«"
_CLOSE_DOUBLE = "”»"
_WORDS = re.compile(r"[\w’']+")


@dataclass(frozen=True, slots=True)
class QuoteSpan:
    open: int  # index of the opening mark
    close: int  # index of the closing mark
    start: int  # the quoted words: text[start:end]
    end: int


def word_count(text: str, *, up_to: int | None = None) -> int:
    """The words in `text`; with `up_to`, counting stops there."""
    if up_to is None:
        return len(_WORDS.findall(text))
    return sum(1 for _ in itertools.islice(_WORDS.finditer(text), up_to))


def _trimmed(text: str, open_: int, close: int) -> QuoteSpan | None:
    start, end = open_ + 1, close
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] == ","):
        end -= 1
    if end <= start or not any(ch.isalnum() for ch in text[start:end]):
        return None
    return QuoteSpan(open=open_, close=close, start=start, end=end)


def find_quotes(text: str) -> list[QuoteSpan]:
    """Quotations in document order."""
    out: list[QuoteSpan] = []
    open_at: int | None = None
    open_kind = ""
    n = len(text)
    for m in _MARKS.finditer(text):
        i = m.start()
        ch = text[i]
        prev = text[i - 1] if i > 0 else " "
        nxt = text[i + 1] if i + 1 < n else " "
        if open_at is not None and open_kind == "double" and ch in _OPEN_DOUBLE + '"':
            # a quotation over several paragraphs: each opens with a mark and only the last one closes — every
            # paragraph is a quotation of its own, up to the paragraph's end
            brk = text.find("\n\n", open_at, i)
            if brk != -1 and not text[brk:i].strip() and i - open_at <= _MAX_QUOTE:
                span = _trimmed(text, open_at, brk)
                if span:
                    out.append(span)
                open_at = i
                continue
        if open_at is not None and ("\n\n" in text[open_at:i] or i - open_at > _MAX_QUOTE):
            open_at = None  # a paragraph break or a runaway: the opening mark was not a quote
        if open_at is None:
            if ch in _OPEN_DOUBLE or (ch == '"' and not prev.isalnum() and not nxt.isspace()):
                open_at, open_kind = i, "double"
            elif ch in "‘'" and not prev.isalnum() and nxt.isalnum():
                open_at, open_kind = i, "single"
            continue
        if open_kind == "double":
            if ch in _CLOSE_DOUBLE or ch == '"':
                span = _trimmed(text, open_at, i)
                if span:
                    out.append(span)
                open_at = None
            elif ch in _OPEN_DOUBLE and not text[open_at + 1 : i].strip():
                open_at = i
        else:  # single
            if (ch in "’'" and not nxt.isalnum()) or ch in _CLOSE_DOUBLE:
                if ch in "’'" and prev in "s" and nxt == " " and text[open_at + 1 : i].count(" ") > 12:
                    continue  # "protesters’ demands": a possessive inside a long single-quoted stretch
                span = _trimmed(text, open_at, i)
                if span:
                    out.append(span)
                open_at = None
            elif ch in _OPEN_DOUBLE:
                open_at, open_kind = i, "double"
    return out


_SEPARATORS = re.compile(r"^[\s,;:.…\-–—]*(?:and|or)?[\s,;:.…\-–—]*$", re.I)


@dataclass(frozen=True, slots=True)
class Cue:
    """A cue word found in the text, shaped like a regex match (start, end, group)."""

    begin: int
    finish: int
    word: str

    def start(self) -> int:
        return self.begin

    def end(self) -> int:
        return self.finish

    def group(self, _index: int = 0) -> str:
        return self.word


@per_document
def _document_chant_cues(norm: str) -> tuple[list[Cue], list[int]]:
    cues = [Cue(i, j, norm[i:j]) for i, j, _ in scan(norm).words["chant_cues"].items]
    return cues, [c.begin for c in cues]


def _chant_in(norm: str, start: int, end: int, *, last: bool = False) -> Cue | None:
    """The first (or `last`) chant cue in norm[start:end]; the document is scanned once, then bisected."""
    cues, starts = _document_chant_cues(norm)
    i = bisect_left(starts, start)
    if i >= len(cues) or cues[i].finish > end:
        return None
    if last:
        while i + 1 < len(cues) and cues[i + 1].finish <= end:
            i += 1
    return cues[i]


def chant_cue(
    norm: str, quotes: list[QuoteSpan], i: int, sentence: tuple[int, int], chants: dict[int, Cue]
) -> Cue | None:
    """The cue that makes quote `i` a chant ("chanted", "slogans", "rallying cry"), or None for speech.

    Looked for in the narration just before the quote, then — when the quote only continues a list of chants —
    inherited from the previous quote, then in the narration just after it, unless a speech verb introduces it."""
    q = quotes[i]
    s_start, s_end = sentence
    follows_quote = i > 0 and quotes[i - 1].close >= s_start  # the quote before it is in the same sentence
    prev_close = quotes[i - 1].close + 1 if follows_quote else s_start
    next_open = quotes[i + 1].open if i + 1 < len(quotes) and quotes[i + 1].open < s_end else s_end
    # the cue nearest the quote: "“A,” the pensioners chanted, while relatives chanted “B”"
    before = _chant_in(norm, prev_close, q.open, last=True)
    if before:
        return before
    if speech_verbs_in(norm, prev_close, q.open):
        return None
    if follows_quote and i - 1 in chants and _SEPARATORS.match(norm[prev_close : q.open]):
        return chants[i - 1]
    after = _chant_in(norm, q.close + 1, next_open)
    if after:
        return after
    # "“A,” the leader's nickname, “B,” and “C” became the rallying cry": the cue after the last quote of a list
    j = i + 1
    while j < len(quotes) and quotes[j].open < s_end:
        end = quotes[j + 1].open if j + 1 < len(quotes) and quotes[j + 1].open < s_end else s_end
        found = _chant_in(norm, quotes[j].close + 1, end)
        if found:
            return found
        if speech_verbs_in(norm, quotes[j - 1].close + 1, quotes[j].open):
            break
        j += 1
    return None
