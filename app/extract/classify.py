"""Step 5 of the pipeline: what a figure counts (kind, unit) and which part of the whole (subgroup).

The kind comes from the counted noun when it names an outcome ("deaths", "arrests", "martyrs"), else from the
nearest casualty word in the figure's own stretch of the sentence — between the previous figure and the next —
preferring words after the figure ("5,000 were arrested") to words before ("killed 176"). Two outcomes joined by
"or"/"and" ("injured or arrested") make an `other_count` with that mix as subgroup, never silently one of them.
A figure in a list after another ("including 23 children", "as many as 5 under torture") inherits its kind.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from app.extract.figures import Figure, is_group_size, is_nationality, revision_before
from app.extract.lexicon import (
    CUE_TO_KIND,
    CUSTODY_NOUNS,
    KIND_NOUNS,
    MASS_KILLING_CUES,
    MONTHS,
    PEOPLE_NOUNS,
    QUALIFIER,
    SUBGROUP_NOUNS,
    WEEKDAYS,
    WORD_NUMBER,
    alternation,
    phrase_key,
    word_tuple,
    words,
)
from app.extract.scan import scan

_LIST_CUES = alternation(word_tuple("classify.list_cues"), space=" ")
_LIST_CONTEXT = re.compile(rf"\b(?:{_LIST_CUES}|incl\.)\b|,\s*(?:and\s+)?$|\band\s*$", re.I)
_CUSTODY_PHRASES = alternation(word_tuple("classify.custody_phrases"), space=" ")
_UNDER = re.compile(rf"^\s*(?:of them\s+|of whom\s+)?({_CUSTODY_PHRASES})\b", re.I)
_PLACE = re.compile(r"\s*(?:of them\s+|of whom\s+)?in ([A-Z][\w'\-]+(?:\s+[A-Z][\w'\-]+)*) alone\b")
_OF_THEM_IN = re.compile(r"\s+of\s+(?:them|whom)\s+in\s+((?:the\s+)?(?:capital|[A-Z][\w'\-]+(?:\s+[A-Z][\w'\-]+)*))")
"""'2,000 arrested, 600 of them in the capital': the place's part of the total."""
_LISTED_IN = re.compile(r"\s+in\s+((?:the\s+)?(?:capital|[A-Z][\w'\-]+(?:\s+[A-Z][\w'\-]+)*))(?=\s*[,.;]|\s*$)")
"""'5,000 arrested, including at least 1,200 in Tehran': a listed part's place."""
_PLACE_BEFORE = re.compile(r"\b[Ii]n ((?:the\s+)?[A-Z][\w'\-]+(?:\s+[A-Z][\w'\-]+)*) alone\s*,?\s*$")
"""'In Moscow alone, 502 people were held': a place's part of a total given before the figure."""
_FACILITIES = alternation(word_tuple("classify.facilities"))
_FACILITY_VERBS = alternation(word_tuple("classify.facility_verbs"))
_FACILITY_DETERMINERS = alternation(word_tuple("classify.facility_determiners"))
_AT_FACILITY = re.compile(
    rf"\s+(?:(?:{_FACILITY_VERBS})\s+){{0,3}}(?:[a-z]+\s+){{0,2}}?(?:at|in)\s+"
    rf"((?:{_FACILITY_DETERMINERS})\s+(?:[\w'\-]+\s+){{0,3}}?(?:{_FACILITIES})|(?:[A-Z][\w'\-]+\s+){{1,3}}(?:{_FACILITIES}))\b"
)
"""'27 died at the Etah hospital', '40 bodies at a district hospital': one facility's count, a part of the toll.
Not 'taken to hospital' (everyone injured) nor 'in hospital' with no article (a state, not a place)."""
_PERIOD_PREPOSITIONS = alternation(word_tuple("classify.period_prepositions"))
_PERIOD_WORDS = alternation(word_tuple("classify.period_words"))
_PERIOD_NAMES = alternation(sorted(MONTHS | WEEKDAYS))
_PERIOD_DETERMINERS = alternation(word_tuple("classify.period_determiners"))
_PERIOD = (
    rf"(?i:{_PERIOD_PREPOSITIONS})\s+(?:(?i:{_PERIOD_DETERMINERS})\s+)?(?:[\w'\-]+\s+){{0,2}}?"
    rf"(?i:{_PERIOD_NAMES}|{_PERIOD_WORDS})s?"
)
_PERIOD_ALONE_BEFORE = re.compile(rf"\b({_PERIOD})\s+alone\s*,?\s*$")
_PERIOD_ALONE_AFTER = re.compile(rf"\s+(?:[a-z]+\s+){{0,3}}?({_PERIOD})\s+alone\b")
"""'On Tuesday alone, 15 people died', '300 were arrested in January alone': a period's part of a total."""
_MIXED_GAP = re.compile(r"^\s*(?:,\s*|\s)(?:or|and/or|and)\s+$|^\s+or\s+$", re.I)
_MEMBERS_OF = re.compile(r"\s+of\s+(?:the\s+)?([a-z]+(?:\s+[a-z]+)?)\b")
_PARTITIVE_NOUN = re.compile(
    r"\s+(?:of\s+(?:them|whom|those(?:\s+[a-z]+)?)\s+(?:were\s+|are\s+)?|(?:were|are)\s+(?:also\s+)?)([a-z]+)\b(?!-)",
    re.I,
)
"""'19 of them children', 'Twelve of those arrested were women', '40 were minors': the part's subgroup."""
_TALLY_DETERMINERS = alternation(word_tuple("classify.tally_determiners"))
_TALLY_ADJECTIVES = alternation(word_tuple("classify.tally_adjectives"))
_TALLY_NOUNS = alternation(word_tuple("classify.tally_nouns"))
_INCLUDE_VERBS = alternation(word_tuple("classify.include_verbs"))
_INCLUDE_QUALIFIERS = alternation(word_tuple("classify.include_qualifiers"))
_INCLUDES = re.compile(
    rf"\b(?:{_TALLY_DETERMINERS})\s+(?:(?:{_TALLY_ADJECTIVES})\s+)?"
    rf"(?:{_TALLY_NOUNS})\s+(?:also\s+)?(?:{_INCLUDE_VERBS})\s+"
    rf"(?:(?:{_INCLUDE_QUALIFIERS})\s+)?$",
    re.I,
)
"""'… according to an AFP tally. The tally includes 101 foreigners': a part of the figure just given."""
_PARTITIVE = re.compile(r"\s+of\s+(?:" + alternation(word_tuple("classify.partitive_pronouns")) + r")\b", re.I)
_PARTITIVE_LEAD_PRONOUNS = alternation(word_tuple("classify.partitive_lead_pronouns"))
_PARTITIVE_LEAD = re.compile(rf"\s*(?:of|among)\s+(?:{_PARTITIVE_LEAD_PRONOUNS})(?:\s+[a-z]+)?\s*,\s*", re.I)
"""'Of those, 40 were minors', 'Among those detained, 12 were journalists': a part of the count before."""
_COPULAS = alternation(word_tuple("classify.copulas"))
_AMONG = re.compile(rf"^\s*(?:\w+\s+){{0,2}}(?:{_COPULAS})\s+(?:also\s+)?among\s+(?:the\s+)?$", re.I)
_AMONG_LEAD = re.compile(r"\s*among\s+(?:the\s+|those\s+)?", re.I)
_WERE = re.compile(rf"\s+(?:{_COPULAS})\s+")
"""'Among the 43 dead were three firefighters': a part of the count before."""
_CLAUSE_CONJUNCTIONS = alternation(word_tuple("classify.clause_conjunctions"))
_COORDINATED = re.compile(rf"\b(?:{_CLAUSE_CONJUNCTIONS})\b|;", re.I)
_CLAUSE_CONJUNCTION = re.compile(rf"\b(?:{_CLAUSE_CONJUNCTIONS})\b")
_HEDGE = re.compile(r"(\s+or\s+[a-z]+(?:\s+[a-z]+){0,2}?)\s+(?:of\s+|with\s+)?$")
_PARTITIVE_RELATIVE = re.compile(r"\s+of\s+(?:them|those|the\s+[a-z]+)\s+(?:who|that)\b", re.I)
"""'80 of those who escaped': the clause describes the whole the part is taken from."""
_LISTED_PART = re.compile(rf"\b(?:{_LIST_CUES}|incl\.)\s*$", re.I)
"""'…, including seven soldiers': a part named by a list cue right before it (not a bare 'and')."""
_CIRCUMSTANCE_CUES = frozenset(words("classify.circumstance_cues"))
"""Outcome words that may only tell how a part of a casualty count came to it ('trapped by the flames')."""
_PREDICATE_AUXILIARIES = alternation(word_tuple("classify.predicate_auxiliaries"))
_AUXILIARY_BEFORE = re.compile(rf"\b(?:{_PREDICATE_AUXILIARIES})\s+$", re.I)
"""'… have been injured', '… were killed': the figure's own predicate after it."""
_WEAK_AFTER_CUES = frozenset(words("classify.weak_after_cues"))
"""Words after a figure that say where people were ('on board'): an outcome word before the figure wins over them."""
_NEVER_CASUALTIES = frozenset(words("classify.never_casualties"))
"""Things counted that an outcome word near them never counts ('two mosques', 'a dozen countries')."""
_PARENTHETICAL_PARTS = alternation(word_tuple("classify.parenthetical_parts"))
_PARENTHESIS_OPEN = re.compile(r"\d(?:\s+[^\s()\d]+){0,4}\s*\(\s*$")
_PARENTHETICAL_PART = re.compile(rf"\s+((?:{_PARENTHETICAL_PARTS}))\s*\)", re.I)
"""'815,589 people (352,612 new)': a situation report's count of those added since the last, in parentheses."""
_AID_NOUNS = alternation(word_tuple("classify.aid_nouns"))
_AID_FOR = re.compile(rf"\b(?:{_AID_NOUNS})\b[^,.;:]{{0,40}}\b(?:for|to)\s+(?:the\s+|some\s+)?$", re.I)
_RECEIPT_VERBS = alternation(word_tuple("classify.receipt_verbs"))
_RECEIVED = re.compile(rf"\s+(?:of\s+[^,.;:]{{1,40}}?\s+)?(?:{_RECEIPT_VERBS})\b", re.I)
"""'food for 240,000 victims', 'two victims of the tragedy received compensation': victims alive to be helped."""
_WHOLE_LEAD = re.compile(r"\s*(?:out\s+of|of)\s+(?:the\s+)?", re.I)
"""A sentence that opens 'Out of N …,' or 'Of the N …,': N is the whole a part is taken from."""
_CLAUSE_BREAK = re.compile(r"[;:]|\s-\s|\.\s")
_ASIDE = re.compile(r"\s*,\s*(?:" + alternation(word_tuple("classify.aside_cues"), space=" ") + r")\s", re.I)
"""'225 people, including 19 police officers, were killed': the outcome after the aside is the whole's too."""
_DASH_ASIDE = re.compile(
    r"\s-\s(?:" + alternation(word_tuple("classify.aside_cues"), space=" ") + r")\s[^-;:.\d]{1,60}?\s-\s", re.I
)
"""'600 people - including children - are still unaccounted for': the outcome after a dashed aside is the figure's."""
_CONJOINED_HEDGES = alternation(word_tuple("classify.conjoined_hedges"))
_CONJOINED = re.compile(rf"\s+(?:and|or)\s+(?:all\s+)?(?:(?:{_CONJOINED_HEDGES})\s+)?")
"""Two counts joined into one subject: 'Five reporters and three others were detained', 'All 144 passengers and all
six crew members were killed', 'a minimum of 817 people and more likely at least 1,000 were killed'."""
_EARLIER_DETERMINERS = alternation(word_tuple("classify.earlier_determiners"))
_EARLIER_ADJECTIVES = alternation(word_tuple("classify.earlier_adjectives"))
_EARLIER_NOUNS = alternation(word_tuple("classify.earlier_nouns"))
_EARLIER_FIGURE = re.compile(
    rf"\b(?:{_EARLIER_DETERMINERS})\s+(?:{_EARLIER_ADJECTIVES})\s+(?:{_EARLIER_NOUNS})\s+of\s+$",
    re.I,
)
"""'rose to 2,053, up from an earlier figure of 1,000': the earlier figure counts what the later one does."""
_SENTENCED = re.compile(r"\b(?:sentenced|condemned)\s+$", re.I)
_TO_DEATH = re.compile(r"to death\b", re.I)
_SAME_MEASURE_CUES = alternation(word_tuple("classify.same_measure_cues"))
_SAME_MEASURE_QUALIFIERS = alternation(word_tuple("classify.same_measure_qualifiers"))
_SAME_MEASURE = re.compile(rf"\b(?:{_SAME_MEASURE_CUES})\s+(?:(?:{_SAME_MEASURE_QUALIFIERS})\s+)?$", re.I)
"""'and another 900', 'up from 26 a week earlier': the same measure as the count before, its noun left out."""
_ELIDED_QUALIFIERS = alternation(word_tuple("classify.elided_qualifiers"))
_ELIDED_OBJECT = re.compile(rf"\b(?:and|but)\s+(?:[a-z]+\s+)?([a-z]{{3,}}ed)\s+(?:(?:{_ELIDED_QUALIFIERS})\s+)?$", re.I)
"""'arrested 741 people and charged 302': a second act on the same people, its noun left out."""
_CAPACITY_VERBS = alternation(word_tuple("classify.capacity_verbs"))
_CAPACITY_INFINITIVES = alternation(word_tuple("classify.capacity_infinitives"))
_CAPACITY_EACH = alternation(word_tuple("classify.capacity_each"))
_CAPACITY_MODALS = alternation(word_tuple("classify.capacity_modals"))
_CAPACITY = re.compile(
    rf"\b(?:{_CAPACITY_VERBS})\s+(?:to\s+(?:{_CAPACITY_INFINITIVES})|for)\s+$|\bcapacity\s+(?:of|for)\s+$"
    rf"|\b(?:{_CAPACITY_MODALS})\s+(?:{_CAPACITY_INFINITIVES})\s+$"
    rf"|\beach\s+(?:{_CAPACITY_EACH})\s+$",
    re.I,
)
"""'a jail built to hold 1,100 inmates', 'cells meant for eight people', 'four field hospitals, each holding up to
60 patients': a capacity, not people held."""
_EACH_BEFORE = re.compile(r"\beach\s+$", re.I)
_NOT_HAPPENED = re.compile(
    r"\b(?:" + alternation(word_tuple("classify.not_happened_nouns")) + r")\s+of\s+$|\bfacing\s+$", re.I
)
"""'at imminent risk of execution', 'facing execution': the outcome has not happened."""


