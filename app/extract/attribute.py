"""Step 6 of the pipeline: who asserts a figure or a quote, and through whom it reaches the document.

Cues, in order of strength: a figure inside a quotation belongs to the quote's speaker; "according to X";
agentless reports ("it has been reported that", "there have been reports of") → an unnamed source, while a hedge of
belief or fear ("are feared dead", "it is believed that") is the document's own voice; a speech verb
in the same sentence with its subject ("X said", "said X", "X, the spokesman, warned", "“…,” X admitted"); for a
quote at the start of a sentence, a speech verb ending the sentence before ("Rouhani told Macron,\\n“…”").
"he"/"she" resolve to the nearest person named before. A second, farther speech clause ("Le Figaro reported that
Macron responded, …") or a conduit phrase ("In her article for The Daily Caller") names the conduit.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left, bisect_right, insort
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any, Protocol

from app.extract.lexicon import (
    ABBREVIATIONS,
    AGENTLESS_RE,
    ANY_ORGANISATION_NOUNS,
    BACK_REFERENCE_NOUNS,
    CHANTING_GROUPS,
    CROWD_NOUNS,
    CROWD_WORDS,
    GENERIC_CROWDS,
    LEXICON,
    MEDIA_WORDS,
    MONTHS,
    ORGANISATION_NOUNS,
    PLACE_ROLES,
    QUALIFIER,
    QUOTE_VERBS,
    SPEAKER_ROLES,
    SPEECH_VERBS,
    TITLE_RE,
    TITLE_WORDS,
    TOLL_VERBS,
    WEEKDAYS,
    alternation,
    word_tuple,
    words,
)
from app.extract.scan import scan, word_before
from app.extract.scope import per_document

UNNAMED = "unnamed source"
CROWD = "protesters"

PLATFORMS = frozenset(words("attribute.platforms"))
NAME_PARTICLES = frozenset(words("attribute.name_particles") | {"la", "le"})
"""Small words inside a person's name ('Maria de la Cruz', 'Ali bin Hassan')."""
JOINED_PARTICLES = word_tuple("attribute.joined_particles")
"""Particles joined to a name by a hyphen ('al-Ghaithi', 'bin-Salman')."""
_CAP = rf"(?:(?:[A-Z]\.){{2,}}|(?:(?<![\w-])(?:{'|'.join(JOINED_PARTICLES)})-)?[A-ZÀ-ÖØ-Þ][\w'’\-]*\.?)"
"""A capitalised word of a name, perhaps after a joined particle ('al-Ghaithi', 'bin-Salman'), or initials ('U.S.')."""
_NOT_AFTER_ON = "|".join(sorted(w.capitalize() for w in WEEKDAYS | MONTHS | PLATFORMS))
_LINKS = "|".join(sorted(NAME_PARTICLES | words("attribute.links")))
_ON_AFTER = "|".join(rf"(?<={w}\s)" for w in word_tuple("attribute.on_after"))
_CONNECT = rf"(?:{_LINKS}|(?:{_ON_AFTER})on(?=\s+[A-Z]))"
"""Small words inside a name. 'on' only after a body's noun: 'Commission on Human Rights', not 'Reuters on Monday' or
'said Yvette Cooper on Sky News'."""
_BEFORE_DATE = alternation(word_tuple("attribute.before_date"))
_PARTS_OF_DAY = alternation(word_tuple("attribute.parts_of_day"))
_WHEN_BEFORE_VERB = re.compile(
    rf"(?<=\w)\s+(?:(?:late|early)\s+)?(?:{_BEFORE_DATE})\s+(?:{_NOT_AFTER_ON})\b"
    rf"(?:\s+(?:{_PARTS_OF_DAY}|\d{{1,4}}),?){{0,2}}$"
)
"""A date or platform between a subject and its verb: 'Reuters on Monday said', 'The ministry on Telegram said'."""
_NAME = rf"{_CAP}(?:\s+(?:{_CONNECT}\s+)*{_CAP})*"
_NAME_END = re.compile(rf"({_NAME})\s*$")
_NAME_START = re.compile(rf"[\s,:;\-!?.…”\"’'»]*({_NAME})")
_ACCORDING_CUES = alternation(word_tuple("attribute.according_cues"))
_NOT_AFTER_PER = alternation(word_tuple("attribute.not_after_per"))
_ACCORDING = re.compile(
    rf"\b(?P<cue>{_ACCORDING_CUES})\s+(?!(?:{_NOT_AFTER_PER})\b|\d)(?P<who>[^,.;:\"“”()]{{2,80}})", re.I
)
"""'according to X', 'as per X', 'per X' (not 'per cent', 'per day', 'per 1,000')."""
_ACCORDING_WORDS = tuple(word_tuple("attribute.according_cues"))
_QUOTE_NOUNS = alternation(word_tuple("attribute.quote_by_words"))
_QUOTE_PREPOSITIONS = alternation(word_tuple("attribute.quote_by_prepositions"))
_QUOTE_BY = re.compile(rf"\b(?:a\s+)?(?:{_QUOTE_NOUNS})\s+(?:{_QUOTE_PREPOSITIONS})\s+({_NAME})")
_POSSESSED_FIGURES = alternation(word_tuple("attribute.possessed_figures"))
_POSSESSIVE = re.compile(
    r"((?:[A-Z][\w\-]*|[a-z]+)(?:\s+(?:[A-Z][\w\-]*|[a-z]+)){0,4}?)['’]s\s+(?:own\s+)?"
    rf"(?:{_POSSESSED_FIGURES})\b"
)
_TIME_OWNERS = frozenset(words("attribute.time_owners"))
_POSSESSIVE_TAIL = re.compile(rf"'s\s+(?:own\s+)?(?:{_POSSESSED_FIGURES})\b")
"""What every _POSSESSIVE match ends with, in the normalised text: a cheap test before it."""
_SUBJECT_PRONOUNS = alternation(word_tuple("attribute.subject_pronouns"))
_PRONOUN = re.compile(rf"^(?:{_SUBJECT_PRONOUNS})$", re.I)
_LEADING_DETERMINERS = alternation(word_tuple("attribute.leading_determiners"))
_DETERMINER = re.compile(rf"^(?:{_LEADING_DETERMINERS})\s+", re.I)
_APPOSITIVE_STARTS = alternation(word_tuple("attribute.appositive_starts"))
_APPOSITIVE_START = re.compile(rf"^\s*(?:(?:{_APPOSITIVE_STARTS})\b|[a-z])")
_NOT_SUBJECT = frozenset(words("attribute.not_subject"))
_SENTENCE_WORDS = frozenset(words("attribute.sentence_words"))
_CHANTED_BY_ENDS = alternation(word_tuple("attribute.chanted_by_ends"))
_CHANTED_BY = re.compile(rf"[”\"’'\s]*by\s+(?:the\s+)?([a-z][a-z\s\-]{{2,40}}?)(?=\s+(?:{_CHANTED_BY_ENDS})\b|[,.;]|$)")
_NOT_PHRASE_START = frozenset(words("attribute.not_phrase_start"))
_SOME_DETERMINERS = frozenset(words("attribute.some_determiners"))
"""'Some officials', 'many residents', 'several witnesses': a part of a group, named by its plural noun."""
_DATELINE = re.compile(
    r"[A-Z][A-Z .'\-]{2,40}(?:,\s*[A-Z][a-z]+)?(?:,?\s+[A-Z][a-z]{2,8}\.?\s+\d{1,2})?"
    r"\s*(?:\([^()]{1,30}\))?\s*[-–—]+\s+"
)
_MEMBER_OF = re.compile(
    r"(?:^|[,;]\s*|\b(?:and|but)\s+|^\S+\s+)([A-Z][\w’'\-]+(?:\s+[A-Z][\w’'\-]+){1,2})\s+of\s+"
    r"((?:the\s+)?(?:[a-z][\w\-]*\s+){0,4}[A-Z][\w’'\-]*(?:\s+[A-Z][\w’'\-]*){0,5})$"
)
_ACRONYM_LINKS = alternation(word_tuple("attribute.acronym_name_links"))
_ACRONYM = re.compile(
    rf"([A-Z][\w’'\-]+(?:\s+(?:(?:{_ACRONYM_LINKS})\s+){{0,2}}[A-Z][\w’'\-]+)+)\s+\(([A-Z][A-Za-z]{{1,9}})\)"
)
"""'Assistance Association for Political Prisoners (AAPP)', 'UN Office for the Coordination of Humanitarian Affairs
(OCHA)': a name of capitalised words, with up to two small words between them, and its acronym."""
_ACRONYM_HINT = re.compile(r"\([A-Z][A-Za-z]{1,9}\)")
_ACRONYM_REACH = 400
_ROLE = "|".join(sorted(SPEAKER_ROLES, key=len, reverse=True))
_ROLE_DETERMINERS = alternation(word_tuple("attribute.role_determiners"))
_DESCRIBED = re.compile(rf"[\s,”\"’']*(?:{_ROLE_DETERMINERS})\s+(?:[\w'’\-]+\s+){{0,3}}?({_ROLE})s?\b(?!-)", re.I)
_AGENT_ADVERBS = alternation(word_tuple("attribute.agent_adverbs"))
_BY_AGENT_VERBS = alternation(word_tuple("attribute.by_agent_verbs"))
_AGENT_ENDS = alternation(word_tuple("attribute.agent_ends"))
_BY_AGENT = re.compile(
    rf"\s+(?:[a-z\-]+\s+){{0,4}}?(?:(?:{_AGENT_ADVERBS})\s+)?"
    rf"((?:{_BY_AGENT_VERBS})\s+by)\s+"
    rf"(?:the\s+)?([^,.;:\"“”()]{{2,60}}?)(?=\s+(?:{_AGENT_ENDS})\b|[,.;:\"“”()]|$)"
)
"""A figure whose agent follows it: 'the 164 first reported by state media', '300 estimated by city officials'."""
_REPORT_WORDS = frozenset(words("attribute.report_words") | words("attribute.report_words_2"))
"""What an author's figures come in: 'a tally by AP', 'An Associated Press investigation found'. Not 'survey' or
'database', which end names of their own ('U.S. Geological Survey', 'Global Terrorism Database')."""
_REPORT = "(?:" + "|".join(sorted(_REPORT_WORDS, key=len, reverse=True)) + ")"
_REPORT_DETERMINERS = alternation(word_tuple("attribute.report_determiners"))
_REPORT_VERBS = alternation(word_tuple("attribute.report_verbs"))
_REPORT_BY = re.compile(
    rf"(?:(?:{_REPORT_DETERMINERS})\s+)?(?:[a-z\-]+\s+){{0,2}}?{_REPORT}\s+"
    rf"(?:(?:{_REPORT_VERBS})\s+)?(?:by|from)\s+(.+)",
    re.I,
)
"""'a tally by AP', 'figures compiled by ACLED', 'a statement from the police': the author asserts."""
_SEEN_BY_VERBS = alternation(word_tuple("attribute.seen_by_verbs"))
_SEEN_BY = re.compile(rf"(?:(?:an?|the)\s+)?((?:[\w\-]+\s+){{0,3}}?){_REPORT}\s+(?:{_SEEN_BY_VERBS})\s+by\s+(.+)")
"""'an internal police report seen by Reuters': the police assert, Reuters carries."""
_OWNED_REPORT = re.compile(
    rf"(?:the\s+)?([a-z][\w\-]*(?:\s+[a-z][\w\-]*){{0,3}}?)['’]s\s+(?:[a-z]+\s+){{0,2}}{_REPORT}\b"
)
"""'the ministry's latest report': the ministry."""
_LEADING_PREPOSITIONS = alternation(word_tuple("attribute.leading_prepositions"))
_LEADING_PREPOSITION = re.compile(rf"^(?:{_LEADING_PREPOSITIONS})\s+", re.I)
_NAMED_REPORT = re.compile(rf"(?:an?|the)\s+({_NAME})(?:['’]s)?\s+(?:[a-z]+\s+)?{_REPORT}\b")
"""'a tally by The Associated Press', 'an AFP tally based on …': the author of the figures asserts them."""
_GENERIC_REPORTS = frozenset(words("attribute.generic_reports"))
_REPORTS_NOUNS = _GENERIC_REPORTS - {"sources", "reporting"}
_REPORT_SINGULARS = frozenset(words("attribute.report_singulars"))
"""'according to an official report', 'according to a report': one report; named only by a modifier."""
_ACCORDING_BREAKS = alternation(word_tuple("attribute.according_breaks"))
_REPORT_PARTICIPLES = alternation(word_tuple("attribute.report_participles"))
_REPORT_NOUN_SET = _GENERIC_REPORTS | _REPORT_SINGULARS
_ALL_REPORT_NOUNS = alternation(sorted(_REPORT_NOUN_SET))
_REPORT_PARTICIPLE_TAIL = re.compile(
    rf"(\b(?:{_ALL_REPORT_NOUNS}))\s+(?:{_REPORT_PARTICIPLES})\b(?![^,;]*\bby\b).*$",
    re.S | re.I,
)
"""'according to reports issued over the weekend': the reports, not when they came."""
_ACCORDING_BREAK = re.compile(rf"\s+(?:(?:{_ACCORDING_BREAKS})\b|(?:(?:{QUALIFIER})\s+)?\d).*$", re.S | re.I)
"""Where the source of an 'according to' ends without a comma: at a second basis ('initial estimations and based
on the latest mapping') or at the figure itself ('According to official report at least 183 people have died')."""
"""Generic reports that can be a verb's subject: 'Some estimates put the toll at', 'Media reports said'."""
_APPOSITIVE_NAME = re.compile(rf"\s*,\s*(?:[a-z0-9][\w'’\-]*\s+){{0,3}}?({_NAME})\s*(?:[,.]|$)")
"""A name in apposition, perhaps after a short description: ", Khalid Omer,", ", 24-year-old student Wanjiru Kamau"."""
_POSSESSIVE_PRONOUNS = alternation(word_tuple("attribute.possessive_pronouns"))
_GAVE_NAME = re.compile(
    rf"[^;“”\"]{{0,80}}?\bwho\s+gave\s+(?:only\s+)?(?:{_POSSESSIVE_PRONOUNS})\s+(?:first\s+)?names?\s+(?:only\s+)?"
    rf"(?:as\s+)?,?\s*({_NAME})"
)
"""'a nurse … who gave her name only as Rita', 'a migrant who gave only his first name, Mamadou'."""
_OWN_RELATIVE = re.compile(r"[^,;:.]{0,60},\s*who\b")
_WHO_CLAUSE = re.compile(r"(?:^|[,;:]\s*|\s)([^,;:]{2,60}?)\s*(?:,\s*(?:who|which)|\s(?=who\b)who)\b[^,;:]{0,56}$")
_ANTECEDENT_CUTS = alternation(word_tuple("attribute.antecedent_cuts"))
_ANTECEDENT_CUT = re.compile(rf"^.*\b(?:{_ANTECEDENT_CUTS})\s+(?=\S)", re.I | re.S)
"""What comes before a relative clause's antecedent: 'The figure came from |the health minister, who …', 'given out
on 17 May by |the Attorney General who confirmed …', 'It was |the governor who …'."""
_INVERTIBLE = frozenset(words("attribute.invertible"))
_AUXILIARY = re.compile(r"\b(?:" + alternation(word_tuple("attribute.be_have_forms")) + r")\b", re.I)
_GERUND_SUBJECT = re.compile(r"\b(" + alternation(word_tuple("attribute.third_person_pronouns")) + r")\b", re.I)
_NAME_AFTER_VERB = re.compile(rf"[\s,:;\-!?.…”\"’'»]*((?:(?:[a-z]+|\d{{1,3}}-year-old)\s+){{0,4}})({_NAME})")
"""The name after an inverted verb, past up to four lower-case words or an age: "said 27-year-old Aysan Kurt"."""
_PERSON_NAME = re.compile(r"\b([A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ'’]+(?:\s+(?:[A-Z]\.\s+)?[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ'’]+){1,5})\b")
"""A run of capitalised words that may be a person's name, with a middle initial ('George W. Bush')."""
_CITING = re.compile(r"\bciting\s+([^,.;:\"“”]{2,60})", re.I)
_LIVES = re.compile(r"\s+(?:the\s+)?(?:[\w,+]+\s+){1,3}lives\b", re.I)
_TITLE_TAIL = re.compile(r"^\s*,\s*((?:the\s+|a\s+|an\s+)?[A-Za-z][^.;\"“”]{2,120}?)\s*(?:[.;]|$)")


@dataclass
class Speaker:
    name: str | None  # None: a pronoun that could not be resolved
    cue: str
    cue_start: int
    cue_end: int
    title: str | None = None
    conduit: Speaker | None = None
    pronoun: bool = False
    rule: str = ""
    """The name of the rule that found this speaker ("according-to", "speech-verb", …), for explanations."""


MEMORY_REACH = 50_000
"""How far back (characters) a back-reference ("the group said", "they") looks for the speaker it means."""
MEMORY_SLACK = 2_000
"""Notes are in document order give or take this much: looking back stops once notes lie this far behind."""


@dataclass
class PersonMemory:
    """The people named so far in the document, for resolving "he" and "she". Speakers are noted in document order
    (give or take a sentence), so the questions "who was named before here?" look back from the latest note and stop
    once the notes lie far behind: the work per question does not grow with the document."""

    last_person: str | None = None
    seen: list[tuple[int, str]] = field(default_factory=list)
    capitalised: list[tuple[int, str]] = field(default_factory=list)  # sorted: the latest name before a position

    def note(self, name: str, at: int) -> None:
        if name in (UNNAMED, CROWD):
            return
        self.seen.append((at, name))
        if name[:1].isupper():
            insort(self.capitalised, (at, name))
        if name[:1].isupper() and len(name.split()) <= 4 and not name.isupper():
            self.last_person = name

    def noted_before(self, at: int, reach: int = MEMORY_REACH) -> Iterator[tuple[int, str]]:
        """Noted speakers with a position before `at`, latest noted first, within `reach` characters."""
        floor = at - reach
        for pos, name in reversed(self.seen):
            if pos < floor - MEMORY_SLACK:
                return
            if floor <= pos < at:
                yield pos, name

    def latest_capitalised(self, at: int) -> tuple[int, str] | None:
        """The noted name with a capital letter at the greatest position before `at`."""
        i = bisect_left(self.capitalised, (at, ""))
        return self.capitalised[i - 1] if i else None


