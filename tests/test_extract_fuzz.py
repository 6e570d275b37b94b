"""The extractor never crashes and never invents a span, whatever the text."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.extract.pipeline import extract_claims

PIECES = st.sampled_from(
    ["more than", " 1,500 ", "dozens of", " people were killed", " arrested", "“", "”", '"', "‘", "’", "'", " said ",
     "According to", " Amnesty", ". ", "\n", "\n\n", " between 3 and ", "-", "200-225", " he ", "chanted", "…",
     " on November 17", " in 2019", "Page 2 of 5", "$5", "40%", " aged 15", "二千人", "٣٠٠", "🙂", "\u00a0",
     " a few hundred", " as many as ", " injured or arrested", "(", ")", "[", "]", " 12-year-old", "Mr. Smith"]
)  # fmt: skip
TEXT = st.lists(st.one_of(PIECES, st.text(max_size=12)), max_size=40).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT)
def test_any_text_gives_well_formed_claims(text: str) -> None:
    result = extract_claims(text)
    for claim in result.claims:
        assert text[claim.start : claim.end] == claim.text
        assert 0 <= claim.start < claim.end <= len(text)
        if claim.low is not None and claim.high is not None:
            assert claim.low <= claim.high
        for attribution in claim.attributions:
            if attribution.cue_start is not None:
                assert text[attribution.cue_start : attribution.cue_end] == attribution.cue


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=400))
def test_unicode_noise(text: str) -> None:
    for claim in extract_claims(text).claims:
        assert text[claim.start : claim.end] == claim.text
