"""`claimdb extract` (no database) and extraction inside `claimdb add`."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from app.cli.main import app

ARTICLE = (
    "Security forces killed at least 12 protesters in Bamako on Friday, according to Amnesty International.\n\n"
    "“We counted the bodies ourselves,” said Awa Traoré, a nurse at the Gabriel Touré hospital.\n"
)


def test_extract_json(tmp_path: Path, runner: CliRunner) -> None:
    doc = tmp_path / "bamako.txt"
    doc.write_text(ARTICLE, encoding="utf-8")
    result = runner.invoke(app, ["extract", str(doc), "--published", "2023-06-10", "--json"])
    assert result.exit_code == 0, result.stderr
    claims = json.loads(result.stdout)["claims"]
    figure, quote = claims
    assert {k: figure[k] for k in ("kind", "text", "low", "high", "qualifier", "attributed_to", "document")} == {
        "kind": "death_toll", "text": "at least 12", "low": 12, "high": None, "qualifier": "at least",
        "attributed_to": "Amnesty International", "document": "bamako.txt",
    }  # fmt: skip
    assert ARTICLE[figure["start"] : figure["end"]] == "at least 12"
    assert figure["sentence"] == ARTICLE.splitlines()[0]
    assert (quote["kind"], quote["text"], quote["quote_form"], quote["attributed_to"]) == (
        "quote", "We counted the bodies ourselves", "speech", "Awa Traoré"
    )  # fmt: skip


def test_extract_table_and_errors(tmp_path: Path, runner: CliRunner) -> None:
    doc = tmp_path / "bamako.txt"
    doc.write_text(ARTICLE, encoding="utf-8")
    table = runner.invoke(app, ["extract", str(doc)])
    assert table.exit_code == 0
    assert "2 claims in bamako.txt" in table.stdout
    missing = runner.invoke(app, ["extract", str(tmp_path / "none.txt")])
    assert missing.exit_code == 1
    assert missing.stderr == f"error: {tmp_path / 'none.txt'}: no such file\n"
    bad_date = runner.invoke(app, ["extract", str(doc), "--published", "soon"])
    assert bad_date.exit_code == 1


def test_add_extracts_unless_told_not_to(empty_db: str, runner: CliRunner, tmp_path: Path) -> None:
    doc = tmp_path / "bamako.txt"
    doc.write_text(ARTICLE, encoding="utf-8")
    result = runner.invoke(app, ["add", str(doc), "--publisher", "RFI", "--published", "2023-06-10", "--db", empty_db])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "bamako.txt: added as document 1 (2 claims; events: mali-protests-2023-06 (new, discovered))\n"
        "1 added, 0 skipped\n"
    )
    claims = json.loads(runner.invoke(app, ["claims", "--json", "--db", empty_db]).stdout)
    assert {(c["text"], c["status"], c["origin"]) for c in claims} == {
        ("at least 12", "extracted", "extractor"),
        ("We counted the bodies ourselves", "extracted", "extractor"),
    }
    other = tmp_path / "other.txt"
    other.write_text(ARTICLE.replace("12", "14"), encoding="utf-8")
    quiet = runner.invoke(app, ["add", str(other), "--publisher", "RFI", "--no-extract", "--db", empty_db])
    assert quiet.stdout.startswith("other.txt: added as document 2 (0 claims)")


def test_curated_claims_win_on_the_same_span(empty_db: str, runner: CliRunner, tmp_path: Path) -> None:
    doc = tmp_path / "bamako.txt"
    doc.write_text(ARTICLE, encoding="utf-8")
    start = ARTICLE.index("at least 12")
    curated = {"document": "bamako.txt", "claims": [{
        "kind": "death_toll", "text": "at least 12", "start": start, "end": start + 11, "low": 12, "high": 20,
        "qualifier": "at least", "unit": "people"}]}  # fmt: skip
    (tmp_path / "c.json").write_text(json.dumps(curated), encoding="utf-8")
    result = runner.invoke(
        app, ["add", str(doc), "--publisher", "RFI", "--claims", str(tmp_path / "c.json"), "--db", empty_db]
    )
    assert result.exit_code == 0, result.stderr
    figures = json.loads(runner.invoke(app, ["claims", "--kind", "death_toll", "--json", "--db", empty_db]).stdout)
    assert [(f["high"], f["status"], f["origin"]) for f in figures] == [(20, "confirmed", "manual")]


def test_undated_document_and_unknown_event(loaded_db: str, runner: CliRunner, tmp_path: Path) -> None:
    text = "On 3 March 2021, soldiers shot dead 38 people in Mandalay, the United Nations said.\n"
    doc = tmp_path / "myanmar.txt"
    doc.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["add", str(doc), "--publisher", "UN News", "--db", loaded_db])
    assert result.exit_code == 0, result.stderr
    docs = json.loads(runner.invoke(app, ["documents", "--json", "--db", loaded_db]).stdout)
    added = next(d for d in docs if d["origin"] == "myanmar.txt")
    assert (added["published"], added["published_precision"]) == ("2021-03-03", "estimated")
    (claim,) = json.loads(runner.invoke(app, ["claims", "-d", "myanmar.txt", "--json", "--db", loaded_db]).stdout)
    assert (claim["kind"], claim["low"], claim["event"], claim["attributed_to"]) == (
        "death_toll", 38, "myanmar-attack-2021-03", "United Nations"
    )  # fmt: skip
    events = {e["slug"]: e for e in json.loads(runner.invoke(app, ["events", "--json", "--db", loaded_db]).stdout)}
    found = events["myanmar-attack-2021-03"]
    assert (found["status"], found["name"], found["countries"], found["places"]) == (
        "discovered", "Attack in Mandalay, Myanmar, March 2021", ["MM"], ["Mandalay"]
    )  # fmt: skip


def test_progress_bar_does_not_disturb_output(empty_db: str, runner: CliRunner, tmp_path: Path) -> None:
    folder = tmp_path / "batch"
    folder.mkdir()
    for i in range(8):
        (folder / f"{i}.txt").write_text(f"Police arrested {i + 20} people in Lyon.\n", encoding="utf-8")
    result = runner.invoke(app, ["add", str(folder), "--publisher", "AFP", "--db", empty_db])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "8 added, 0 skipped"


def test_explain_shows_the_rule_behind_each_field(tmp_path: Path, runner: CliRunner) -> None:
    doc = tmp_path / "bamako.txt"
    doc.write_text(ARTICLE, encoding="utf-8")
    result = runner.invoke(app, ["extract", str(doc), "--published", "2023-06-10", "--explain"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "23-34 death_toll 'at least 12' (Amnesty International; event mali-protests-2023-06)\n"
        '  kind: cue-before — "killed" at 16-22\n'
        '  interval: qualifier (at least) — "at least 12" at 23-34\n'
        '  asserter: according-to — "according to" at 67-79\n'
        "  event: incident described: protests in ML\n"
        "105-136 quote 'We counted the bodies ourselves' (Awa Traoré; event mali-protests-2023-06)\n"
        "  kind: quote-speech\n"
        '  asserter: speech-verb — "said" at 139-143\n'
        "  event: incident described: protests in ML\n"
    )


def test_explanations_are_stored_and_shown(empty_db: str, runner: CliRunner, tmp_path: Path) -> None:
    doc = tmp_path / "bamako.txt"
    doc.write_text(ARTICLE, encoding="utf-8")
    assert runner.invoke(app, ["add", str(doc), "--published", "2023-06-10", "--db", empty_db]).exit_code == 0
    claims = json.loads(runner.invoke(app, ["claims", "--json", "--db", empty_db]).stdout)
    figure = next(c for c in claims if c["kind"] == "death_toll")
    assert figure["explanation"]["asserter"] == {"rule": "according-to", "cue": "according to", "start": 67, "end": 79}
    shown = runner.invoke(app, ["claim", "show", str(figure["id"]), "--db", empty_db])
    assert shown.exit_code == 0, shown.stderr
    assert shown.stdout.splitlines()[-5:] == [
        "sentence: Security forces killed at least 12 protesters in Bamako on Friday, according to Amnesty "
        "International.",
        '  kind: cue-before — "killed" at 16-22',
        '  interval: qualifier (at least) — "at least 12" at 23-34',
        '  asserter: according-to — "according to" at 67-79',
        "  event: incident described: protests in ML",
    ]
    missing = runner.invoke(app, ["claim", "show", "999", "--db", empty_db])
    assert (missing.exit_code, missing.stderr) == (1, "error: no claim 999\n")