def strip_title(name: str) -> tuple[str, str | None]:
    """'Supreme Leader Ali Khamenei' → ('Ali Khamenei', 'Supreme Leader')."""
    m = TITLE_RE.match(name)
    if m and m.end() < len(name):
        return name[m.end() :].strip(), name[: m.end()].strip()
    return name, None


_DATE_LEAD = frozenset(words("attribute.date_lead"))
_COMMON_OWNERS = frozenset(words("attribute.common_owners") | words("attribute.common_owners_2"))


def _owner(word: str) -> bool:
    """Whether a possessive before a name is its owner ('Peru's', 'Amnesty's') rather than part of the name
    ('Women's Refugee Commission', 'People's Liberation Army')."""
    return word[:-2].rstrip("'’").lower() not in _COMMON_OWNERS


_DESCRIPTOR_ENDINGS = word_tuple("attribute.descriptor_endings")
_LEADING_CONJUNCTION = re.compile(r"^(?:" + alternation(word_tuple("attribute.leading_conjunctions")) + r")\s+", re.I)


BODY_NOUNS = frozenset(ORGANISATION_NOUNS) | words("attribute.speaking_bodies")
"""The last word of a body that speaks through its officials ('the health department', 'the Sao Paulo government')."""
_OF_BODY = re.compile(r"^(?:of|for)\s+(?:the\s+)?", re.I)
_TITLE_OF_BODY = re.compile(
    r"(?:the\s+|an?\s+)?(?:[\w\-]+\s+){0,2}?([\w\-]+)\s+(?:"
    + alternation(word_tuple("attribute.of_body_links"))
    + r")\s+(?:the\s+)?(.+)",
    re.I,
)
"""'the deputy head of the regional police': a title (group 1) of a body (group 2)."""
_TITLE_OF = re.compile(r"\b((?:[a-z]+\s+)?([a-z]+))\s+of(?:\s+the)?$")
_OFFICES = frozenset(words("attribute.offices"))
"""Offices over a place: 'the mayor of Kharkiv', 'the prime minister of Pakistan' are people, not the place."""


_HEADLINE_KICKER = re.compile(r"^[A-Z][\w'’\- ]{1,30}:\s+(?=\S)")


def _clean_name(raw: str) -> str | None:
    name = _LEADING_CONJUNCTION.sub("", raw.strip(" ,;:-’'\"“”‘"))
    name = _HEADLINE_KICKER.sub("", name)  # "Sudan: UN chief deplores …": the headline's topic is not the speaker
    name = _DETERMINER.sub("", name)
    if not name or (name.lower() in _NOT_SUBJECT and not (name.isupper() and len(name) > 1)):  # "the WHO" is a name
        return None
    stripped, _ = strip_title(name)
    body = _OF_BODY.sub("", stripped)
    if body == stripped or (body and body.split()[-1].lower() in BODY_NOUNS):
        name = body  # "the head of the health department": the body speaks for its head
    # else "the mayor of Kharkiv", "the director of the hospital": the title is all the name there is
    words = name.split()
    if not words:
        return None
    if len(words) == 1 and words[0].rstrip(".").lower() in WEEKDAYS | MONTHS:
        return None  # "on Thursday, said", "said on Thursday.": a date, not a speaker
    dated = 0
    while dated < len(words) - 1 and words[dated].lower().rstrip(",") in _DATE_LEAD | WEEKDAYS | MONTHS:
        dated += 1
    if dated and words[dated - 1].lower().rstrip(",") in WEEKDAYS | MONTHS:
        # "(Later) on Thursday the Health Ministry raised the toll": the date is not the name
        words = words[dated + 1 :] if words[dated] == "the" and dated + 1 < len(words) else words[dated:]
        name = " ".join(words)
    last = words[-1]
    if (
        last.endswith(".")
        and last.count(".") == 1
        and (len(last) > 3 or last[:-1].isupper())
        and last.lower() not in ABBREVIATIONS
    ):
        words[-1] = last[:-1]  # "according to the prison agency, SNAI.": the sentence's stop
        name = " ".join(words)
    while len(words) > 1 and words[0].lower().endswith(_DESCRIPTOR_ENDINGS) and words[1][:1].isupper():
        words = words[1:]  # "Al-Qaeda-linked JNIM", "London-based Amnesty": a description before the name
        name = " ".join(words)
    if len(words) > 1 and words[0].endswith(("'s", "’s")) and words[1][:1].isupper() and _owner(words[0]):
        words = words[1:]  # "Peru's National Ombudsman Office", "Amnesty's Heba Morayef": the owner is not the name
        name = " ".join(words)
    if len(words) > 1 and words[-1].lower() in _REPORT_WORDS and all(w[:1].isupper() for w in words[:-1]):
        words = words[:-1]  # "An Associated Press investigation found": the outlet
        name = " ".join(words)
    glued = len(words) > 3 and all(w[:1].isupper() for w in words[-2:]) and words[0][:1].isupper()
    if glued and words[-1].lower() not in ORGANISATION_NOUNS and words[0].lower() not in ORGANISATION_NOUNS:
        # a title or a body written before a person's name; not "Office of the High Commissioner for Human Rights"
        titled = [k for k, w in enumerate(words[:-2]) if set(w.lower().rstrip(".").split("-")) & TITLE_WORDS]
        if titled:
            person = _after_office(words[titled[-1] + 1 :])  # "Health Minister Carla Ruiz Otero"
            name = " ".join(person) if person else name
        elif any(w.lower() in ORGANISATION_NOUNS for w in words[:-2]) and not any(w[:1].islower() for w in words):
            name = " ".join(words[-2:])  # "Supreme National Security Council Ali Shamkhani": keep the name
    return name or None


def _after_office(rest: list[str]) -> list[str] | None:
    """The person's name in the words after a title: all of them ("Carla Ruiz Otero"), or after the office the
    title holds ("of Interior Ahmad Vahidi", "of the Red Crescent Pir-Hossein Kolivand"); None when the words are
    the office alone ("for Human Rights")."""
    if rest[0][:1].isupper():
        return rest
    bodies = [k for k, w in enumerate(rest[:-2]) if w.lower() in ORGANISATION_NOUNS]
    if bodies:
        rest = rest[bodies[-1] + 1 :]
    elif len(rest) > 2 and rest[-3][:1].isupper():
        rest = rest[-2:]
    else:
        return None
    return rest if len(rest) >= 2 and all(w[:1].isupper() for w in rest) else None


_REPORT_ADJECTIVES = frozenset(words("attribute.report_adjectives")) | frozenset(
    w.lower() for w in words("attribute.report_source_modifiers")
)
_BODY_COUNT_NOUNS = frozenset(words("attribute.body_count_nouns"))
_REPORT_PHRASE_BREAKS = frozenset(words("attribute.report_phrase_breaks"))
_REPORT_SOURCE_MODIFIERS = frozenset(w.lower() for w in words("attribute.report_source_modifiers"))
_REPORT_FROM = re.compile(
    r"^(?:[\w\-]+\s+){0,2}?(?:" + alternation(word_tuple("attribute.report_from_nouns")) + r")\s+(?:from|by)\s+(.+)$",
    re.I,
)


_BODY_REPORT_LEADS = alternation(word_tuple("attribute.body_report_leads"))
_NAME_LINK_WORDS = alternation(word_tuple("attribute.acronym_name_links"))
_NAMED_BODY_REPORT = re.compile(
    rf"(?:(?i:{_LEADING_DETERMINERS})\s+)?(?:(?i:{_BODY_REPORT_LEADS})\s+)*"
    rf"([A-Z][\w'’\-]*(?:\s+(?:(?:{_NAME_LINK_WORDS})\s+)?[A-Z][\w'’\-]*)+)\s+([a-z]+)"
)
"""'Official Government of India figures', 'latest World Health Organization estimates': a named body's report."""


def report_source(phrase: str) -> str | None:
    """A report phrase that names the kind of its source: 'media reports', 'latest official estimates' → 'official
    estimates', 'preliminary reports from the ministry' → 'ministry'; None for reports whose source is not named
    ('reports', 'some estimates', 'unconfirmed reports')."""
    phrase = _PAREN_ACRONYM.sub("", phrase.strip(" ,;:"))
    from_source = _REPORT_FROM.match(phrase)
    if from_source:
        return _clean_name(from_source.group(1))
    named = _NAMED_BODY_REPORT.fullmatch(phrase)
    if named and named.group(2).lower() in _REPORT_NOUN_SET:
        return named.group(1)  # "Official Government of India figures": the body that counted
    words = phrase.split()
    if len(words) < 2 or words[-1].lower() not in _REPORT_NOUN_SET or any(ch.isdigit() for ch in phrase):
        return None
    first = next((k for k, w in enumerate(words[:-1]) if w.lower() in _REPORT_SOURCE_MODIFIERS), None)
    if first is None or len(words) - first > 3 or any(w[:1].isupper() for w in words[1:first] + words[first + 1 : -1]):
        return None  # not "a Reuters tally of hospital figures and police reports": a longer phrase names its source
    if any(w.lower() in _REPORT_PHRASE_BREAKS for w in words[:-1]):
        return None
    while (
        first > 0
        and words[first - 1][:1].isupper()
        and words[first - 1].isalpha()
        and not _DETERMINER.match(words[first - 1] + " ")
    ):
        first -= 1  # "Pakistani Government estimates": the body's proper adjective is part of its name
    source = words[first:]
    if source[-1].lower() in _BODY_COUNT_NOUNS and source[-2].lower() in BODY_NOUNS:
        return " ".join(source[:-1])  # "state government figures" → "state government": the body's own count
    return " ".join(source)


_PAREN_ACRONYM = re.compile(r"\s*" + _ACRONYM_HINT.pattern)


def _phrase_subject(segment: str) -> str | None:
    """A short noun phrase as subject: 'lawyers', 'the interior ministry', 'Rights groups'; UNNAMED for reports
    no one is named for ('Some estimates put the toll at')."""
    seg = _LEADING_CONJUNCTION.sub("", segment.strip(" ,;:"))
    seg = _PAREN_ACRONYM.sub("", seg)  # "Official Government of India (GOI) figures": the acronym repeats the name
    if seg.lower() in _REPORTS_NOUNS:
        return UNNAMED  # "Reports put the death toll at 120,000": no one named
    titled = _TITLE_OF_BODY.fullmatch(seg)
    if titled and titled.group(1).lower() in TITLE_WORDS and titled.group(2).split()[-1].lower() in BODY_NOUNS:
        seg = titled.group(2)  # "the deputy head of the regional police": the body speaks for its head
    words = seg.split()
    generic = not any(w[:1].isupper() for w in words[1:-1])
    named_report = report_source(seg)
    if named_report:
        return named_report  # "Media reports said", "Preliminary reports from the ministry indicate"
    if len(words) > 1 and words[-1].lower() in _REPORTS_NOUNS and words[0].lower() in _NOUN_DETERMINERS and generic:
        return UNNAMED  # "Some estimates put the toll at", "Unconfirmed reports said": no one named
    if not words or len(words) > 6 or any(ch.isdigit() for ch in seg) or '"' in seg or "“" in seg:
        return None
    some_people = (
        words[0].lower() in _SOME_DETERMINERS
        and 2 <= len(words) <= 3
        and words[-1].isalpha()
        and words[-1].islower()
        and words[-1].endswith("s")
    )  # "some politicians claimed", "Some officials said": a part of a group speaks
    if _AUXILIARY.search(seg) or (words[0].lower() in _NOT_PHRASE_START and not some_people):
        return None  # "saying some victims had been", "more": a clause, not a noun phrase
    if words[0].lower().endswith("ing"):
        return None
    if words[0].lower() in _SENTENCE_WORDS and len(words) > 1 and words[0].lower() != "the":
        return None
    return _clean_name(seg)


@per_document
def subject_before(text: str, left_bound: int, verb_start: int) -> tuple[str | None, str | None, bool]:
    """The subject of a verb from the text before it: (name, title, is_pronoun). Kept for the document's other
    claims: every figure and quote of a sentence asks about the same verbs."""
    left = text[left_bound:verb_start].rstrip()
    if left.lstrip().startswith("of ") and "," not in left and not _VERB_LIKE.search(left):
        return None, None, False  # "Hundreds| of demonstrators chanted": the figure is in the subject itself
    gerund = re.match(r"[a-z]+ing\b", text[verb_start : verb_start + 20])
    if gerund and (left.endswith((" by", " while", " after", " before")) or _AFTER_COMMA.search(left)):
        # "he tried to conceal it by describing it as …": the gerund's subject is the clause's subject
        pronoun = _GERUND_SUBJECT.search(left)
        if pronoun:
            return pronoun.group(1), None, True
        clause = _AFTER_COMMA.sub("", left)
        first = _first_conjunct_subject(clause) if clause != left else None
        if first is not None and first[0]:
            trailing = _NAME_END.search(first[0])
            if trailing and trailing.start() and len(trailing.group(1).split()) >= 2:
                # "Police spokesman Orlando Mudumane disputed the toll, saying …": the name, its role a title
                return _clean_name(trailing.group(1)), first[0][: trailing.start()].strip(), False
            return first  # "Norwegian police have revised the toll, now reporting that …": the clause's subject
        lead = _NAME_START.match(left)
        if lead:
            return _clean_name(lead.group(1)), None, False
    left = re.sub(r"\s*\([^()]{0,60}\)$", "", left)
    left = _WHEN_BEFORE_VERB.sub("", left)  # "Reuters on Monday said", "The ministry on Telegram said"
    left = _PRE_VERB_ADVERB.sub("", left)  # "The ministry now says", "Police later said"
    if not left:
        return None, None, False
    coordinated = _AND_END.search(left, max(0, len(left) - 12)) if left.endswith("and") else None
    if coordinated:
        # "The commission released its report on Monday and said …": the first verb's subject says it too
        first = _first_conjunct_subject(left[: coordinated.start()])
        if first is not None:
            return first
    # "X, which is close to Y, says" (the clause closed); not "X, which documents": its own verb
    closed_which = left.endswith(",") and "which" in left[-64:]
    relative = _WHO_CLAUSE.search(left.rstrip(" ,")) if "who" in left[-48:] or closed_which else None
    if relative and "," not in left[relative.end(1) : relative.end(1) + 3]:
        named_last = _NAME_END.search(left)
        if named_last and named_last.start() > relative.end(1):
            relative = None  # "a concert-goer who gave her name as Irina told": the name given, not the role
    if relative:
        # "Maduro, who described the detainees as …", "The interior minister, who has called …"; after a figure
        # ("found 17 survivors on the beach, who said") the people counted, without their place
        antecedent = _AFTER_FIGURE.split(relative.group(1))[-1]
        antecedent = _ANTECEDENT_CUT.sub("", antecedent) or antecedent
        subject = _noun_phrase_subject(_PLACE_TAIL.sub("", antecedent) or antecedent)
        if subject is not None:
            return subject
        people = list(_ONE_PERSON.finditer(antecedent))
        if people:
            return people[-1].group(1).lower(), None, False  # "the words of a nurse at the clinic, who said …"
    words = left.split()
    while len(words) > 1 and words[-1].lower().endswith("ly") and words[-1].islower():
        words.pop()  # "he ridiculously added"
    last_word = words[-1]
    if _PRONOUN.match(last_word.strip(",")) and (len(words) == 1 or not words[-2][:1].isupper() or len(words) <= 2):
        return last_word.strip(","), None, True
    if left.endswith(","):
        segments = [s for s in re.split(r",\s*", left[:-1])]
        while len(segments) > 1 and segments[-1].strip().isdigit():
            segments.pop()  # "President Kassym-Jomart Tokayev, 68, has said": an age
        the_name = _THE_NAME.fullmatch(segments[-1].strip())
        if the_name and len(segments) > 1 and _is_description(segments[-2]):
            # "An independent monitoring group, the Archive of Public Gatherings, estimated"
            return _clean_name(the_name.group(1)), segments[-2].strip(), False
        if len(segments) > 1 and _is_place(segments[-1].strip()) and _IN_A_PLACE.search(segments[-2]):
            # "A police spokesperson in the main city, Almaty, said": the place is in apposition, not the speaker
            located = _noun_phrase_subject(_PLACE_TAIL.sub("", re.split(r"\bthat\b", segments[-2])[-1]))
            if located is not None:
                return located
        if segments and _NAME_END.fullmatch(segments[-1].strip()) and not _APPOSITIVE_START.match(segments[-1]):
            name, title = strip_title(segments[-1].strip())
            appositive_title = (
                segments[-2].strip() if len(segments) > 1 and _APPOSITIVE_START.match(segments[-2]) else None
            )
            return _clean_name(name), title or appositive_title, False
        if len(segments) > 1 and _APPOSITIVE_START.match(segments[-1]):
            if segments[-2].strip().lower() in _ANOTHER_ONE:
                # "Another, a shopkeeper from Canoas, said": one more unnamed speaker, by their role
                role = described_speaker(segments[-1], 0, len(segments[-1]))
                if role is not None:
                    return role, None, False
            m = _NAME_END.search(segments[-2])
            if m:
                return _clean_name(m.group(1)), segments[-1].strip(), False
        if len(segments) > 1 and _ASIDE_START.match(segments[-1]):
            # "The institute, known by its Spanish acronym INDH, said": the subject before the aside
            subject = _noun_phrase_subject(segments[-2])
            if subject is not None:
                return subject
        return None, None, False
    member = _MEMBER_OF.search(left)
    if member and member.group(1).split()[-1].lower() not in ORGANISATION_NOUNS:
        # "Jeed Basyouni of the rights group Reprieve said": the person speaks for the organisation
        return _clean_name(member.group(1)), f"of {member.group(2).strip()}", False
    m = _NAME_END.search(left)
    clause = _CLAUSE_OPENING.split(left)[-1]
    if m and m.start() >= len(left) - len(clause.rstrip()) - 1:
        name, title = strip_title(m.group(1))
        before_name = left[: m.start()].strip()
        place = _PLACE_AFTER.search(before_name, max(0, len(before_name) - 12))
        if place and clause.strip().startswith(before_name.split(",")[-1].strip()):
            # "Police in Lagos said", "The Red Cross in Beirut said": the speaker is before the place
            located = _noun_phrase_subject(before_name[: place.start()].split(",")[-1])
            if located is not None:
                return located
        office = _TITLE_OF.search(before_name)
        territorial = office and office.group(2).lower() in _OFFICES and not name.isupper()
        if territorial and office and name.split()[-1].lower() not in BODY_NOUNS:
            return (
                f"{_DETERMINER.sub('', office.group(1))} of {name}",
                None,
                False,
            )  # "The mayor of Kharkiv said": a role, not the city
        if before_name and before_name.split()[-1].islower() and before_name.split()[-1] not in ("and", "that"):
            title = title or _DETERMINER.sub("", before_name.split(",")[-1].strip()) or None
        cleaned = _clean_name(name)
        if cleaned and cleaned.split()[0].lower() in _SENTENCE_WORDS:
            return _phrase_subject(clause), None, False
        return cleaned, title, False
    lead = _LEAD_PREPOSITION_THEN_BODY.fullmatch(clause.strip())
    if lead:
        return lead.group(1), None, False  # "In the neighbouring province authorities say": the body after the place
    return _phrase_subject(clause), None, False


