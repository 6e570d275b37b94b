"""The extraction pipeline, step by step:

normalise → segment → find figures → parse quantity → classify → attribute → link event → mark revisions.

`extract_claims` reads a document's text and returns claims in the fixture/claims format (`ClaimIn`), each with its
exact span, so `text[claim.start:claim.end] == claim.text` always holds. It never touches a database.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from pydantic import ValidationError

from app.extract.attribute import (
    CROWD,
    JOINED_PARTICLES,
    NAME_PARTICLES,
    UNNAMED,
    PersonMemory,
    Speaker,
    chant_speaker,
    find_speaker,
    headline_source,
    introduced_speaker,
    is_statement_noun,
    joined_quotation,
    office_holder,
    plausible_source,
    single_shouter,
    speaker_label,
    statement_header,
    subject_of_quoted_words,
)
from app.extract.classify import Classified, classify_sentence
from app.extract.figures import Figure, find_figures
from app.extract.incidents import describe
from app.extract.lexicon import CROWD_NOUNS, PEOPLE_NOUNS, QUALIFIER, alternation, word_tuple, words
from app.extract.link import EventLinker, catalogue_keywords, estimate_published, find_dates
from app.extract.normalise import normalise
from app.extract.quantity import Quantity
from app.extract.quotes import Cue, QuoteSpan, chant_cue, find_quotes, word_count
from app.extract.revise import Counted, revision_mark
from app.extract.scan import scan
from app.extract.scope import document_scope
from app.extract.segment import Page, Span, SpanIndex
from app.schemas import (
    LABEL_TEXT,
    NAME_TEXT,
    SHORT_TEXT,
    AttributionIn,
    ClaimIn,
    ClaimOut,
    EventCatalogue,
    EventIn,
    load_json_file,
)
from app.settings import FIXTURES_DIR

FRAGMENT_MAX_WORDS = 4
"""A quotation of this many words or fewer, not chanted, is a fragment (scare quotes), not a speech."""

_ORG_WORDS = re.compile(
    r"\b(?:" + "|".join(re.escape(w) for w in sorted(words("pipeline.organisation_words"))) + r")\b", re.I
)
_NAME_LINKS = frozenset(words("pipeline.name_links"))
"""Small words that join an organisation's name and do not occur inside a person's."""
_JOINED_PARTICLE = re.compile(rf"(?:{'|'.join(JOINED_PARTICLES)})-[A-Z]")


def _name_word(word: str) -> bool:
    """A word of a person's name: capitalised, a particle ('de', 'van', 'bin') or joined ('al-Baghdadi')."""
    return word[:1].isupper() or word in NAME_PARTICLES or _JOINED_PARTICLE.match(word) is not None


_CONTINUATION_STARTS = alternation(word_tuple("pipeline.continuation_starts"))
_CONTINUES = re.compile(rf"\s*(?:{_CONTINUATION_STARTS})\b", re.I)
"""A sentence that carries on the one before ('Another 200 were injured', 'Of those, 40 were children'): its
figures are the same source's when it names none."""
_EXISTENTIAL_LEADS = alternation(word_tuple("pipeline.existential_leads"))
_OPENS_WITH_FIGURE = re.compile(rf"\s*(?:(?:{_EXISTENTIAL_LEADS})\s*)?", re.I)
"""What may come before a sentence's figure for it to open with it: nothing, or 'There are' ('There are over 130 dead
so far')."""
_ON_DATE = re.compile(r"^\s+(?:on|in)\s+")


@dataclass(frozen=True)
class Extraction:
    claims: list[ClaimIn]
    published: dt.date | None
    published_estimated: bool
    dropped: tuple[str, ...] = ()
    """Claims the extractor found but could not state validly (a span, an interval): reported, not added."""
    found: int = 0
    """How many claims were found: `len(claims)`, or, when they were handed over in batches, all of them."""


@dataclass
class Doc:
    """One document as every step of the pipeline sees it, built once by `extract_claims`: its text and normalised
    text, sentences, paragraphs and quotations, the event linker (dates, keywords, incidents), and what the steps
    learn as they go — the people named so far, the speaker of each quotation and of each paragraph's last figure,
    the chants seen."""

    text: str
    norm: str
    published: dt.date | None
    sentences: SpanIndex
    paragraphs: SpanIndex
    quotes: list[QuoteSpan]
    linker: EventLinker
    memory: PersonMemory = field(default_factory=PersonMemory)
    quote_speakers: dict[int, Speaker | None] = field(default_factory=dict)
    """The speakers of the last quotations (by index): a quotation that carries on the one before is its speaker's."""
    figure_speakers: dict[int, Speaker | None] = field(default_factory=dict)
    """The speaker of the current paragraph's last figure (by paragraph index)."""
    chants: dict[int, Cue] = field(default_factory=dict)
    header: Speaker | None = None
    """The issuer a statement's header line names ('Statement by …'): its unattributed quotations are theirs."""
    last_figure_sentence: int = -1
    """The sentence of the last figure: an 'according to' carried into one sentence goes on into the next."""
    counted: dict[int, list[Counted]] = field(default_factory=dict)
    """The figures of the current paragraph so far (by paragraph index): what a revision revises."""
    spoken: list[tuple[int, int, Speaker]] = field(default_factory=list)
    """Every quotation so far whose speaker is named (its span), with that speaker: what a heading may echo. Its
    words are read only when a heading asks."""
    echoes: list[tuple[str, ClaimIn]] = field(default_factory=list)
    """Quotations in a heading with no speaker yet, with their words: a later quotation that holds them names it."""
    answered: list[tuple[ClaimIn, ClaimIn]] = field(default_factory=list)
    """Heading quotations just answered, each with its claim as answered: the claim list takes the answer."""

    quote_starts: list[int] = field(init=False)
    marks: list[tuple[int, int]] = field(init=False)
    """Every quotation with its marks: cue words inside quotation marks are no narration."""

    def __post_init__(self) -> None:
        self.quote_starts = [q.start for q in self.quotes]
        self.marks = [(q.open, q.close + 1) for q in self.quotes]