@dataclass(frozen=True, slots=True)
class Classified:
    kind: str
    unit: str
    subgroup: str | None
    part_of_previous: bool = False
    """A part of the figure given just before ("The tally includes 101 foreigners"): the same asserter's."""
    rule: str = ""
    """The name of the rule that set the kind ("cue-after": an outcome word after the figure, "kind-noun": the noun
    counted, …), for explanations."""
    cue: tuple[int, int] | None = None
    """The words that rule read, as a span of the text."""


def _cues(norm: str, start: int, end: int) -> list[tuple[int, int, str]]:
    return [
        (i, j, CUE_TO_KIND[phrase_key(word)])
        for i, j, word in scan(norm).words["kind_cues"].between(start, end)
        if not _NOT_HAPPENED.search(norm, max(0, i - 20), i) and not _EACH_BEFORE.search(norm, max(0, i - 8), i)
    ]  # "four field hospitals, each holding …": what each can take, not people held


_FIGURE_NEXT = re.compile(rf"\s+(?:(?:{QUALIFIER})\s+)?(?:\d|(?:{WORD_NUMBER})\b)", re.IGNORECASE)


_LEGAL_SEQUELS = frozenset(words("classify.legal_sequels"))
"""What follows an arrest for the same people ('arrested and charged with murder'): the arrest is what is counted."""
_CUSTODY_KINDS = ("arrest_count", "detention_count")