_SUBORDINATORS = alternation(word_tuple("attribute.clause_subordinators"))
_COMPARISON_AFTER_AS = alternation(word_tuple("attribute.comparison_after_as"))
"""'as well as', 'as many as', 'as much as': a comparison, not a clause opening with 'as'."""
_SUBORDINATE = re.compile(rf"(?<!\bwell )(?<!\bsuch )\b(?:{_SUBORDINATORS})\b(?!\s+(?:{_COMPARISON_AFTER_AS})\b)")
"""A clause of its own ('… as reports put the toll at …'): the verb before does not carry what it says."""
_CLAUSE_OPENING = re.compile(rf",|\bthat\b|;|{_SUBORDINATE.pattern}")
"""Where the clause of a verb's subject opens: 'Annan told a news conference as reports put …' → 'reports'."""
_PRE_VERB_ADVERB = re.compile(r"(?:\s+(?:" + alternation(word_tuple("attribute.pre_verb_adverbs")) + r"|[a-z]+ly))+$")
_PLACE_TAIL_PREPOSITIONS = alternation(word_tuple("attribute.place_tail_prepositions"))
_IN_A_PLACE = re.compile(rf"\b(?:{_PLACE_TAIL_PREPOSITIONS})\s+(?:the\s+)?(?:[\w\-]+\s+){{0,2}}[\w\-]+$")
_SPEAKING_PLURALS = alternation(word_tuple("attribute.speaking_plurals"))
_BODY_MODIFIERS = alternation(word_tuple("attribute.body_modifiers"))
_LEAD_PREPOSITION_THEN_BODY = re.compile(
    rf"(?i:{_PLACE_TAIL_PREPOSITIONS})\s+[^,;:]{{2,60}}?\s+"
    rf"((?:(?:{_BODY_MODIFIERS})\s+)?(?:{_SPEAKING_PLURALS}))"
)
_AND_END = re.compile(r"\s+and$")
_THE_NAME = re.compile(rf"the\s+({_NAME})")
_ARTICLES = frozenset(words("attribute.articles"))


def _is_description(segment: str) -> bool:
    """'An independent monitoring group', 'a rights monitor': a description, not a name."""
    words = segment.split()
    if not words or _NAME_END.search(segment.rstrip()):
        return False
    return words[0].lower() in _ARTICLES or words[0][:1].islower()


_ASIDE_START = re.compile(r"(?:" + alternation(word_tuple("attribute.aside_starts"), space=" ") + r")\b")
"""An aside between a subject and its verb: ', known by its acronym INDH,', ', which monitors prisons,'."""
_PLACE_AFTER = re.compile(r"(?<=\w)\s+(?:" + alternation(word_tuple("attribute.place_prepositions")) + r")$")
_PLACE_TAIL = re.compile(rf"\s+(?:{_PLACE_TAIL_PREPOSITIONS})\s+.*$")
_AFTER_FIGURE = re.compile(r"\b\d[\d,.]*\b")
_VERB_LIKE = re.compile(r"(?<![\w\-’'])(?:[a-z]+ed|" + alternation(word_tuple("attribute.verb_like_words")) + r")\b")
"""A word that may be a clause's first verb: a regular past tense, an auxiliary or a common irregular past."""
_ADVERBIAL_START = re.compile(r"^(?:" + alternation(word_tuple("attribute.adverbial_starts")) + r")\b", re.I)
_RELATIVE_PRONOUNS = alternation(word_tuple("attribute.relative_pronouns"))
_RELATIVE_START = re.compile(rf"^(?:{_RELATIVE_PRONOUNS})\b")


def _noun_phrase_subject(phrase: str) -> tuple[str | None, str | None, bool] | None:
    """A subject written as a pronoun, a capitalised name or a short noun phrase, or None."""
    phrase = phrase.strip(" ,;:")
    if not phrase:
        return None
    if _PRONOUN.match(phrase):
        return phrase, None, True
    if _NAME_END.fullmatch(phrase) and not _APPOSITIVE_START.match(phrase):
        name, title = strip_title(phrase)
        cleaned = _clean_name(name)
        return (cleaned, title, False) if cleaned else None
    subject = _phrase_subject(phrase)
    return (subject, None, False) if subject else None


def _first_conjunct_subject(clause: str) -> tuple[str | None, str | None, bool] | None:
    """The subject of the first of two coordinated verbs, from the text before "and": the words before its first
    verb, without a leading adverbial ("On Monday,"), a relative clause (", which …,") or a place ("in Goma")."""
    verb = _VERB_LIKE.search(clause)
    if verb is None or verb.start() == 0:
        return None
    segments = [part.strip() for part in clause[: verb.start()].split(",")]
    while len(segments) > 1 and _ADVERBIAL_START.match(segments[0]):
        segments.pop(0)  # "On Monday, the commission …"
    segments = [part for part in segments if part and not _RELATIVE_START.match(part)]
    if len(segments) != 1:
        return None
    phrase = _PLACE_TAIL.sub("", segments[0]) or segments[0]
    return _noun_phrase_subject(phrase)


def described_speaker(text: str, start: int, end: int) -> str | None:
    """'a 34-year-old teacher who asked not to be named' → 'teacher': an unnamed speaker by their role."""
    m = _DESCRIBED.match(text, start, end)
    if not m:
        return None
    named = _APPOSITIVE_NAME.match(text, m.end(), end) or _GAVE_NAME.match(text, m.end(), end)
    if named:
        return _clean_name(named.group(1))  # "a government spokesman, Khalid Omer, said"
    trailing = _NAME_END.search(text[m.end() : end].rstrip(" ,"))
    if trailing and len(trailing.group(1).split()) >= 2:
        return _clean_name(trailing.group(1))  # "the commander of state security forces Hossein Ashtari said"
    return m.group(1).lower()


_SHOUT_VERBS = frozenset(words("attribute.shout_verbs"))
_ONE_PERSON_WORDS = alternation(word_tuple("attribute.one_person"))
_ONE_PERSON = re.compile(rf"\b(?:{_ONE_PERSON_WORDS})\s+(?:[\w'’\-]+\s+){{0,2}}?({_ROLE})\b(?!-)", re.I)


def single_shouter(text: str, cue: Any, quote_close: int, sentence: tuple[int, int]) -> str | None:
    """Who shouts a quotation alone: '“…,” a woman shouted', 'a man was led away after shouting “…”' → 'woman'.
    One person shouting speaks; only a crowd chants. None when the cue is no shout or no single person shouts."""
    if cue.group(0).lower() not in _SHOUT_VERBS:
        return None
    if cue.start() > quote_close:
        many = _DESCRIBED.match(text, quote_close + 1, cue.start())
        if many and many.group(0).lower().endswith(many.group(1).lower() + "s"):
            return None  # "“Enough is enough!” the farmers shouted": a crowd, not one person
        return described_speaker(text, quote_close + 1, cue.start())
    people = list(_ONE_PERSON.finditer(text, sentence[0], cue.start()))
    return people[-1].group(1).lower() if people else None


_PREPOSITIONS = frozenset(words("attribute.prepositions"))


_BODY_AFTER_NAME = re.compile(r"\s+(" + "|".join(sorted(BODY_NOUNS)) + r")\b")
_INDEFINITE = frozenset(words("attribute.indefinite"))
_ANOTHER_ONE = frozenset(words("attribute.another_one"))
_OF_PLACE = frozenset(words("attribute.of_place"))


def _place_preposition(lead: list[str]) -> str:
    """The last word before a name, past a "the": "a resident of the" → "of"."""
    return lead[-2] if len(lead) > 2 and lead[-1] == "the" else lead[-1]


_NAMED_ROLE_WORDS = alternation(word_tuple("attribute.named_roles"))
_ROLE_AFTER_NAME = re.compile(
    rf"\s+((?:[a-z]+\s+){{0,2}}(?:{_NAMED_ROLE_WORDS}))\b(?:\s+([A-Z][\w'’\-]+(?:\s+[A-Z][\w'’\-]+){{0,3}}))?"
)
"""'UN chief', 'UN human rights chief': an organisation's acronym with the role after it."""


def subject_after(text: str, verb_end: int, right_bound: int) -> tuple[str | None, str | None]:
    """'said Kazem Mojtabaii, Commander of Security Forces in Qom Province.' → (name, title)."""
    segment = text[verb_end:right_bound]
    if "(" in segment:  # "said UN High Commissioner for Refugees (UNHCR) António Guterres": the acronym aside
        blanked = _PAREN_ACRONYM.sub(lambda a: " " * len(a.group(0)), segment)
        if blanked != segment:
            text = text[:verb_end] + blanked + text[right_bound:]
    m = _NAME_AFTER_VERB.match(text, verb_end, right_bound)
    lead = m.group(1).split() if m else []
    if lead and (lead[0] in _PREPOSITIONS or any(w in word_tuple("attribute.subject_after") for w in lead)):
        return None, None  # "said on Friday", "said in Geneva", "states and the District": not the speaker
    if not m:
        role = described_speaker(text, verb_end, right_bound)
        return (role, None) if role else _common_subject_after(text, verb_end, right_bound)
    if lead and lead[0] in _INDEFINITE and _place_preposition(lead) in _OF_PLACE:
        described = _DESCRIBED.match(text, verb_end, m.end(1))
        role = described.group(1).lower() if described else None
        if role in PLACE_ROLES:
            return role, None  # "said a resident of (the) Wad Madani (camp)": an unnamed resident, not the town
    located = next((k for k, w in enumerate(lead) if k and w in _PREPOSITIONS), None)
    if located is not None and lead[0] not in _NOT_AFTER_VERB and not lead[0].endswith("ly"):
        # "said officials in Lagos", "said the governor on Monday": the speaker is before the place or the time
        return _phrase_subject(" ".join(lead[:located])), None
    name, title = strip_title(m.group(2))
    title = title or (m.group(1).strip() or None)
    role_tail = _ROLE_AFTER_NAME.match(text, m.end(), right_bound)
    if role_tail and name.isupper():
        if role_tail.group(2):  # "said UN spokesman Stephane Dujarric": the person, the role their title
            return _clean_name(role_tail.group(2)), f"{name} {role_tail.group(1)}"
        return f"{name} {role_tail.group(1)}", None  # "says UN chief", "said the UN human rights chief": a role
    body = _BODY_AFTER_NAME.match(text, m.end(), right_bound)
    if body and lead and lead[-1] == "the":
        name = f"{name} {body.group(1)}"  # "said a spokesman for the Rio Grande do Sul government"
        m = body
    tail = _TITLE_TAIL.match(text[m.end() : right_bound])
    if tail and not title:
        title = tail.group(1).strip()
    return _clean_name(name), title


_PLAIN_ARTICLES = alternation(word_tuple("attribute.plain_articles"))
_COMMON_SPEAKER_ENDS = alternation(word_tuple("attribute.common_speaker_ends"))
_COMMON_AFTER_VERB = re.compile(
    rf"[\s,]*(?:(?:{_PLAIN_ARTICLES})\s+)?((?:[a-z][\w'’\-]*\s+){{0,3}}?[a-z][\w'’\-]*)"
    rf"(?=\s*(?:[,.;:!?]|$)|\s+(?:{_COMMON_SPEAKER_ENDS})\b)"
)
_NOT_AFTER_VERB = frozenset(
    words("attribute.not_after_verb") | words("attribute.not_after_verb_2") | words("attribute.not_after_verb_3")
)


def _common_subject_after(text: str, verb_end: int, right_bound: int) -> tuple[str | None, str | None]:
    """A speaker named by a common noun after an inverted verb: '…, said the interior ministry', '…, said police';
    with a name in apposition, the name: '…, said the regional governor, Sergei Volkov'."""
    m = _COMMON_AFTER_VERB.match(text, verb_end, right_bound)
    first = m.group(1).split()[0] if m else ""
    if m is None or first in _NOT_AFTER_VERB or first.endswith("ly"):
        return None, None  # "…, said separately", "…, said late on Monday"
    phrase = _phrase_subject(m.group(1))
    if phrase is None or phrase == UNNAMED:
        return None, None
    named = _APPOSITIVE_NAME.match(text, m.end(), right_bound)
    if named:
        name, title = strip_title(named.group(1))
        return _clean_name(name), title or m.group(1)
    return phrase, None


_INTRODUCTION_DEMONSTRATIVES = alternation(word_tuple("attribute.introduction_demonstratives"))
_INTRODUCTION_NOUNS = alternation(word_tuple("attribute.introduction_nouns"))
_INTRODUCTION = re.compile(
    r"(?:(?:That|This)\s+(?:was|is)(?=\s+(?:[A-Z][\w.'’\-]*\s+){1,4}[a-z]+ing\b)"
    r"|(?:That|This)(?:\s+is|\s+was|['’]s)\s+how"
    r"|So\s+(?:says|said)"
    rf"|(?:{_INTRODUCTION_DEMONSTRATIVES})\s+(?:are|were)\s+the\s+words\s+of"
    rf"|The\s+(?:{_INTRODUCTION_NOUNS})\s+"
    r"(?:came|comes)\s+from)\b"
)


def introduced_speaker(text: str, start: int, end: int) -> Speaker | None:
    """The speaker of a quotation that stands alone, named by the sentence after it: "“I lost everything.” Those
    were the words of Kofi Mensah, a cocoa farmer", "The warning came from Marta Ruiz", "So says a witness", "That was
    President Obama describing the attacks" (a broadcast's way, in the paragraph after the quotation)."""
    m = _INTRODUCTION.match(text, start, end)
    if m is None:
        return None
    name, title = subject_after(text, m.end(), end)
    if not name:
        return None
    return Speaker(
        rule="introduced-after", name=name, cue=m.group(0), cue_start=m.start(), cue_end=m.end(), title=title
    )


_PASSIVE_REPORT_ADVERBS = frozenset(words("attribute.passive_report_adverbs"))
_PASSIVE_AUXILIARY_WORDS = alternation(word_tuple("attribute.passive_auxiliaries"))
_LABELLING_PARTICIPLES = alternation(word_tuple("attribute.labelling_participles"))
_LABELLING_LEADS = alternation(word_tuple("attribute.labelling_leads"))
_QUOTE_AGENT_ENDS = alternation(word_tuple("attribute.quote_agent_ends"))
_LABELLED_BEFORE = re.compile(
    rf"\b(?:{_PASSIVE_AUXILIARY_WORDS}|{_LABELLING_LEADS})\s+(?:[a-z]+ly\s+)?(?:{_LABELLING_PARTICIPLES})\s+$", re.I
)
_QUOTE_AGENT = re.compile(
    rf"\s+(by)\s+(?:the\s+)?([^,.;:\"“”()]{{2,60}}?)(?=[,.;:\"“”()]|\s+(?:{_QUOTE_AGENT_ENDS})\b|$)"
)
"""'… declared "unfit to work" by his doctor': the agent after the quotation."""
_PASSIVE_REPORT_PARTICIPLES = alternation(word_tuple("attribute.passive_report_participles"))
_PASSIVE_REPORT = re.compile(
    rf"\b(?:{_PASSIVE_AUXILIARY_WORDS})\s+"
    rf"(?:(?:{alternation(sorted(_PASSIVE_REPORT_ADVERBS))}|[a-z]+ly)\s+)?"
    rf"(?:{_PASSIVE_REPORT_PARTICIPLES})\b(?!\s+by\b)",
    re.I,
)
"""An agentless passive report: 'five deaths were reported', 'have been reported freed', 'was later reported';
not 'reported by state media' (the agent is named)."""
_REPORTS_OBJECT_LEADS = alternation(word_tuple("attribute.reports_object_leads"))
_REPORT_ADJECTIVES_ALT = alternation(word_tuple("attribute.report_adjectives"))
_REPORTS_OF = re.compile(
    rf"\b(?:{_REPORTS_OBJECT_LEADS})\s+(?:the\s+)?(?:(?:{_REPORT_ADJECTIVES_ALT})\s+)?reports\s+(?:that|of)\b", re.I
)
"""'saddened by reports that a ship carrying 700 migrants capsized', 'trying to verify reports of at least 100 dead':
'reports' is a noun here (a preposition or a verb before it), and what they report is the figure; not 'Reuters
reports that 300 died' (a verb with its subject)."""
_RELATIVE_BEFORE = re.compile(rf"\b(?:{_RELATIVE_PRONOUNS})\s+$", re.I)
"""A relative pronoun right before a hedge: the hedge qualifies a noun of its own ('the fire, which is reported to
have killed 12'), not the speaker's clause."""
_AGENTLESS_STEMS = word_tuple("attribute.agentless_stems")
"""Every agentless cue holds one of these: a cheap test before the regex."""
_QUOTE_BY_WORDS = word_tuple("attribute.quote_by_words")