def default_catalogue() -> list[EventIn]:
    path = FIXTURES_DIR / "events.json"
    return list(load_json_file(path, EventCatalogue).events) if path.exists() else []


@lru_cache(maxsize=4096)
def guess_source_kind(name: str) -> str:
    if name == UNNAMED:
        return "unnamed"
    if _ORG_WORDS.search(name):
        return "organisation"
    words = name.split()
    if name == CROWD or (words[0].lower() in CROWD_NOUNS and not any(w[:1].isupper() for w in words[1:])):
        return "crowd"  # "Students", "relatives of the detainees"; not "Doctors Without Borders"
    if name[:1].islower():
        return "unnamed"
    if len(words) >= 3 and any(w.lower() in _NAME_LINKS for w in words[1:-1]):
        return "organisation"  # "Doctors Without Borders", "Committee to Protect Journalists": no person's name
    if 1 <= len(words) <= 5 and words[0][:1].isupper() and all(_name_word(w) for w in words):
        return "person"
    return "unknown"


def clip(value: str | None, width: int) -> str | None:
    """A value cut to a column's width, an ellipsis marking the cut: what the rules read is never too long to store."""
    if value is None or len(value) <= width:
        return value
    return value[: width - 1].rstrip() + "…"


def _attribution(role: str, speaker: Speaker, expand: dict[str, str]) -> AttributionIn:
    assert speaker.name is not None
    name = clip(expand.get(speaker.name, speaker.name), NAME_TEXT) or speaker.name
    return AttributionIn(
        role=role,
        source=name,
        source_kind=guess_source_kind(name),
        cue=clip(speaker.cue, SHORT_TEXT),
        cue_start=speaker.cue_start,
        cue_end=speaker.cue_end,
        title=speaker.title if role == "asserter" else None,
    )


def _attributions(speaker: Speaker | None, expand: dict[str, str]) -> list[AttributionIn]:
    """The asserter and conduit of a speaker; acronyms defined in the text are written out ("AAPP" → its name)."""
    if speaker is None or not speaker.name:
        return []
    out = [_attribution("asserter", speaker, expand)]
    conduit = speaker.conduit
    if conduit is not None and conduit.name and conduit.name != speaker.name:
        out.append(_attribution("conduit", conduit, expand))
    return out


def _inside(quotes: list[QuoteSpan], starts: list[int], start: int, end: int) -> int | None:
    """The quotation holding text[start:end] (quotations do not overlap: the last one opening before it)."""
    i = bisect_right(starts, start) - 1
    if i >= 0 and quotes[i].start <= start and end <= quotes[i].end:
        return i
    return None


CLAIM_BATCH = 500
"""How many claims `extract_claims` hands to `on_claims` at a time."""


def extract_claims(
    text: str,
    *,
    published: dt.date | None = None,
    catalogue: list[EventIn] | None = None,
    on_claims: Callable[[list[ClaimIn]], None] | None = None,
) -> Extraction:
    """Every figure and quotation in `text` with kind, bounds, speaker, conduit and event.

    With `on_claims`, the claims are handed over in document order, `CLAIM_BATCH` at a time, as they are found, and
    not kept: the result's `claims` is then empty and `found` counts them. Memory then stays bounded by the text,
    not by the number of claims."""
    with document_scope():  # the steps share one scan, one set of dates, …: dropped with the document
        return _extract(text, published=published, catalogue=catalogue, on_claims=on_claims)