def _mixed(norm: str, cues: list[tuple[int, int, str]]) -> tuple[int, int] | None:
    """Two different outcomes joined by or/and, e.g. 'injured or arrested': their span. Not when the second is the
    verb of the next figure ('left 140 people dead and wounded more than 300'), nor the legal sequel of an arrest
    ('arrested and charged')."""
    for (s1, e1, k1), (s2, e2, k2) in itertools.pairwise(cues):
        if k1 in _CUSTODY_KINDS and norm[s2:e2].lower() in _LEGAL_SEQUELS:
            continue
        if k1 != k2 and _MIXED_GAP.match(norm[e1:s2]):
            if _FIGURE_NEXT.match(norm, e2) and _FIGURE_BEFORE.search(norm, max(0, s1 - 40), s1):
                continue  # each outcome has its own figure: '140 people dead and wounded more than 300'
            return s1, e2
    return None


_FIGURE_BEFORE = re.compile(r"\d[\d,.]*(?:\s+[A-Za-z\-]+){0,3}\s+$")


def _after_wins(norm: str, fig: Figure, before: tuple[int, int, str], after: tuple[int, int, str]) -> bool:
    """Whether the outcome word after the figure, rather than the one before, says what it counts."""
    gap_before = fig.start - before[1]
    between_after = norm[fig.noun_end : after[0]]
    if gap_before <= 2 and not norm[before[1] : fig.start].strip():
        return False  # "killed at least 90 people and wounded some 300": the verb governs its object
    if _CLAUSE_CONJUNCTION.search(between_after):
        return False  # the later outcome belongs to a clause of its own
    return after[0] - fig.noun_end <= gap_before + 15