def _has(lowered: str, words: tuple[str, ...]) -> bool:
    return any(w in lowered for w in words)


@dataclass(frozen=True, slots=True)
class VerbHit:
    """A speech verb with the auxiliaries before it ("had spoken of"): shaped like a regex match."""

    clause_start: int
    verb_start: int
    verb_end: int
    verb: str
    quote_only: bool = False  # a verb of QUOTE_VERBS: speech only about a quotation ("pleaded", "demanded")

    def start(self, group: str | None = None) -> int:
        return self.verb_start if group == "verb" else self.clause_start

    def end(self) -> int:
        return self.verb_end

    def group(self, _name: str) -> str:
        return self.verb


_PUT_NOUNS = alternation(word_tuple("attribute.put_nouns"))
_TOLL_DETERMINERS = alternation(word_tuple("attribute.toll_determiners"))
_TOLL_ADJECTIVES = alternation(word_tuple("attribute.toll_adjectives"))
_TOLL_NOUNS = alternation(word_tuple("attribute.toll_nouns"))
_TOLL_LINKS = alternation(word_tuple("attribute.toll_links"))
_PUT_TOLL = re.compile(
    r"put\s+it\s+at\b(?=\s+(?:[a-z]+\s+){0,2}\d)"
    rf"|put\s+the\s+(?:death\s+)?(?:{_PUT_NOUNS})\b[^.;\"“”]{{0,80}}?\s+at\b"
    rf"|(?:{'|'.join(v for v in TOLL_VERBS if v != 'put')})\s+(?:{_TOLL_DETERMINERS})\s+"
    rf"(?:(?:{_TOLL_ADJECTIVES})\s+)*(?:{_TOLL_NOUNS})\b"
    rf"[^.;\"“”]{{0,80}}?\s+(?:{_TOLL_LINKS})\b",
    re.I,
)
"""A count given, with its subject before: 'put the toll at', 'police put it at 107,000', 'raised the toll to 112',
'had earlier given a figure of 11,300'."""


_AUXILIARY_WORDS = frozenset(words("attribute.auxiliary_words") | words("attribute.auxiliary_words_2") | {"first"})
_AUXILIARIES = re.compile(rf"(?:\b(?:{'|'.join(sorted(_AUXILIARY_WORDS))})\s+)+$", re.I)


_IN_A_NAME = re.compile(r"(?<![.!?\"“”:]\s)(?<![.!?\"“”:])\b[A-Z][\w'’\-]+\s+$")
"""A capitalised word before a capitalised speech verb: 'Ahmed Said', not a verb."""
_GERUND_ADVERBS = alternation(word_tuple("attribute.gerund_adverbs"))
_AFTER_COMMA = re.compile(rf",(?:\s+(?:{_GERUND_ADVERBS}|[a-z]+ly))?\s*$")
"""A participle's clause after a comma, past an adverb: ', adding that', ', now reporting that'."""
_ACTION_VERBS = frozenset({"ordered"})
"""Speech verbs that, with a figure in their object, report an act ('ordered 3,600 soldiers to …'), not a count."""
_AND_WORD = re.compile(r"\band\b")
_PASSIVE_AUXILIARIES = frozenset(words("attribute.passive_auxiliaries"))
_NOUN_TOO = frozenset(words("attribute.noun_too") | words("attribute.noun_too_2"))
"""Speech verbs that are also nouns: after a determiner they are the noun ('some estimates', 'the reports')."""
_NOUN_DETERMINERS = frozenset(words("attribute.noun_determiners") | words("attribute.noun_determiners_2"))


@per_document
def document_verbs(norm: str) -> tuple[list[VerbHit], list[int]]:
    """Every speech verb of a document, with the auxiliaries before it, in the order of their clause starts."""
    found = scan(norm)
    lowered = found.lowered
    shared: dict[str, str] = {}  # one string for each verb as written: a long document says "said" thousands of times

    def hit(i: int, j: int, quote_only: bool = False) -> VerbHit:
        """The verb at norm[i:j], its clause starting at the auxiliaries before it ("have put the toll at")."""
        aux = _AUXILIARIES.search(norm, max(0, i - 60), i) if word_before(lowered, i) in _AUXILIARY_WORDS else None
        verb = norm[i:j]
        return VerbHit(aux.start() if aux else i, i, j, shared.setdefault(verb, verb), quote_only)

    hits = []
    for i, j, word in found.words["speech_verbs"].items:  # words of the lower-cased scan
        if (i > 0 and norm[i - 1] == "-") or (j < len(norm) and norm[j] == "-"):
            continue  # "so-called", "well-known"
        if norm[i].isupper() and _IN_A_NAME.search(norm, max(0, i - 30), i):
            continue  # "Ahmed Said": a name
        before = word_before(lowered, i)
        if before is not None and (before in _PASSIVE_REPORT_ADVERBS or before.endswith("ly")):
            before = word_before(lowered, i - len(before) - 1) or before  # "was initially reported"
        if before in _PASSIVE_AUXILIARIES and (word.endswith("ed") or word in ("said", "told")):
            continue  # "was declared winner", "are said to have died": no one speaks
        if (
            before in _NOUN_DETERMINERS
            and (word in _NOUN_TOO or word.endswith("ing"))
            and not norm.startswith(" that", j)
        ):
            continue  # "Some estimates put the toll at", "their claims", "the warning came from": a noun
        if word in _NOUN_TOO and any(h[0] == j + 1 for h in found.words["speech_verbs"].between(j + 1, j + 24)):
            continue  # "Media reports said", "Official estimates indicate": the noun before the verb
        if word in _NOUN_TOO and before in _REPORT_ADJECTIVES and norm.startswith((" from ", " of "), j):
            continue  # "Preliminary reports from the ministry", "media reports of": a noun after its adjective
        if norm.startswith(" of ", j) and word in ("accused", "suspected"):
            continue  # "79,000 people accused of gang ties": a description, not a speech
        hits.append(hit(i, j, word in QUOTE_VERBS and not norm.startswith((" that", ":"), j)))
    tolls = [m for i, _, _ in found.words["toll_verbs"].items if (m := _PUT_TOLL.match(norm, i))]
    if tolls:
        hits += [hit(m.start(), m.end()) for m in tolls]
        hits.sort(key=lambda h: h.clause_start)
    return hits, [h.clause_start for h in hits]


def speech_verbs_in(norm: str, start: int, end: int) -> list[VerbHit]:
    hits, starts = document_verbs(norm)
    lo, hi = bisect_left(starts, start), bisect_left(starts, end)
    return [h for h in hits[lo:hi] if h.verb_end <= end]


def _speech_clauses(text: str, norm: str, start: int, end: int) -> list[VerbHit]:
    """Speech verbs whose clause lies in norm[start:end]."""
    return speech_verbs_in(norm, start, end)


_CROWD_RE = re.compile(r"\b(?:" + "|".join(sorted(CROWD_WORDS - {"they"}, key=len, reverse=True)) + r")\b", re.I)


def _quoted_at(marks: list[tuple[int, int]], at: int) -> bool:
    """Whether position `at` lies inside one of the document's quotations (marks in text order)."""
    i = bisect_right(marks, at, key=_span_start)
    return i > 0 and marks[i - 1][0] <= at < marks[i - 1][1]


_OBJECT_RELATIVES = alternation(word_tuple("attribute.object_relative_pronouns"))
_IN_A_RELATIVE_CLAUSE = re.compile(rf"\b(?:{_OBJECT_RELATIVES})\s+(?:[\w\-.]+\s+){{0,3}}$", re.I)
"""'… the Core Group, which President George W. Bush has announced …': a name inside a relative clause is not the
topic a later 'he' carries on."""


def _named_person(
    text: str, window_start: int, at: int, marks: list[tuple[int, int]] | None
) -> tuple[tuple[int, str] | None, tuple[int, str] | None]:
    """The last person's name in text[window_start:at], and the last one inside a relative clause."""
    window = text[window_start:at]
    lowered = window.lower()
    named = None
    aside: tuple[int, str] | None = None  # the latest name inside a relative clause: only if no one else is named
    for m in reversed(list(_PERSON_NAME.finditer(window))):  # the last name that is a person's
        if marks and _quoted_at(marks, window_start + m.start()):
            continue  # "“… the embankments of Manchhar Lake flooded more villages …”, she added"
        words = m.group(1).split()
        while words and words[0].lower() in _SENTENCE_WORDS:
            words = words[1:]  # "On Tuesday Interior Minister Ahmad Vahidi": a sentence's first word is not the name
        if len(words) < 2 or words[-1].lower() in ORGANISATION_NOUNS:
            continue  # not a person's name: one word, an organisation
        if window.count("“", 0, m.start()) > window.count("”", 0, m.start()):
            continue  # inside a quotation
        if not _could_be_a_person(" ".join(words), lowered, m.start()):
            continue  # "the Boko Haram elements", "for Political Affairs", "the United States", "Faulting Russia"
        before = lowered[max(0, m.start() - 8) : m.start()].split()
        if before and before[-1] in _INDEFINITE and window[m.start() : m.start() + 1].isupper():
            continue  # "a suicide bomber blew himself up at an Ariana Grande concert": a name used as a modifier
        if _IN_A_RELATIVE_CLAUSE.search(window, max(0, m.start() - 40), m.start()):
            aside = aside or (window_start + m.start(), " ".join(words))
            continue  # "…, which President George W. Bush has announced …": the speaker before stays the topic
        person = _clean_name(" ".join(words))
        if person and " " in person:
            named = (window_start + m.start(), person)
            break
        if person and strip_title(" ".join(words))[1]:  # "President Obama": a title and a surname
            named = (window_start + m.start(), _full_name(text, person, window_start + m.start()) or person)
            break
    return named, aside


def nearest_person(text: str, at: int, memory: PersonMemory, marks: list[tuple[int, int]] | None = None) -> str | None:
    """The person named nearest before `at`: a speaker noted so far, or a capitalised name of two words or more,
    without its title, in the preceding text (outside quotations), whichever comes later."""
    window_start = max(0, at - 400)
    named, aside = _named_person(text, window_start, at, marks)
    noted_person = _latest_noted_person(at, memory)
    if named is None and aside is None and noted_person is None:
        # no one named near and no person spoke: a person named further back ('Jeanine Hennis-Plasschaert, Special
        # Representative …, addressed the Council …' a long paragraph before 'she said'), not an organisation
        named, aside = _named_person(text, max(0, at - _WIDE_NAME_REACH), at, marks)
    surnamed = _surname_subject(text, window_start, at)
    if surnamed and (named is None or surnamed[0] > named[0]):
        named = surnamed
    described = _one_person_subject(text, window_start, at)
    if described and (named is None or described[0] > named[0]):
        named = described  # "One miner involved in the rescue efforts says …. “…,” he said."
    noted = noted_person or memory.latest_capitalised(at)  # else whoever spoke last
    if named and (noted is None or named[0] > noted[0]):
        return named[1]
    if noted:
        return noted[1]
    if aside:
        person = _clean_name(aside[1])
        if person and strip_title(person)[1]:
            person = strip_title(person)[0]
        return person or memory.last_person
    return memory.last_person


_NOT_BEFORE_A_PERSON = frozenset(words("attribute.not_before_a_person"))
_NON_PERSON_WORDS = frozenset(words("attribute.non_person_words"))


def _names_no_person(name: str) -> bool:
    """A place or a country ('United States'), or a name with a word no person's name has ('Malaysia Airlines')."""
    return _is_place(name) or any(w.lower() in _NON_PERSON_WORDS for w in name.split())


def _could_be_a_person(name: str, lowered: str, at: int) -> bool:
    """Whether a capitalised run at lowered[at:] (the text in lower case) may name a person: not a place or a
    country, not after 'the', 'of' or 'for' (part of a body's name or a group: 'the Boko Haram elements', 'for
    Political Affairs'), not a participle opening a sentence ('Faulting Russia for …')."""
    if name.split()[0].lower().endswith("ing") or _names_no_person(name):
        return False
    return word_before(lowered, at) not in _NOT_BEFORE_A_PERSON


def _latest_noted_person(at: int, memory: PersonMemory) -> tuple[int, str] | None:
    """The latest speaker noted before `at` that "he" or "she" can mean: a person's name, or one person by their
    role ('One miner involved in the rescue efforts says …'); not an organisation or a place."""
    for pos, name in memory.noted_before(at, reach=_HE_SHE_REACH):
        first = name.split()[0]
        if first[:1].isupper():
            if not _looks_like_organisation(name) and not _names_no_person(name) and not name.endswith(("'s", "’s")):
                return pos, name
        elif any(w.lower() in _SINGLE_ROLES for w in name.split()[:3]):
            return pos, name  # "commander of MARCOS", "unidentified commander"
    return None


_WIDE_NAME_REACH = 1500
"""How far back a person's name is looked for when none is near and no person has spoken."""
_HE_SHE_REACH = 3000
"""How far back a speaker noted is taken for "he" or "she"."""
_SINGLE_ROLES = frozenset(r.lower() for r in SPEAKER_ROLES if not r.endswith("s"))


_ONE_PERSON_LEADS = alternation(word_tuple("attribute.one_person_leads"))
_SAYS = alternation(sorted(SPEECH_VERBS, key=len, reverse=True))
_ONE_PERSON_SUBJECT = re.compile(
    rf"(?:^|(?<=[.!?]\s)|(?<=\n))(?:{_ONE_PERSON_LEADS})\s+((?:[a-z][\w\-]*\s+){{0,6}}?[a-z][\w\-]*)\s+(?:{_SAYS})\b",
    re.I,
)
"""'One miner involved in the rescue efforts says there is little hope left': one person, named by what they are,
speaking in a sentence of their own — whom a 'he said' after it means."""


def _one_person_subject(text: str, window_start: int, at: int) -> tuple[int, str] | None:
    """The latest sentence before `at` whose subject is one person named by a description, with its speech verb."""
    found = None
    for m in _ONE_PERSON_SUBJECT.finditer(text, window_start, at):
        if text.count("“", window_start, m.start()) > text.count("”", window_start, m.start()):
            continue  # inside a quotation
        found = (m.start(), m.group(1))
    return found


_SURNAME_SUBJECT = re.compile(r"(?:^|(?<=[.!?]\s)|(?<=\n))([A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ'’]{2,})(?=\s+[a-z])")
_SURNAME_REACH = 5_000


def _surname_subject(text: str, window_start: int, at: int) -> tuple[int, str] | None:
    """A sentence whose subject is one capitalised word that ends a person's name given earlier: 'a boy, Pemba
    Tamang, was pulled out. … Tamang described his horror' → (position, 'Pemba Tamang')."""
    for m in reversed(list(_SURNAME_SUBJECT.finditer(text, window_start, at))):
        word = m.group(1)
        if word.lower() in _SENTENCE_WORDS or _PRONOUN.match(word) or word.lower() in ORGANISATION_NOUNS:
            continue
        if text.count("“", window_start, m.start()) > text.count("”", window_start, m.start()):
            continue  # inside a quotation
        person = _full_name(text, word, m.start())
        if person:
            return m.start(), person
    return None


def _full_name(text: str, surname: str, at: int) -> str | None:
    """The full name a surname stands for, given earlier in the document ('Pemba Tamang' for 'Tamang')."""
    full = rf"\b([A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ'’\-]+(?:\s+[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ'’\-]+){{0,2}}\s+{re.escape(surname)})\b"
    given = list(re.finditer(full, text[max(0, at - _SURNAME_REACH) : at]))
    person = _clean_name(given[-1].group(1)) if given else None
    return person if person and " " in person else None


_NAME_LINKS = alternation(word_tuple("attribute.name_links"))
_NAMED = re.compile(rf"\b([A-Z][\w'’\-]*(?:\s+(?:{_NAME_LINKS})?\s*[A-Z][\w'’\-]*)+|[A-Z]{{2,}}(?:-[A-Za-z]+)?)\b")


def _is_back_reference(name: str) -> bool:
    """'group', 'the Britain-based monitor', 'it': a description of a source named before."""
    words = name.split()
    if name.lower() == "it":
        return True
    if words[-1].lower() not in BACK_REFERENCE_NOUNS:
        return False
    return all(w[:1].islower() or "-" in w for w in words[:-1]) and words[-1][:1].islower()


_GENERIC_MODIFIERS = frozenset(words("attribute.generic_modifiers") | words("attribute.generic_modifiers_2"))
"""Words that describe a source already named ('the rights group') rather than name a new one ('the regional
health bureau')."""


def _looks_like_person(name: str) -> bool:
    """'Ali Saleh', 'Carla Ruiz Otero': two to four capitalised words, none an organisation's."""
    words = name.split()
    return 2 <= len(words) <= 4 and all(w[:1].isupper() for w in words) and words[-1].lower() not in ORGANISATION_NOUNS


_SUBJECT_POSITION = re.compile(r"(?:^|[.!?”\"]\s+|\n)(?:The\s+)?$")
"""Where a sentence's subject starts: the organisation a later "it" or "the group" means, not an object."""


def _looks_like_organisation(name: str) -> bool:
    """'Amnesty International', 'the Red Cross', 'UNICEF': a name with an organisation's word, or a short acronym."""
    return (name.isupper() and 2 <= len(name) <= 6) or any(w.lower() in ORGANISATION_NOUNS for w in name.split())


