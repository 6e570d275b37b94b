"""The last step: revisions inside one paragraph: an asserter's old and new count of the same thing.

"The ministry raised the toll to 125 from 74", "at least 62 were killed, up from its earlier count of 41", "police
said 30 died; the toll was later revised down to 27": both numbers are the same asserter's, of the same kind, and
the older one is no rival of the newer. The step marks the figure that closes such a pair with the rule and the span
of the other one (its explanation's `revision` entry); `compare` then counts the old one as superseded, as it does
an asserter's earlier figure in an earlier article. Rules, in order (the first that applies decides):

- `old-count-after-the-new`: the figure follows "up from" or "down from" (the new one: the nearest figure before it
  in the sentence of the same kind and asserter), or "from" after a revision cue in its clause ("raised the toll to
  125 from 74"; the new one: the nearest such figure between the cue and this one), with perhaps "its earlier count
  of" between: it is the old count;
- `new-count-after-the-old`: a revision cue stands before the figure in its clause and "to" just before it: it is
  the new count, and the old one is the nearest figure of the same kind and asserter between the cue and this one
  ("revised the toll from 18 to 25"), or, after a cue that restates a count (`revise.restatement_cues`), the nearest
  before it in the paragraph ("30 died …; the toll was later revised down to 27").

The cue words are the lexicon's (`figures.revision_cues`, `revise.old_count_leads`, `revise.earlier_words`,
`revise.new_count_leads`)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from app.extract.figures import revision_cue
from app.extract.lexicon import alternation, word_tuple, words

_LEADS = alternation(word_tuple("revise.old_count_leads"))
_EARLIER = alternation(word_tuple("revise.earlier_words"))
_OLD_COUNT_LEAD = re.compile(rf"\b(?P<lead>{_LEADS})(?:\s+(?:{_EARLIER}))*\s+$", re.IGNORECASE)
"""The words just before an old count: 'up from ', 'from its earlier count of '."""
_NEW_LEADS = alternation(word_tuple("revise.new_count_leads"))
_NEW_COUNT_LEAD = re.compile(rf"\b(?:{_NEW_LEADS})\s+$", re.IGNORECASE)
"""The word just before a new count: 'revised down to 27', 'raising the toll to 125'."""
_RESTATEMENTS = words("revise.restatement_cues")
"""Cues that restate a count ('revised', 'corrected'): the figure before them is the old count even outside the
cue's clause. After a cue of growth ('raising the toll to 16', 'bringing the total to') the figure before is what
was added, and only a figure between the cue and the new one ('from 12 to 19') is the old count."""


@dataclass(frozen=True)
class Counted:
    """What the step reads of a figure already found: where it is, what it counts, whose it is."""

    start: int
    end: int
    sentence_start: int
    measure: tuple[str, str | None, str | None]
    """(kind, unit, subgroup): only a count of the same thing is a revision of it."""
    asserter: str | None


@dataclass(frozen=True)
class RevisionMark:
    rule: str
    other: Counted
    """The figure this one revises or is revised by."""


def revision_mark(norm: str, *, figure: Counted, earlier: Sequence[Counted]) -> RevisionMark | None:
    """The revision `figure` closes with one of the `earlier` figures of its paragraph (in text order), if any."""
    alike = [e for e in earlier if e.measure == figure.measure and e.asserter == figure.asserter]
    if not alike:
        return None
    lead = _OLD_COUNT_LEAD.search(norm, max(0, figure.start - 80), figure.start)
    if lead is not None:
        same_sentence = [e for e in alike if e.sentence_start == figure.sentence_start]
        if lead.group("lead").lower() != "from":
            new = same_sentence  # "rose to 2,053 …, up from an earlier figure of 1,000"
        else:
            cue = revision_cue(norm, lead.start())  # "revised the toll to 125 from 174": the new one after the cue
            new = [e for e in same_sentence if cue is not None and e.start > cue.start()]
        return RevisionMark("old-count-after-the-new", new[-1]) if new else None
    cue = revision_cue(norm, figure.start)
    if cue is None or not _NEW_COUNT_LEAD.search(norm, max(0, figure.start - 10), figure.start):
        return None
    between = [e for e in alike if e.start > cue.start()]  # "from 18 to 27"
    if between:
        return RevisionMark("new-count-after-the-old", between[-1])
    if cue.group("cue").lower() in _RESTATEMENTS:  # "30 died …; the toll was later revised down to 27"
        return RevisionMark("new-count-after-the-old", alike[-1])
    return None  # "two more died, raising the toll to 16": the earlier figure is what was added, not an old count
