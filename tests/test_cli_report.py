"""`claimdb report` in every format: the same groups, verdicts and provenance."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from typer.testing import CliRunner

from app.cli.main import app


def test_markdown_report(loaded_db: str, runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "report.md"
    result = runner.invoke(app, ["report", "--format", "md", "-o", str(out), "--db", loaded_db])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(f"wrote {out} (md, ")
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# claimdb discrepancy report\n")
    assert "## iran-protests-2017-18" in text
    assert "### arrest_count (people): **divergent**" in text
    assert "| more than 8,000 | [8,001, …) | reports coming from inside Iran |" in text
    assert "According to reports coming from inside Iran, more than 8,000 people have been arrested, so far." in text


def test_json_and_csv_reports_agree(loaded_db: str, runner: CliRunner) -> None:
    as_json = json.loads(runner.invoke(app, ["report", "--format", "json", "--db", loaded_db]).stdout)
    rows = list(csv.DictReader(io.StringIO(runner.invoke(app, ["report", "-f", "csv", "--db", loaded_db]).stdout)))
    figures = [(g["verdict"], f["id"]) for g in as_json["groups"] for f in g["figures"]]
    assert figures == [(r["verdict"], int(r["claim_id"])) for r in rows]
    assert {g["verdict"] for g in as_json["groups"]} >= {"divergent", "single-source"}
    quote_ids = {
        c["id"] for c in json.loads(runner.invoke(app, ["claims", "-k", "quote", "--json", "--db", loaded_db]).stdout)
    }
    assert not quote_ids & {i for _, i in figures}


def test_unknown_format_and_unwritable_output(loaded_db: str, runner: CliRunner, tmp_path: Path) -> None:
    bad = runner.invoke(app, ["report", "--format", "pdf", "--db", loaded_db])
    assert bad.exit_code == 1
    assert bad.stderr == "error: unknown format 'pdf': choose from md, html, csv, json, claimreview\n"
    nowhere = runner.invoke(app, ["report", "-o", str(tmp_path / "no" / "dir" / "r.md"), "--db", loaded_db])
    assert nowhere.exit_code == 1
    assert nowhere.stderr.startswith("error: cannot write ")