def _part_noun(norm: str, of_them: re.Match[str]) -> str | None:
    """The subgroup named after "of them": one word ("children") or two ("foreign nationals")."""
    first = of_them.group(1).lower()
    second = _NEXT_WORD.match(norm, of_them.end())
    if second and f"{first} {second.group(1).lower()}" in SUBGROUP_NOUNS:
        return f"{first} {second.group(1).lower()}"
    return first if first in SUBGROUP_NOUNS else None


_NEXT_WORD = re.compile(r"\s+([a-z]+)\b")


def classify_sentence(
    norm: str, text: str, figures: list[Figure], sentence: tuple[int, int], *, carried: Classified | None = None
) -> list[Classified | None]:
    """Classify the figures of one sentence (in order). None means: no evidence it counts anything. `carried` is
    the last figure of the paragraph's previous sentences: "37 of them were minors" counts what it counted."""
    s_start, s_end = sentence
    out: list[Classified | None] = []
    previous: Classified | None = None
    for i, fig in enumerate(figures):
        carried_part = (
            i == 0
            and carried is not None
            and (carried.kind != "other_count" or carried.unit == "people" or carried.unit in PEOPLE_NOUNS)
            and (_PARTITIVE.match(norm, fig.end) is not None or _PARTITIVE_LEAD.fullmatch(norm, s_start, fig.start))
        )  # "… 12 million school age children in Sichuan. More than 2 million of them live in …"
        if carried_part:
            previous = carried
        left = figures[i - 1].noun_end if i > 0 else s_start
        right = figures[i + 1].start if i + 1 < len(figures) else s_end
        after_from = fig.noun_end + 1 if norm.startswith('"', fig.noun_end) else fig.noun_end  # '150 "saboteurs"'
        aside_end = (
            norm.find(",", figures[i + 1].end, s_end)
            if i + 1 < len(figures) and _ASIDE.match(norm, fig.noun_end, figures[i + 1].start)
            else -1
        )
        if aside_end != -1:
            after_from = aside_end + 1  # past ", including 19 police officers,"
            right = figures[i + 2].start if i + 2 < len(figures) else s_end
        elif i + 1 < len(figures) and _CONJOINED.fullmatch(norm, fig.noun_end, figures[i + 1].start):
            after_from = figures[i + 1].noun_end  # "Five reporters and three others were detained": one predicate
            right = figures[i + 2].start if i + 2 < len(figures) else s_end
        dashed = _DASH_ASIDE.match(norm, after_from, right)
        if dashed:
            after_from = dashed.end()  # past " - including children - "
        breaks = [m.start() for m in _CLAUSE_BREAK.finditer(norm, after_from, right)]
        right_clause = breaks[0] if breaks else right
        if _WHOLE_LEAD.fullmatch(norm, s_start, fig.start):
            comma = norm.find(",", fig.noun_end, right_clause)
            if comma != -1:
                right_clause = comma  # "Out of nearly 1,000 staff, no casualties …": the whole, before the comma
        quote_after = norm.find('"', after_from, right_clause)
        if quote_after != -1:
            right_clause = quote_after  # cue words in another quotation are not this figure's
        quote_before = norm.rfind('"', left, fig.start)
        if quote_before != -1 and norm.count('"', s_start, fig.start) % 2 == 1:
            # inside a quotation ('said it had killed "some 300 militia members"'): the words before it count
            quote_before = norm.rfind('"', left, quote_before)
        if quote_before != -1:
            left = quote_before
        before = _cues(norm, max(left, fig.start - 80), fig.start)
        after = _cues(norm, after_from, min(right_clause, after_from + 90))
        noun = fig.noun
        nationality = noun is not None and noun[:1].isupper() and is_nationality(noun)
        rule_noun = "people" if nationality else noun  # "6 Ukrainians" counts people, as "6 people" does
        partitive = previous is not None and (
            _PARTITIVE.match(norm, fig.end) is not None
            or _LIST_CONTEXT.search(norm, left, fig.start) is not None
            or (
                i > 0
                and _AMONG_LEAD.fullmatch(norm, s_start, figures[i - 1].start)
                and _WERE.fullmatch(norm, left, fig.start)
            )
        )
        own_predicate = (
            bool(after) and _AUXILIARY_BEFORE.search(norm, max(0, after[0][0] - 16), after[0][0]) is not None
        )
        if (
            before
            and _COORDINATED.search(norm, before[-1][1], fig.start)
            and (not _LIST_CONTEXT.search(norm, left, fig.start) or own_predicate)
        ):
            # "1,240 were injured and 1,320 houses destroyed": the outcome belongs to the clause before; "12 officers
            # have died and 317 police officers … have been injured": the figure has a predicate of its own
            before = []
        mixed = _mixed(norm, after) or (_mixed(norm, before) if before and fig.start - before[-1][1] <= 3 else None)
        lead = norm[max(0, fig.start - 60) : fig.start]
        whole = (
            carried
            if i == 0
            and carried is not None
            and noun not in KIND_NOUNS
            and _INCLUDES.search(lead) is not None
            and (carried.kind != "other_count" or noun is None or noun in PEOPLE_NOUNS or noun in SUBGROUP_NOUNS)
            else None
        )  # "The tally includes 101 foreigners": the figure before is the whole
        query = KindQuery(
            norm=norm,
            text=text,
            fig=fig,
            noun=rule_noun,
            before=before,
            after=after,
            mixed=mixed,
            whole=whole,
            previous=previous,
            partitive=bool(partitive),
            lead=lead,
            left=left,
            gap=norm[figures[i - 1].noun_end if i > 0 else s_start : fig.start],
            to_next=norm[fig.noun_end : figures[i + 1].start] if i + 1 < len(figures) else None,
        )
        decision = decide_kind(query)
        if decision.kind is None:
            if noun is None or (
                fig.is_word_number
                and fig.quantity.low is not None
                and fig.quantity.low <= 10
                and fig.quantity.qualifier is None
                and noun in PEOPLE_NOUNS
            ):
                out.append(None)  # "two people are enough": a small number of people doing nothing countable
                continue
            q = fig.quantity
            if q.vague and q.high is not None and q.high < 10 and noun not in PEOPLE_NOUNS and not nationality:
                out.append(None)  # "for several reasons", "a few days": a vague few of things is no count
                continue
            decision = replace(decision, kind="other_count", rule="counted-noun")
        assert decision.kind is not None
        kind, rule, cue, subgroup = decision.kind, decision.rule, decision.cue, decision.subgroup
        cue_subgroup = decision.cue_subgroup
        listed_unit = decision.listed_unit  # the unit of the count before, for a listed count without a noun
        if kind == "other_count" and subgroup is None and after and after[0][2] == "other_count":
            subgroup = norm[after[0][0] : after[0][1]].lower()  # "10,100 reported missing"
        if noun in SUBGROUP_NOUNS or nationality:
            subgroup = subgroup or noun  # "7 children", "6 Ukrainians": a part of the people counted
        of_them = _PARTITIVE_NOUN.match(norm, fig.end)
        part_noun = _part_noun(norm, of_them) if noun is None and of_them else None
        if part_noun and (not subgroup or cue_subgroup):
            subgroup = part_noun  # "87 people, 19 of them children", "37 of them foreign nationals", "Two … were teens"
        member_of = _MEMBERS_OF.match(norm, fig.noun_end)
        if noun == "members" and member_of and member_of.group(1).lower() in SUBGROUP_NOUNS:
            subgroup = subgroup or member_of.group(1).lower()  # "12 members of the security forces"
        tail = norm[fig.noun_end : fig.noun_end + 60]
        under = _UNDER.match(tail)
        place = (
            _PLACE.match(text, fig.noun_end)
            or _PLACE_BEFORE.search(text, max(left, fig.start - 60), fig.start)
            or (_OF_THEM_IN.match(text, fig.noun_end) if previous is not None else None)
            or (_LISTED_IN.match(text, fig.noun_end) if partitive else None)
        )
        if place and place.group(1).split()[-1].lower() in MONTHS | WEEKDAYS:
            place = None  # "In January alone, 1,200 migrants crossed": a time, not a place (the period rule below)
        period = _PERIOD_ALONE_BEFORE.search(text, max(left, fig.start - 60), fig.start) or _PERIOD_ALONE_AFTER.match(
            text, fig.noun_end
        )
        facility = _AT_FACILITY.match(text, fig.noun_end) if kind != "other_count" else None
        if under and subgroup is None and kind != "other_count":
            subgroup = under.group(1).lower()
        elif place and subgroup is None:
            subgroup = f"in {place.group(1)}"
        elif period and subgroup is None:
            subgroup = f"{period.group(1)} alone"  # a part of the toll, never compared with a total
        elif facility and subgroup is None:
            subgroup = f"at {facility.group(1)}"
        if kind == "other_count":
            unit = noun if noun and noun not in KIND_NOUNS and not nationality else "people"
        else:
            thing = (
                noun is not None
                and noun not in PEOPLE_NOUNS
                and noun not in KIND_NOUNS
                and noun != "others"
                and not nationality
            )
            unit = noun if thing and noun is not None and " " not in noun else "people"  # "30 others": people
        if listed_unit is not None:
            unit = listed_unit  # "300 tents, and 120 were women-only"
        if whole is not None:
            unit = whole.unit  # a part counts what the whole counts: "The toll includes 9 children"
            if noun and noun not in KIND_NOUNS and noun not in ("people", "persons"):
                subgroup = noun
        result = Classified(
            kind=kind,
            unit=unit,
            subgroup=subgroup,
            part_of_previous=whole is not None or bool(carried_part),
            rule=rule or "counted-noun",
            cue=cue,
        )
        out.append(result)
        previous = result
    for i in range(len(out) - 2, -1, -1):
        part, whole = out[i], out[i + 1]
        if part is not None and part.kind == "pending" and whole is not None:
            out[i] = Classified(
                kind=whole.kind,
                unit="people" if whole.kind != "other_count" else part.unit,
                subgroup=part.subgroup,
                rule="among-the-total",  # "Nine children were among the 40 people killed"
                cue=whole.cue,
            )
    for i in range(len(out) - 1):
        _share_revision(norm, figures, out, i)
    return [c if c is None or c.kind != "pending" else None for c in out]