def _back_reference(phrase: str, text: str, at: int, memory: PersonMemory) -> str | None:
    """ "the group said" → the organisation named before: a speaker noted earlier whose name holds the noun, else
    the latest noted speaker, else the nearest capitalised name or short acronym before it. A phrase with a
    modifier of its own ("the regional health bureau") only refers back to a name that holds its noun."""
    words = phrase.lower().split()
    noun = words[-1]
    generic = all(w in _GENERIC_MODIFIERS or "-" in w for w in words[:-1])
    latest = latest_organisation = None
    for _, name in memory.noted_before(at):
        if noun != "it" and noun in name.lower():
            return name
        latest = latest or name
        if latest_organisation is None and not _looks_like_person(name):
            latest_organisation = name
    if latest and generic and noun in ANY_ORGANISATION_NOUNS:
        return latest_organisation or latest  # "According to the monitor": not the minister quoted since
    window_start = max(0, at - 600)
    for m in reversed(list(_NAMED.finditer(text, window_start, at))):
        name = m.group(1)
        if noun in name.lower() or (noun == "group" and name.isupper() and len(name) <= 5):
            return _clean_name(name)
        subject = _SUBJECT_POSITION.search(text, max(0, m.start() - 8), m.start()) is not None
        if generic and noun in ANY_ORGANISATION_NOUNS and subject and _looks_like_organisation(name):
            return _clean_name(name)  # "Amnesty International published a report. The group said …"
    return None


_THEY_REACH = 300


def _plural_speaker_before(at: int, memory: PersonMemory) -> str | None:
    """The speaker noted just before `at` when it is a plural group ('medical officials', 'Police'), for "they"."""
    noted = next(memory.noted_before(at, _THEY_REACH), None)
    if noted is None:
        return None
    name = noted[1]
    last = name.split()[-1].lower()
    return name if last.endswith("s") or last in ("police", "people") else None


def _resolve(q: SpeakerQuery, name: str | None, pronoun: bool, at: int) -> tuple[str | None, bool]:
    """A subject found at `at`, a pronoun among them resolved: "he"/"she" the nearest person named before, "they"
    the last plural speaker (or the crowd the sentence names)."""
    if pronoun and name and name.lower() in ("he", "she"):
        return nearest_person(q.text, at, q.memory, q.marks), True
    if pronoun and name and name.lower() == "they":
        plural = _plural_speaker_before(at, q.memory)
        if plural:
            return plural, True  # "… medical officials said. More than 200 people were wounded, they said."
        if _CROWD_RE.search(q.context):
            return CROWD, True  # "Protesters blamed the IRGC … whom they called a “murderer”"
    if pronoun:
        return None, True
    return name, False


_CROWD_NOUN = re.compile(r"\b(" + "|".join(sorted(CROWD_NOUNS, key=len, reverse=True)) + r")\b(?!['’]s)", re.I)
_OF_BETWEEN = re.compile(r"\s+of\s+(?:the\s+)?(?:[\w'’\-]+\s+){0,2}")
_OF_AFTER = re.compile(r"\s+of\s+(?:the\s+)?[\w'’\-]+(?:\s+[\w'’\-]+){0,3}\s*")
_CONTRAST_CONJUNCTIONS = alternation(word_tuple("attribute.contrast_conjunctions"))
_CLAUSE_BREAK = re.compile(rf"[”\";]|\b(?:{_CONTRAST_CONJUNCTIONS})\b")


def named_crowd(text: str, start: int, end: int) -> str | None:
    """The group the narration in text[start:end] names last before a chant, its subject: "Thousands of nurses
    outside the ministry chanted" → "nurses", "Relatives of the detainees chanted" → "Relatives of the detainees",
    "supporters of the ruling party chanted"; the generic crowd when the nearest is one ("Police dispersed the
    students as the crowd chanted"); None when the narration names no crowd."""
    found = list(_CROWD_NOUN.finditer(text, start, end))
    if not found:
        return None
    last = found[-1]
    if len(found) > 1:
        whole = found[-2]
        if whole.group(1).lower() in CHANTING_GROUPS and _OF_BETWEEN.fullmatch(text, whole.end(), last.start()):
            return text[whole.start() : last.end()]  # "Relatives of the detainees"
    if last.group(1).lower() in GENERIC_CROWDS:
        return CROWD
    complement = _OF_AFTER.fullmatch(text, last.end(), end)
    if complement:
        return text[last.start() : end].rstrip(" ,")  # "supporters of the ruling party"
    return last.group(1)


def chant_speaker(text: str, norm: str, cue: Any, quote_close: int, sentence: tuple[int, int]) -> str:
    """Who chants: the group named after "by", or before the chant cue, or as the chant verb's subject; else the
    generic crowd."""
    by = _CHANTED_BY.match(text, quote_close + 1, sentence[1])
    if by and not _CROWD_RE.fullmatch(by.group(1)):
        return by.group(1).strip()
    if cue.start() <= sentence[0]:
        return CROWD
    region_start = quote_close + 1 if quote_close < cue.start() else sentence[0]
    breaks = list(_CLAUSE_BREAK.finditer(text, region_start, cue.start()))
    if breaks:
        region_start = breaks[-1].end()  # "“A,” the pensioners chanted, while relatives … chanted “B”"
    group = named_crowd(text, region_start, cue.start())
    if group is not None:
        return group
    if cue.group(0).lower().endswith("ed"):
        name, _, pronoun = subject_before(text, sentence[0], cue.start())
        opening = _DETERMINER.sub("", text[sentence[0] : cue.start()].lstrip())
        common = name is not None and (
            name[:1].islower() or (opening.startswith(name) and " " not in name and name.endswith("s"))
        )  # "supporters of the ruling party chanted", "Farmers blocked the road and chanted"
        if name and not pronoun and common and not _CROWD_RE.search(name.split()[0]) and not _AUXILIARY.search(name):
            return name
    return CROWD


def _verb_speaker(q: SpeakerQuery, v: VerbHit, name: str | None, title: str | None, pronoun: bool) -> Speaker:
    """The speaker of a speech verb, its pronoun resolved."""
    text = q.text
    resolved, was_pronoun = _resolve(q, name, pronoun, v.start())
    if resolved and resolved.lower() in _REPORTS_NOUNS:
        resolved = UNNAMED  # "Reports put the death toll at 120,000": no one named
    role_surname = _ROLE_SURNAME.fullmatch(resolved) if resolved and not was_pronoun else None
    if role_surname:  # "Special Representative Hennis-Plasschaert added": the person named in full before
        here = text.rfind(role_surname.group(0), 0, v.start())
        full = _full_name(text, role_surname.group("surname"), here if here >= 0 else v.start())
        if full and not _ROLE_SURNAME.fullmatch(full):
            resolved, title = full, title or role_surname.group("role")
    return Speaker(
        rule="speech-verb, pronoun resolved" if was_pronoun else "speech-verb",
        name=resolved,
        cue=text[v.start("verb") : v.end()],
        cue_start=v.start("verb"),
        cue_end=v.end(),
        title=title,
        pronoun=was_pronoun,
    )


_CLAUSE_JOIN = re.compile(r",\s*(?:" + alternation(word_tuple("attribute.clause_conjunctions")) + r")\s|;")


def _other_clause(norm: str, cue: re.Match[str], target: tuple[int, int]) -> bool:
    """Whether a cue after the target stands in a later clause ("Sixteen were killed, the authorities said, and
    it is believed that 41 others died"): it is that clause's cue."""
    return cue.start() >= target[1] and _CLAUSE_JOIN.search(norm, target[1], cue.start()) is not None


def _span_start(span: tuple[int, int]) -> int:
    return span[0]


def _span_end(span: tuple[int, int]) -> int:
    return span[1]


_CITED_AS = re.compile(
    r"(?:^|(?<=[,;]\s))\s*(?P<outlet>[^,;\"“”]{2,80}?)\s+(?:quoted|cited)\s+(?P<who>[^,;\"“”]{2,80}?)\s+(?:as\s+)?saying\b"
)
"""'Interfax cited a local official as saying': the official asserts, Interfax carries."""
_QUOTED_AUXILIARIES = alternation(word_tuple("attribute.quoted_auxiliaries"))
_SUPERLATIVE_BEFORE = re.compile(r"(?:\bever|\bthe\s+[a-z]+est)\s+$", re.I)
_PRONOUN_BEFORE = re.compile(rf"\b(?:{_SUBJECT_PRONOUNS})\s+$", re.I)
"""'… was quoted saying he believes …': the quoted person's own verb, not another speaker."""
_QUOTED_WHEN = alternation(word_tuple("attribute.quoted_when"))
_QUOTED_AS = re.compile(
    rf"(?:^|(?<=[,;]\s))\s*(?P<who>[^,;\"“”]{{2,80}}?)\s+(?:{_QUOTED_AUXILIARIES})\s+(?:quoted|cited)\s+"
    rf"(?:(?i:{_QUOTED_WHEN})\s+)?(?:by\s+(?P<outlet>[^,;\"“”]{{2,80}}?)\s+)?(?:as\s+)?saying\b"
)
"""'The governor was quoted by state news agency Tass as saying', 'The National Police Agency was quoted Wednesday
saying': the governor asserts, Tass carries."""


_AS_REPORTED_VERBS = alternation(word_tuple("attribute.as_reported_verbs"))
_AS_REPORTED = re.compile(rf"\bas\s+(?:first\s+)?(?:{_AS_REPORTED_VERBS})\s+by\s+([^,;.\"“”]{{2,60}})")


def _source_phrase(phrase: str) -> str | None:
    """A source named by a phrase: its name ('state news agency Tass' → 'Tass'), else its noun ('a local official')."""
    phrase = phrase.strip()
    named = _NAME_END.search(phrase)
    if named and named.start() > 0 and phrase[: named.start()].split()[-1][:1].islower():
        return _clean_name(named.group(1))
    return described_speaker(" " + phrase, 0, len(phrase) + 1) or _phrase_subject(phrase)


def _as_saying(text: str, start: int, end: int) -> Speaker | None:
    """'X quoted Y as saying …', 'Y was quoted by X as saying …' before the target: Y asserts, X carries."""
    clause = text[start:end]  # searched on its own: "^" is the sentence's start
    m = _QUOTED_AS.search(clause) or _CITED_AS.search(clause)
    if m is None:
        return None
    who = _source_phrase(m.group("who"))
    if not who:
        return None
    verb_start = m.end("who")
    speaker = Speaker(
        rule="quoted-as-saying",
        name=who,
        cue=clause[verb_start : m.end()].strip(),
        cue_start=start + verb_start,
        cue_end=start + m.end(),
    )
    if m.group("outlet"):
        outlet = _source_phrase(m.group("outlet"))
        if outlet and outlet != who:
            speaker.conduit = Speaker(
                rule="quoted-as-saying-outlet",
                name=outlet,
                cue=m.group("outlet"),
                cue_start=start + m.start("outlet"),
                cue_end=start + m.end("outlet"),
            )
    return speaker


@dataclass
class SpeakerQuery:
    """One question to the attribution rules — who asserts this span? — with what they all read: the sentence (past
    a dateline), the quotation marks around the target, the other quotations in the sentence (their words are not
    the narrator's), the sentence in lower case, and the context for pronouns."""

    text: str
    norm: str
    target: tuple[int, int]
    sentence: tuple[int, int]
    previous_sentence: tuple[int, int] | None
    memory: PersonMemory
    is_quote: bool
    outer: tuple[int, int]
    quoted: list[tuple[int, int]]
    lowered: str
    context: str
    marks: list[tuple[int, int]] = field(default_factory=list)
    """Every quotation of the document with its marks, in text order."""
    farther: list[Speaker] = field(default_factory=list)
    """Speakers found farther from the target than the asserter: the nearest may be its conduit."""

    def outside(self, m: re.Match[str] | VerbHit) -> bool:
        return not any(a <= m.start() < b for a, b in self.quoted)


class DocumentView(Protocol):
    """What attribution reads of the document being extracted (the pipeline's `Doc`)."""

    text: str
    norm: str
    memory: PersonMemory
    marks: list[tuple[int, int]]  # every quotation with its marks, in text order


def find_speaker(
    doc: DocumentView,
    *,
    target: tuple[int, int],
    sentence: tuple[int, int],
    previous_sentence: tuple[int, int] | None,
    quote_marks: tuple[int, int] | None = None,
) -> Speaker | None:
    """The asserter of the target span within its sentence — a quotation when `quote_marks` are given, else a
    figure — or None for the document's own voice. Cue words inside the document's other quotations are not the
    narrator's and are ignored.

    The rules are tried in order (`SOURCE_RULES`: a source named by a phrase of its own, final when found; then
    `SPEECH_RULES`: the subject of a speech verb), and a speaker found by a speech verb is refined in order
    (`REFINEMENTS`). Each rule names itself in the speaker it returns."""
    text, norm, memory, is_quote = doc.text, doc.norm, doc.memory, quote_marks is not None
    dateline = _DATELINE.match(text, sentence[0], sentence[1])
    if dateline:
        sentence = (dateline.end(), sentence[1])  # "MAPUTO, Oct 9 (Reuters) - ": a place, not a speaker
    marks = doc.marks  # in text order, not overlapping: the ones inside the sentence are a slice
    quoted = marks[bisect_right(marks, sentence[0], key=_span_end) : bisect_left(marks, sentence[1], key=_span_start)]
    q = SpeakerQuery(
        text=text,
        norm=norm,
        target=target,
        sentence=sentence,
        previous_sentence=previous_sentence,
        memory=memory,
        is_quote=is_quote,
        outer=quote_marks or target,
        quoted=quoted,
        marks=marks,
        lowered=scan(norm).lowered[sentence[0] : sentence[1]],
        context=norm[previous_sentence[0] if previous_sentence else sentence[0] : sentence[1]],
    )
    for rule in SOURCE_RULES:
        named = rule(q)
        if named is not None and plausible_source(named):
            return named
    found = None
    for rule in SPEECH_RULES:
        found = rule(q)
        if found is not None and (plausible_source(found) or _is_back_reference(found.name or "")):
            break  # a back-reference ('it said', 'the group said') is resolved by a refinement below
        found = None
    for refine in REFINEMENTS:
        found, final = refine(q, found)
        if final:
            break
    return found if found is None or plausible_source(found) else None


_NOT_SOURCES = words("attribute.not_sources")
_FRAGMENT_STARTS = words("attribute.fragment_starts")
_SUBJECT_PRONOUN_WORDS = words("attribute.subject_pronouns")
_FUNCTION_WORDS = frozenset(LEXICON["function_words"])


def plausible_source(speaker: Speaker) -> bool:
    """Whether what a rule read as a source can be one: not a function word or a fragment ('per', 'the', 'Of the',
    'He also'), not the figure's own words ('death toll', 'individuals', 'Preliminary'), not a town or a lake
    ('Almaty': a dateline or a place read as a subject). A country speaks through its government ('India said');
    a rule whose source fails this check gives way to the next rule."""
    name = speaker.name
    if name is None or name in (UNNAMED, CROWD):
        return True
    words_ = name.split()
    while len(words_) > 1 and (words_[-1].lower() in _FUNCTION_WORDS or words_[-1].lower() in TOLL_VERBS):
        words_.pop()  # 'Libyan Red Crescent put the': the verb's words read into the name
    if len(words_) < len(name.split()):
        name = speaker.name = " ".join(words_)
    bare = name.strip().rstrip("’'").removesuffix("'s").removesuffix("’s").strip()
    lowered = bare.lower()
    first = lowered.split()[0] if lowered.split() else ""
    if not bare or lowered in _NOT_SOURCES or lowered in _FUNCTION_WORDS:
        return False
    if not any(ch.isalpha() for ch in bare):
        return False  # '.', '2019': punctuation or a number read as a name
    if first in _FUNCTION_WORDS and not bare[:1].isupper() and len(bare.split()) <= 2:
        return False  # 'of textile workers', 'with one'
    rest_capitalised = any(w[:1].isupper() for w in bare.split()[1:])
    if first in _SUBJECT_PRONOUN_WORDS and len(bare.split()) > 1:
        return False  # 'He also': a pronoun and what followed it, unresolved
    if first in _FRAGMENT_STARTS and not rest_capitalised:
        return False  # 'Of the', 'of textile workers', 'with one'
    if len(bare.split()) > 1 and lowered.split()[-1] in _FUNCTION_WORDS:
        return False  # 'He also'
    if not bare[:1].isupper() and lowered.split()[-1] in _NOT_SOURCES and " of " not in f" {lowered} ":
        return False  # 'cholera deaths' ('… and 1,759 cholera deaths reported'): what is counted, not who counts
        # ('the national registry of missing persons' is headed by its registry)
    if bare[:1].isupper() and " " not in bare:
        from app.gazetteer import BIG_CITY, fold, gazetteer

        places = gazetteer().names.get(fold(bare))
        if places and all(p.kind == "city" and p.population >= BIG_CITY for p in places):
            return False  # 'Almaty': a dateline or a place read as a subject
    return True


_TIME_TAILS = alternation(word_tuple("attribute.according_time_tails"))
_TIME_TAIL = re.compile(rf"\s+and\s+(?:{_TIME_TAILS})\s.*$", re.S)


