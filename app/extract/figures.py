"""Step 3 of the pipeline: find figures, and throw out numbers that count nothing.

A candidate is anything FIGURE_RE matches. It is kept only when it counts something: a counted noun follows it
("1,500 protesters", "dozens of women", "116 (PMOI) teams"), or a casualty word frames it ("have been killed",
"killed 176", "the toll rose to 300"). Years, dates, times, ages, ordinals, durations, money, percentages,
identifiers ("Flight 752", "Page 2"), compound modifiers ("two-person teams") and definite references
("the two countries") are not figures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.extract.lexicon import (
    AGE_CUES,
    COUNT_FRAME_LINKS,
    COUNT_FRAME_RE,
    DEFINITE_BEFORE,
    FIGURE_RE,
    IDENTIFIER_WORDS,
    LEXICON,
    MONEY_WORDS,
    MONTHS,
    NUMBER_WORDS,
    PEOPLE_NOUNS,
    QUALIFIER_BEFORE_RE,
    QUALIFIER_LAST_WORDS,
    TIME_UNITS,
    alternation,
    word_tuple,
    words,
)
from app.extract.quantity import NotANumber, Quantity, parse_number, parse_quantity
from app.extract.scan import scan, word_before

_WORD = re.compile(r"(?:[A-Za-z]\.){2,}|[A-Za-z][A-Za-z']*(?:-[A-Za-z]+)*|\d[\d,.]*|\S")
_PAREN = re.compile(r"\s*(?:\([^()]{0,60}\)|\[[^\[\]]{0,60}\])")
_PREV_WORD = re.compile(r"([A-Za-z][A-Za-z.'\-]*)\W{0,3}$")
_YEAR = re.compile(r"^(1[0-9]{3}|20[0-9]{2}|2100)$")
_STOP_WORDS = frozenset(list(word_tuple("figures.stop_words")))
_PEOPLE_FOLLOWERS = frozenset(words("figures.people_followers"))
_LETTER_SPACES = re.compile(r"[A-Za-z.]\s+$")
_NAME_COMMA = re.compile(r"[A-Z][a-z'’\-]+,\s*$")
_OF_TOTAL = re.compile(r"\bof\s+(?:" + alternation(word_tuple("figures.total_determiners")) + r")\s+$", re.I)
_PART_OF = frozenset(words("figures.part_of"))
_PAGE_OF = re.compile(r"page\s+\d+\s+of\s+$", re.I)
_SKIP_ADJECTIVES = frozenset(words("figures.skip_adjectives"))
_BIGRAMS = frozenset(words("figures.bigrams"))


@dataclass(frozen=True, slots=True)
class Figure:
    """A number that counts something, with its span in the text and the words around it."""

    start: int
    end: int
    quantity: Quantity
    noun: str | None  # the counted noun as written, lower case ("protesters", "teams"), if any
    noun_end: int  # where the noun phrase ends (== end when there is no noun)
    is_word_number: bool
    framed: str | None = None  # the kind a count frame gives ("the death toll rose to" → death_toll), if framed


def _next_words(norm: str, pos: int, limit: int = 5) -> list[tuple[str, int, int]]:
    out = []
    paren = _PAREN.match(norm, pos)
    if paren:
        pos = paren.end()
    for m in _WORD.finditer(norm, pos, min(len(norm), pos + 80)):
        out.append((m.group(0), m.start(), m.end()))
        if len(out) >= limit:
            break
        if not m.group(0)[0].isalnum():
            break
        paren = _PAREN.match(norm, m.end())
        if paren:
            # "116 (PMOI / MEK Iran) teams": a parenthesis between the number and its noun is skipped
            return out + _next_words(norm, paren.end(), limit - len(out))
    return out


_OPENING_QUOTE = re.compile(r"\s+\"(?=[A-Za-z])")


def is_nationality(word: str) -> bool:
    """A plural demonym the gazetteer knows: 'Eritreans', 'Ukrainians' (people counted by nationality)."""
    if len(word) < 5 or not word.endswith("s"):
        return False
    from app.gazetteer import fold, gazetteer

    key = fold(word)[:-1]
    return key in gazetteer().demonyms or key in _IRREGULAR_DEMONYMS


_IRREGULAR_DEMONYMS = frozenset(w.casefold() for w in LEXICON["demonyms"])
"""Demonyms no rule makes from the country's name ('Norwegian', 'Briton', 'Swede'): people counted, never places
(as places they would tie an article to every country whose people it mentions)."""


def counted_noun(norm: str, pos: int) -> tuple[str | None, int]:
    """The noun a figure counts, looking at a few words after `pos`: ('protesters', end) or (None, pos)."""
    quoted = _OPENING_QUOTE.match(norm, pos)
    words = _next_words(norm, quoted.end() if quoted else pos, limit=8)  # 'some 20,000 "bandits and terrorists"'
    i = 0
    if words and words[0][0].lower() == "of":
        i = 1
        if len(words) > 1 and words[1][0].lower() in word_tuple("figures.counted_noun"):
            return None, pos
        # "28 of the country's 31 provinces": the noun of the whole is the noun of the part
        while i < len(words) and (
            words[i][0].lower() in _PART_OF or words[i][0][:1].isdigit() or words[i][0].lower().endswith("'s")
        ):
            i += 1
    content = 0
    while i < len(words) and content < 3:
        word, _, w_end = words[i]
        low = word.lower()
        if not word[0].isalpha():
            break
        if i + 1 < len(words) and f"{low} {words[i + 1][0].lower()}" in _BIGRAMS:
            return f"{low} {words[i + 1][0].lower()}", words[i + 1][2]
        if low in PEOPLE_NOUNS:
            return low, w_end
        nxt_word = words[i + 1][0].lower() if i + 1 < len(words) else "."
        if word[0].isupper() and nxt_word in _PEOPLE_FOLLOWERS:
            return word, w_end  # "more than 1 million Rohingya who fled": a people named by nationality
        if word[0].isupper() and is_nationality(word):
            return word, w_end  # "some 350 Eritreans", "6 Ukrainians, 4 Canadians": people by nationality
        if low in _STOP_WORDS or low in TIME_UNITS or low in MONEY_WORDS:
            break
        if (
            word[0].islower()
            and low not in _SKIP_ADJECTIVES
            and len(low) > 3
            and low.endswith("s")
            and not low.endswith("ss")
        ):
            nxt = words[i + 1][0].lower() if i + 1 < len(words) else ""
            if nxt in PEOPLE_NOUNS or (nxt.endswith("s") and nxt not in _STOP_WORDS and len(nxt) > 3 and nxt.isalpha()):
                i += 1
                content += 1
                continue
            return low, w_end
        i += 1
        content += 1
    return None, pos


def _prev_word(norm: str, start: int) -> str:
    # a match holds no space before its last three characters: search from the last space before them
    lo = max(0, start - 40)
    run = max(norm.rfind(" ", lo, start - 3), norm.rfind("\n", lo, start - 3)) + 1
    m = _PREV_WORD.search(norm, max(lo, run), start)
    return m.group(1).lower().rstrip(".") if m else ""


def _ends_with_comma(norm: str, at: int) -> bool:
    """Whether a clause break (a comma, semicolon, colon or full stop) stands right before `at`: then the word
    before it does not name the number ('Article 19, 14 others', 'the penal code; 14 others')."""
    while at > 0 and norm[at - 1].isspace():
        at -= 1
    return at > 0 and norm[at - 1] in ",;:."


_SMALL = r"(?:\d{1,3}|" + alternation([w for w, n in NUMBER_WORDS.items() if 1 <= n <= 10]) + ")"
"""A small number, in digits or words ('one' to 'ten'): what a ratio is made of ('one in five')."""
_RATIO_AFTER = re.compile(rf"\s+(?:in|out\s+of)\s+({_SMALL})\b(?![,.]\d)", re.I)
_RATIO_BEFORE = re.compile(rf"\b({_SMALL})\s+(?:in|out\s+of)\s+$", re.I)
_RATIO_TAIL = re.compile(r"\s*(?:of\b|[,.;:)]|$)|\s+([A-Za-z]+)")


def _is_ratio(norm: str, m: re.Match[str], first: str) -> bool:
    """'1 in 3 of those arrested', 'nine in 10 voters': a smaller number in a larger one, followed by "of", a
    people noun or the end of the clause. Not '25 in 72 hours', 'killed 40 in five villages', '57 in one day'."""
    try:
        n = parse_number(first)
    except NotANumber:
        return False
    after = _RATIO_AFTER.match(norm, m.end())
    if after:
        whole, tail_from = parse_number(after.group(1)), after.end()
    else:
        before = _RATIO_BEFORE.search(norm, max(0, m.start() - 12), m.start())
        if before is None:
            return False
        n, whole, tail_from = parse_number(before.group(1)), n, m.end()
    tail = _RATIO_TAIL.match(norm, tail_from)
    noun = tail.group(1) if tail is not None else None
    people = tail is not None and (noun is None or noun in PEOPLE_NOUNS or is_nationality(noun or ""))
    return n < whole and people


_AGE_BOUNDS = frozenset(words("figures.age_bounds"))
_COPULAS = frozenset(words("figures.copulas"))
_CURRENCIES = alternation(word_tuple("figures.currency_prefixes"))
_CURRENCY_BEFORE = re.compile(rf"(?<![A-Za-z])(?:{_CURRENCIES})\s?$")
"""'Rs 50,000', '₹5 lakh', 'KSh 100,000', '$25 million': money, whatever the currency's notation."""
_MEASURES = words("figures.measure_units")
"""Units of measure: '210 yards', '18 kilometres' measure, they count nothing."""
_STATUTE_WORDS = alternation(word_tuple("figures.statute_words"))
_STATUTE_LIST = re.compile(
    rf"\b(?:{_STATUTE_WORDS})\.?\s+"
    r"(?:\d+[A-Za-z]?(?:\(\w+\))?\s*(?:,|\band\b|\bor\b|&|/)\s*)*$",
    re.I,
)
"""'under sections 105, 110 and 126': every number of a list of legal sections, articles or clauses."""


