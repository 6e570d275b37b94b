"""The review workflow: pending claims, confirm/reject/edit with history, source merge, events, quote variants."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from app.cli.main import app

ARTICLE = "Police said 40 people were arrested in Lyon on Sunday, and 3 were injured.\n"


def _invoke(runner: CliRunner, *args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.stderr
    return result.stdout


def _added(runner: CliRunner, db: str, tmp_path: Path) -> list[dict]:  # type: ignore[type-arg]
    (tmp_path / "lyon.txt").write_text(ARTICLE, encoding="utf-8")
    _invoke(runner, "add", str(tmp_path / "lyon.txt"), "--publisher", "AFP", "--published", "2023-05-01", "--db", db)
    return json.loads(_invoke(runner, "review", "--json", "--db", db))  # type: ignore[no-any-return]


def test_review_confirm_reject_and_history(empty_db: str, runner: CliRunner, tmp_path: Path) -> None:
    pending = _added(runner, empty_db, tmp_path)
    assert [(c["text"], c["kind"], c["status"]) for c in pending] == [
        ("40", "arrest_count", "extracted"),
        ("3", "injury_count", "extracted"),
    ]
    arrest, injury = pending[0]["id"], pending[1]["id"]
    assert _invoke(runner, "claim", "confirm", str(arrest), "--note", "checked", "--db", empty_db) == (
        f"claim {arrest} confirmed: '40'\n"
    )
    _invoke(runner, "claim", "reject", str(injury), "--db", empty_db)
    assert json.loads(_invoke(runner, "review", "--json", "--db", empty_db)) == []
    rejected = json.loads(_invoke(runner, "claims", "--status", "rejected", "--json", "--db", empty_db))
    assert [c["id"] for c in rejected] == [injury]  # still in the database
    found = json.loads(_invoke(runner, "who-says", "3", "--json", "--db", empty_db))
    assert found == []  # but out of the comparison
    history = json.loads(_invoke(runner, "claim", "history", str(arrest), "--json", "--db", empty_db))
    assert [(h["action"], h["details"], h["note"]) for h in history] == [
        ("confirm", {"status": ["extracted", "confirmed"]}, "checked")
    ]
    # the command line logs who made the change: CLAIMDB_REVIEWER, else the system user
    import getpass

    assert history[0]["reviewer"] == getpass.getuser()
    result = runner.invoke(
        app, ["claim", "confirm", str(injury), "--db", empty_db], env={"CLAIMDB_REVIEWER": "Ana Lima"}
    )
    assert result.exit_code == 0, result.stderr
    history = json.loads(_invoke(runner, "claim", "history", str(injury), "--json", "--db", empty_db))
    assert [h["reviewer"] for h in history] == [getpass.getuser(), "Ana Lima"]


def test_edit_bounds_event_subgroup_asserter(loaded_db: str, runner: CliRunner, tmp_path: Path) -> None:
    claim = _added(runner, loaded_db, tmp_path)[0]
    out = json.loads(
        _invoke(
            runner,
            "claim",
            "edit",
            str(claim["id"]),
            "--low",
            "41",
            "--high",
            "open",
            "--subgroup",
            "minors",
            "--event",
            "iran-protests-2019-11",
            "--asserter",
            "Lyon police",
            "--note",
            "per the prefecture",
            "--json",
            "--db",
            loaded_db,
        )
    )
    assert (out["low"], out["high"], out["subgroup"], out["event"], out["attributed_to"], out["status"]) == (
        41,
        None,
        "minors",
        "iran-protests-2019-11",
        "Lyon police",
        "confirmed",
    )
    (change,) = json.loads(_invoke(runner, "claim", "history", str(claim["id"]), "--json", "--db", loaded_db))
    assert change["action"] == "edit" and change["note"] == "per the prefecture"
    assert change["details"]["low"] == [40, 41] and change["details"]["high"] == [40, None]
    assert change["details"]["asserter"] == ["Police", "Lyon police"]


def test_bad_edits_change_nothing(empty_db: str, runner: CliRunner, tmp_path: Path, counts) -> None:  # type: ignore[no-untyped-def]
    claim = _added(runner, empty_db, tmp_path)[0]
    before = counts(empty_db)
    for args, message in [
        (["--low", "50", "--high", "10"], "error: low 50 is above high 10\n"),
        (["--low", "open", "--high", "open"], "error: a figure needs a low or a high bound\n"),
        (["--kind", "rumour"], "error: unknown kind 'rumour'"),
        (["--event", "atlantis"], "error: no event 'atlantis' (see 'claimdb events')\n"),
        (["--low", "many"], "error: bad bound 'many': a whole number, or 'open'\n"),
        ([], "error: nothing to change"),
    ]:
        result = runner.invoke(app, ["claim", "edit", str(claim["id"]), *args, "--db", empty_db])
        assert result.exit_code == 1, args
        assert result.stderr.startswith(message), result.stderr
    missing = runner.invoke(app, ["claim", "confirm", "9999", "--db", empty_db])
    assert (missing.exit_code, missing.stderr) == (1, "error: no claim 9999\n")
    assert counts(empty_db) == before


def test_source_merge(loaded_db: str, runner: CliRunner) -> None:
    before = {s["name"]: s for s in json.loads(_invoke(runner, "sources", "--json", "--db", loaded_db))}
    out = _invoke(runner, "source", "merge", "Ali Khamenei", "Hassan Rouhani", "--note", "test", "--db", loaded_db)
    assert out == "merged 'Hassan Rouhani' into 'Ali Khamenei'\n"
    after = {s["name"]: s for s in json.loads(_invoke(runner, "sources", "--json", "--db", loaded_db))}
    assert "Hassan Rouhani" not in after
    assert after["Ali Khamenei"]["claims"] == before["Ali Khamenei"]["claims"] + before["Hassan Rouhani"]["claims"]
    assert "Rouhani" in after["Ali Khamenei"]["aliases"]
    again = runner.invoke(app, ["source", "merge", "Khamenei", "Rouhani", "--db", loaded_db])
    assert (again.exit_code, again.stderr) == (1, "error: 'Khamenei' and 'Rouhani' are already one source\n")


def test_event_add_and_link(loaded_db: str, runner: CliRunner, tmp_path: Path) -> None:
    claim = _added(runner, loaded_db, tmp_path)[0]
    assert _invoke(
        runner,
        "event",
        "add",
        "lyon-2023",
        "--name",
        "Lyon protests 2023",
        "--start",
        "2023-04-28",
        "--end",
        "2023-05-03",
        "--keyword",
        "Lyon",
        "--db",
        loaded_db,
    ).startswith("event lyon-2023 added")
    assert _invoke(runner, "event", "link", "lyon-2023", str(claim["id"]), "--db", loaded_db) == (
        "linked 1 claim(s) to lyon-2023\n"
    )
    linked = json.loads(_invoke(runner, "claims", "--event", "lyon-2023", "--json", "--db", loaded_db))
    assert [c["id"] for c in linked] == [claim["id"]]
    dup = runner.invoke(app, ["event", "add", "lyon-2023", "--name", "again", "--db", loaded_db])
    assert (dup.exit_code, dup.stderr) == (1, "error: event 'lyon-2023' exists already\n")
    bad = runner.invoke(app, ["event", "add", "Bad Slug", "--name", "x", "--db", loaded_db])
    assert bad.exit_code == 1 and bad.stderr.startswith("error: slug: String should match pattern")


def test_quote_variants(loaded_db: str, runner: CliRunner) -> None:
    pairs = json.loads(_invoke(runner, "quotes", "--variants", "--json", "--db", loaded_db))
    diffs = {(p["a"]["text"], p["b"]["text"]): p["diff"] for p in pairs}
    key = ("IRGC murders, Khamenei supports", "IRGC commits crimes, the Supreme Leader supports them.")
    assert diffs[key] == "IRGC [-murders, Khamenei-] {+commits crimes, the Supreme Leader+} supports {+them.+}"
    assert ("1,500 are our martyrs in November.", "1,500 are our martyrs from November.") in diffs
    for p in pairs:  # variants come from different documents and never pair a chant with a speech
        assert p["a"]["document"] != p["b"]["document"]
        assert p["a"]["quote_form"] == p["b"]["quote_form"]
    table = _invoke(runner, "quotes", "--variants", "--db", loaded_db)
    assert table.startswith(f"{len(pairs)} quote variant pairs\n")


def test_documents_families(loaded_db: str, runner: CliRunner) -> None:
    families = json.loads(_invoke(runner, "documents", "--families", "--json", "--db", loaded_db))
    assert [f["documents"] for f in families] == [
        ["000_90b9c9883493c8aa.txt"],
        ["001_4613832b6cd526cd.txt", "002_4a7a17277a767335.txt"],
        ["003_6a15e3b96d0b241c.txt"],
        ["004_1e67328df8a8adb5.txt"],
    ]
    (link,) = families[1]["links"]
    assert link[2] >= 0.15