def according_to(q: SpeakerQuery) -> Speaker | None:
    """'according to X' (the nearest to the target, outside quotations): X; 'according to reports': unnamed;
    'according to a police report seen by Reuters': police via Reuters; 'according to the city's police
    commissioner, Mark Ellis': the name in apposition."""
    text, (s_start, s_end), (t_start, t_end) = q.text, q.sentence, q.target
    according = [
        m
        for m in (_ACCORDING.finditer(q.norm, s_start, s_end) if _has(q.lowered, _ACCORDING_WORDS) else ())
        if (m.start() < t_start or m.start() > t_end) and q.outside(m)
    ]
    if not according:
        return None
    m = min(according, key=lambda m: abs(m.start() - t_start))
    raw = _TIME_TAIL.sub("", text[m.start("who") : m.end("who")]).strip()  # "the government and as of 29 April"
    raw = _ACCORDING_BREAK.sub("", raw)
    raw = _REPORT_PARTICIPLE_TAIL.sub(r"\1", raw)  # "reports issued over the weekend": the reports
    raw_words = raw.lower().split()
    named_report = report_source(raw)
    if named_report:
        return Speaker(  # "according to media reports", "according to official estimates"
            rule="according-to-report",
            name=named_report,
            cue=text[m.start() : m.end("cue")],
            cue_start=m.start(),
            cue_end=m.end("cue"),
        )
    generic = raw_words and (
        raw_words[-1] in _GENERIC_REPORTS or (raw_words[-1] in _REPORT_SINGULARS and raw_words[0] in ("a", "an"))
    )
    if generic and not any(w[:1].isupper() for w in raw.split()):
        return Speaker(
            rule="according-to-report",
            name=UNNAMED,
            cue=text[m.start() : m.end("who")],
            cue_start=m.start(),
            cue_end=m.end("who"),
        )
    seen = _SEEN_BY.fullmatch(raw)
    if seen:
        owner = seen.group(1).split()
        cue_end = m.end("cue")
        return Speaker(
            rule="according-to-seen-by",
            name=owner[-1] if owner and owner[-1].lower() in BODY_NOUNS else UNNAMED,
            cue=text[m.start() : cue_end],
            cue_start=m.start(),
            cue_end=cue_end,
            conduit=Speaker(
                rule="seen-by-outlet",
                name=_clean_name(seen.group(2)),
                cue="seen by",
                cue_start=m.start("who"),
                cue_end=m.end("who"),
            ),
        )
    report = _REPORT_BY.match(raw) or _NAMED_REPORT.match(raw) or _OWNED_REPORT.fullmatch(raw)
    name = _clean_name(report.group(1) if report else raw)  # "according to a tally by The Associated Press"
    if name and any(ch.isdigit() for ch in name):
        name = None  # "according to a survey of 1,200 voters": no source named
    cue_end = m.end("cue")
    appositive = _NAME_START.match(text, m.end("who"), s_end)
    if appositive and text[m.end("who") : appositive.start(1)].strip() == "," and raw[:1].islower():
        # "according to the city's police commissioner, Mark Ellis"
        return Speaker(
            rule="according-to-apposition",
            name=_clean_name(appositive.group(1)),
            cue=text[m.start() : cue_end],
            cue_start=m.start(),
            cue_end=cue_end,
            title=raw,
        )
    if not name:
        return None
    if _is_back_reference(name):  # "according to the group": the organisation named before
        name = _back_reference(name, text, m.start(), q.memory) or name
    return Speaker(rule="according-to", name=name, cue=text[m.start() : cue_end], cue_start=m.start(), cue_end=cue_end)


def reported_by_agent(q: SpeakerQuery) -> Speaker | None:
    """'the 164 first reported by state media', 'the 300 estimated by city officials': the agent after 'by'."""
    if q.is_quote or " by " not in q.lowered:
        return None
    by_agent = _BY_AGENT.match(q.text, q.target[1], q.sentence[1])
    name = _clean_name(by_agent.group(2)) if by_agent else None
    if by_agent is None or not name:
        return None
    return Speaker(
        rule="reported-by-agent", name=name, cue=by_agent.group(1), cue_start=by_agent.start(1), cue_end=by_agent.end(1)
    )


def labelled_by_agent(q: SpeakerQuery) -> Speaker | None:
    """'declared "unfit to work" by his doctor', 'described as "a heinous crime" by the council': a quotation in a
    passive whose agent follows it is the agent's."""
    if not q.is_quote or " by " not in q.lowered:
        return None
    open_, close = q.outer
    if not _LABELLED_BEFORE.search(q.text, max(q.sentence[0], open_ - 40), open_):
        return None
    agent = _QUOTE_AGENT.match(q.text, close, q.sentence[1])
    name = _clean_name(agent.group(2)) if agent else None
    if agent is None or not name:
        return None
    return Speaker(
        rule="labelled-by-agent", name=name, cue=agent.group(1), cue_start=agent.start(1), cue_end=agent.end(1)
    )


def possessive_count(q: SpeakerQuery) -> Speaker | None:
    """'By the health ministry's count': the owner of the count."""
    s_start, s_end = q.sentence
    if q.is_quote or not _POSSESSIVE_TAIL.search(q.norm, s_start, s_end):
        return None
    possessive = _POSSESSIVE.search(q.text, s_start, s_end)
    if possessive is None:
        return None
    owner = possessive.group(1).split()[-1].lower()
    if owner in _TIME_OWNERS or owner in WEEKDAYS:
        return None  # "if today's figures are confirmed", "Monday's count": a time, not who counted
    return Speaker(
        rule="possessive-count",
        name=_clean_name(_LEADING_PREPOSITION.sub("", possessive.group(1))),
        cue=possessive.group(0),
        cue_start=possessive.start(),
        cue_end=possessive.end(),
    )


_MONTH_WORDS = alternation(sorted(MONTHS, key=len, reverse=True))
_SOURCE_CELL = re.compile(
    rf"(?P<who>[A-Z][^\d\n]{{1,80}}?)\s+[-–—]\s+(?i:{_MONTH_WORDS})\.?\s+\d{{1,2}}(?:,\s*\d{{4}})?[ \t]*"
)
"""A table's source cell flattened to a line: 'Government of Pakistan (GOP) - January 13', 'GOI - October 26'."""
_CELL_ACRONYM = re.compile(r"(.+?)\s*\(([A-Z][A-Za-z]{1,9})\)")
_VALUE_CELL = re.compile(r".*\d[\d,.]*(?:\s+[a-z]+)?\s+[a-z]+[^\n]*")
"""A table's value line: 'Pakistan 73,338 dead', '2.8 million homeless' (not a heading's note mark '(1)')."""


def table_source_column(q: SpeakerQuery) -> Speaker | None:
    """A table flattened to lines, its values then their sources row by row ('73,338 dead / 69,412 injured /
    Government of Pakistan (GOP) - January 13 / GOP - January 13'): the source in the value's row."""
    if q.is_quote:
        return None
    text = q.text
    line_start = text.rfind("\n", 0, q.target[0]) + 1
    line_end = text.find("\n", q.target[1])
    line_end = len(text) if line_end < 0 else line_end
    if line_end - line_start > 60 or not _VALUE_CELL.fullmatch(text, line_start, line_end):
        return None
    block_start = text.rfind("\n\n", 0, line_start)
    block_start = 0 if block_start < 0 else block_start + 2
    block_end = text.find("\n\n", line_end)
    block_end = len(text) if block_end < 0 else block_end
    lines, at = [], block_start
    for raw in text[block_start:block_end].split("\n"):
        lines.append((at, raw))
        at += len(raw) + 1
    kinds = [
        "source" if _SOURCE_CELL.fullmatch(raw) else "value" if _VALUE_CELL.fullmatch(raw) else "other"
        for _, raw in lines
    ]
    row = next(i for i, (start, _) in enumerate(lines) if start == line_start)
    first = row
    while first > 0 and kinds[first - 1] == "value":
        first -= 1
    last = row
    while last + 1 < len(kinds) and kinds[last + 1] == "value":
        last += 1
    sources = last + 1
    while sources < len(kinds) and kinds[sources] == "source":
        sources += 1
    if sources - (last + 1) != last - first + 1:
        return None  # not one source a value
    cell_start, raw = lines[last + 1 + row - first]
    cell = _SOURCE_CELL.fullmatch(raw)
    assert cell is not None
    short = {}  # the table's own abbreviations: 'National Institute for Disaster Management (INGD)' → INGD
    for _, other in lines:
        defined = _SOURCE_CELL.fullmatch(other)
        named = _CELL_ACRONYM.fullmatch(defined.group("who").strip()) if defined else None
        if named:
            short[named.group(2)] = named.group(1)
    who = cell.group("who").strip()
    named = _CELL_ACRONYM.fullmatch(who)
    name = named.group(1) if named else short.get(who) or acronyms(text).get(who, who)
    return Speaker(
        rule="table-source-column",
        name=name,
        cue=raw.strip(),
        cue_start=cell_start,
        cue_end=cell_start + len(raw),
    )


def quoted_as_saying(q: SpeakerQuery) -> Speaker | None:
    """'Tass quoted the governor as saying': the governor, via Tass; not when another speech verb follows ('…, while
    police said 20 …')."""
    if "saying" not in q.lowered:
        return None
    as_saying = _as_saying(q.text, q.sentence[0], q.outer[0])
    if as_saying is None:
        return None
    for v in speech_verbs_in(q.norm, as_saying.cue_end, q.outer[0]):
        if not _PRONOUN_BEFORE.search(q.norm, max(0, v.start() - 12), v.start()):
            return None  # "…, while police said 20 …": another speaker; not "… saying he believes at least 10,000"
    if as_saying.name and _PRONOUN.match(as_saying.name):
        as_saying.name, as_saying.pronoun = _resolve(q, as_saying.name, True, as_saying.cue_start)
    return as_saying


def as_reported_by(q: SpeakerQuery) -> Speaker | None:
    """'The death toll, as reported by state television, stood at 65': state television."""
    if " by " not in q.lowered:
        return None
    as_reported = _AS_REPORTED.search(q.text, q.sentence[0], q.sentence[1])
    if not (as_reported and q.outside(as_reported) and (name := _source_phrase(as_reported.group(1)))):
        return None
    return Speaker(
        rule="as-reported-by",
        name=name,
        cue=as_reported.group(0)[: as_reported.start(1) - as_reported.start()].strip(),
        cue_start=as_reported.start(),
        cue_end=as_reported.start(1),
    )


def _speech(q: SpeakerQuery, v: VerbHit) -> bool:
    """A speech verb that may report the target: not a verb of acts with a noun object ('demanded the release of
    200 prisoners'), not inside another quotation, not 'claimed … lives'."""
    verb = v.group("verb").lower()
    if v.quote_only and not q.is_quote:
        return False
    evaluative = not q.is_quote and verb in _EVALUATIVE_VERBS and v.end() <= q.target[0]
    if evaluative and _RELATIVE_WORD.search(q.norm, v.end(), q.target[0]):
        return False  # "condemned the attack, which killed at least 130": the narrator describes what is condemned
    if _SUPERLATIVE_BEFORE.search(q.norm, max(0, v.start() - 30), v.start()):
        return False  # "the strongest ever recorded", "the latest reported toll": an adjective, not a report
    if verb.startswith("report") and _reports_is_a_noun(q.norm, v):
        return False  # "said reports of 50 dead were false": a noun, not the verb
    return q.outside(v) and not (verb.startswith("claim") and _LIVES.match(q.norm, v.end()))


def speech_verb_before(q: SpeakerQuery) -> Speaker | None:
    """The subject of the nearest speech verb before the target ('Police said 30 people …'), skipping acts ('ordered
    3,600 soldiers'), participles after a comma, and reported pronouns ('Residents told AFP they had counted'); the
    next one farther out is kept as a possible conduit."""
    text, norm, s_start = q.text, q.norm, q.sentence[0]
    verbs_before = [v for v in _speech_clauses(text, norm, s_start, q.outer[0]) if _speech(q, v)]
    found: Speaker | None = None
    act_start: int | None = None
    fallback: VerbHit | None = None
    for k in range(len(verbs_before) - 1, -1, -1):
        v = verbs_before[k]
        act = found is None and not q.is_quote and v.group("verb").lower() in _ACTION_VERBS
        if act and "that" not in norm[v.end() : q.target[0]]:
            act_start = v.start()  # "ordered 3,600 soldiers to …": an act, not a claim about the figure
            continue
        if act_start is not None and found is None and _AND_WORD.search(norm, v.end(), act_start):
            break  # "declared an emergency and ordered 3,600 soldiers": the same subject's acts
        participle = v.group("verb").lower().endswith("ing") and _AFTER_COMMA.search(text, s_start, v.start())
        if participle and (k > 0 or found is not None):
            if fallback is None and found is None:
                fallback = v  # its own clause's subject, if the verb before names no one
            continue  # "the coast guard said, adding that …": the participle's subject is the verb's before it
        if k > 0 and _REPORTED_PRONOUN.match(text, verbs_before[k - 1].end(), v.start()):
            outer_name, _, outer_pronoun = subject_before(text, s_start, verbs_before[k - 1].start())
            if outer_name is not None or outer_pronoun:
                continue  # "Residents told AFP they had counted": the pronoun is the speaker of the verb before
        name, title, pronoun = subject_before(text, s_start, v.start())
        if (name is None and not pronoun) or (name or "").lower() in _ARTICLES:
            continue  # "an estimated total of 76": an adjective, not a verb with a subject
        speaker = _verb_speaker(q, v, name, title, pronoun)
        if found is None:
            found = speaker
        else:
            q.farther.append(speaker)
            break  # the nearest farther speaker is all a conduit needs
    if found is None and fallback is not None:
        # "Police have revised the toll, now reporting that …": no verb before names anyone, the clause does
        name, title, pronoun = subject_before(text, s_start, fallback.start())
        if name is not None and name.lower() not in _ARTICLES:
            found = _verb_speaker(q, fallback, name, title, pronoun)
    return found


_STATEMENT_ARTICLES = alternation(word_tuple("attribute.statement_articles"))
_STATEMENT_NOUN_WORDS = alternation(word_tuple("attribute.statement_nouns"))
_ISSUED_BY_LINKS = alternation(word_tuple("attribute.issued_by_links"))
_POSSESSIVE_DETERMINERS = alternation(word_tuple("attribute.possessive_determiners"))
_ISSUED_BY = (
    rf"(?:{_STATEMENT_NOUN_WORDS})(?:\s+[\w\-]+){{0,3}}?\s+(?:{_ISSUED_BY_LINKS})\s+"
    rf"(?:(?:{_POSSESSIVE_DETERMINERS})\s+)?"
)
"""A statement and the link to its issuer: 'statement issued today by his ', 'press release from the '."""
_STATEMENT_BY = re.compile(
    rf"\s+(?:{_STATEMENT_ARTICLES})\s+{_ISSUED_BY}(?P<who>[^,.;:\"“”\n]{{2,80}}?)\s*(?=[,.;:]|$)", re.I
)
"""'“…,” said a statement issued today by his Spokesman': the statement's issuer speaks."""


def speech_verb_after(q: SpeakerQuery) -> Speaker | None:
    """A speech verb after the target: '…, said Binod Thapa, the district's chief administrator', '“…,” residents
    said', '…, police in Tamale said'; not a relative clause of the people counted ('23 survivors, who said')."""
    text, norm, s_start, s_end = q.text, q.norm, q.sentence[0], q.sentence[1]
    outer_end = q.outer[1]
    for v in (v for v in _speech_clauses(text, norm, outer_end, s_end) if _speech(q, v)):
        between = text[outer_end : v.start()]
        if not q.is_quote and _OWN_RELATIVE.match(between):
            continue  # "interviewed 23 survivors, who said …": the people counted say something else
        if not q.is_quote and not between.strip() and v.group("verb").lower().endswith("s"):
            continue  # "in 24 states", "12 reports": the noun the figure counts, not a verb
        if not q.is_quote and v.group("verb").lower().endswith("ing") and _AFTER_COMMA.search(between):
            continue  # "freed 222 prisoners and …, calling them …": the participle's subject is before the figure
        pronoun = False
        invertible = v.group("verb").lower() in _INVERTIBLE and between.rstrip().endswith(",")
        right_after = invertible or not between.strip(" ,.;:!?”\"’'…\n")
        issued = _STATEMENT_BY.match(text, v.end(), s_end) if right_after else None
        if issued is not None and (who := _clean_name(issued.group("who"))):
            return replace(_verb_speaker(q, v, who, None, False), rule="statement-issued-by")
        inverted = subject_after(text, v.end(), s_end) if invertible else (None, None)
        if inverted[0]:
            # "… on Thursday, said Binod Thapa, the district's chief administrator."
            return _verb_speaker(q, v, inverted[0], inverted[1], False)
        lead = _NAME_START.match(between)
        if lead and not q.is_quote and not between[: lead.start(1)].strip():
            lead = None  # "some 350 Eritreans, the survivors said": the figure's own noun, not its speaker
        if not between.strip(" ,.;:!?”\"’'…\n"):
            name, title = subject_after(text, v.end(), s_end)
        elif described_speaker(between, 0, len(between)) and not lead:
            name, title = described_speaker(between, 0, len(between)), None
        elif lead and _PRONOUN.match(lead.group(1)) and not between[lead.end() :].strip():
            name, title, pronoun = lead.group(1), None, True  # "He said …" after the target: a pronoun, resolved
        elif lead and (between[lead.end() :].strip().startswith(",") or not between[lead.end() :].strip()):
            name, title = _clean_name(lead.group(1)), None
            tail = _TITLE_TAIL.match(between[lead.end() :])
            title = tail.group(1).strip() if tail else None
        elif q.is_quote and between.strip(" ,") == "and":
            # "X rejected the result as “a sham” and said …": the subject of both verbs
            name, title, pronoun = subject_before(text, s_start, v.start())
        else:
            name, title, pronoun = subject_before(text, outer_end, v.start())
        if name is None and not pronoun:
            continue
        return _verb_speaker(q, v, name, title, pronoun)
    return None


def introduced_before(q: SpeakerQuery) -> Speaker | None:
    """A quotation opening its sentence after one that ends in ',' or ':' ('He told reporters:'): that sentence's
    speaker."""
    s_start, outer_start = q.sentence[0], q.outer[0]
    if not (q.is_quote and q.previous_sentence and not q.text[s_start:outer_start].strip(" \n\"“‘'")):
        return None
    p_start, p_end = q.previous_sentence
    if not q.text[p_start:p_end].rstrip().endswith((",", ":")):
        return None
    for v in reversed(_speech_clauses(q.text, q.norm, p_start, p_end)):
        name, title, pronoun = subject_before(q.text, p_start, v.start())
        if name is None and not pronoun:
            continue
        return _verb_speaker(q, v, name, title, pronoun)
    return None


