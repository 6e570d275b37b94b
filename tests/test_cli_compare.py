"""`claimdb compare`: like with like, and verdicts a fact-checker can act on."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from app.cli.main import app


def _groups(runner: CliRunner, *args: str) -> list[dict]:  # type: ignore[type-arg]
    result = runner.invoke(app, ["compare", "--json", *args])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_2017_arrests_are_not_consistent(loaded_db: str, runner: CliRunner) -> None:
    (group,) = _groups(runner, "--event", "iran-protests-2017-18", "--kind", "arrest_count", "--db", loaded_db)
    assert group["verdict"] == "divergent"
    # of the disagreeing pairs, the most credible explains the verdict: two named asserters before an unnamed
    # source ('more than 1,000', unnamed, in 004, is 8x apart but weighs less)
    assert group["explanation"] == (
        "4x apart: 'more than 8,000' (reports coming from inside Iran, in 000) vs 'thousands' "
        "(Soona Samsami, in 000); both are lower bounds, so they do not strictly contradict."
    )
    assert {"event", "kind", "subgroup", "verdict", "figures"} <= group.keys()
    # a higher factor makes the same figures merely consistent
    (relaxed,) = _groups(
        runner, "--event", "iran-protests-2017-18", "--kind", "arrest_count", "--factor", "10", "--db", loaded_db
    )
    assert relaxed["verdict"] == "consistent"


def test_parts_are_not_compared_with_totals(loaded_db: str, runner: CliRunner) -> None:
    groups = _groups(runner, "--db", loaded_db)
    keys = [(g["event"], g["kind"], g["subgroup"]) for g in groups]
    assert ("iran-protests-2017-18", "death_toll", None) in keys
    for g in groups:
        assert {f["subgroup"] for f in g["figures"]} == {g["subgroup"]}
        assert len({f["document"] for f in g["figures"]}) >= 2


def test_copies_are_not_corroboration(loaded_db: str, runner: CliRunner) -> None:
    """002 is largely a copy of 001: the November 2019 '1,500' has one independent origin, not two."""
    (group,) = _groups(runner, "--event", "iran-protests-2019-11", "--kind", "death_toll", "--db", loaded_db)
    assert group["verdict"] == "single-source"
    assert group["independent_sources"] == 1
    assert group["copy_families"] == [["001_4613832b6cd526cd.txt", "002_4a7a17277a767335.txt"]]
    assert {(f["document"][:3], f["low"], f["high"]) for f in group["figures"]} == {
        ("001", 1500, 1500),
        ("002", 1500, 1500),
    }


def _add(runner: CliRunner, db: str, folder: Path, name: str, text: str, published: str, publisher: str) -> None:
    (folder / name).write_text(text, encoding="utf-8")
    result = runner.invoke(
        app, ["add", str(folder / name), "--publisher", publisher, "--published", published, "--db", db]
    )
    assert result.exit_code == 0, result.stderr


def test_independent_agreement_corroborates(loaded_db: str, runner: CliRunner, tmp_path: Path) -> None:
    _add(runner, loaded_db, tmp_path, "reuters.txt",
         "Three officials told Reuters that about 1,500 people were killed in the November protests in Iran.\n",
         "2019-12-23", "Reuters")  # fmt: skip
    (group,) = _groups(runner, "--event", "iran-protests-2019-11", "--kind", "death_toll", "--db", loaded_db)
    assert (group["verdict"], group["independent_sources"]) == ("corroborated", 2)
    assert "from independent origins" in group["explanation"]


def test_later_figure_from_the_same_asserter_is_an_update(empty_db: str, runner: CliRunner, tmp_path: Path) -> None:
    added = runner.invoke(app, ["event", "add", "isfahan-2019", "--name", "Isfahan unrest", "--keyword", "Isfahan",
                                "--db", empty_db])  # fmt: skip
    assert added.exit_code == 0, added.stderr
    for name, figure, date in [
        ("a.txt", 208, "2019-12-02"),
        ("b.txt", 208, "2019-12-09"),
        ("c.txt", 304, "2019-12-16"),
    ]:
        _add(runner, empty_db, tmp_path, name, f"Amnesty International said {figure} people were killed in Isfahan.\n",
             date, "Amnesty")  # fmt: skip
    _add(runner, empty_db, tmp_path, "un.txt", "The United Nations said about 300 people were killed in Isfahan.\n",
         "2019-12-20", "UN News")  # fmt: skip
    (group,) = _groups(runner, "--db", empty_db)
    assert [r["label"] for r in group["revisions"]] == ["208 → 304"]
    assert group["revisions"][0]["asserter"] == "Amnesty International"
    # the superseded 208s leave the comparison: Amnesty's latest 304 and the UN's 300 corroborate each other
    assert (group["verdict"], group["independent_sources"]) == ("corroborated", 2), group["explanation"]
    # a figure dated only to the year cannot be ordered: it is not taken for an update, and it disagrees
    _add(runner, empty_db, tmp_path, "undated.txt", "Amnesty International said 150 people were killed in Isfahan.\n",
         "2019", "Amnesty")  # fmt: skip
    (group,) = _groups(runner, "--db", empty_db)
    assert [r["label"] for r in group["revisions"]] == ["208 → 304"]
    assert group["verdict"] == "conflicting"


def test_filter_by_asserter_and_publisher(loaded_db: str, runner: CliRunner) -> None:
    by_asserter = _groups(runner, "--asserter", "Samsami", "--db", loaded_db)
    assert [(g["event"], g["kind"]) for g in by_asserter] == [
        ("iran-protests-2017-18", "arrest_count"), ("iran-protests-2017-18", "death_toll")
    ]  # fmt: skip
    by_publisher = _groups(runner, "--publisher", "MEK Iran", "--db", loaded_db)
    assert [(g["event"], g["kind"]) for g in by_publisher] == [("iran-protests-2019-11", "death_toll")]


def test_disjoint_figures_conflict(loaded_db: str, runner: CliRunner, tmp_path: Path) -> None:
    text = "Officials said 300 protesters were killed in November.\n"
    start = text.index("300")
    claims = {
        "document": "new.txt",
        "claims": [
            {
                "kind": "death_toll",
                "text": "300",
                "start": start,
                "end": start + 3,
                "low": 300,
                "high": 300,
                "unit": "people",
                "event": "iran-protests-2019-11",
                "attributions": [{"role": "asserter", "source": "Iranian officials", "source_kind": "government"}],
            }
        ],
    }
    (tmp_path / "new.txt").write_text(text, encoding="utf-8")
    (tmp_path / "c.json").write_text(json.dumps(claims), encoding="utf-8")
    added = runner.invoke(
        app,
        [
            "add",
            str(tmp_path / "new.txt"),
            "--publisher",
            "IRNA",
            "--claims",
            str(tmp_path / "c.json"),
            "--published",
            "2020-06-01",
            "--db",
            loaded_db,
        ],
    )
    assert added.exit_code == 0, added.stderr
    (group,) = _groups(runner, "--event", "iran-protests-2019-11", "--kind", "death_toll", "--db", loaded_db)
    assert group["verdict"] == "conflicting"
    assert group["explanation"].startswith("5x apart: ")
    assert "the intervals do not overlap, so both cannot be right." in group["explanation"]


def test_compare_table_and_bad_factor(loaded_db: str, runner: CliRunner) -> None:
    result = runner.invoke(app, ["compare", "--db", loaded_db])
    assert result.exit_code == 0
    assert "iran-protests-2017-18 · arrest_count: DIVERGENT" in result.stdout
    bad = runner.invoke(app, ["compare", "--factor", "0.5", "--db", loaded_db])
    assert bad.exit_code == 1
    assert bad.stderr == "error: the divergence factor must be a number greater than 1\n"
    nan = runner.invoke(app, ["compare", "--factor", "nan", "--db", loaded_db])
    assert (nan.exit_code, nan.stderr) == (1, bad.stderr)


def test_compare_reads_events_in_batches_with_the_same_result(
    loaded_db: str, db_session, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    """Events are read a batch of claims at a time; however the batches fall, the groups and their order are the
    same as when everything is read at once."""
    import app.compare as compare_module

    def run(batch: int) -> list[str]:
        monkeypatch.setattr(compare_module, "BATCH_CLAIMS", batch)
        with db_session(loaded_db) as session:
            return [g.model_dump_json() for g in compare_module.compare(session, include_single=True)]

    whole = run(10**9)
    assert len(whole) > 3
    assert run(1) == whole == run(7)
