"""ClaimReview JSON-LD that validates, and the one-sentence explanations of flagged discrepancies."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import text
from test_report_html import add_morocco
from typer.testing import CliRunner

from app.cli.main import app
from app.report.claimreview import quantity

BASE = "https://factcheck.example.org/reports/iran.html"

SCHEMA_ORG = {
    # every key a review may use, per type, each a schema.org property of that type (or inherited from Thing,
    # CreativeWork or Review); "@context" and "@type" are JSON-LD's own
    "ClaimReview": {
        "@context",
        "@type",
        "url",
        "datePublished",
        "author",
        "claimReviewed",
        "itemReviewed",
        "about",
        "reviewRating",
    },
    "Claim": {"@type", "author", "datePublished", "appearance", "text"},
    "CreativeWork": {"@type", "name", "url", "datePublished", "publisher"},
    "Organization": {"@type", "name", "url"},
    "Person": {"@type", "name", "url"},
    "Rating": {"@type", "ratingValue", "bestRating", "worstRating", "alternateName", "ratingExplanation"},
    "Event": {"@type", "name", "identifier", "description"},
}
EXPECTED_TYPE = {
    "author": {"Organization", "Person"},
    "publisher": {"Organization", "Person"},
    "itemReviewed": {"Claim"},
    "appearance": {"CreativeWork"},
    "reviewRating": {"Rating"},
    "about": {"Event"},
}


def _schema_org_only(node: dict[str, Any], key: str = "") -> None:
    kind = node["@type"]
    assert kind in SCHEMA_ORG, kind
    assert set(node) <= SCHEMA_ORG[kind], f"{kind}: not schema.org {set(node) - SCHEMA_ORG[kind]}"
    if key:
        assert kind in EXPECTED_TYPE[key], (key, kind)
    for k, v in node.items():
        if isinstance(v, dict):
            _schema_org_only(v, k)
        else:
            assert isinstance(v, str | int | float) and v != "", (kind, k, v)


def claimreviews(runner: CliRunner, db: str, *extra: str, env: dict[str, str] | None = None) -> list[dict[str, Any]]:
    result = runner.invoke(app, ["report", "--format", "claimreview", *extra, "--db", db], env=env)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_claimreview_meets_google_structured_data(loaded_db: str, runner: CliRunner, tmp_path: Path) -> None:
    """Google's ClaimReview: required url, claimReviewed, reviewRating.alternateName; recommended author (name,
    url), reviewRating's scale, itemReviewed a Claim with author, datePublished and appearance where known —
    and nothing but schema.org properties."""
    add_morocco(runner, loaded_db, tmp_path)
    reviews = claimreviews(runner, loaded_db, "--base-url", BASE, "--reviewer-name", "Example Fact Check")
    report = json.loads(runner.invoke(app, ["report", "--format", "json", "--db", loaded_db]).stdout)
    flagged = [
        (g, f)
        for g in report["groups"]
        if g["verdict"] in ("conflicting", "divergent", "single-source")
        for f in g["figures"]
    ]
    assert len(reviews) == len(flagged) > 0
    assert {g["verdict"] for g, _ in flagged} == {"conflicting", "divergent", "single-source"}
    documents = {d["id"]: d for d in report["documents"]}
    html = runner.invoke(app, ["report", "--format", "html", "--db", loaded_db]).stdout
    for review, (group, figure) in zip(reviews, flagged, strict=True):
        _schema_org_only(review)
        assert review["@context"] == "https://schema.org" and review["@type"] == "ClaimReview"
        assert review["url"] == f"{BASE}#claim-{figure['id']}"
        assert f'id="claim-{figure["id"]}"' in html  # the anchor is there in the HTML report
        assert review["author"] == {
            "@type": "Organization",
            "name": "Example Fact Check",
            "url": "https://factcheck.example.org/",
        }
        assert 0 < len(review["claimReviewed"]) <= 75 and review["claimReviewed"] != figure["sentence"]
        rating = review["reviewRating"]
        assert rating["alternateName"] == group["verdict"]
        assert rating["worstRating"] <= rating["ratingValue"] <= rating["bestRating"]
        assert (rating["worstRating"], rating["bestRating"]) == (1, 5)
        assert rating["ratingValue"] == {"conflicting": 1, "divergent": 2, "single-source": 3}[group["verdict"]]
        assert rating["ratingExplanation"].startswith(group["explanation"])
        assert "Estimate: best " in rating["ratingExplanation"]  # the group's estimate, in words
        item = review["itemReviewed"]
        assert item["@type"] == "Claim" and item["text"] == figure["sentence"]
        who = figure["attributed_to"] or figure["publisher"]
        assert (item.get("author") or {}).get("name") == who
        if figure["published"] and figure["published_precision"] == "day":
            assert item["datePublished"] == figure["published"]
        else:
            assert "datePublished" not in item  # never an estimate given as a date
        doc = documents[figure["document_id"]]
        appearance = item["appearance"]
        assert appearance.get("url") == doc["url"] and appearance["name"]
        assert review["about"]["identifier"] == group["event"]

    by_figure = {(r["about"]["identifier"], r["itemReviewed"]["text"][:40], r["claimReviewed"]) for r in reviews}
    statements = {s for _, _, s in by_figure}
    assert "More than 8,000 arrested in the 2017–18 Iranian protests" in statements  # source too long to add
    assert "At least 2,000 arrested in the 2017–18 Iranian protests (Soona Samsami)" in statements
    assert "Up to 5 killed (under torture) in the 2017–18 Iranian protests" in statements
    assert "1,500 killed in the November 2019 Iranian protests (MEK Iran)" in statements  # no '(Bloody Aban)'
    samsami = next(r for r in reviews if r["claimReviewed"].endswith("(Soona Samsami)"))
    assert samsami["itemReviewed"]["author"] == {"@type": "Person", "name": "Soona Samsami"}
    quake = [r for r in reviews if r["about"]["identifier"] == "morocco-earthquake-2023-09"]
    assert quake and all(r["about"]["description"].startswith("discovered by claimdb") for r in quake)
    assert all("description" not in r["about"] for r in reviews if r not in quake)  # catalogued events
    assert {r["itemReviewed"].get("datePublished") for r in quake} >= {"2023-09-09", "2023-09-11", "2023-09-15"}
    assert (
        "2,250–2,750 killed — Earthquake in Marrakesh, Morocco, September 2023 (national authorities)" not in statements
    )
    assert "About 2,500 killed — Earthquake in Marrakesh, Morocco, September 2023" in statements  # 'some 2,500'
    assert all(not s.endswith("(national authorities)") for s in statements)  # too long with the source


def test_short_statement_words() -> None:
    assert quantity(1500, 1500) == "1,500"
    assert quantity(8001, None, text="more than 8,000") == "More than 8,000"
    assert quantity(1001, None, text="more than 1000") == "More than 1,000"
    assert quantity(11, None, text="at least 11") == "At least 11"  # 10 is round, but the words say 11
    assert quantity(2960, None, text="At least 2,960") == "At least 2,960"
    assert quantity(24, None, text="dozens") == "At least 24"
    assert quantity(2_800_001, None, text="more than 2.8 million") == "More than 2,800,000"
    assert quantity(None, 5, text="as many as 5") == "Up to 5"
    assert quantity(2250, 2750, text="some 2,500") == "About 2,500"
    assert quantity(24000, 25000, text="24,000 to 25,000") == "24,000–25,000"


def test_claimreview_appearance_url(loaded_db: str, runner: CliRunner, db_session: type) -> None:
    with db_session(loaded_db) as session:
        session.execute(
            text("UPDATE document SET url = 'https://www.example.com/news/protests' WHERE origin LIKE '000%'")
        )
        session.commit()
    reviews = claimreviews(runner, loaded_db, "--base-url", BASE)
    from_000 = [r for r in reviews if r["itemReviewed"]["appearance"].get("url")]
    assert from_000 and all(
        r["itemReviewed"]["appearance"]["url"] == "https://www.example.com/news/protests" for r in from_000
    )
    assert len(from_000) < len(reviews)


def test_claimreview_reviewer_from_options_env_and_default(loaded_db: str, runner: CliRunner) -> None:
    default = claimreviews(runner, loaded_db, "--base-url", BASE)
    assert {json.dumps(r["author"]) for r in default} == {
        json.dumps({"@type": "Organization", "name": "factcheck.example.org", "url": "https://factcheck.example.org/"})
    }
    env = {
        "CLAIMDB_REPORT_URL": "https://checks.example.net/r/",
        "CLAIMDB_REVIEWER_NAME": "Example Checks",
        "CLAIMDB_REVIEWER_URL": "https://example.net/about",
    }
    from_env = claimreviews(runner, loaded_db, env=env)
    assert from_env[0]["author"] == {
        "@type": "Organization",
        "name": "Example Checks",
        "url": "https://example.net/about",
    }
    assert from_env[0]["url"].startswith("https://checks.example.net/r/#claim-")
    options = claimreviews(
        runner, loaded_db, "--reviewer-name", "Desk", "--reviewer-url", "https://desk.example/", env=env
    )
    assert options[0]["author"] == {"@type": "Organization", "name": "Desk", "url": "https://desk.example/"}
    assert all("claimdb" not in json.dumps(r["author"]) for r in default + from_env + options)


def test_claimreview_configuration_errors(loaded_db: str, runner: CliRunner) -> None:
    cases = [
        (
            [],
            "error: ClaimReview needs --base-url: the address where the HTML report is published (or set "
            "CLAIMDB_REPORT_URL)\n",
        ),
        (["--base-url", "reports/iran.html"], "error: --base-url 'reports/iran.html' is not an absolute http(s) URL\n"),
        (
            ["--base-url", f"{BASE}#top"],
            f"error: --base-url '{BASE}#top' has a #fragment: each review adds its own anchor\n",
        ),
        (
            ["--base-url", BASE, "--reviewer-url", "javascript:alert(1)"],
            "error: --reviewer-url 'javascript:alert(1)' is not an absolute http(s) URL\n",
        ),
    ]
    for args, message in cases:
        result = runner.invoke(
            app, ["report", "-f", "claimreview", *args, "--db", loaded_db], env={"CLAIMDB_REPORT_URL": ""}
        )
        assert result.exit_code == 1, (args, result.stdout)
        assert result.stderr == message
        assert result.stdout == ""


def test_every_group_explains_itself_in_one_sentence(loaded_db: str, runner: CliRunner) -> None:
    report = json.loads(runner.invoke(app, ["report", "--format", "json", "--db", loaded_db]).stdout)
    for g in report["groups"]:
        assert g["explanation"].count(". ") == 0 and g["explanation"].endswith("."), g["explanation"]
        assert isinstance(g["independent_sources"], int) and g["independent_sources"] >= 1


def test_who_says_by_asserter_and_publisher(loaded_db: str, runner: CliRunner) -> None:
    found = json.loads(
        runner.invoke(app, ["who-says", "1500", "--publisher", "MEK Iran", "--json", "--db", loaded_db]).stdout
    )
    assert {c["document"][:3] for c in found} == {"001"}
    chants = json.loads(
        runner.invoke(app, ["who-says", "1500", "--asserter", "protesters", "--json", "--db", loaded_db]).stdout
    )
    assert [(c["document"][:3], c["attributed_to"]) for c in chants] == [("001", "protesters"), ("002", "protesters")]