_REVISION_LINK = re.compile(r"\s+(?:(?:to|from)\s+)?", re.IGNORECASE)


def _share_revision(norm: str, figures: list[Figure], out: list[Classified | None], i: int) -> None:
    """The old and the new count of a revision ('the toll was revised from seven to eight', 'revised to 125 from
    174') count the same thing: the one whose kind a cue gave lends it to the other, unless that one names a noun of
    its own."""
    a, b = figures[i], figures[i + 1]
    if not _REVISION_LINK.fullmatch(norm, a.noun_end, b.start) or not revision_before(norm, a.start):
        return
    ca, cb = out[i], out[i + 1]
    for known, j, other in ((cb, i, figures[i]), (ca, i + 1, figures[i + 1])):
        mine = out[j]
        if known is None or known.kind in ("pending", "other_count") or other.noun is not None:
            continue
        if mine is None or mine.kind == "other_count":
            out[j] = replace(known, subgroup=None, part_of_previous=False, rule="revision-of-the-same-count")


@dataclass
class KindQuery:
    """What the kind rules read of one figure: its noun, the outcome words before and after it in its clause, a
    mixed outcome ('injured or arrested'), the figure it is a part of, the figure before it, its lead-in."""

    norm: str
    text: str
    fig: Figure
    noun: str | None
    before: list[tuple[int, int, str]]
    after: list[tuple[int, int, str]]
    mixed: tuple[int, int] | None
    whole: Classified | None
    previous: Classified | None
    partitive: bool
    lead: str
    left: int
    gap: str  # the text since the figure before in the sentence (or the sentence's start)
    to_next: str | None  # the text to the next figure in the sentence


