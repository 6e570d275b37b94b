"""Word lists and patterns for the extractor, loaded from the language folder `data/<language>/` so that they stay
apart from logic: `lexicon.json` (the named lists the steps share) and `rules.json` (the small word lists of single
rules, keyed `<module>.<list>`, read with `words()` and `word_tuple()`). The language is CLAIMDB_LANGUAGE, English
(`en`) by default; `data/README.md` says how to add one.

Every regular expression here is built from those lists; the pipeline steps only combine them.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterable, Iterator
from importlib import resources
from typing import Any, Protocol, TypeVar

LANGUAGE = os.environ.get("CLAIMDB_LANGUAGE", "en")


def _load(name: str) -> dict[str, Any]:
    folder = resources.files("app.extract").joinpath("data", LANGUAGE)
    try:
        with folder.joinpath(name).open(encoding="utf-8") as fh:
            data: dict[str, Any] = json.load(fh)
    except FileNotFoundError:
        raise SystemExit(f"error: no {name} for language {LANGUAGE!r} in app/extract/data/") from None
    return data


LEXICON = _load("lexicon.json")
RULE_WORDS: dict[str, list[str]] = _load("rules.json")


def words(key: str) -> frozenset[str]:
    """The word list of one rule (`rules.json`), as a set."""
    return frozenset(RULE_WORDS[key])


def word_tuple(key: str) -> tuple[str, ...]:
    """The word list of one rule (`rules.json`), in its order."""
    return tuple(RULE_WORDS[key])


def alternation(words: Iterable[str], space: str = r"\s+") -> str:
    """A regex alternation, longest first, with spaces matching `space`: any run of spaces, unless a rule wants
    exactly one (`space=" "`). Longest first, a phrase wins over the word it starts with ("as of" over "as")."""
    items = sorted(words, key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", space) for w in items)


ABBREVIATIONS: frozenset[str] = frozenset(LEXICON["abbreviations"])
NUMBER_WORDS: dict[str, int] = LEXICON["number_words"]
SCALE_WORDS: dict[str, int] = LEXICON["scale_words"]
VAGUE_AMOUNTS: dict[str, list[int | None]] = LEXICON["vague_amounts"]
VAGUE_MULTIPLIERS: dict[str, list[int]] = LEXICON["vague_multipliers"]
QUALIFIERS: dict[str, str] = LEXICON["qualifiers"]
PEOPLE_NOUNS: frozenset[str] = frozenset(LEXICON["people_nouns"])
SUBGROUP_NOUNS: frozenset[str] = frozenset(LEXICON["subgroup_nouns"])
KIND_NOUNS: dict[str, str] = LEXICON["kind_nouns"]
KIND_CUES: dict[str, list[str]] = LEXICON["kind_cues"]
COUNT_FRAMES: list[str] = LEXICON["count_frames"]
BACK_REFERENCE_NOUNS: frozenset[str] = frozenset(LEXICON["back_reference_nouns"])
ANY_ORGANISATION_NOUNS: frozenset[str] = frozenset(LEXICON["any_organisation_nouns"])
"""Back-references that fit any organisation ("the group", "the monitor"): with no name holding the noun, the latest
organisation named. The others ("the ministry", "the union") only refer to a name that holds their noun."""
CUSTODY_NOUNS: frozenset[str] = frozenset(LEXICON["custody_nouns"])
MASS_KILLING_CUES: frozenset[str] = frozenset(LEXICON["mass_killing_cues"])
TIME_UNITS: frozenset[str] = frozenset(LEXICON["time_units"])
MONEY_WORDS: frozenset[str] = frozenset(LEXICON["money_words"])
MONTHS: frozenset[str] = frozenset(LEXICON["months"])
WEEKDAYS: frozenset[str] = frozenset(LEXICON["weekdays"])
IDENTIFIER_WORDS: frozenset[str] = frozenset(LEXICON["identifier_words"])
AGE_CUES: frozenset[str] = frozenset(LEXICON["age_cues"])
DEFINITE_BEFORE: frozenset[str] = frozenset(LEXICON["definite_before"])
CHANT_CUES: list[str] = LEXICON["quote_chant_cues"]
SPEECH_VERBS: list[str] = LEXICON["speech_verbs"]
QUOTE_VERBS: frozenset[str] = frozenset(LEXICON["quote_verbs"])
"""Verbs of speaking that introduce a quotation ("“Help us,” pleaded Maria") but, with a noun for object, report an
act ("demanded the release of 200 prisoners", "pleaded guilty"): speech only next to a quotation or before "that"."""
AGENTLESS_CUES: list[str] = LEXICON["agentless_cues"]
CONDUIT_CUES: list[str] = LEXICON["conduit_cues"]
TITLES: list[str] = LEXICON["titles"]
TITLE_WORDS: frozenset[str] = frozenset(w.split()[-1].rstrip(".") for w in TITLES)
TOLL_VERBS: list[str] = LEXICON["toll_verbs"]
"""Verbs that give a count with their subject before: 'put the toll at', 'raised the toll to'."""
MEDIA_WORDS: frozenset[str] = frozenset(LEXICON["media_words"])
"""Words of a news outlet's name: 'told Radio Capital', 'told the RIA news agency' pass a claim on."""
ORGANISATION_NOUNS: frozenset[str] = frozenset(LEXICON["organisation_nouns"])
"""The last word of an organisation's name ("… Rights Institute", "… Red Crescent")."""
CROWD_WORDS: frozenset[str] = frozenset(LEXICON["crowd_words"])
CHANTING_GROUPS: frozenset[str] = frozenset(LEXICON["chanting_groups"])
"""Groups of people who may chant as one ("students", "relatives of the detainees"): a chant is theirs when the
narration names them."""
GENERIC_CROWDS: frozenset[str] = frozenset(LEXICON["generic_crowds"])
"""Crowds that name no group ("the crowd", "protesters"): a source of the crowd kind, like the named groups."""
CROWD_NOUNS: frozenset[str] = CHANTING_GROUPS | GENERIC_CROWDS
"""Every noun that names a crowd, a group or not: a name headed by one is a source of the crowd kind."""
SPEAKER_ROLES: list[str] = LEXICON["speaker_roles"]
PLACE_ROLES: frozenset[str] = frozenset(LEXICON["place_roles"])
"""Roles whose place says where they are, not whom they speak for: "said a resident of Wad Madani" is the resident;
"said a spokesman for the Red Cross", "an aid worker from Save the Children" speak for the body named."""