def _extract(
    text: str,
    *,
    published: dt.date | None,
    catalogue: list[EventIn] | None,
    on_claims: Callable[[list[ClaimIn]], None] | None,
) -> Extraction:
    if catalogue is None:
        catalogue = default_catalogue()
    norm = normalise(text)  # 1. normalise
    scan(norm, catalogue_keywords(catalogue))  # 2b. every lexicon word, once
    estimated = False
    if published is None:
        published = estimate_published(text, norm=norm)
        estimated = published is not None
    sentence_index = SpanIndex.of_sentences(text)  # 2. segment
    paragraph_index = SpanIndex.of_paragraphs(text)
    quotes = find_quotes(text)
    linker = EventLinker(catalogue, Page(text, norm, paragraph_index, published, estimated))
    doc = Doc(text, norm, published, sentence_index, paragraph_index, quotes, linker)
    doc.header = statement_header(text, [(p.start, p.end) for p in paragraph_index.spans[:4]])

    items: list[tuple[int, str, object]] = [(q.open, "quote", i) for i, q in enumerate(quotes)]
    by_sentence: dict[int, list[Figure]] = {}
    for fig in find_figures(norm):  # 3-4. find figures, parse quantities
        by_sentence.setdefault(sentence_index.at(fig.start), []).append(fig)
    last: tuple[int, Classified] | None = None  # the paragraph and class of the last figure classified
    for s_i, figures in by_sentence.items():
        sent = sentence_index.spans[s_i]
        p_i = paragraph_index.at(sent.start)
        carried = last[1] if last and last[0] == p_i else None
        window = (sent.start, _label_end(doc, figures, s_i) or sent.end)
        classes = classify_sentence(norm, text, figures, window, carried=carried)  # 5. classify
        for fig, cls in zip(figures, classes, strict=True):
            if cls is not None:
                items.append((fig.start, "figure", (fig, cls, s_i)))
                last = (p_i, cls)
    del by_sentence  # the figures live on in `items`: a long document's lists are not kept twice
    items.sort(key=lambda item: item[0])

    claims: list[ClaimIn] = []
    dropped: list[str] = []
    found = 0
    for position, what, payload in items:
        try:
            claim = _claim_at(doc, what, payload)
        except ValidationError as exc:  # one bad claim is reported; the rest of the document goes on
            error = exc.errors()[0]
            where = ".".join(map(str, error["loc"]))
            reason = str(error["msg"]).removeprefix("Value error, ")
            dropped.append(f"{what} at {position}: {where + ': ' if where else ''}{reason}")
            continue
        if claim is not None:
            claims.append(claim)
            found += 1
            if doc.answered:
                _take_answers(claims, doc.answered)
            if on_claims is not None and len(claims) >= CLAIM_BATCH:
                on_claims(claims)
                claims = []
                doc.echoes.clear()  # handed over: a heading's quotation is no longer answered
    if on_claims is not None and claims:
        on_claims(claims)
        claims = []
    return Extraction(
        claims=claims, published=published, published_estimated=estimated, dropped=tuple(dropped), found=found
    )


def _take_answers(claims: list[ClaimIn], answered: list[tuple[ClaimIn, ClaimIn]]) -> None:
    """Put each answered heading quotation's new claim in its old one's place (claims are immutable)."""
    for old, new in answered:
        for k in range(len(claims) - 1, -1, -1):
            if claims[k] is old:
                claims[k] = new
                break
    answered.clear()


_LABEL_LINE = re.compile(r"[A-Z][^.!?:;\n]{2,120}")
"""A fact sheet's label: a line of words, no sentence stop ('Estimated Number of People Injured by the Earthquake')."""


def _label_end(doc: Doc, figures: list[Figure], s_i: int) -> int | None:
    """A figure that is its whole paragraph, read with the label paragraph after it (a fact sheet's 'Numbers at a
    Glance': '8,174' then 'Estimated Number of People Injured by the Earthquake'): the label's end, else None."""
    sent = doc.sentences.spans[s_i]
    if len(figures) != 1 or doc.text[sent.start : sent.end].strip() != doc.text[figures[0].start : figures[0].end]:
        return None
    p_i = doc.paragraphs.at(sent.start)
    if p_i + 1 >= len(doc.paragraphs.spans) or doc.paragraphs.spans[p_i].end > sent.end + 1:
        return None
    label = doc.paragraphs.spans[p_i + 1]
    words = doc.text[label.start : label.end].split()
    if len(words) > 14 or not _LABEL_LINE.fullmatch(doc.text, label.start, label.end):
        return None
    first = words[0].lower()
    if first.endswith("s") and first not in PEOPLE_NOUNS:
        return None  # "39 | Districts Across Nepal Affected by the Earthquake": a count of things
    return label.end


def _claim_at(doc: Doc, what: str, payload: object) -> ClaimIn | None:
    """The claim of one quotation or one figure."""
    if what == "quote":
        assert isinstance(payload, int)
        return _quote_claim(doc, payload)
    assert isinstance(payload, tuple)
    fig, cls, s_i = payload
    return _figure_claim(doc, fig, cls, s_i)


def _asserted_on(doc: Doc, speaker: Speaker | None) -> dt.date | None:
    text, linker = doc.text, doc.linker
    if speaker is None or not speaker.cue_end:
        return None
    tail = text[speaker.cue_end : speaker.cue_end + 40]
    if not _ON_DATE.match(tail):
        return None

    dates = find_dates(text, speaker.cue_end, speaker.cue_end + 40, linker.published, norm=linker.norm)
    return dates[0].first if dates and dates[0].precision == "day" else None


def _continued_speaker(doc: Doc, i: int) -> Speaker | None:
    """A quotation that carries on the one before — "“A,” said X, “B.”" or "“A,” she said. “B.”" — is X's too,
    when only an attribution stands between them in the same paragraph."""
    text, quotes, quote_speakers, sentence_index = doc.text, doc.quotes, doc.quote_speakers, doc.sentences
    if i == 0 or quote_speakers.get(i - 1) is None:
        return None
    previous, current = quotes[i - 1], quotes[i]
    gap = text[previous.close + 1 : current.open]
    if "\n\n" in gap or len(gap) > 160:
        return None
    speaker = quote_speakers[i - 1]
    assert speaker is not None
    attribution_between = previous.close < speaker.cue_start < current.open
    same_sentence_run = sentence_index.at(current.open) - sentence_index.at(previous.close) <= 1
    if attribution_between and same_sentence_run:
        return speaker
    return None