_SECTION_LIST_ENDS = alternation(word_tuple("figures.section_list_ends"))
_LIST_ITEM_END = re.compile(rf"[A-Za-z]?(?:\(\w+\))?\s*(?:[,;.)]|\b(?:{_SECTION_LIST_ENDS})\b|$)")


def _money_or_law(norm: str, start: int, end: int) -> bool:
    """A number written as money or as a legal reference, not a count of people. A number after a list of legal
    sections is one of them only where it ends like one ('… 110 and 126 of the Act'), not before a noun ('Article
    19, 14 others were arrested')."""
    before = norm[max(0, start - 8) : start]
    if _CURRENCY_BEFORE.search(before):
        return True
    return (
        _STATUTE_LIST.search(norm, max(0, start - 80), start) is not None
        and _LIST_ITEM_END.match(norm, end) is not None
    )


_CAPITALISED_BEFORE = re.compile(r"\b[A-Z][a-z]*\.?\s+$")
_SENTENCE_END_BEFORE = re.compile(r"[a-z]\.\s+$")
_SHORT_FULL_MONTHS = frozenset(m for m in MONTHS if len(m) <= 4 and m not in words("figures.month_abbreviations"))


_GROUP_SIZE_WORDS = alternation(word_tuple("figures.group_size_words"))
GROUP_SIZE = re.compile(rf"-(?:{_GROUP_SIZE_WORDS})\b", re.I)
"""'a seven-person mission', 'the nearly 130-member team': the size of one group of people."""
_ONE_GROUP_DETERMINERS = alternation(word_tuple("figures.one_group_determiners"))
_ONE_GROUP_BEFORE = re.compile(rf"\b(?:{_ONE_GROUP_DETERMINERS})\s+$", re.I)


