"""The real-text corpus: the development half (tests/real/, tests/real_extra/) and the test half (tests/real_test/),
split by incident; well-formed, licensed, independent of the evaluation incidents, and scored with floors at
today's scores so that a regression fails. Rules are written against the development half; the test half is only
scored."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from app.extract.evaluate import NameMatcher, real_corpus, score, score_grouping
from app.extract.pipeline import default_catalogue

REAL = Path(__file__).parent / "real"
EXTRA = Path(__file__).parent / "real_extra"
TEST = Path(__file__).parent / "real_test"
LICENCES = ("public domain", "CC BY", "UN")
EVALUATION_INCIDENTS = ("iran", "ps752", "maria", "puerto-rico", "hajj", "derna", "libya", "quota", "kenya", "myanmar")
"""Incidents kept for independent evaluation: no folder may be about them."""
TEST_TODAY = (0.863, 0.983, 0.827, 0.776)
"""The test half's figure F1, quote F1, attribution and speaker accuracy when its floors were last set. First
measured at 0.843 / 0.965 / 0.786 / 0.623 (commit 7e927fd, before the development-half rules of issue 14); the
headline-verb bounds ('tops 18,000') cost it 0.003 of figure F1 while raising the development half's by 0.016,
and the floor was lowered to today's figure on purpose, not silently. On 2026-12-03 the development-half rules
raised its attribution to 0.812, and then the rule that a figure in a relative clause after an evaluative verb
('condemned the bombings, which killed 180') is the narrator's took it to 0.8059 (while the development half gained
five figures from it): the halves' annotators disagree on that pattern, and the floor follows on purpose. In the
evening the figures found by the rules for ranges under 'as many as', datelines before a figure and parts of a count
of people ('… 12 million children. More than 2 million of them …') raised its figure F1 0.853 -> 0.855 and took its
attribution 0.807 -> 0.805 (figures found whose source is missed): the floor follows, on purpose. Office holders on
the document's date ('the UN chief' in 2023 is António Guterres) raised attribution to 0.808 and speakers 0.714 ->
0.729; the scorer then took an acronym the text defines for its expansion ('… Humanitarian Affairs (OCHA)') and
'Mr. Ban' for 'Ban Ki-moon' as the same source: attribution 0.813 by the scorer's change alone. The 14 texts added
to the half that evening (scored before they joined, never read: figure F1 0.891, attribution 0.760, speaker 0.633;
0.870 / 0.760 / 0.633 at the session's start) make it 72 texts: 0.863 / 0.980 / 0.805 / 0.700 that evening. The
next session's rule for quotations in headings (echoed-quotation) took it to 0.863 / 0.980 / 0.807 / 0.710; then 19
texts on four more incidents (Haiti 2021, Paktika 2022, Osh 2010, Brussels 2016), scored before they joined and never
read (0.834 / 1.000 / 0.844 / 0.905, the same at bffdea7, before that session's rules), make it 91 texts:
0.858 / 0.984 / 0.814 / 0.744. The rest of that session's rules took it to 0.864 / 0.984 / 0.826 / 0.769 (from
0.858 / 0.984 / 0.812 / 0.736 at bffdea7 on the same 91 texts). The next session's rules (a pronoun looks further
back for a person when none is near and 'United Nations' is an organisation) took attribution 0.826 -> 0.828 and
speakers 0.769 -> 0.777 (aggregate only)."""
FIGURE_KINDS = {"death_toll", "arrest_count", "injury_count", "execution_count", "detention_count", "other_count"}


@pytest.mark.parametrize("folder", [REAL, EXTRA, TEST], ids=lambda f: f.name)
def test_every_article_is_annotated_licensed_and_listed(folder: Path) -> None:
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["documents"]
    listed = {d["file"] for d in manifest}
    texts = {str(p.relative_to(folder)) for p in folder.glob("*/*.txt")}
    assert listed == texts
    for entry in manifest:
        text = (folder / entry["file"]).read_text(encoding="utf-8")
        meta = json.loads((folder / entry["file"]).with_suffix(".json").read_text(encoding="utf-8"))
        assert meta["url"].startswith("http") and meta["outlet"], entry["file"]
        assert meta["licence"].startswith(LICENCES), (entry["file"], meta["licence"])
        assert (entry["outlet"], entry["url"], entry["licence"], entry["published"]) == (
            meta["outlet"], meta["url"], meta["licence"], meta["published"]
        )  # fmt: skip
        for claim in meta["expected"]:
            assert text[claim["start"] : claim["end"]] == claim["text"], (entry["file"], claim["text"])
            assert claim["kind"] in FIGURE_KINDS | {"quote"}
            if claim["kind"] != "quote":
                low, high = claim.get("low"), claim.get("high")
                assert low is not None or high is not None
                assert low is None or high is None or low <= high
        assert entry["figures"] == sum(1 for c in meta["expected"] if c["kind"] != "quote")


def test_the_corpus_has_the_size_the_events_issue_asks_for() -> None:
    """At least 40 texts about at least 8 incidents, 3 to 6 per incident, none about an evaluation incident."""
    per_incident = Counter(p.parent.name for p in REAL.glob("*/*.txt"))
    assert sum(per_incident.values()) >= 40 and len(per_incident) >= 8
    assert all(3 <= n <= 6 for n in per_incident.values()), per_incident
    for name in [*per_incident, *(p.name for p in EXTRA.iterdir() if p.is_dir())]:
        assert not any(word in name for word in EVALUATION_INCIDENTS), name


def test_the_halves_are_split_by_incident_and_large_enough() -> None:
    """At least 80 texts and 600 figures that count people in all; no incident in both halves."""
    development = {p.name for folder in (REAL, EXTRA) for p in folder.iterdir() if p.is_dir()}
    test = {p.name for p in TEST.iterdir() if p.is_dir()}
    assert not development & test
    for name in test:
        assert not any(word in name for word in EVALUATION_INCIDENTS), name
    texts = figures = 0
    for folder in (REAL, EXTRA, TEST):
        for entry in json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["documents"]:
            texts += 1
            figures += entry["figures"]
    assert texts >= 80 and figures >= 600, (texts, figures)


def test_real_extraction_floor() -> None:
    result = score(
        [d.case for d in real_corpus(REAL)], catalogue=default_catalogue(), matcher=NameMatcher.from_fixtures()
    )
    # today's scores: any regression fails. The 33 texts about eight incidents added on 2026-12-03 (Soma, Pylos,
    # Peshawar, Freetown, Andijan, Chibok, MH17, the April 2015 Mediterranean shipwreck), scored before any rule saw
    # them: figure F1 0.838, attribution 0.774, speaker 0.582, grouping F1 0.608 with 24 figures without an event.
    # The 31 texts about eight more (Westgate, Garissa, Tohoku, Pakistan floods 2022, Kabul airport, Cyclone Pam,
    # Germanwings, Chile 2010) added on 2026-12-03 (evening), scored before any rule saw them: figure F1 0.856, quote
    # F1 1.000, attribution 0.857, speaker 0.787, grouping F1 0.946 (dates given) / 0.827 (withheld). The 26 texts
    # about six more (Rohingya 2017, Hurricane Matthew, Cyclone Nargis, Sichuan 2008, the 2004 tsunami, Gujarat 2001)
    # added after the rules of that evening, scored before any rule saw them: figure F1 0.842, quote F1 0.989,
    # attribution 0.722, speaker 0.711, grouping F1 0.811 / 0.811 with 7 figures without an event.
    # The 14 texts about four more (Amatrice 2016, Hurricane Irma 2017, Kunduz 2015, Ghouta 2013; two Cyclone Fani
    # texts went to real_extra) added in the next session, scored before joining: figure F1 0.899, quote F1 1.000,
    # attribution 0.705, speaker 0.759 at bffdea7 (0.721 / 0.793 with that session's heading rule). With them the
    # half is 0.934 / 0.984 / 0.890 / 0.847 / conduit 0.971; that session's rules then took it to 0.943 / 0.984 /
    # 0.907 / 0.870 / 0.972 (0.918 / 0.984 / 0.884 / 0.832 / 0.971 at bffdea7 on the same 182 texts).
    # The 33 texts about eight more added on 2026-12-03 (late): protest crackdowns (Iraq 2019, Nicaragua 2018,
    # Venezuela 2017, Rabaa 2013), scored at bbf3a7f before joining: 0.968 / 0.938 / 0.806 / 0.667; and disasters
    # (Manchester Arena 2017, Kerala floods 2018, Puebla 2017, Yemen cholera 2017): 0.918 / 0.947 / 0.808 / 0.444.
    # With them the half (215 texts) is 0.942 / 0.980 / 0.894 / 0.841 / conduit 0.976; that session's rules then took
    # it to 0.944 / 0.980 / 0.920 / 0.876 / 0.978.
    assert result.figure_f1 >= 0.943
    assert result.quote_f1 >= 0.979
    assert result.attribution_accuracy >= 0.919
    assert result.speaker_accuracy >= 0.875
    assert result.conduit_accuracy >= 0.977


def test_test_half_floor() -> None:
    """The held-apart half, scored only: a change that loses on text nobody tuned on fails here."""
    result = score(
        [d.case for d in real_corpus(TEST)], catalogue=default_catalogue(), matcher=NameMatcher.from_fixtures()
    )
    assert result.figure_f1 >= TEST_TODAY[0]
    assert result.quote_f1 >= TEST_TODAY[1]
    assert result.attribution_accuracy >= TEST_TODAY[2]
    assert result.speaker_accuracy >= TEST_TODAY[3]


def test_event_grouping_floor() -> None:
    """Figures about one incident share one event across outlets, with and without the documents' dates."""
    documents = real_corpus(REAL)
    given = score_grouping(documents, dates=True)
    withheld = score_grouping(documents, dates=False)
    # 0.849 / 0.799 when the 26 texts were added; the figures found since that the event linker reads as background
    # ('An estimated 500,000 children live in the areas worst hit', '… More than 2 million of them live in …') join
    # no event: 0.845 / 0.795 and 25 without an event today
    # 0.848 / 0.797 before the 14 texts of the next session joined; with them (scored 0.958 / 0.958 alone) the
    # pairs across more incidents bring it to 0.840 / 0.773
    # The 33 texts of that session's end (scored alone 0.899 / 0.924 and 0.609 / 0.585: the Yemen texts name six
    # incidents besides the outbreak) bring it to 0.817 / 0.761
    assert given.f1 >= 0.815, given
    assert withheld.f1 >= 0.759, withheld
    # 15 in the texts added first on 2026-12-03 (the Andijan briefings), one about Nepal ('8 million people—nearly a
    # third of Nepal's population—may be affected', which the population cue keeps from an event), 7 in the 26 texts
    # added last (scored before any rule saw them), and the two above
    # and one more since: a team's size ('A fourteen-strong UNHCR team has arrived in Romania') in the Andijan briefings
    # and 5 in the 33 texts added at the end of 2026-12-03 (2 about the protests, 3 about the disasters)
    assert given.without_event <= 31 and withheld.without_event <= 31