@dataclass(frozen=True)
class KindDecision:
    kind: str | None
    rule: str
    cue: tuple[int, int] | None = None
    subgroup: str | None = None
    cue_subgroup: bool = False
    listed_unit: str | None = None


def group_size(q: KindQuery) -> KindDecision | None:
    """'a seven-person disaster assessment mission', 'a fourteen-strong UNHCR team': the people in one group."""
    if q.noun is None and is_group_size(q.norm, q.fig.start, q.fig.end):
        return KindDecision("other_count", "group-size", subgroup=_group_noun(q.norm, q.fig.end))
    return None


_GROUP_NOUNS = alternation(word_tuple("classify.group_nouns"))
_GROUP_NOUN = re.compile(rf"-[a-z]+\s+((?:[\w.\-]+\s+){{0,3}}?(?:{_GROUP_NOUNS}))\b", re.I)


def _group_noun(norm: str, end: int) -> str | None:
    """The group a size is given for ('disaster assessment mission'), up to four words after the modifier."""
    m = _GROUP_NOUN.match(norm, end)
    return m.group(1) if m else None


def capacity(q: KindQuery) -> KindDecision | None:
    """'a capacity of 250': what a place holds, not an outcome."""
    return KindDecision("other_count", "capacity", subgroup="capacity") if _CAPACITY.search(q.lead) else None


def part_of_total(q: KindQuery) -> KindDecision | None:
    """'The tally includes 101 foreigners': the kind of the total it is part of; not when the lead names another
    ('… wounded 196. The death toll includes two people who died later')."""
    if q.whole is None or (q.before and q.before[-1][2] != q.whole.kind):
        return None
    return KindDecision(q.whole.kind, "part-of-total")