def _paragraph_continues(doc: Doc, i: int) -> Speaker | None:
    """A paragraph that is one quotation and nothing else carries on the speaker of the paragraph before — the
    last one quoted there, or the last person it named with a speech verb: '¶ Obama said the attack was an act of
    terror. ¶ “We will find out who did this.”'."""
    text, q = doc.text, doc.quotes[i]
    p_i = doc.paragraphs.at(q.open)
    paragraph = doc.paragraphs.spans[p_i]
    if p_i == 0 or text[paragraph.start : q.open].strip() or text[q.close + 1 : paragraph.end].strip(" \t.,"):
        return None
    before = doc.paragraphs.spans[p_i - 1]
    previous = doc.quote_speakers.get(i - 1)
    if previous is not None and previous.name and i > 0 and before.start <= doc.quotes[i - 1].open < before.end:
        return replace(previous, rule="paragraph-continues")
    last = doc.sentences.spans[doc.sentences.at(max(before.start, before.end - 1))]
    said = _main_speaker(doc, last)
    if said is None or not said.name or not said.name[:1].isupper() or said.name == UNNAMED:
        return None
    return replace(said, rule="paragraph-continues")


def _main_speaker(doc: Doc, sentence: Span) -> Speaker | None:
    """Who speaks in a sentence as a whole, for the quotation after it: the subject of its first speech verb
    ('Gilbert Houngbo said that … what the ILO has described as …': Houngbo), else the speaker nearest its end."""
    bounds = (sentence.start, sentence.end)
    first = find_speaker(doc, target=(sentence.start, sentence.start), sentence=bounds, previous_sentence=None)
    last = find_speaker(doc, target=(sentence.end, sentence.end), sentence=bounds, previous_sentence=None)
    if first is None or not first.name or not first.cue or not first.name[:1].isupper():
        return last
    return last if last is not None and last.name == first.name else first  # the same one, with a title if given


def _sentence_continues(doc: Doc, i: int) -> Speaker | None:
    """A quotation that opens a sentence carries on the speaker whom the sentence before it, in the same paragraph,
    reports with a speech verb: 'Holmes noted that one in three Haitians were affected. “They need our help.”'."""
    text, q = doc.text, doc.quotes[i]
    s_i = doc.sentences.at(q.open)
    sentence = doc.sentences.spans[s_i]
    if s_i == 0 or text[sentence.start : q.open].strip():
        return None
    last = doc.sentences.spans[s_i - 1]
    k = bisect_left(doc.quote_starts, last.start)
    if "\n" in text[last.end : q.open] or (k < len(doc.quote_starts) and doc.quote_starts[k] < last.end):
        return None  # another paragraph, or a sentence with a quotation of its own (its speaker carries already)
    said = _main_speaker(doc, last)
    if said is None or not said.name or not said.name[:1].isupper() or said.name == UNNAMED or not said.cue:
        return None
    return replace(said, rule="sentence-continues")


_WORD = re.compile(r"[\w'’\-]+")
HEADING_MAX_WORDS = 12
"""A heading (a subheading's line: '‘Doing all we can’') is short and ends with no full stop."""


def _words_of(text: str) -> str:
    """A quotation's words, folded and spaced, for finding them inside another: ' needs are immense '."""
    return " " + " ".join(_WORD.findall(text.casefold().replace("’", "'"))) + " "


def _in_heading(doc: Doc, q: QuoteSpan) -> bool:
    """Whether a quotation stands in the headline or in a subheading line of its own (‘Immense’ need)."""
    p_i = doc.paragraphs.at(q.open)
    if len(doc.paragraphs.spans) < 2:
        return False  # a paragraph alone has no headings
    paragraph = doc.paragraphs.spans[p_i]
    line = doc.text[paragraph.start : paragraph.end].strip()
    if line.rstrip("'\"’”").endswith((".", "!", "?", ",")):
        return False  # a sentence, not a heading
    return p_i == 0 or word_count(line, up_to=HEADING_MAX_WORDS + 1) <= HEADING_MAX_WORDS


def _as_echo(speaker: Speaker) -> Speaker:
    return replace(speaker, rule=f"echoed-quotation ({speaker.rule})", conduit=None)


def _echoed(doc: Doc, words: str) -> Speaker | None:
    """The speaker of the latest quotation so far that holds a heading's quoted words."""
    for start, end, speaker in reversed(doc.spoken):
        if words in _words_of(doc.text[start:end]):
            return _as_echo(speaker)
    return None


