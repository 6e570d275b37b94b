"""Parts of the extractor that were made fast must still give what the slow, obvious way gives."""

from __future__ import annotations

import calendar
import datetime as dt
import re

import dateparser
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.extract.lexicon import MultiFinder, WordFinder, lower_same_length
from app.extract.link import day_before
from app.extract.pipeline import extract_claims, guess_source_kind
from app.extract.scan import _LISTS, scan


@pytest.mark.parametrize("reference", [dt.date(2019, 11, 20), dt.date(2020, 1, 1), dt.date(2021, 3, 1)])
def test_day_before_matches_dateparser_on_every_day(reference: dt.date) -> None:
    settings_ = {"PREFER_DATES_FROM": "past", "RELATIVE_BASE": dt.datetime.combine(reference, dt.time())}
    for month in range(1, 13):
        for day in range(1, 32):
            parsed = dateparser.parse(f"{calendar.month_name[month]} {day}", languages=["en"], settings=settings_)
            assert day_before(month, day, reference) == (parsed.date() if parsed else None), (month, day)


LISTS = {
    "months": ["november", "january", "may"],
    "keywords": ["november protests", "bloody november", "tens of"],
    "numbers": ["tens", "thousands", "of thousands", "one"],
    "verbs": ["said", "told", "said on"],
}
WORDS = st.sampled_from(
    ["november", "protests", "bloody", "tens", "of", "thousands", "one", "said", "on", "told", "may", "x", "January"]
)
SEPARATORS = st.sampled_from([" ", "  ", "\n", ", ", "-", ". ", "'"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(WORDS, SEPARATORS), max_size=25))
def test_one_pass_finds_what_each_list_finds_alone(pieces: list[tuple[str, str]]) -> None:
    text = "".join(w + s for w, s in pieces).lower()
    found = MultiFinder(LISTS).find(text)
    for name, words in LISTS.items():
        assert found[name] == WordFinder(words).find(text), name


def test_lower_case_keeps_offsets() -> None:
    text = "İstanbul police said dozens of protesters were arrested."
    assert len(lower_same_length(text)) == len(text)
    claims = extract_claims(text).claims
    assert [(c.kind, c.text, c.low) for c in claims] == [("arrest_count", "dozens", 24)]


NEWS_WORDS = st.sampled_from(
    ["shot", "dead", "killed", "said", "the", "death", "toll", "november", "17", "2019", "dozens", "of", "chanted"]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(NEWS_WORDS, SEPARATORS), max_size=20), st.integers(0, 120), st.integers(0, 120))
def test_a_window_of_the_scan_is_a_search_of_the_window(pieces: list[tuple[str, str]], start: int, length: int) -> None:
    text = "".join(w + s for w, s in pieces)
    end = min(len(text), start + length)
    found = scan(text)
    for name, words in _LISTS.items():
        assert found.words[name].between(start, end) == WordFinder(words).find(found.lowered, start, end), name
    digits = [(m.start(), m.end(), m.group(0)) for m in re.compile(r"\d+").finditer(text, start, end)]
    assert found.digits.between(start, end) == digits


def test_a_phrase_over_a_line_break_leaves_its_last_word_to_the_next_sentence() -> None:
    claims = extract_claims("Security forces shot\n dead 5 protesters on Friday.").claims
    assert [(c.kind, c.text) for c in claims] == [("death_toll", "5")]


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Students", "crowd"),
        ("relatives of the detainees", "crowd"),
        ("protesters", "crowd"),
        ("People Power Party", "organisation"),
        ("Teachers Union of Ireland", "organisation"),
        ("Kazem Mojtabaii", "person"),
        ("Maria de la Cruz", "person"),
        ("Abu Bakr al-Baghdadi", "person"),
        ("Doctors Without Borders", "organisation"),
        ("Committee to Protect Journalists", "organisation"),
        ("unnamed source", "unnamed"),
    ],
)
def test_source_kind_of_an_extracted_name(name: str, kind: str) -> None:
    """A group that chants is a crowd; a body whose name starts with a group word ("Teachers Union") is not; the
    small words of an organisation's name ("Without", "to") are not a person's particles ("de la", "al-")."""
    assert guess_source_kind(name) == kind