_REPORT_LEAD = re.compile(r"(?:[\w\-]+\s+){1,3}$")
_EVALUATIVE_VERBS = frozenset(words("attribute.evaluative_verbs"))
_RELATIVE_WORD = re.compile(rf"\b(?:{_RELATIVE_PRONOUNS})\b", re.I)
_COMPLEMENT_AFTER = re.compile(r"\s+(?:[a-z]+\s+)?(?:to|that)\b")


_PART_LEADS = alternation(word_tuple("attribute.part_leads"))
_ANOTHER_SUBJECT_DETERMINERS = alternation(word_tuple("attribute.another_subject_determiners"))
_ANOTHER_SUBJECT = re.compile(rf"[^,;]*,\s+(?!(?:{_PART_LEADS})\b)(?:{_ANOTHER_SUBJECT_DETERMINERS})\b[^,;]*$", re.I)
"""A clause of its own between a figure and a passive after it: ', no casualties have been' (not ', including …')."""


def _reports_the_target(q: SpeakerQuery, m: re.Match[str]) -> bool:
    """Whether an agentless 'were reported' reports the target: the figure is its subject ('five deaths were
    reported'), or its complement follows ('it was reported that …', 'is reported to have killed 12'); not 'the
    fire, which was reported after midnight, killed 12'."""
    if m.start() >= q.target[1]:  # the figure before: its subject, unless a relative pronoun is ("the fire, which")
        if _ANOTHER_SUBJECT.match(q.norm, q.target[1], m.start()):
            return False  # "Out of 1,000 staff, no casualties have been reported": the figure is not the subject
        return _RELATIVE_BEFORE.search(q.norm, max(q.target[1], m.start() - 12), m.start()) is None
    return m.end() <= q.target[0] and _COMPLEMENT_AFTER.match(q.norm, m.end(), q.target[0]) is not None


def _reports_is_a_noun(norm: str, v: VerbHit) -> bool:
    """Whether a 'reports' the verb list found is the noun of 'reports that/of' after a preposition or verb."""
    return any(
        m.start() < v.start() and m.end() >= v.end()
        for m in _REPORTS_OF.finditer(norm, max(0, v.start() - 40), min(len(norm), v.end() + 6))
    )


def _reported_object(q: SpeakerQuery, m: re.Match[str]) -> bool:
    """Whether the figure is in what 'reports that/of' report: after it, in the same clause."""
    return (
        m.end() <= q.target[0]
        and _CLAUSE_JOIN.search(q.norm, m.end(), q.target[0]) is None
        and not any(ch in ",;:" for ch in q.norm[m.end() : q.target[0]])
    )


def prefer_a_nearer_hedge(q: SpeakerQuery, found: Speaker | None) -> tuple[Speaker | None, bool]:
    """'Some 200 people are believed to have been arrested': no one named, unless a speaker is; '…, the company
    said, and it is believed that 9 others died': the hedge is nearer. But 'Police said 30 people are believed to
    have drowned': they say it."""
    s_start, s_end = q.sentence
    agentless = (
        sorted(
            (
                m
                for pattern in (AGENTLESS_RE, _PASSIVE_REPORT, _REPORTS_OF)
                for m in pattern.finditer(q.norm, s_start, s_end)
                if q.outside(m)
                and not _other_clause(q.norm, m, q.target)
                and (
                    pattern is AGENTLESS_RE
                    or (pattern is _PASSIVE_REPORT and _reports_the_target(q, m))
                    or (pattern is _REPORTS_OF and _reported_object(q, m))
                )
            ),
            key=lambda m: m.start(),
        )
        if not q.is_quote and _has(q.lowered, _AGENTLESS_STEMS)
        else []
    )
    hedged = None
    if agentless:
        # the hedge nearest the figure, before or after it: "reports of dozens of deaths, and it has been estimated
        # that more than 1,000 …", "reports of 12 deaths in the north, and some 40 people are feared dead"
        m = min(agentless, key=lambda h: max(q.target[0] - h.end(), h.start() - q.target[1], 0))
        hedged = Speaker(
            rule="hedged-passive", name=UNNAMED, cue=q.text[m.start() : m.end()], cue_start=m.start(), cue_end=m.end()
        )
        noun = hedged.cue.split()[0]
        if noun.lower() in _GENERIC_REPORTS:
            # "News reports suggest", "official estimates say": the kind of report names its source
            lead = _REPORT_LEAD.search(q.text, s_start, m.start())
            named = report_source(q.text[lead.start() : m.start()] + noun) if lead else None
            if named:
                hedged = replace(hedged, name=named, rule="named-report")
    epistemic = hedged is not None and hedged.rule == "hedged-passive" and _is_epistemic(hedged.cue)
    passive_hedge = hedged is not None and hedged.cue.split()[0].lower() in _PASSIVE_AUXILIARIES
    relative_hedge = (
        hedged is not None
        and found is not None
        and found.cue_end <= hedged.cue_start < q.target[0]
        and _RELATIVE_BEFORE.search(q.norm, max(s_start, hedged.cue_start - 12), hedged.cue_start) is not None
    )  # "X said he was shocked by the fire, which is reported to have killed 12": the hedge is the figure's own
    nearer = hedged is not None and not passive_hedge and found is not None and found.cue_start < hedged.cue_end
    if relative_hedge or found is None or nearer:
        # "30 people are feared dead", "it is believed that 9 others died": the writer's own hedge, no one's report
        return (None if epistemic else hedged), True
    return found, False


_EPISTEMIC_HEDGES = frozenset(words("attribute.epistemic_hedges"))
_REPORT_WORD = re.compile(r"\breport", re.I)


def _is_epistemic(cue: str) -> bool:
    """A hedge of belief or fear ('are feared', 'is believed to', 'were estimated to'), not of a report ('were
    reported', 'reportedly', 'it has been estimated that'): the document's own voice, hedged, rather than an unnamed
    source."""
    lowered = cue.lower().split()
    if _REPORT_WORD.search(cue) or (lowered[:1] == ["it"] and "estimated" in lowered):
        return False  # "it has been estimated that …": someone's estimate, reported
    return any(w in _EPISTEMIC_HEDGES for w in lowered)


def resolve_back_reference(q: SpeakerQuery, found: Speaker | None) -> tuple[Speaker | None, bool]:
    """'the group said', 'the ministry said': the organisation named before."""
    assert found is not None
    if found.name and _is_back_reference(found.name):
        found.name = _back_reference(found.name, q.text, found.cue_start, q.memory) or found.name
    return found, False


_NAMED_ROLES = alternation(word_tuple("attribute.named_roles"))
_PERSON_PARTICLES = alternation(sorted(NAME_PARTICLES))
_PERSON = rf"[A-Z][\w'’\-]+(?:\s+(?:[A-Z][\w'’\-]+|(?:{_PERSON_PARTICLES})(?=\s+[A-Z]))){{1,3}}"
_ROLE_THEN_NAME = re.compile(
    rf"\b(?P<role>(?i:{_NAMED_ROLES}))(?:\s+(?:for|of)\s+(?:the\s+)?[A-Z][\w'’\-]*(?:\s+[A-Z][\w'’\-]*){{0,4}},)?"
    rf"\s+(?P<name>{_PERSON})"
)
"""'President Barack Obama', 'UN Secretary-General António Guterres', 'OHCHR spokesperson Liz Throssell'."""
_NAME_THEN_ROLE = re.compile(
    rf"(?P<name>{_PERSON}),\s+(?:the\s+|a\s+|an\s+)?(?:[\w\-]+\s+){{0,3}}?(?P<role>(?i:{_NAMED_ROLES}))\b"
)
"""'Liz Throssell, a spokesperson for the UN human rights office', 'François Crépeau, the UN Special Rapporteur'."""
_BARE_ROLE = re.compile(rf"(?:the\s+|a\s+|an\s+)?(?:[\w\-'’]+\s+){{0,3}}?(?:{_NAMED_ROLES})", re.I)
"""A speaker named by a role alone: 'president', 'UN chief', 'a UN spokesperson'."""
_TITLE_THEN_PERSON = re.compile(rf"[^,]*\b(?i:{_NAMED_ROLES}),\s*(?P<person>{_PERSON})\s*(?:,|$)")
"""A header's issuer written title first, the person after a comma: 'UNICEF Regional Director, Geert Cappelaere'."""
_ROLE_SURNAME = re.compile(rf"(?P<role>(?i:{_NAMED_ROLES}))\s+(?P<surname>[A-Z][\w'’\-]+)")
"""A role and one capitalised word: 'Special Representative Hennis-Plasschaert', a surname standing for a name."""
_ROLE_WORDS = frozenset(w for role in word_tuple("attribute.named_roles") for w in role.split())
_ROLE_DETERMINER_WORDS = frozenset(words("attribute.role_determiners"))


def _role_synonyms() -> dict[str, set[str]]:
    """Roles a report uses for one office ('a=b' pairs, both ways): 'the UN chief' for the Secretary-General, 'the
    expert' for a Special Rapporteur."""
    synonyms: dict[str, set[str]] = {}
    for pair in word_tuple("attribute.role_synonyms"):
        a, b = pair.split("=")
        synonyms.setdefault(a, set()).add(b)
        synonyms.setdefault(b, set()).add(a)
    return synonyms


_ROLE_SYNONYMS = _role_synonyms()
_PLACE_WORDS = alternation(word_tuple("attribute.place_before_name"))
_PLACE_BEFORE_NAME = re.compile(rf"\b(?:{_PLACE_WORDS})\s+$", re.I)
_ROLE_NAME_REACH = 3000
"""How far back a role's holder is looked for: a report names the person once, then says 'the president'."""


def _is_place(name: str) -> bool:
    """Whether a name is a place's ('Kathmandu Valley', 'Almaty'): the gazetteer knows it."""
    from app.gazetteer import fold, gazetteer

    return fold(name) in gazetteer().names


def _is_country(word: str) -> bool:
    """Whether a word names a country or its people ('Haiti', 'Nepalese'): the gazetteer's countries and demonyms."""
    from app.gazetteer import fold, gazetteer

    key = fold(word)
    places = gazetteer().names.get(key) or ()
    return any(p.kind == "country" for p in places) or key in gazetteer().demonyms


def named_role(q: SpeakerQuery, found: Speaker | None) -> tuple[Speaker | None, bool]:
    """'the president said', 'the UN chief said', 'a spokesperson said': the person the document named with
    that role before ('President Barack Obama', 'Liz Throssell, a spokesperson for …'), the latest such."""
    assert found is not None
    name = found.name
    if not name or name in (UNNAMED, CROWD):
        return found, False
    last_word = name.split()[-1]
    bare = _BARE_ROLE.fullmatch(name)
    if bare is None or (last_word[:1].isupper() and not last_word.isupper() and last_word.lower() not in _ROLE_WORDS):
        return found, False  # a name already ('Liz Throssell'), or more than a role; 'the High Commissioner' is one
    last = name.lower().split()[-1]
    same_roles = {last} | _ROLE_SYNONYMS.get(last, set())
    modifiers = [
        w
        for w in name.lower().split()[:-1]
        if w not in _ROLE_WORDS and w not in _ARTICLES and w not in _ROLE_DETERMINER_WORDS and len(w) > 2
    ]
    floor = max(0, found.cue_start - _ROLE_NAME_REACH)
    best: tuple[int, str] | None = None
    for pattern in (_ROLE_THEN_NAME, _NAME_THEN_ROLE):
        for m in pattern.finditer(q.text, floor, found.cue_start):
            role = m.group("role").lower()
            if not (role.split()[-1] in same_roles or role in same_roles) or m.start("name") >= found.cue_start:
                continue
            context = q.text[max(0, m.start() - 40) : m.end()].lower()
            if not all(w in context for w in modifiers):
                continue  # 'a police spokesperson' is not the UN's spokesperson named before
            if not q.text[m.end() : found.cue_start].strip():
                continue  # 'in the Kathmandu Valley, a police spokesman said': the speaker's own mention
            if _PLACE_BEFORE_NAME.search(q.text, max(0, m.start("name") - 12), m.start("name")):
                continue  # 'in the Kathmandu Valley, …': a place, not a person
            if best is None or m.start() > best[0]:
                best = (m.start(), m.group("name"))
    if best is None:
        return found, False
    person = _clean_name(best[1])
    if not person or any(w.lower() in ORGANISATION_NOUNS for w in person.split()) or _is_place(person):
        return found, False
    return replace(found, name=person, title=found.title or name, rule=f"{found.rule}, role named before"), False


_STATEMENT_NOUNS = words("attribute.statement_nouns")


_STATEMENT_NAMED_BY = re.compile(rf"(?:(?:{_STATEMENT_ARTICLES})\s+)?{_ISSUED_BY}(?P<who>.{{2,80}})", re.I)
"""A speaker that is a statement and its issuer: 'statement issued by the police'."""
_ISSUE_VERBS = alternation(word_tuple("attribute.issue_verbs"))
_ISSUED_A_STATEMENT = re.compile(
    rf"(?P<who>.{{2,80}}?)\s+(?:{_ISSUE_VERBS})\s+(?:{_STATEMENT_ARTICLES})\s+(?:[\w\-]+\s+)?(?:{_STATEMENT_NOUN_WORDS})",
    re.I,
)
"""A speaker that is an issuer and its statement: 'The ministry issued a statement saying …' → the ministry."""


def statement_issuer(q: SpeakerQuery, found: Speaker | None) -> tuple[Speaker | None, bool]:
    """'…, the statement continued', 'the release added': whoever the document last named as speaking — the
    statement's issuer ('In a press release, UNHCR said …')."""
    assert found is not None
    issued = _STATEMENT_NAMED_BY.fullmatch(found.name or "") or _ISSUED_A_STATEMENT.fullmatch(found.name or "")
    if issued is not None and (who := _clean_name(issued.group("who"))):
        return replace(found, name=who, rule=f"{found.rule}, statement's issuer"), False  # "A statement issued by
        # the police said …": the police
    name = (found.name or "").lower().removeprefix("the ").strip()
    if name not in _STATEMENT_NOUNS:
        return found, False
    issuer = _last_named_speaker(q, before=q.sentence[0])
    latest = q.memory.latest_capitalised(found.cue_start)
    recent = latest is not None and found.cue_start - latest[0] <= _ROLE_NAME_REACH
    if recent and latest is not None and (issuer is None or latest[0] > issuer[0]):
        issuer = latest
    if issuer is None:
        return found, False
    return replace(found, name=issuer[1], rule=f"{found.rule}, statement's issuer"), False


def _last_named_speaker(q: SpeakerQuery, *, before: int) -> tuple[int, str] | None:
    """The subject of the last speech verb before `before` (within reach) that names someone: (position, name)."""
    verbs, starts = document_verbs(q.norm)
    k = bisect_left(starts, before)
    floor = max(0, before - _ROLE_NAME_REACH)
    while k > 0:
        k -= 1
        v = verbs[k]
        if v.start() < floor:
            return None
        left = max(q.text.rfind("\n", 0, v.start()), q.text.rfind(". ", 0, v.start()) + 1, floor)
        name, _, pronoun = subject_before(q.text, left, v.start())
        if name and not pronoun and name[:1].isupper():
            return v.start(), _clean_name(name) or name
    return None


def cited_source(q: SpeakerQuery, found: Speaker | None) -> tuple[Speaker | None, bool]:
    """'Reuters, citing hospital sources, reported …': the sources assert, Reuters carries."""
    assert found is not None
    citing = _CITING.search(q.norm, q.sentence[0], q.sentence[1]) if "citing" in q.lowered else None
    if not (citing and found.name and not q.is_quote):
        return found, False
    cited = _clean_name(q.text[citing.start(1) : citing.end(1)])
    if not cited:
        return found, False
    return (
        Speaker(
            rule="citing",
            name=cited,
            cue=q.text[citing.start() : citing.start(1)].strip(),
            cue_start=citing.start(),
            cue_end=citing.start() + len("citing"),
            conduit=found,
        ),
        True,
    )


def quoted_in_a_statement(q: SpeakerQuery, found: Speaker | None) -> tuple[Speaker | None, bool]:
    """'In a statement quoted by X, …': the statement's author, via the speaker found."""
    assert found is not None
    s_start, outer_start = q.sentence[0], q.outer[0]
    quote_by = _QUOTE_BY.search(q.text, s_start, outer_start) if _has(q.lowered, _QUOTE_BY_WORDS) else None
    if not (quote_by and quote_by.start() > found.cue_start):
        return found, False
    author = Speaker(
        rule="quoted-by",
        name=_clean_name(quote_by.group(1)),
        cue=quote_by.group(0)[: quote_by.start(1) - quote_by.start()].strip(),
        cue_start=quote_by.start(),
        cue_end=quote_by.start(1) - 1,
    )
    author.conduit = found
    return author, True


def named_conduit(q: SpeakerQuery, found: Speaker | None) -> tuple[Speaker | None, bool]:
    """Who carries the claim: 'told Reuters', 'wrote in The Guardian', '“…,” Ahmed Abu Rahma told Reuters', else
    the next speaker farther out ('Le Figaro reported that Macron responded'; not 'X estimated …, while Y put')."""
    assert found is not None
    text, norm, (s_start, s_end), (outer_start, outer_end) = q.text, q.norm, q.sentence, q.outer
    conduit_cue = [
        h
        for h in scan(norm).words["conduit_cues"].between(s_start, outer_start)
        if h[2] != "told" or _told_outlet(norm, h[1], outer_start)
    ]
    if not conduit_cue and found.cue.lower() in ("wrote", "writes") and found.cue_end <= outer_start:
        outlet = _WROTE_IN.match(text, found.cue_end, outer_start)
        if outlet and outlet.group(2).lower() not in _LANGUAGES:
            # "Lina Haddad wrote in The Guardian that …"; not "wrote in Arabic", "wrote in a statement"
            found.conduit = Speaker(
                rule="wrote-in-outlet",
                name=outlet.group(1),
                cue=text[found.cue_start : outlet.start(1)].strip(),
                cue_start=found.cue_start,
                cue_end=outlet.start(1),
            )
    told_after = found.cue.lower() == "told" and found.cue_start >= outer_end
    if not conduit_cue and told_after and _told_outlet(norm, found.cue_end, s_end):
        conduit_cue = [(found.cue_start, found.cue_end, "told")]  # "“…,” Ahmed Abu Rahma told Reuters"
    if conduit_cue:
        c_start, c_end, _ = conduit_cue[-1]
        c_stop = outer_start if c_end <= outer_start else s_end
        after = _NAME_START.match(text, c_end, c_stop)
        lower_after = _CONDUIT_AFTER.match(text[c_end:c_stop])
        conduit_name = _clean_name(after.group(1)) if after else (lower_after.group(1) if lower_after else None)
        if conduit_name and conduit_name != found.name:
            found.conduit = Speaker(
                rule="conduit-cue", name=conduit_name, cue=text[c_start:c_end], cue_start=c_start, cue_end=c_end
            )
    elif (
        q.farther
        and q.farther[0].name
        and q.farther[0].name != found.name
        and not _CONTRAST.search(norm, q.farther[0].cue_end, found.cue_start)
        and not _SUBORDINATE.search(norm, q.farther[0].cue_end, found.cue_start)
    ):
        farther = q.farther[0]
        if farther.name and _is_back_reference(farther.name):  # "It noted that the Government claimed …"
            farther.name = _back_reference(farther.name, text, farther.cue_start, q.memory)
        if farther.name and farther.name != found.name and plausible_source(farther):
            found.conduit = farther  # not a fragment: "In remarks to reporters August 21, Earnest said …"
    return found, True