def _answer_echoes(doc: Doc, words: str, speaker: Speaker) -> None:
    """A quotation with a named speaker names the speaker of every earlier heading quotation whose words it holds
    ('Ban Strongly Condemns ‘Totally Reprehensible’ Terrorist Act' … 'Mr. Ban said the act is “totally
    reprehensible.”')."""
    waiting = []
    for echo, claim in doc.echoes:
        if echo not in words:
            waiting.append((echo, claim))
            continue
        echoed = _as_echo(speaker)
        explanation = dict(claim.explanation or {})
        explanation["asserter"] = _step(doc.text, echoed.rule, (echoed.cue_start, echoed.cue_end))
        answer = claim.model_copy(
            update={"attributions": _attributions(echoed, doc.linker.acronyms), "explanation": explanation}
        )
        doc.answered.append((claim, answer))
    doc.echoes = waiting


def _is_fragment(text: str, q: QuoteSpan, sentence_start: int, words: int) -> bool:
    """Scare quotes: a few words quoted inside narration. A short quotation that stands as a sentence of its own
    (“Some lost 20 kilos.”) is speech."""
    if words > FRAGMENT_MAX_WORDS:
        return False
    quoted = text[q.start : q.end]
    alone = not text[sentence_start : q.open].strip() and quoted[:1].isupper() and quoted.endswith((".", "!", "?"))
    return not alone


_NOT_A_SPEAKER_START = re.compile(
    r"\s*(?:" + "|".join(re.escape(w) for w in sorted(words("pipeline.not_a_speaker_start"))) + r")\b", re.I
)
_INTRODUCED = re.compile(r"[^“”\"]{0,60}?[:,]\s*$")


def _said_directly(text: str, q: QuoteSpan, sentence_start: int, speaker: Speaker | None) -> bool:
    """A quotation that a speech verb attributes on the spot is speech, however short: "“Nobody warned us,”
    residents said", "He said: “We are tired.”". Scare quotes are not: "called it a “sham,” and said …"."""
    if speaker is None or not speaker.cue:
        return False
    if speaker.cue_start > q.close:
        if text[sentence_start : q.open].strip():
            return False  # 'The vote was, in his words, “a farce,” he told the BBC': quoted inside narration
        between = text[q.close + 1 : speaker.cue_start]
        ends_utterance = text[q.start : q.close].rstrip()[-1:] in (",", "!", "?") or between.startswith(",")
        return ends_utterance and "“" not in between and '"' not in between and not _NOT_A_SPEAKER_START.match(between)
    if speaker.cue_end <= q.open:
        return _INTRODUCED.fullmatch(text, speaker.cue_end, q.open) is not None
    return False


_BROADCAST_INTRODUCTION = re.compile(r"(?:That|This)\s+(?:was|is)\s+[A-Z]")
"""'That was President Obama describing the attacks': a broadcast names the voice just heard."""
_FIGURE_START = re.compile(rf"(?:(?:{QUALIFIER})\s+)?\d", re.I)
"""A quotation that opens with a figure ('"more than 360" deaths')."""