def is_group_size(norm: str, start: int, end: int) -> bool:
    """Whether a figure with its qualifier (norm[start:end]) sizes one group of people — 'a fourteen-strong UNHCR
    team', 'The nearly 130-member DART' — a count of the people in it; not 'two-person teams' (each team's size)."""
    return (
        GROUP_SIZE.match(norm, end) is not None and _ONE_GROUP_BEFORE.search(norm, max(0, start - 8), start) is not None
    )


def _is_not_a_count(norm: str, m: re.Match[str], first: str) -> bool:
    start, end = m.start(), m.end()
    after = norm[end : end + 24]
    after = after[: after.index("\n")] if "\n" in after else after  # the next paragraph's words are not its unit
    following = after.lstrip().split(" ", 2)
    next_word = following[0].lower().strip(".,;:)\"'") if following else ""
    if after.startswith("-") and len(after) > 1 and after[1].isalpha() and not is_group_size(norm, start, end):
        return True  # "two-person teams", "12-day", "23-year-old"; not "a seven-person mission"
    if after.startswith(("%", "/")) or after[:1].isdigit() or (after.startswith(":") and after[1:2].isdigit()):
        return True  # "45%", "3/4", "11:56"; not "kills 121: police say"
    if start >= 2 and norm[start - 1] in ":." and norm[start - 2].isdigit():
        return True  # the minutes of "11:56", the decimals of "6.8"
    if next_word == "of" and len(following) > 1:
        next_word = following[1].lower().strip(".,;:)\"'")
    month = next_word in MONTHS and following[0][:1].isupper()  # "thousands may need", "30,000 march": verbs
    if next_word in TIME_UNITS or next_word in MONEY_WORDS or month or next_word in _MEASURES:
        return True
    if _money_or_law(norm, start, end):
        return True
    if after.lstrip().lower().startswith(("per cent", "percent", "o'clock", "a.m", "p.m")):
        return True
    lowered_before = scan(norm).lowered[max(0, start - 20) : start]
    if "page" in lowered_before and _PAGE_OF.search(norm, max(0, start - 20), start):
        return True  # "Page 2 of 5"
    prev = _prev_word(norm, start)
    qualifier = m.group("qual")
    if _is_ratio(norm, m, first):
        return True  # "1 in 3 of those arrested", "9 in 10 voters": a ratio, not a count
    an_age = qualifier and qualifier.lower() in _AGE_BOUNDS and next_word not in PEOPLE_NOUNS and len(first) <= 2
    if an_age and (prev in _COPULAS or prev in PEOPLE_NOUNS):
        return True  # "seven of them were under 25", "children under 18": an age; not "the toll is over 300"
    adjacent = _LETTER_SPACES.search(norm, max(0, start - 4), start) is not None  # "November 17", not "January, 19"
    month = prev in MONTHS and adjacent and _CAPITALISED_BEFORE.search(norm, max(0, start - 12), start) is not None
    if (
        month
        and _SENTENCE_END_BEFORE.search(norm, max(0, start - 4), start)
        and (len(prev) >= 5 or prev in _SHORT_FULL_MONTHS)
    ):
        month = False  # "… struck on 2 May. As many as 500,000 …": the month ends a sentence ("Jan. 5" is a date)
    if month or prev in AGE_CUES:
        return True  # "November 17"; not "the toll may exceed 150,000" (the verb, not the month)
    if (
        after.startswith((",", " ("))
        and not qualifier
        and _ends_with_comma(norm, start)
        and _NAME_COMMA.search(norm, max(0, start - 40), start)
    ):
        return True  # "Tatsiana Ivanova, 52, said": an age
    if not qualifier and prev in IDENTIFIER_WORDS and first[:1].isdigit() and not _ends_with_comma(norm, start):
        return True  # "Group 4", "Article 19"; not "According to the rights group, 52 people"
    # "four of its seven warehouses"
    part_of_total = "of" in lowered_before and _OF_TOTAL.search(norm, max(0, start - 20), start) is not None
    outcome_after = prev == "all" and bool(scan(norm).words["kind_cues"].between(end, min(len(norm), end + 60)))
    if (
        not qualifier
        and prev in DEFINITE_BEFORE
        and first[:1].isalpha()
        and not m.group("b")
        and not part_of_total
        and not outcome_after  # "all six crew members were killed", "all four of the attackers were killed": counts
    ):
        lowered = first.lower()
        if not any(lowered.startswith(v) for v in word_tuple("figures.is_not_a_count")):
            return True  # "the two countries", "its three members" — a reference, not a count
    second = m.group("b")
    if second and _YEAR.match(first) and _YEAR.match(second) and next_word not in PEOPLE_NOUNS:
        return True  # "between 2011 and 2018"
    return bool(_YEAR.match(first) and not qualifier and not second and next_word not in PEOPLE_NOUNS)