# --------------------------------------------------------------------------- figure patterns
_UNITWORD = alternation(list(NUMBER_WORDS))
_NUMWORD = alternation(list(NUMBER_WORDS) + list(SCALE_WORDS))
_SCALE = alternation(list(SCALE_WORDS))
_AND_AFTER = "|".join(rf"(?<={re.escape(w)})" for w in word_tuple("lexicon.scales_before_and"))
"""'one hundred and five', 'two thousand and ten': the scales an "and" may follow inside a number."""
_JOIN = rf"(?:(?:{_AND_AFTER})\s+and\s+|\s+|-)"
WORD_NUMBER = (
    rf"(?:half\s+an?\s+(?:{_SCALE}|dozen)\b|(?:(?:a|one)\s+(?:{_SCALE})|(?:{_UNITWORD}))(?:{_JOIN}(?:{_NUMWORD}))*)"
)
"""'one hundred and five', 'a thousand', 'half a million' (half a scale, or half a dozen: a number of its own)."""
DIGIT_NUMBER = (
    rf"\d{{1,3}}(?:,\d{{3}})+(?![\d])|\d{{1,3}}(?: \d{{3}})+(?![\d])|\d+(?:\.\d+)?(?!\d|,\d)(?:(?:\s+|-)(?:{_SCALE}))?"
)
"""'8,000', '9 900', '1.2 million'; never the head of a longer number ('166' of '166,836with', a typo's glued word)."""
_MULT = alternation(list(VAGUE_MULTIPLIERS))
VAGUE = rf"(?:{_MULT})\s+(?:dozen|{_SCALE})|{alternation(list(VAGUE_AMOUNTS))}"
DOZENS = rf"(?:{_UNITWORD}|\d{{1,2}})\s+dozen(?!s)"
"""'two dozen', '3 dozen': twelve times the number."""
NUMBER = rf"(?:{DOZENS}|{DIGIT_NUMBER}|a\s+dozen|{VAGUE}|{WORD_NUMBER})"
QUALIFIER = alternation(list(QUALIFIERS))
UPPER_BOUND_KINDS = words("lexicon.upper_bound_kinds")
RANGE_QUALIFIER_KINDS = words("lexicon.range_qualifier_kinds")
"""The kinds of qualifier a range keeps its own bounds under: 'about 500 to 600', 'as many as 500,000 to 600,000'."""
"""The kinds of qualifier (of QUALIFIERS' values) that can bound a range from above: about, nearly, up to, under."""
UPPER_QUALIFIER = alternation([q for q, kind in QUALIFIERS.items() if kind in UPPER_BOUND_KINDS])
"""The qualifiers that can bound the upper end of a range ('100,000 to about 160,000', '80,000 and up to 100,000')."""