def _quote_claim(doc: Doc, i: int) -> ClaimIn | None:
    """The claim of quotation `i`: its form (speech, chant, fragment), speaker, conduit and event."""
    text, norm, quotes, linker, memory = doc.text, doc.norm, doc.quotes, doc.linker, doc.memory
    sentence_index, quote_speakers, chants = doc.sentences, doc.quote_speakers, doc.chants
    paragraph_index = doc.paragraphs
    q = quotes[i]
    asked = i > 0 and text[quotes[i - 1].start : quotes[i - 1].end].endswith("?")  # the next quote answers
    s_start, s_end = sentence_index.covering(q.open, q.close + 1)
    s_i = sentence_index.at(q.open)
    previous = sentence_index.spans[s_i - 1] if s_i > 0 else None
    words = word_count(text[q.start : q.end], up_to=FRAGMENT_MAX_WORDS + 1)
    chant = chant_cue(norm, quotes, i, (s_start, s_end), chants)
    shouter = single_shouter(text, chant, q.close, (s_start, s_end)) if chant else None
    speaker: Speaker | None
    if chant and shouter:
        form = "fragment" if _is_fragment(text, q, s_start, words) else "speech"
        speaker = Speaker(
            name=shouter,
            cue=text[chant.start() : chant.end()],
            cue_start=chant.start(),
            cue_end=chant.end(),
            rule="shouted-by-one",
        )
    elif chant:
        chants[i] = chant
        form = "chant"
        crowd = chant_speaker(text, norm, chant, q.close, (s_start, s_end))
        speaker = Speaker(
            name=crowd,
            cue=text[chant.start() : chant.end()],
            cue_start=chant.start(),
            cue_end=chant.end(),
            rule="chant-of-crowd",
        )
    else:
        form = "fragment" if _is_fragment(text, q, s_start, words) else "speech"
        speaker = find_speaker(
            doc,
            target=(q.start, q.end),
            sentence=(s_start, s_end),
            previous_sentence=(previous.start, previous.end) if previous else None,
            quote_marks=(q.open, q.close + 1),
        )
        if speaker is None and form == "fragment" and _FIGURE_START.match(text, q.start):
            # 'a figure of "more than 360" deaths was later reported': a quoted figure is reported like the figure
            speaker = find_speaker(
                doc,
                target=(q.start, q.end),
                sentence=(s_start, s_end),
                previous_sentence=(previous.start, previous.end) if previous else None,
            )
        s_next = sentence_index.at(q.close) + 1
        following = sentence_index.spans[s_next] if s_next < len(sentence_index.spans) else None
        next_paragraph = None
        if following is not None and (following.start - (q.close + 1) > 3 or "\n" in text[q.close : following.start]):
            if (
                "\n" in text[q.close : following.start]
                and not text[paragraph_index.spans[paragraph_index.at(q.open)].start : q.open].strip()
            ):
                next_paragraph = following  # a quotation that is its whole paragraph: "That was X describing …" next
            following = None  # only the sentence right after the quotation, in its paragraph, can name its speaker
        issued_by = speaker is not None and speaker.rule == "statement-issued-by"
        if speaker is None or is_statement_noun(speaker.name) or issued_by:
            # "Secretary-General X “strongly condemns …”, a statement said": the person, not the paper; "…, said a
            # statement from his Spokesperson": the person, through the spokesperson who issued it
            subject = subject_of_quoted_words(text, s_start, q.open)
            if subject is not None and issued_by:
                subject = replace(subject, conduit=speaker)
            speaker = subject or speaker
        if (
            (speaker is None or is_statement_noun(speaker.name) or speaker.rule == "statement-issued-by")
            and i > 0
            and quotes[i - 1].open >= s_start
            and joined_quotation(text, quotes[i - 1].close, q.open)
        ):
            joined = quote_speakers.get(i - 1)  # "… “strongly condemns the violence” and “the use of force …”"
            speaker = replace(joined, rule="joined-quotation") if joined is not None else None
        if speaker is None and following is not None:
            speaker = introduced_speaker(text, following.start, following.end)  # "That is how X remembers it."
        if speaker is None and next_paragraph is not None and _BROADCAST_INTRODUCTION.match(text, next_paragraph.start):
            speaker = introduced_speaker(text, next_paragraph.start, next_paragraph.end)
        if speaker is None and form == "speech" and not asked:
            # "“A,” said X. “B.” Her husband said …": B carries on X's words; the next sentence says something else.
            # Not after a question ("“Who gave the order?” asked the judge. “I do not know.”"): someone answers
            speaker = _continued_speaker(doc, i)
            if speaker is not None:
                speaker = replace(speaker, rule="quotation-continues")
        if speaker is None and following is not None:
            # "“… Tehran alone!” Ali Akbar Raefipoor, a figure close to Khamenei, stated on June 17."
            speaker = find_speaker(
                doc, target=(q.start, q.end), sentence=(s_start, following.end), previous_sentence=None,
                quote_marks=(q.open, q.close + 1),
            )  # fmt: skip
        if speaker is None and form == "speech" and not asked:
            speaker = _paragraph_continues(doc, i) or _sentence_continues(doc, i)
        if speaker is None and form == "speech":
            paragraph = paragraph_index.spans[paragraph_index.at(q.open)]
            speaker = speaker_label(text, paragraph.start, paragraph.end) or doc.header
        elif speaker is None and paragraph_index.at(q.open) == 0:
            # "Obama: Downing of airliner an 'Outrage of Unspeakable Proportions'": a headline's label, for a fragment
            speaker = speaker_label(text, paragraph_index.spans[0].start, paragraph_index.spans[0].end)
        if speaker is None and paragraph_index.at(q.open) == 0:
            # "Lebanon: UN 'actively assisting' …", "… 'still in need' – UNICEF": the headline's source
            speaker = headline_source(text, paragraph_index.spans[0].start, paragraph_index.spans[0].end)
    if speaker is not None and not plausible_source(speaker):
        speaker = None  # 'Manchhar Lake', 'He also': no one a reader could name as the speaker
    speaker = office_holder(speaker, on=doc.published, text=text)  # "the UN chief" on the day: who held the office
    heading_echo = form != "chant" and (speaker is None or not speaker.name) and _in_heading(doc, q)
    words_quoted = _words_of(text[q.start : q.end]) if heading_echo or (doc.echoes and form != "chant") else ""
    if heading_echo:
        speaker = _echoed(doc, words_quoted) or speaker  # "‘Immense’ need" after "“… the needs are immense”, he said"
        heading_echo = speaker is None or not speaker.name
    elif speaker is not None and speaker.name and form != "chant":
        doc.spoken.append((q.start, q.end, speaker))
        if doc.echoes:
            _answer_echoes(doc, words_quoted, speaker)
    if form == "fragment" and _said_directly(text, q, s_start, speaker):
        form = "speech"
    quote_speakers.pop(i - 2, None)  # only the last quotation's speaker is asked for: a long document keeps no more
    quote_speakers[i] = speaker
    if speaker and speaker.name and form != "chant":
        # noted where the attribution's sentence ends: "said Claire Dubois, a coordinator for Doctors Without
        # Borders." — the organisation in her title is not the nearest person for a later "she"
        memory.note(speaker.name, sentence_index.covering(speaker.cue_start, speaker.cue_end)[1])
    paragraph = paragraph_index.spans[paragraph_index.at(q.open)]
    event, incident, event_rule = linker.link(
        span=(q.start, q.end), sentence=(s_start, s_end), paragraph=(paragraph.start, paragraph.end), figure=False
    )
    claim = ClaimIn(
        kind="quote",
        text=text[q.start : q.end],
        start=q.start,
        end=q.end,
        quote_form=form,
        event=event,
        incident=incident,
        explanation=_explain(text, speaker=speaker, event=event_rule, form=(f"quote-{form}", None)),
        attributions=_attributions(speaker, linker.acronyms),
        asserted_on=_asserted_on(doc, speaker),
    )
    if heading_echo and words_quoted.strip():
        doc.echoes.append((words_quoted, claim))  # a later quotation may hold these words and name the speaker
    return claim