_REVISION_CUES = alternation(word_tuple("figures.revision_cues"))
_REVISION = re.compile(rf"\b(?P<cue>{_REVISION_CUES})\b[^.;:!?]{{0,100}}$", re.IGNORECASE)
"""A revision before a figure ('the toll was revised upwards from seven to eight', 'taking the number of dead from
125 to 149', 'revised to 125 from 174'): its numbers are the old and the new count, two figures, not a range."""


def revision_cue(norm: str, at: int) -> re.Match[str] | None:
    """The revision cue before position `at` in its clause ('the toll was revised upwards from'), if any."""
    return _REVISION.search(norm, max(0, at - 100), at)


def revision_before(norm: str, at: int) -> bool:
    """Whether a revision cue comes before position `at` in its clause."""
    return revision_cue(norm, at) is not None


def _revised(norm: str, m: re.Match[str]) -> bool:
    return m.group("frame") is not None and m.group("frame").lower() == "from" and revision_before(norm, m.start())


def _candidates(norm: str, start: int, end: int) -> list[re.Match[str]]:
    """FIGURE_RE matches, tried only where a digit or a number word stands (and a qualifier just before it)."""
    found = scan(norm)
    lowered = found.lowered
    anchors = sorted(h[0] for hits in (found.digits, found.words["numbers"]) for h in hits.between(start, end))
    out: list[re.Match[str]] = []
    covered = start
    for pos in anchors:
        if pos < covered:
            continue
        lo = max(covered, pos - 40)
        space = max(norm.rfind(" ", lo, pos - 1), norm.rfind("\n", lo, pos - 1))  # "\n\nAbout 50": a paragraph's first
        last_word = lowered[space + 1 if space >= 0 else lo : pos].strip().lstrip("\"'([")  # never the whole prefix
        before = (
            QUALIFIER_BEFORE_RE.search(norm, max(covered, pos - 40), pos) if last_word in QUALIFIER_LAST_WORDS else None
        )
        m = FIGURE_RE.match(norm, before.start(), end) if before else None
        if m is None or m.end() <= pos:
            m = FIGURE_RE.match(norm, pos, end)
        if m is not None and m.group("qual_b") and (m.group("sep") or "").strip() == "-":
            # "7 October 2016 - An estimated 500,000 children": a dateline's dash, not a range
            m = FIGURE_RE.match(norm, m.start(), m.start("sep"))
        if (
            m is not None
            and m.group("b")
            and not m.group("frame")
            and not m.group("qual_b")  # "80,000 and up to 100,000": a range whose upper bound has its own word
            and (m.group("sep") or "").strip().lower() == "and"
        ):
            # "died in 2019 and 12 in 2020": "5 and 6" without "between" is two figures, each a candidate
            m = FIGURE_RE.match(norm, m.start(), m.start("sep"))
        if m is not None and m.group("b") and _revised(norm, m):
            # "revised from seven to eight": the old count and the new one, each a figure of its own
            old = FIGURE_RE.match(norm, m.start("a"), m.end("a"))
            new = FIGURE_RE.match(norm, m.start("qual_b") if m.group("qual_b") else m.start("b"), m.end())
            out.extend(x for x in (old, new) if x is not None)
            covered = m.end()
            continue
        if m is not None:
            out.append(m)
            covered = m.end()
    return out