def toll_frame(q: KindQuery) -> KindDecision | None:
    """'the death toll stands at 30 with many more injured': a toll's frame says what the figure counts."""
    return KindDecision("death_toll", "toll-frame") if q.fig.framed == "death_toll" else None


def earlier_figure(q: KindQuery) -> KindDecision | None:
    """'up from 26', 'revised from 174': the kind of the figure before."""
    p = q.previous
    if p is not None and p.kind != "other_count" and _EARLIER_FIGURE.search(q.lead):
        return KindDecision(p.kind, "earlier-figure")
    return None


def kind_noun(q: KindQuery) -> KindDecision | None:
    """'1,500 deaths', '300 arrests': the noun counted is the outcome; not one of a mixed outcome ('dozens dead and
    injured')."""
    if q.noun not in KIND_NOUNS:
        return None
    nxt = q.after[0] if q.after else None
    if (
        nxt
        and nxt[2] != KIND_NOUNS[q.noun]
        and _MIXED_GAP.match(q.norm[q.fig.noun_end : nxt[0]])
        and not _FIGURE_NEXT.match(q.norm, nxt[1])  # "8,200 deaths and injured nearly 17,900": the next figure's verb
    ):
        span = (q.fig.noun_end - len(q.noun or ""), nxt[1])  # "dozens dead and injured": a mixed count
        return KindDecision("other_count", "mixed-outcomes", span, subgroup=q.text[span[0] : span[1]].lower())
    return KindDecision(KIND_NOUNS[q.noun], "kind-noun", (q.fig.noun_end - len(q.noun or ""), q.fig.noun_end))


def mixed_outcomes(q: KindQuery) -> KindDecision | None:
    """'injured or arrested': a mixed count, never one outcome."""
    m, fig = q.mixed, q.fig
    if m and (m[1] <= fig.start or m[0] - fig.noun_end < 40):
        return KindDecision("other_count", "mixed-outcomes", m, subgroup=q.text[m[0] : m[1]].lower())
    return None


def cue_after(q: KindQuery) -> KindDecision | None:
    """'300 people were killed': the outcome word after the figure, when it wins over the one before. The outcome
    of a partitive's relative clause names the whole, not the part: '80 of those who escaped had been injured'."""
    after = q.after
    relative = _PARTITIVE_RELATIVE.match(q.norm, q.fig.end)
    if relative and after and after[0][0] < relative.end() + 25:
        after = after[1:]
    strong = [c for c in after if q.norm[c[0] : c[1]].lower() not in _WEAK_AFTER_CUES]
    if strong:
        after = strong  # "40 people on board drowned": where they were, not what befell them
    elif q.before:
        return None  # "killing all 298 people on board": the outcome before wins over where they were
    if after and (not q.before or _after_wins(q.norm, q.fig, q.before[-1], after[0])):
        return KindDecision(after[0][2], "cue-after", (after[0][0], after[0][1]))
    return None


def circumstance_of_a_part(q: KindQuery, d: KindDecision) -> KindDecision:
    """A listed part of a casualty count keeps its kind when the word after it tells how they came to it ('killed
    26 people, including seven soldiers trapped by the flames'), not another outcome ('including two missing' is
    still missing)."""
    p = q.previous
    if (
        d.rule == "cue-after"
        and d.kind == "other_count"
        and d.cue is not None
        and q.norm[d.cue[0] : d.cue[1]].lower() in _CIRCUMSTANCE_CUES
        and p is not None
        and p.kind not in ("other_count", "pending")
        and _LISTED_PART.search(q.norm, q.left, q.fig.start)
    ):
        return replace(d, kind=p.kind, rule="circumstance-of-a-part")
    return d


def partitive(q: KindQuery) -> KindDecision | None:
    """'130 detainees have died in prison, at least 9 of them under torture': the kind of the figure before."""
    if q.partitive and q.previous is not None:
        return KindDecision(q.previous.kind, "partitive", listed_unit=q.previous.unit if q.noun is None else None)
    return None


def cue_before(q: KindQuery) -> KindDecision | None:
    """'killed 300 people': the outcome word before the figure; 'displaced 5,000' keeps the word as subgroup; a
    massacre of prisoners is a mass execution; 'the arrest or dealing with 110' is hedged, no outcome alone."""
    if not q.before:
        return None
    start, end, kind = q.before[-1]
    subgroup, cue_subgroup, rule = None, False, "cue-before"
    if kind == "other_count":
        subgroup, cue_subgroup = q.norm[start:end].lower(), True
    if q.noun in CUSTODY_NOUNS and q.norm[start:end].lower() in MASS_KILLING_CUES:
        kind, rule = "execution_count", "massacre-of-prisoners"
    hedge = _HEDGE.match(q.norm, end, q.fig.start)
    if hedge:
        kind, rule = "other_count", "hedged-outcome"
        subgroup = q.text[start : end + len(hedge.group(1))].lower()
    return KindDecision(kind, rule, (start, end), subgroup=subgroup, cue_subgroup=cue_subgroup)