SpeakerRule = Callable[[SpeakerQuery], "Speaker | None"]
Refinement = Callable[[SpeakerQuery, "Speaker | None"], "tuple[Speaker | None, bool]"]
SOURCE_RULES: tuple[SpeakerRule, ...] = (
    according_to,
    reported_by_agent,
    labelled_by_agent,
    possessive_count,
    quoted_as_saying,
    as_reported_by,
    table_source_column,
)
"""A source named by a phrase of its own: the first that names one decides."""
SPEECH_RULES: tuple[SpeakerRule, ...] = (speech_verb_before, speech_verb_after, introduced_before)
"""The subject of a speech verb: the first that finds one decides, and the refinements follow."""
REFINEMENTS: tuple[Refinement, ...] = (
    prefer_a_nearer_hedge,
    resolve_back_reference,
    named_role,
    statement_issuer,
    cited_source,
    quoted_in_a_statement,
    named_conduit,
)
"""Applied in order to the speaker a speech verb gave; one may decide (True) and end the list."""


_PRONOUN_AUXILIARIES = alternation(word_tuple("attribute.pronoun_auxiliaries"))
_REPORTED_PRONOUN = re.compile(
    rf"[^,;.\"“”]{{0,40}}?\b(?:{_SUBJECT_PRONOUNS})\s+(?:(?:{_PRONOUN_AUXILIARIES})\s+)*$", re.I
)
"""'told AFP they had': a speech verb's own clause, whose pronoun is that verb's subject."""
_CONDUIT_ENDS = alternation(word_tuple("attribute.conduit_ends"))
_CONDUIT_AFTER = re.compile(rf"\s+(?:the\s+)?([^,.;:\"“”]{{2,60}}?)(?=\s+(?:{_CONDUIT_ENDS})\b|\s*[,.;:]|$)")
_CONTRAST = re.compile(rf"\b(?:{_CONTRAST_CONJUNCTIONS})\b|;|,\s*and\s")
_GATHERINGS = frozenset(words("attribute.gatherings"))
"""'told a news conference', 'told a press briefing': an audience, not an outlet that carries the claim."""
_TOLD_ENDS = alternation(word_tuple("attribute.told_ends"))
_TOLD_WORDS = re.compile(rf"\s+([^,.;:\"“”]{{2,60}}?)(?=\s+(?:{_TOLD_ENDS})\b|\s*[,.;:]|$)")


_WROTE_IN = re.compile(r"\s+in\s+((?:The\s+)?([A-Z][\w'’\-]*)(?:\s+[A-Z][\w'’\-]*){0,3})")
_LANGUAGES = frozenset(words("attribute.languages") | words("attribute.languages_2"))


def _told_outlet(norm: str, told_end: int, end: int) -> bool:
    """Whether 'told' hands the claim to a news outlet ('told Radio Capital that', 'told the RIA news agency')
    rather than to a person ('Rouhani told Macron')."""
    words = _TOLD_WORDS.match(norm, told_end, end)
    if words is None:
        return False
    lowered = words.group(1).lower().split()
    return any(w in MEDIA_WORDS for w in lowered) and not any(w in _GATHERINGS for w in lowered)


def acronyms(text: str) -> dict[str, str]:
    """'Assistance Association for Political Prisoners (AAPP)' → {'AAPP': 'Assistance Association for …'}."""
    out: dict[str, str] = {}
    covered = 0
    for hint in _ACRONYM_HINT.finditer(text):  # "(AAPP)": then the name before it, in a window that holds any name
        m = _ACRONYM.search(text, max(covered, hint.start() - _ACRONYM_REACH), hint.end())
        if m is None or m.end() != hint.end():
            continue
        covered = m.end()
        full, short = m.group(1), m.group(2)
        initials = "".join(w[0] for w in full.split() if w[0].isupper())
        if short[0] == initials[0] or short.upper() in initials.upper():
            out[short] = full
    return out


_HEADER_WORDS = alternation(word_tuple("attribute.statement_headers"))
_HEADER_LINKS = alternation(word_tuple("attribute.statement_header_links"))
_STATEMENT_HEADER = re.compile(
    rf"(?:{_HEADER_WORDS})(?:\s+(?:{_HEADER_LINKS})|(?<=\bto))\s+(?P<who>[^.!?:;\n]{{3,100}})",
    re.I,
)
_HEADER_TOPIC_LINKS = alternation(word_tuple("attribute.header_topic_links"))
_HEADER_TOPIC = re.compile(rf"(?:,\s*|\s+)(?:{_HEADER_TOPIC_LINKS})\s.*$", re.S)
"""Where a header's issuer ends: at the topic or venue ('Anthony Lake, UNICEF Executive Director, on children …')."""
_TRANSCRIPT_LEADS = alternation(word_tuple("attribute.transcript_leads"))
_TRANSCRIPT = re.compile(
    rf"\b(?:{_TRANSCRIPT_LEADS})\s+(?:(?:{_LEADING_DETERMINERS})\s+)?(?:(?:{_HEADER_WORDS})\s+(?:{_HEADER_LINKS})\s+)?"
    r"(?P<who>[^.!?:;\n]{3,100})",
    re.I,
)
"""'Following is the text of remarks by Secretary-General Kofi Annan at …:' — the whole text is the speaker's."""
_TRANSCRIPT_REACH = 12
"""How far into its line a transcript's lead may start ('The following …', '[Following is …')."""
_DATELINE_BEFORE = re.compile(r"[A-Z][A-Z .'’\-]+,[^.\n]{0,80}?(?:--|—|–|\s-)\s*$")
"""A dateline before a transcript's lead: 'NEW YORK, 6 January (UN Headquarters) -- Following is the text …'."""
_HEADER_PARAGRAPHS = 4
"""A statement's header ('Statement by UNICEF Executive Director Henrietta Fore') is one of its first paragraphs."""


def statement_header(text: str, paragraphs: list[tuple[int, int]]) -> Speaker | None:
    """The issuer a statement or speech names in its header line — 'Statement by UNICEF Executive Director Henrietta
    Fore', 'Remarks by the Secretary-General' — whose words its unattributed quotations are."""
    for start, end in paragraphs[:_HEADER_PARAGRAPHS]:
        line = text[start:end].strip()
        m = _STATEMENT_HEADER.fullmatch(line)
        transcript = None if m else _TRANSCRIPT.search(line)
        if (
            transcript is not None
            and transcript.start() > _TRANSCRIPT_REACH
            and not _DATELINE_BEFORE.match(line, 0, transcript.start())
        ):
            transcript = None  # a transcript line opens with its lead, or its dateline ("NEW YORK, 6 January -- …")
        m = m or transcript
        if m is None:
            continue
        who = _HEADER_TOPIC.sub("", m.group("who").strip())
        first, _, rest = who.partition(",")
        title: str | None
        titled = _TITLE_THEN_PERSON.match(who)
        if titled:
            bare, title = titled.group("person"), first.strip()  # "UNICEF Regional Director, Geert Cappelaere, …"
        elif rest.strip() and _NAME_END.fullmatch(first.strip()) and not _HEADER_TOPIC.search(rest):
            bare, title = first.strip(), rest.strip(" ,")  # "Anthony Lake, UNICEF Executive Director"
        else:
            bare, title = strip_title(who)
            role_name = _ROLE_THEN_NAME.fullmatch(bare)
            if role_name:  # "Secretary-General Kofi Annan": the role a title
                bare, title = role_name.group("name"), title or role_name.group("role")
        name = _clean_name(bare)
        if not name:
            continue
        at = start + (end - start - len(text[start:end].lstrip())) + m.start("who")
        return Speaker(
            rule="transcript-header" if transcript else "statement-header",
            name=name,
            cue=line[: m.start("who")].strip(),
            cue_start=at - m.start("who"),
            cue_end=at,
            title=title,
        )
    return None


_LABEL = re.compile(r"([A-ZÀ-ÖØ-Þ][\w'’\-]+(?:\s+[A-ZÀ-ÖØ-Þ][\w'’\-]+){1,3})\s*:\s+(?=\S)")
_INCIDENT_WORDS = frozenset(w for kind in LEXICON["incident_kinds"].values() for w in kind["words"])


def speaker_label(text: str, start: int, end: int) -> Speaker | None:
    """An interview's speaker label at the start of a paragraph — 'Nathalie Fustier: There was a quake …' — names
    the person whose words the paragraph is. Only a person's name: not a headline's topic ('Haiti Earthquake: …'),
    a place, an organisation, a month or a weekday."""
    m = _LABEL.match(text, start, end)
    if m is None:
        return _surname_label(text, start, end)
    if m.end() >= end:
        return None
    name = m.group(1)
    lowered = [w.lower() for w in name.split()]
    if not _looks_like_person(name) or any(
        w in _INCIDENT_WORDS or w in ORGANISATION_NOUNS or w in MONTHS or w in WEEKDAYS or w in _SENTENCE_WORDS
        for w in lowered
    ):
        return None
    if _is_place(name) or _is_country(name.split()[0]):
        return None  # 'Port Moresby: …', 'Haiti Relief Appeal: …'
    return Speaker(rule="speaker-label", name=name, cue=":", cue_start=m.end(1), cue_end=m.end())


_SURNAME_LABEL = re.compile(r"([A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ'’\-]{2,})\s*:\s+(?=\S)")


def _surname_label(text: str, start: int, end: int) -> Speaker | None:
    """A headline's one-word label — 'Obama: Downing of airliner an “outrage”' — is a person's surname when the text
    names that person in full ('President Barack Obama says …'): that person."""
    m = _SURNAME_LABEL.match(text, start, end)
    if m is None or m.end() >= end:
        return None
    surname = m.group(1)
    if surname.lower() in _SENTENCE_WORDS or _is_country(surname):
        return None  # 'Sudan: UN chief …', 'Update: …' (a town may share a surname: 'Obama' is one)
    full = re.search(rf"\b((?:[A-ZÀ-ÖØ-Þ][\w'’\-]+\s+){{1,3}}){re.escape(surname)}\b", text[end:])
    if full is None:
        return None
    name, _ = strip_title(full.group(0))
    if len(name.split()) < 2 or not _looks_like_person(name) or _is_place(name):
        return None
    return Speaker(rule="surname-label", name=name, cue=":", cue_start=m.end(1), cue_end=m.end())


_HEADLINE_TAIL = re.compile(r"\s[–—-]\s+([A-Z][\w.'’\-]*(?:\s+[A-Z][\w.'’\-]*){0,3})\s*$")
_HEADLINE_LABEL = re.compile(r"([A-Z][A-Za-z'’\-]*)\s*:\s+\S")
_HEADLINE_LABELS = frozenset(words("attribute.headline_labels"))


def headline_source(text: str, start: int, end: int) -> Speaker | None:
    """Who a headline says its figures and quotations come from: a source after a dash at its end ('Half a million
    children live in areas hardest hit by Hurricane Matthew – UNICEF') or a label before a colon that names a body
    or a role ('Officials: 147 Dead in Attack', 'UN: …'); not a place ('Sudan: …', 'PAKISTAN: …')."""
    line = text[start:end]
    tail = _HEADLINE_TAIL.search(line)
    if tail is not None:
        name = tail.group(1)
        if not _is_place(name) and not _is_country(name.split()[0]) and name.lower() not in _SENTENCE_WORDS:
            return Speaker(
                rule="headline-source", name=name, cue=line[tail.start() : tail.start(1)].strip(),
                cue_start=start + tail.start(), cue_end=start + tail.start(1),
            )  # fmt: skip
    label = _HEADLINE_LABEL.match(line)
    if label is None:
        return None
    word = label.group(1)
    acronym = word.isupper() and 2 <= len(word) <= 8
    if word.lower() not in _HEADLINE_LABELS and not acronym:
        return None
    if _is_country(word) or _is_place(word.title() if acronym else word):
        return None
    return Speaker(
        rule="headline-label", name=word, cue=":", cue_start=start + label.end(1), cue_end=start + label.end(1) + 1
    )


_AND_BETWEEN_QUOTES = re.compile(r"[\s,]*(?:and|or)\s*$")


def subject_of_quoted_words(text: str, sentence_start: int, quote_open: int) -> Speaker | None:
    """A sentence that opens with a person and goes on in their quoted words — 'Secretary-General António Guterres
    “strongly condemns the violence”' — is that person's; the quotation must go on lowercase (a predicate)."""
    lead = text[sentence_start:quote_open].strip()
    if not lead or not text[quote_open + 1 : quote_open + 2].islower() or any(c in lead for c in '"“”'):
        return None
    role_name = _ROLE_THEN_NAME.fullmatch(lead)
    if role_name:
        name, title = role_name.group("name"), role_name.group("role")
    else:
        name, title = strip_title(lead)
    name = _clean_name(name) or ""
    if len(name.split()) < 2 or not _looks_like_person(name) or _is_place(name):
        return None
    return Speaker(
        rule="subject-of-quoted-words", name=name, cue=lead, cue_start=sentence_start, cue_end=quote_open, title=title
    )


def is_statement_noun(name: str | None) -> bool:
    """'statement', 'a statement': a paper that carries someone's words, not a speaker of its own."""
    return name is not None and _DETERMINER.sub("", name.strip()).lower() in _STATEMENT_NOUNS


def joined_quotation(text: str, previous_close: int, quote_open: int) -> bool:
    """'… “strongly condemns the violence” and “the use of force …”': the second quotation is joined to the first."""
    return (
        previous_close < quote_open and _AND_BETWEEN_QUOTES.fullmatch(text, previous_close + 1, quote_open) is not None
    )


# --------------------------------------------------------------------------- office holders
@dataclass(frozen=True)
class Office:
    """A public office whose holder a text may name only by its title ('the UN chief said'), with who held it when."""

    name: str
    titles: frozenset[str]
    bare_titles: frozenset[str]
    """Titles that name the office only where the text is about its organisation ('the Secretary-General')."""
    context: tuple[str, ...]
    holders: tuple[tuple[str, dt.date, dt.date], ...]


@lru_cache(maxsize=4096)
def _title_key(title: str) -> str:
    from app.gazetteer import fold

    key = fold(title.removesuffix("'s").removesuffix("’s"))
    return key.removeprefix("the ")


def _offices() -> tuple[Office, ...]:
    return tuple(
        Office(
            name=o["office"],
            titles=frozenset(_title_key(t) for t in o["titles"]),
            bare_titles=frozenset(_title_key(t) for t in o["bare_titles"]),
            context=tuple(o["context"]),
            holders=tuple(
                (holder, dt.date.fromisoformat(start), dt.date.fromisoformat(end))
                for holder, start, end in o["holders"]
            ),
        )
        for o in LEXICON["offices"]
    )


OFFICES = _offices()
_OFFICE_TITLE_KEYS = frozenset(k for office in OFFICES for k in office.titles | office.bare_titles)
_CAPITALISED_RUN = re.compile(rf"[A-ZÀ-ÖØ-Þ][\w'’\-]*(?:\s+(?:[A-ZÀ-ÖØ-Þ][\w'’\-]*|{_PERSON_PARTICLES}))*")


def _spelled_as_in(text: str, holder: str) -> str:
    """The holder's name as the text writes it ('Zeid Ra’ad Al Hussein'), else as the lexicon does."""
    from app.gazetteer import fold

    wanted = fold(holder)
    surname = holder.split()[-1]
    if fold(surname) not in fold(text):
        return holder
    for m in _CAPITALISED_RUN.finditer(text):
        run = m.group(0).split()
        for k in range(len(run)):
            if fold(" ".join(run[k:])) == wanted:
                return " ".join(run[k:])  # "Secretary-General António Guterres": the name, not the title
    return holder


def office_holder(speaker: Speaker | None, *, on: dt.date | None, text: str) -> Speaker | None:
    """'the UN chief said' in a report of 7 February 2023: António Guterres, with the title as his title. Only for
    offices in the lexicon, on the document's date, and for a bare title ('the Secretary-General') only where the text
    names the organisation."""
    if speaker is None or not speaker.name or on is None or len(speaker.name) > 80:
        return speaker
    key = _title_key(speaker.name)
    if key not in _OFFICE_TITLE_KEYS:
        return speaker  # most speakers are no office's title
    for office in OFFICES:
        bare = key in office.bare_titles and any(c in text for c in office.context)
        if key not in office.titles and not bare:
            continue
        for holder, start, end in office.holders:
            if start <= on <= end:
                return replace(
                    speaker,
                    name=_spelled_as_in(text, holder),
                    title=speaker.title or speaker.name,
                    rule=f"{speaker.rule}, office holder on {on.isoformat()}",
                )
        return speaker
    return speaker