FIGURE_RE = re.compile(
    rf"(?<![\w$€£#.,\-/])"
    rf"(?:(?P<qual>{QUALIFIER})\s+)?"
    rf"(?:(?P<frame>between|from)\s+)?"
    rf"(?P<a>{NUMBER})"
    rf"(?:(?P<sep>\s*-\s*|\s+to\s+|\s+or\s+|\s+and\s+)(?:(?P<qual_b>{UPPER_QUALIFIER})\s+)?(?P<b>{DIGIT_NUMBER}|{WORD_NUMBER}))?"
    rf"(?P<plus>\+)?"
    rf"(?![\w])",
    re.IGNORECASE,
)
"""One figure: an optional qualifier, an optional range frame, a number (digits, words or a vague amount), an
optional second number, an optional '+'. Case-insensitive on the normalised text."""


def cue_regex(words: list[str]) -> re.Pattern[str]:
    return re.compile(rf"\b(?:{alternation(words)})\b", re.IGNORECASE)


CUE_TO_KIND: dict[str, str] = {w.lower(): kind for kind, words in KIND_CUES.items() for w in words}
AGENTLESS_RE = cue_regex(AGENTLESS_CUES)
TITLE_RE = re.compile(rf"^(?:(?:{alternation(TITLES)})\.?\s+)+", re.IGNORECASE)


def _trie_regex(words: list[str]) -> str:
    """An alternation that shares prefixes ("said|says|say" → "sa(?:id|ys|y)"): far less backtracking."""
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict[str, Any]) -> str:
        ends = "" in node
        branches = []
        for ch in sorted(k for k in node if k):
            piece = r"\s+" if ch == " " else re.escape(ch)
            branches.append(piece + build(node[ch]))
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 and not ends else "(?:" + "|".join(branches) + ")"
        return body + ("?" if ends else "")

    return build(trie)


class WordFinder:
    """Finds whole words or phrases from a list in lower-cased text. One regex over the lower-cased text, led by a
    character class of the words' first letters, so that CPython rejects most positions at once; measured at
    about 0.02 s/MB, against 0.13 s/MB for a case-insensitive alternation. Used as a pre-filter: the precise
    regex then runs only where a word was found."""

    def __init__(self, words: list[str]) -> None:
        lowered = sorted({w.lower() for w in words if w}, key=len, reverse=True)
        letters = "".join(sorted({re.escape(w[0]) for w in lowered}))
        body = _trie_regex(lowered)
        self._re = re.compile(rf"(?<![\w])(?=[{letters}])(?:{body})(?![\w])") if lowered else None

    def find(self, lowered: str, start: int = 0, end: int | None = None) -> list[tuple[int, int, str]]:
        return [(m.start(), m.end(), m.group(0)) for m in self.finditer(lowered, start, end)]

    def finditer(self, lowered: str, start: int = 0, end: int | None = None) -> Iterator[re.Match[str]]:
        if self._re is None:
            return iter(())
        return self._re.finditer(lowered, start, len(lowered) if end is None else end)


Hit = tuple[int, int, str]
"""A word found in the text: (start, end, the word as written, lower case)."""
_WORD_CHAR = re.compile(r"\w")


def phrase_key(word: str) -> str:
    """A phrase as written, its runs of spaces and line breaks made one space."""
    return " ".join(word.split())


class HitSink(Protocol):
    def append(self, hit: Hit, /) -> None: ...

    def __iter__(self) -> Iterator[Hit]: ...


S = TypeVar("S", bound=HitSink)