def _figure_claim(doc: Doc, fig: Figure, cls: object, s_i: int) -> ClaimIn | None:
    """The claim of a classified figure in sentence `s_i`: its asserter, conduit and event."""
    text, quotes, linker, memory = doc.text, doc.quotes, doc.linker, doc.memory
    sentence_index, paragraph_index, quote_starts = doc.sentences, doc.paragraphs, doc.quote_starts
    quote_speakers, figure_speakers = doc.quote_speakers, doc.figure_speakers
    assert isinstance(cls, Classified)
    sent = sentence_index.spans[s_i]
    inside = _inside(quotes, quote_starts, fig.start, fig.end)
    speaker: Speaker | None = None
    if inside is not None:
        speaker = quote_speakers.get(inside)
        if speaker is not None:
            speaker = replace(speaker, rule=f"inside-quotation ({speaker.rule})")
        elif quotes[inside].start >= fig.start and quotes[inside].end - fig.end <= 12:
            inside = None  # 'a figure of "more than 360" deaths was later reported': the figure quoted, no speech
    if inside is None:
        previous = sentence_index.spans[s_i - 1] if s_i > 0 else None
        speaker = find_speaker(
            doc,
            target=(fig.start, fig.end),
            sentence=(sent.start, sent.end),
            previous_sentence=(previous.start, previous.end) if previous else None,
        )
        if speaker and speaker.name:
            memory.note(speaker.name, sentence_index.covering(speaker.cue_start, speaker.cue_end)[1])
    p_i = paragraph_index.at(fig.start)
    if (speaker is None or not speaker.name) and cls.part_of_previous:
        speaker = figure_speakers.get(p_i)  # "… according to an AFP tally. The tally includes 101 foreigners."
        if speaker is not None:
            speaker = replace(speaker, rule="part-of-previous-figure")
    elif (speaker is None or not speaker.name) and inside is None:
        carried = figure_speakers.get(p_i)
        if carried is not None and carried.name and _CONTINUES.match(text, sent.start):
            # "According to the ministry, 80 were killed. Another 200 were injured."
            speaker = replace(carried, rule="carried-from-sentence-before")
        elif (
            carried is not None
            and carried.name
            and carried.rule.startswith("according-to")
            and s_i > 0
            and carried.cue_start >= sentence_index.spans[s_i - 1].start
            and not text[sentence_index.spans[s_i - 1].start : carried.cue_start].strip()
            and _OPENS_WITH_FIGURE.fullmatch(text, sent.start, fig.start)
        ):
            # "According to the government, the quake caused 5,006 deaths. Over 10,194 people have been injured.":
            # a sentence that opens with its figure goes on with the list the opening 'according to' began; not
            # "… on board, according to local officials. Fewer than 50 survivors had been rescued."
            speaker = replace(carried, rule="according-to-carried")
        elif (
            carried is not None
            and carried.name
            and carried.rule == "according-to-carried"
            and (
                (doc.last_figure_sentence == s_i - 1 and _OPENS_WITH_FIGURE.fullmatch(text, sent.start, fig.start))
                or doc.last_figure_sentence == s_i
            )
        ):
            # "According to state media, over 41,000 died. Some 32,000 are missing, while more than 250,000 others
            # were injured. Roughly 5 million have been left homeless.": the list goes on, sentence after sentence
            speaker = carried
    if (speaker is None or not speaker.name) and inside is None:
        paragraph = paragraph_index.spans[p_i]
        speaker = speaker_label(text, paragraph.start, paragraph.end) or speaker  # "Nathalie Fustier: … 1000 …"
        if (speaker is None or not speaker.name) and p_i == 0:
            speaker = headline_source(text, paragraph.start, paragraph.end) or speaker  # "Officials: 147 Dead …"
    header = doc.header
    if (speaker is None or not speaker.name) and inside is None and header and header.rule == "transcript-header":
        speaker = header  # "Following is the text of remarks by …": every figure of a speech is its speaker's
    if inside is None:
        speaker = office_holder(speaker, on=doc.published, text=text)  # "the UN chief said": who held the office
    if p_i not in figure_speakers:
        figure_speakers.clear()  # a new paragraph: the last one's figures are asked for no more
    figure_speakers[p_i] = speaker
    doc.last_figure_sentence = s_i
    paragraph = paragraph_index.spans[p_i]
    event, incident, event_rule = linker.link(
        span=(fig.start, fig.end), sentence=(sent.start, sent.end), paragraph=(paragraph.start, paragraph.end)
    )
    q = fig.quantity
    explanation = _explain(
        text,
        speaker=speaker,
        event=event_rule,
        form=(cls.rule, cls.cue),
        interval=(_interval_rule(q), (fig.start, fig.end)),
    )
    attributions = _attributions(speaker, linker.acronyms)
    asserter = next((a.source for a in attributions if a.role == "asserter"), None)
    counted = Counted(fig.start, fig.end, sent.start, (cls.kind, cls.unit, cls.subgroup), asserter)
    earlier = doc.counted.setdefault(p_i, [])
    if len(doc.counted) > 1:
        doc.counted = {p_i: earlier}  # a new paragraph: the last one's figures are revised no more
    mark = revision_mark(doc.norm, figure=counted, earlier=earlier)  # the last step: revisions
    if mark is not None:
        explanation["revision"] = _step(text, mark.rule, (mark.other.start, mark.other.end))
    earlier.append(counted)
    return ClaimIn(
        kind=cls.kind,
        text=text[fig.start : fig.end],
        start=fig.start,
        end=fig.end,
        low=q.low,
        high=q.high,
        qualifier=clip(q.qualifier, LABEL_TEXT),
        unit=clip(cls.unit, LABEL_TEXT),
        subgroup=clip(cls.subgroup, SHORT_TEXT),
        event=event,
        incident=incident,
        explanation=explanation,
        confidence=confidence(explanation),
        attributions=attributions,
        asserted_on=_asserted_on(doc, speaker),
    )


