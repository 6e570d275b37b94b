"""`claimdb claims` and `claimdb who-says` on the loaded seeds: the JSON contract and who asserts what."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from app.cli.main import app

CONTRACT = {
    "id",
    "kind",
    "low",
    "high",
    "qualifier",
    "text",
    "start",
    "end",
    "sentence",
    "event",
    "attributed_to",
    "conduit",
    "document",
    "status",
}


def _json(runner: CliRunner, *args: str) -> list[dict]:  # type: ignore[type-arg]
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_claims_json_contract_and_exact_spans(loaded_db: str, runner: CliRunner) -> None:
    claims = _json(runner, "claims", "--json", "--db", loaded_db)
    assert len(claims) > 60
    texts = {}
    for name in {c["document"] for c in claims}:
        texts[name] = (__import__("app.settings").settings.FIXTURES_DIR / "documents" / name).read_text(
            encoding="utf-8"
        )
    for c in claims:
        assert c.keys() >= CONTRACT
        text = texts[c["document"]]
        assert text[c["start"] : c["end"]] == c["text"]
        assert c["text"] in c["sentence"] and c["sentence"] in text


def test_claims_filters(loaded_db: str, runner: CliRunner) -> None:
    arrests = _json(
        runner, "claims", "--event", "iran-protests-2017-18", "--kind", "arrest_count", "--json", "--db", loaded_db
    )
    assert [(c["text"], c["low"], c["high"], c["attributed_to"]) for c in arrests] == [
        ("more than 8,000", 8001, None, "reports coming from inside Iran"),
        ("thousands", 2000, None, "Soona Samsami"),
        ("more than 1,000", 1001, None, "unnamed source"),
    ]
    by_alias = _json(runner, "claims", "--source", "Samsami", "--kind", "death_toll", "--json", "--db", loaded_db)
    assert [(c["text"], c["subgroup"], c["conduit"]) for c in by_alias] == [
        ("more than 50", None, "The Daily Caller"),
        ("as many as 5", "under torture", "The Daily Caller"),
    ]
    in_doc = _json(runner, "claims", "--document", "004", "--kind", "quote", "--json", "--db", loaded_db)
    assert {c["document"] for c in in_doc} == {"004_1e67328df8a8adb5.txt"}


def test_claims_unknown_filter_values(loaded_db: str, runner: CliRunner) -> None:
    for args, message in [
        (["--event", "atlantis"], "error: no event 'atlantis' (see 'claimdb events')\n"),
        (
            ["--kind", "rumour"],
            "error: unknown kind 'rumour': choose from death_toll, arrest_count, injury_count, "
            "execution_count, detention_count, other_count, quote\n",
        ),
        (["--source", "Nobody Known Here"], "error: no source 'Nobody Known Here' (see 'claimdb sources')\n"),
    ]:
        result = runner.invoke(app, ["claims", *args, "--db", loaded_db])
        assert result.exit_code == 1
        assert result.stderr == message


def test_who_says_1500(loaded_db: str, runner: CliRunner) -> None:
    found = _json(runner, "who-says", "1500", "--kind", "death_toll", "--json", "--db", loaded_db)
    assert [(c["document"][:3], c["attributed_to"], c["event"]) for c in found] == [
        ("001", None, "iran-protests-2019-11"),  # the article's own voice
        ("001", "protesters", "iran-protests-2019-11"),  # the chant it reports
        ("002", "protesters", "iran-protests-2019-11"),
    ]
    assert found[1]["sentence"] == "They chanted “1,500 are our martyrs in November.”"


def test_who_says_open_intervals(loaded_db: str, runner: CliRunner) -> None:
    near = _json(runner, "who-says", "45", "--kind", "death_toll", "--json", "--db", loaded_db)
    # 45 is within 2x of 24 ("dozens"), and "more than 50" excludes it
    assert [(c["text"], c["subgroup"], c["document"][:3]) for c in near] == [
        ("dozens", "women", "001"),
        ("dozens", None, "004"),
    ]
    above = _json(runner, "who-says", "60", "--kind", "death_toll", "--json", "--db", loaded_db)
    assert [c["text"] for c in above] == ["more than 50"]  # 60 is more than 2x 24: "dozens" does not say 60
    far = _json(runner, "who-says", "1500", "--kind", "death_toll", "--loose", "--json", "--db", loaded_db)
    assert {"more than 50", "dozens", "1,500"} <= {c["text"] for c in far}


def test_who_says_table_shows_sentences(loaded_db: str, runner: CliRunner) -> None:
    result = runner.invoke(app, ["who-says", "8500", "--db", loaded_db])
    assert result.exit_code == 0
    assert "1 figure contains 8,500" in result.stdout
    assert result.stdout.endswith(
        "] 000_90b9c9883493c8aa.txt: According to reports coming from inside Iran, "
        "more than 8,000 people have been arrested, so far.\n"
    )
