"""`claimdb report` in every format: the same groups, verdicts and provenance."""

from __future__ import annotations

import csv
import datetime as dt
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


HOSTILE_SOURCE = "<script>alert(1)</script>"


def test_markdown_escapes_document_and_source_text(loaded_db: str, runner: CliRunner, tmp_path: Path) -> None:
    doc = tmp_path / "hostile.txt"
    doc.write_text(
        "Police said <b>40 people</b> were arrested in Tehran during the protests in Iran on Sunday, "
        "[a link](javascript:alert(2)) *loud* | cell.\n",
        encoding="utf-8",
    )
    added = runner.invoke(
        app, ["add", str(doc), "--publisher", HOSTILE_SOURCE, "--published", "2018-01-05", "--db", loaded_db]
    )
    assert added.exit_code == 0, added.stderr
    report = json.loads(runner.invoke(app, ["report", "--format", "json", "--db", loaded_db]).stdout)
    assert any(f["publisher"] == HOSTILE_SOURCE for g in report["groups"] for f in g["figures"])
    text = runner.invoke(app, ["report", "--format", "md", "--db", loaded_db]).stdout
    assert "<script" not in text and "<b>" not in text and "</b>" not in text
    assert "| Police |  | &lt;script&gt;alert(1)&lt;/script&gt; |" in text  # the publisher column
    assert "Police said &lt;b&gt;40 people&lt;/b&gt; were arrested" in text
    assert "\\[a link\\](javascript:alert(2)) \\*loud\\* \\| cell." in text  # no link, emphasis or extra cell
    row = next(line for line in text.splitlines() if "Police said" in line)
    assert row.count(" | ") == 6  # seven cells, as the header has


def test_csv_publication_date_and_precision_apart(loaded_db: str, runner: CliRunner, tmp_path: Path) -> None:
    for name, extra in (("dated.txt", ["--published", "2018-01-05"]), ("undated.txt", [])):
        doc = tmp_path / name
        doc.write_text(
            f"Police said 40 people were arrested in Tehran during the protests in Iran ({name}).\n",
            encoding="utf-8",
        )
        added = runner.invoke(app, ["add", str(doc), *extra, "--db", loaded_db])
        assert added.exit_code == 0, added.stderr
    out = runner.invoke(app, ["report", "-f", "csv", "--db", loaded_db]).stdout
    header = out.splitlines()[0].split(",")
    assert header[header.index("published") + 1] == "published_precision"
    rows = list(csv.DictReader(io.StringIO(out)))
    seen = {(r["document"][:3], r["published"], r["published_precision"]) for r in rows}
    assert ("000", "2018-01-10", "estimated") in seen  # the seeds' dates are estimated from their text
    assert ("dat", "2018-01-05", "day") in seen
    assert ("und", "", "unknown") in seen
    for r in rows:
        assert r["published"] == "" or dt.date.fromisoformat(r["published"])
        assert r["published_precision"] in ("day", "month", "year", "estimated", "unknown")
        assert (r["published"] == "") == (r["published_precision"] == "unknown")
        assert "≈" not in r["published"] and "estimated" not in r["published"]