class MultiFinder:
    """Several word lists found in one pass: one WordFinder over their union, its hits dealt out to the lists.

    Each list gets exactly what its own WordFinder would find (leftmost, longest, not overlapping). Where a word of
    one list holds a word of another ("november protests" holds "november") or may run into one ("tens of" /
    "of thousands"), the other list is searched again just there; that is rare, so one pass costs about what a
    single list did (~0.03 s/MB for all lists against ~0.02 s/MB for each)."""

    def __init__(self, lists: dict[str, list[str]]) -> None:
        self.names = list(lists)
        self._finders = {name: WordFinder(words) for name, words in lists.items()}
        self._all = WordFinder([w for words in lists.values() for w in words])
        self._lists_of: dict[str, tuple[str, ...]] = {}
        self._longest = {name: max((len(w) for w in words), default=0) for name, words in lists.items()}
        union = {phrase_key(w.lower()) for words in lists.values() for w in words if w.strip()}
        lowered = {name: {phrase_key(w.lower()) for w in words if w.strip()} for name, words in lists.items()}
        self._rescan: dict[str, tuple[str, ...]] = {}
        for word in union:
            self._lists_of[word] = tuple(name for name in self.names if word in lowered[name])
            again = []
            for name in self.names:
                inner = [(i, j) for i, j, _ in self._finders[name].find(word)]
                if any((i, j) != (0, len(word)) for i, j in inner) or self._runs_into(word, lowered[name]):
                    again.append(name)
            if again:
                self._rescan[word] = tuple(again)

    @staticmethod
    def _runs_into(word: str, others: set[str]) -> bool:
        """Whether a word of `others` could start inside `word` (after a non-word character) and end past it."""
        for k in range(1, len(word)):
            if _WORD_CHAR.match(word, k - 1) or not _WORD_CHAR.match(word, k):
                continue
            tail = word[k:]
            if any(len(o) > len(tail) and o.startswith(tail) for o in others):
                return True
        return False

    def find_one(self, name: str, lowered: str, start: int, end: int) -> list[Hit]:
        """One list's words in lowered[start:end], searched there alone."""
        return self._finders[name].find(lowered, start, end)

    def find(self, lowered: str) -> dict[str, list[Hit]]:
        """Every list's hits in `lowered` (the lower-cased text), in text order."""
        return self.find_into(lowered, list)

    def find_into(self, lowered: str, make: Callable[[Iterable[Hit]], S]) -> dict[str, S]:
        """`find`, each list's hits gathered in a container made by `make` (anything with `append` that iterates in
        order): a long document's hits go straight into compact columns, never a list of tuples for all of them."""
        found = {name: make(()) for name in self.names}
        again: dict[str, list[tuple[int, int]]] = {}
        lists_of, rescan = self._lists_of, self._rescan
        shared: dict[str, str] = {}  # one string for each word found, however often
        for m in self._all.finditer(lowered):
            surface = m.group(0)
            surface = shared.setdefault(surface, surface)
            hit = (m.start(), m.end(), surface)
            word = surface if surface in lists_of else phrase_key(surface)
            for name in lists_of.get(word, ()):
                found[name].append(hit)
            for name in rescan.get(word, ()):
                again.setdefault(name, []).append((hit[0], hit[1]))
        for name, regions in again.items():
            extra = []
            for start, end in regions:
                stop = min(len(lowered), end + self._longest[name] + 1)
                for i, j, w in self._finders[name].find(lowered, start, stop):
                    if j == stop and stop < len(lowered) and _WORD_CHAR.match(lowered, j):
                        continue  # cut off by the window, not the end of a word
                    extra.append((i, j, w))
            found[name] = make(_leftmost_longest([*found[name], *extra]))
        return found


def _leftmost_longest(hits: list[Hit]) -> list[Hit]:
    out: list[Hit] = []
    for hit in sorted(set(hits), key=lambda h: (h[0], -h[1])):
        if not out or hit[0] >= out[-1][1]:
            out.append(hit)
    return out


LOWER_CHUNK = 1 << 16
"""Long texts are lower-cased this many characters at a time (up to the next space)."""