def find_figures(norm: str, start: int = 0, end: int | None = None) -> list[Figure]:
    """Candidate figures in norm[start:end], filtered of what is not a count. `norm` is the normalised text."""
    out: list[Figure] = []
    found = scan(norm)
    for m in _candidates(norm, start, len(norm) if end is None else end):
        first = m.group("a")
        if first.lower() == "a" or first.strip("0") == "" or _is_not_a_count(norm, m, first):
            continue  # 'a', '000' (of "30, 000"), and what is not a count
        if first.lower() == "one" and not m.group("b"):
            noun, _ = counted_noun(norm, m.end())
            if noun is None or noun not in PEOPLE_NOUNS or norm[m.end() : m.end() + 4].lower() == " of ":
                continue  # "one of the", "no one", "one day": not a count
        second = m.group("b")
        frame = frame_word = m.group("frame")
        if not second and frame and not _revised(norm, m):
            continue  # "from 12": half a range; not the old count of a revision ("revised to 125 from 174")
        try:
            upper = m.group("qual_b")
            quantity = parse_quantity(
                first=first,
                second=f"{upper} {second}" if upper and second else second,  # "… to about 160,000"
                qualifier=m.group("qual"),
                frame=frame,
                plus=bool(m.group("plus")),
            )
        except (NotANumber, ValueError):
            continue
        fig_end = m.end()
        if m.group("plus") and not second:
            fig_end = m.end("plus")
        noun, noun_end = counted_noun(norm, fig_end)
        quoted = m.start() > 0 and norm[m.start() - 1] in "\"'"  # 'put the toll at "1,500"'
        link_word = word_before(found.lowered, m.start() - 1 if quoted else m.start())
        frame_words = (
            found.words["count_frames"].between(max(0, m.start() - 140), m.start())
            if link_word in COUNT_FRAME_LINKS
            else []
        )
        frame = next(  # the nearest frame: "put the death toll at 7,181 and the number of injured at 29,685"
            (f for i, _, _ in reversed(frame_words) if (f := COUNT_FRAME_RE.match(norm, i, m.start())) is not None),
            None,
        )
        framed = None
        if frame:
            toll = "toll" in frame.group(0).lower() or (
                not found.words["kind_cues"].between(frame.start(), m.start())
                and (widest := COUNT_FRAME_RE.match(norm, frame_words[0][0], m.start())) is not None
                and "toll" in widest.group(0).lower()
            )  # "raised the death toll to 212, well above the figure of 150": the figure is the toll's (the window's
            # first frame), unless the nearest frame names its own outcome ("the number of injured at")
            framed = "death_toll" if toll else "other_count"
        fig_start = m.start("a") if frame_word and not second else m.start()  # "revised to 125 from 174": '174'
        out.append(
            Figure(
                start=fig_start,
                end=fig_end,
                quantity=quantity,
                noun=noun,
                noun_end=noun_end if noun else fig_end,
                is_word_number=first[:1].isalpha(),
                framed=framed,
            )
        )
    return out
