"""Listings page: --limit and --offset in tables and JSON, a table's default limit, JSON streamed whole."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from app.cli.main import app


def _ids(runner: CliRunner, args: list[str]) -> list[int]:
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.stderr
    return [row["id"] for row in json.loads(result.stdout)]


def test_claims_pages_through_the_same_order(loaded_db: str, runner: CliRunner) -> None:
    every = _ids(runner, ["claims", "--db", loaded_db])
    assert len(every) > 12
    first = _ids(runner, ["claims", "--limit", "5", "--db", loaded_db])
    second = _ids(runner, ["claims", "--limit", "5", "--offset", "5", "--db", loaded_db])
    rest = _ids(runner, ["claims", "--offset", "10", "--db", loaded_db])
    assert first + second + rest == every
    assert _ids(runner, ["claims", "--limit", "0", "--db", loaded_db]) == []


def test_a_table_says_which_rows_it_shows(loaded_db: str, runner: CliRunner) -> None:
    total = len(_ids(runner, ["claims", "--db", loaded_db]))
    result = runner.invoke(app, ["claims", "--limit", "3", "--offset", "2", "--db", loaded_db])
    assert result.exit_code == 0
    assert f"{total} claims (rows 3-5 of {total}; --limit, --offset or --json for more)" in " ".join(
        result.stdout.split()
    )
    whole = runner.invoke(app, ["claims", "--limit", str(total), "--db", loaded_db])
    assert whole.stdout.splitlines()[0].strip() == f"{total} claims"


def test_who_says_and_short_listings_page(loaded_db: str, runner: CliRunner) -> None:
    says = _ids(runner, ["who-says", "1500", "--loose", "--db", loaded_db])
    assert _ids(runner, ["who-says", "1500", "--loose", "--offset", "1", "--db", loaded_db]) == says[1:]
    for command in (["sources"], ["events"], ["documents"]):
        every = _ids(runner, [*command, "--db", loaded_db])
        assert _ids(runner, [*command, "--limit", "2", "--offset", "1", "--db", loaded_db]) == every[1:3]


def test_streamed_json_is_the_json_of_the_whole_list(loaded_db: str, runner: CliRunner) -> None:
    streamed = runner.invoke(app, ["claims", "--json", "--db", loaded_db]).stdout
    rows = json.loads(streamed)
    assert streamed == json.dumps(rows, indent=2, ensure_ascii=False) + "\n"
    empty = runner.invoke(app, ["claims", "--limit", "0", "--json", "--db", loaded_db])
    assert empty.stdout == "[]\n"
