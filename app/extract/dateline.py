"""A document's publication date and agency, read from its first lines.

News text carries its date where a reader looks first:
- a wire dateline: "RABAT, Sept 10 (Reuters) -", "KATHMANDU, April 26, 2015 (AP) —" — the agency in brackets is the
  publisher;
- a date line: "Published 10 September 2023", "Updated 2:15 PM EDT, Sun September 10, 2023",
  "Sunday, September 10, 2023", "2023-09-10", alone on a line at the top.

Only the first `HEAD_LINES` non-blank lines are read: a date further down is about the story, not the document.
A date without its year (a dateline's "Sept 10") takes the year of the latest date the story mentions (or the
next), else the latest such day before today, and its precision is `estimated`; a full date is `day`. Dates
after today are not publication dates.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from app.extract.lexicon import MONTHS, NEWS_AGENCIES, alternation, word_tuple
from app.extract.link import _MONTH_INDEX, ORDINAL_SUFFIX, day_before

HEAD_LINES = 6
_MONTH = r"(?P<month>(?i:" + "|".join(sorted((re.escape(m) for m in MONTHS), key=len, reverse=True)) + r"))\.?"
_WEEKDAY_ABBREVIATIONS = alternation(word_tuple("dateline.weekday_abbreviations"))
_WEEKDAY_ENDINGS = alternation(word_tuple("dateline.weekday_endings"))
"""What completes an abbreviation into the weekday's name: 'Tue' + 'sday', 'Wed' + 'nesday'."""
_WEEKDAY = rf"(?:(?:{_WEEKDAY_ABBREVIATIONS})(?:{_WEEKDAY_ENDINGS})?\.?,?\s+)?"
_TIME = r"(?:\d{1,2}[:.]\d{2}\s*(?:[AaPp]\.?[Mm]\.?)?\s*(?:[A-Z]{2,4}\b)?,?\s+)?"
_DATE = (
    rf"{_WEEKDAY}(?:{_MONTH}\s+(?P<day1>\d{{1,2}})(?:{ORDINAL_SUFFIX})?(?:,?\s+(?P<year1>\d{{4}}))?"
    rf"|(?P<day2>\d{{1,2}})(?:{ORDINAL_SUFFIX})?\s+{_MONTH.replace('month', 'month2')}(?:,?\s+(?P<year2>\d{{4}}))?"
    rf"|(?P<iso>\d{{4}}-\d{{2}}-\d{{2}}))"
)
_AGENCY_FORMS = {form: name for name, forms in NEWS_AGENCIES.items() for form in forms}
_AGENCY = r"(?P<agency>" + "|".join(sorted((re.escape(f) for f in _AGENCY_FORMS), key=len, reverse=True)) + r")"
_DATELINE = re.compile(
    rf"^[A-Z][A-Za-z\u00C0-\u017F .'’-]*?(?:,\s*[A-Z][A-Za-z\u00C0-\u017F .'’-]*?)*"
    rf"(?:,\s*(?P<date>{_DATE}))?\s*\({_AGENCY}\)\s*[-—–:]",
)
_DATE_LINE_LABELS = alternation(word_tuple("dateline.date_line_labels"), space=" ")
_DATE_LINE = re.compile(
    rf"^\s*(?:(?:{_DATE_LINE_LABELS})\s*(?:on|:)?\s*)?{_TIME}{_DATE}"
    rf"(?:\s*(?:,|at)?\s*\d{{1,2}}[:.]\d{{2}}.*)?\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Dateline:
    published: dt.date | None
    precision: str  # day, or estimated when the year was left out
    agency: str | None
    text: str  # the line it came from


def _date(m: re.Match[str], reference: dt.date, after: dt.date | None) -> tuple[dt.date, str] | None:
    if m.group("iso"):
        try:
            return dt.date.fromisoformat(m.group("iso")), "day"
        except ValueError:
            return None
    month_word = (m.group("month") or m.group("month2") or "").rstrip(".").lower()
    day_s, year_s = m.group("day1") or m.group("day2"), m.group("year1") or m.group("year2")
    month = _MONTH_INDEX.get(month_word)
    if month is None or day_s is None:
        return None
    try:
        if year_s:
            return (dt.date(int(year_s), month, int(day_s)), "day") if int(year_s) >= 1000 else None
    except ValueError:
        return None
    if after is not None and after.year >= 1000:  # the year of the latest date the story mentions, or the next
        for year in (after.year, after.year + 1):
            try:
                candidate = dt.date(year, month, int(day_s))
            except ValueError:
                continue
            if after - dt.timedelta(days=3) <= candidate <= reference:
                return candidate, "estimated"
    found = day_before(month, int(day_s), reference)
    return (found, "estimated") if found else None


def read_dateline(text: str, *, today: dt.date | None = None, latest: dt.date | None = None) -> Dateline | None:
    """The publication date (and agency) a document's first lines give, or None. A date without a year is placed
    at or after `latest` (the latest date the story mentions), else before `today`."""
    reference = today or dt.date.today()
    lines = [line.strip() for line in text[:2000].splitlines() if line.strip()][:HEAD_LINES]
    for line in lines:
        m = _DATELINE.match(line)
        if m:
            agency = _AGENCY_FORMS[m.group("agency")]
            dated = _date(m, reference, latest) if m.group("date") else None
            if dated and dated[0] > reference:
                dated = None
            return Dateline(dated[0] if dated else None, dated[1] if dated else "unknown", agency, line)
        m = _DATE_LINE.match(line)
        if m:
            dated = _date(m, reference, latest)
            if dated and dated[0] <= reference:
                return Dateline(dated[0], dated[1], None, line)
    return None