def _interval_rule(q: Quantity) -> str:
    if q.vague:
        return f"vague amount ({q.qualifier})" if q.qualifier else "vague amount"
    if q.qualifier:
        return f"qualifier ({q.qualifier})"
    return "exact number"


def _step(text: str, rule: str, span: tuple[int, int] | None) -> dict[str, object]:
    out: dict[str, object] = {"rule": rule}
    if span is not None and span[0] < span[1]:
        out |= {"cue": text[span[0] : span[1]], "start": span[0], "end": span[1]}
    return out


CONFIDENCE_FILE = Path(__file__).parent / "data" / "confidence.json"
"""How often each rule is right on the development half (benchmarks/rule_accuracy.py --write)."""


@lru_cache(maxsize=1)
def _confidences() -> dict[str, dict[str, float]]:
    data: dict[str, dict[str, float]] = json.loads(CONFIDENCE_FILE.read_text(encoding="utf-8"))
    return data


def rule_key(rule: str) -> str:
    """The rule a confidence is kept for: its name without the details after a comma or parenthesis
    ('speech-verb, role named before' -> 'speech-verb'; 'qualifier (at least)' -> 'qualifier')."""
    return re.split(r"[,(]", rule, maxsplit=1)[0].strip()


def confidence(explanation: dict[str, dict[str, object]]) -> float:
    """How far a figure can be trusted, from the rules that made it: the rate at which the rule that set its kind
    and the rule that set its asserter were right on the development half, multiplied. A rule never measured
    counts at its field's overall rate."""
    table = _confidences()
    out = 1.0
    for name in ("kind", "asserter"):
        rates = table.get(name, {})
        step = explanation.get(name) or {}
        out *= rates.get(rule_key(str(step.get("rule", ""))), rates.get("*", 1.0))
    return round(out, 3)


def _explain(
    text: str,
    *,
    speaker: Speaker | None,
    event: tuple[str, tuple[int, int] | None],
    form: tuple[str, tuple[int, int] | None],
    interval: tuple[str, tuple[int, int]] | None = None,
) -> dict[str, dict[str, object]]:
    """Which rule decided each field of a claim, with the words it read: kind (or quote form), interval, asserter,
    conduit, event."""
    out = {"kind": _step(text, *form)}
    if interval is not None:
        out["interval"] = _step(text, *interval)
    if speaker is not None and speaker.name:
        out["asserter"] = _step(text, speaker.rule or "speaker", (speaker.cue_start, speaker.cue_end))
        if speaker.conduit is not None and speaker.conduit.name and speaker.conduit.name != speaker.name:
            c = speaker.conduit
            out["conduit"] = _step(text, c.rule or "conduit", (c.cue_start, c.cue_end))
    else:
        out["asserter"] = {"rule": "own voice (no attribution in or carried into the sentence)"}
    out["event"] = _step(text, *event)
    return out


def as_contract(text: str, claims: list[ClaimIn], *, document: str | None) -> list[ClaimOut]:
    """Extracted claims in the JSON claim contract (no ids: they are not stored)."""
    index = SpanIndex.of_sentences(text)
    out = []
    for c in claims:
        s_start, s_end = index.covering(c.start, c.end)
        asserter = next((a for a in c.attributions if a.role == "asserter"), None)
        conduit = next((a for a in c.attributions if a.role == "conduit"), None)
        out.append(
            ClaimOut(
                id=None,
                kind=c.kind,
                low=c.low,
                high=c.high,
                qualifier=c.qualifier,
                unit=c.unit,
                subgroup=c.subgroup,
                quote_form=c.quote_form,
                text=c.text,
                start=c.start,
                end=c.end,
                sentence=text[s_start:s_end],
                sentence_start=s_start,
                event=c.event,
                attributed_to=asserter.source if asserter else None,
                conduit=conduit.source if conduit else None,
                cue=asserter.cue if asserter else None,
                document=document,
                published=c.asserted_on,
                status="extracted",
                origin="extractor",
                incident=describe(c.incident)[0] if c.incident is not None and c.event is None else None,
                explanation=c.explanation,
            )
        )
    return out