def sentenced_to_death(q: KindQuery, d: KindDecision) -> KindDecision:
    """'sentenced 94 people to death': no one has died."""
    if d.kind == "death_toll" and q.after and _SENTENCED.search(q.lead) and _TO_DEATH.match(q.norm, q.after[0][0] - 3):
        return replace(d, kind="other_count", subgroup="sentenced to death", rule="sentenced-to-death")
    return d


def victims_helped(q: KindQuery, d: KindDecision) -> KindDecision:
    """Victims who are given aid or receive it ('food for 240,000 victims', 'two victims … received an initial
    compensation payment') are alive: a count of the people helped, not a death toll."""
    if d.kind != "death_toll" or q.noun != "victims":
        return d
    if _AID_FOR.search(q.lead) or _RECEIVED.match(q.norm, q.fig.noun_end):
        return replace(d, kind="other_count", rule="victims-helped", subgroup="victims")
    return d


def thing_needs_a_near_cue(q: KindQuery, d: KindDecision) -> KindDecision:
    """A thing counted ('posters', 'teams') takes an outcome only from a word right next to it."""
    noun = q.noun
    if not (
        d.kind
        and q.whole is None
        and d.kind != "other_count"
        and noun
        and noun not in PEOPLE_NOUNS
        and noun not in KIND_NOUNS
        and " " not in noun
    ):
        return d
    if noun in _NEVER_CASUALTIES:
        return replace(d, kind=None)  # "killed 150,000 people in a dozen countries, injured …": places are no victims
    near_before = q.before and q.fig.start - q.before[-1][1] <= 25
    near_after = q.after and q.after[0][0] - q.fig.noun_end <= 25
    return d if (near_before or near_after) else replace(d, kind=None)


def listed_part(q: KindQuery) -> KindDecision | None:
    """'including 23 children'; not 'and 30 homes were burned': the kind of the figure before."""
    p = q.previous
    if (
        p is not None
        and (q.noun is None or q.noun in PEOPLE_NOUNS)
        and _LIST_CONTEXT.search(q.norm, q.left, q.fig.start)
    ):
        return KindDecision(p.kind, "listed-part", listed_unit=p.unit if q.noun is None else None)
    return None


def parenthetical_part(q: KindQuery) -> KindDecision | None:
    """'UNICEF has reached 815,589 people (352,612 new)': the count in parentheses is the part added since the last
    report, of the same kind as the count before it."""
    p = q.previous
    if q.noun is not None or p is None or (p.unit != "people" and p.unit not in PEOPLE_NOUNS):
        return None
    if not _PARENTHESIS_OPEN.search(q.lead):
        return None
    part = _PARENTHETICAL_PART.match(q.norm, q.fig.end)
    return KindDecision(p.kind, "parenthetical-part", subgroup=part.group(1).lower()) if part else None


def count_frame(q: KindQuery) -> KindDecision | None:
    """'the death toll rose to 300', 'put the number at more than 3.5 million'."""
    return KindDecision(q.fig.framed, "count-frame") if q.fig.framed else None


def left_out_noun(q: KindQuery) -> KindDecision | None:
    """A count whose noun is left out, after a count of people in the same sentence: '2,000 bodies … and another
    900', 'up from 26' (the same measure); 'arrested 741 people and charged 302' (another outcome)."""
    p = q.previous
    if q.noun is not None or p is None or p.unit != "people":
        return None
    if _SAME_MEASURE.search(q.gap):
        return KindDecision(p.kind, "same-measure")
    elided = _ELIDED_OBJECT.search(q.gap)
    return KindDecision("other_count", "elided-noun", subgroup=elided.group(1).lower()) if elided else None


def among_the_total(q: KindQuery) -> KindDecision | None:
    """'Nine children were among the 40 people killed': decided by the total that follows."""
    return KindDecision("pending", "among-the-total") if q.to_next is not None and _AMONG.match(q.to_next) else None


KindRule = Callable[[KindQuery], "KindDecision | None"]
KIND_RULES: tuple[KindRule, ...] = (
    group_size,
    capacity,
    part_of_total,
    earlier_figure,
    kind_noun,
    toll_frame,
    mixed_outcomes,
    cue_after,
    partitive,
    cue_before,
)
"""The kind of a figure: the first rule that decides."""
KIND_CORRECTIONS: tuple[Callable[[KindQuery, KindDecision], KindDecision], ...] = (
    circumstance_of_a_part,
    sentenced_to_death,
    victims_helped,
    thing_needs_a_near_cue,
)
"""Applied in order to what the kind rules decided."""
KIND_FALLBACKS: tuple[KindRule, ...] = (listed_part, parenthetical_part, count_frame, left_out_noun, among_the_total)
"""Where no rule decided (or a correction undid it): the first that decides."""


def decide_kind(q: KindQuery) -> KindDecision:
    """The kind of one figure by the rules above, with the name of the rule that set it and its cue."""
    decision = next((d for rule in KIND_RULES if (d := rule(q)) is not None), KindDecision(None, ""))
    for correct in KIND_CORRECTIONS:
        decision = correct(q, decision)
    if decision.kind is None:
        fallback = next((d for rule in KIND_FALLBACKS if (d := rule(q)) is not None), None)
        if fallback is not None:
            decision = replace(fallback, subgroup=fallback.subgroup or decision.subgroup)
    return decision