def lower_same_length(text: str) -> str:
    """`text.lower()`, one character for one, so that offsets stay valid ("İ".lower() is two characters).

    A long text is lowered a chunk at a time, cut at spaces (so that no letter loses the context that lowering
    reads, as Greek final sigma does): CPython's `str.lower` first allocates three four-byte characters for every
    character, 12 bytes a character for the whole text at once."""
    if len(text) <= LOWER_CHUNK:
        return _lower_chunk(text)
    chunks = []
    at = 0
    while at < len(text):
        cut = text.find(" ", at + LOWER_CHUNK)
        cut = len(text) if cut == -1 else cut
        chunks.append(_lower_chunk(text[at:cut]))
        at = cut
    return "".join(chunks)


def _lower_chunk(text: str) -> str:
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(low if len(low := ch.lower()) == 1 else ch for ch in text)


NUMBER_ANCHOR_WORDS = [*NUMBER_WORDS, *SCALE_WORDS, *word_tuple("lexicon.number_anchor_words")]
QUALIFIER_LAST_WORDS = frozenset({q.split()[-1] for q in QUALIFIERS} | words("lexicon.qualifier_last_words"))
"""The last word of anything QUALIFIER_BEFORE_RE can match: a cheap test before the regex."""
QUALIFIER_BEFORE_RE = re.compile(
    rf"(?:(?:(?:{QUALIFIER})\s+(?:(?:between|from)\s+)?|(?:between|from)\s+)(?:(?:half\s+)?an?\s+)?|\b(?:half\s+)?an?\s+)$",
    re.IGNORECASE,
)

_COPULAR_FRAME_LINKS = words("lexicon.count_frame_copular_links")
_FRAME_LINKS = words("lexicon.count_frame_links")
"""What joins a frame to its figure: a word ('at', 'rose to') or a phrase ('could number in the hundreds')."""
COUNT_FRAME_LINKS = frozenset(link.split()[-1] for link in _FRAME_LINKS) | _COPULAR_FRAME_LINKS
"""The last word of anything COUNT_FRAME_RE matches: a cheap test before the regex."""
COUNT_FRAME_RE = re.compile(
    rf"\b(?:{alternation(COUNT_FRAMES)})\b(?:"
    rf"(?:[^.;:!?\"]|(?<=\d)\.(?=\d)){{0,120}}?\b(?:{alternation(sorted(_FRAME_LINKS))})"
    rf"|(?:[^.,;:!?\"]|(?<=\d)\.(?=\d)){{0,100}}?\b(?:{alternation(sorted(_COPULAR_FRAME_LINKS))})"
    rf")\s+[\"“']?$",
    re.IGNORECASE,
)
"""'put the number at', 'the toll rose to', 'a turnout of': a figure right after such a frame is a count. A copula
that is not 'is'/'was' ('is estimated to be', 'remains') links only within one clause: 'a key figure in
the movement, he is thought to be 45' is an age."""
INCIDENT_KINDS: dict[str, dict[str, Any]] = LEXICON["incident_kinds"]
"""Kinds of incident and the words that name them ("quake", "tremor" → earthquake): what discovery groups by. A
`local` kind happens at one place (a stampede, a blast): reports naming places far apart are other incidents; a
`regional` one spreads (protests across a country, a quake felt in many provinces). A kind that `crosses_borders`
(an earthquake, floods) may be reported from neighbouring countries."""
INCIDENT_COMPATIBLE: list[list[str]] = LEXICON["incident_compatible"]
"""Kinds that one incident may be called by in different reports (an explosion and the fire it set)."""
INCIDENT_EXCLUSIONS: list[str] = LEXICON["incident_exclusions"]
"""Phrases holding an incident word that name no incident ("opened fire", "heart attack", "fire brigade")."""
NEWS_AGENCIES: dict[str, list[str]] = LEXICON["news_agencies"]
"""News agencies by name, with the short forms a dateline uses ("RABAT, Sept 10 (Reuters) -")."""
ANNIVERSARY_WORDS: list[str] = LEXICON["anniversary_words"]
"""A lead that looks back ("a year ago", "one year on", "anniversary") is about an incident of years before."""
RELATIVE_DAYS: dict[str, int] = LEXICON["relative_days"]
"""Words that date an incident against the report's own date ("yesterday" = the day before)."""
BACKGROUND_CUES: list[str] = LEXICON["background_cues"]
"""Words that make a figure background, not a count of an incident ("a city of 2 million", "home to", "so far this
year", "already relying on aid"): it gets no event."""
