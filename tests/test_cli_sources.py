"""`claimdb sources` and `claimdb events`; one source however its name is spelled."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from app.cli.main import app
from app.sources import SourceResolver, normalise_name, spelling_variant


def test_sources_json_lists_aliases(loaded_db: str, runner: CliRunner) -> None:
    result = runner.invoke(app, ["sources", "--json", "--db", loaded_db])
    assert result.exit_code == 0, result.stderr
    by_name = {s["name"]: s for s in json.loads(result.stdout)}
    mek = by_name["People's Mojahedin Organization of Iran"]
    assert {"MEK", "PMOI", "Mujahedin-e-Khalq", "Mojahedin-e Khalq"} <= set(mek["aliases"])
    assert by_name["Soona Samsami"]["claims"] > 0
    assert by_name["MEK Iran"]["documents"] == 1


@pytest.mark.parametrize(
    "spelling",
    ["MEK", "PMOI", "PMOI/MEK", "Mujahedin-e-Khalq", "Mojahedin-e Khalq", "mojahedin e-khalq", "Mujahedin Khalq"],
)
def test_spellings_resolve_to_one_source(loaded_db: str, db_session, spelling: str) -> None:  # type: ignore[no-untyped-def]
    with db_session(loaded_db) as session:
        resolver = SourceResolver(session)
        assert resolver.find(spelling) == resolver.find("People's Mojahedin Organization of Iran")


def test_different_people_stay_apart(loaded_db: str, db_session) -> None:  # type: ignore[no-untyped-def]
    with db_session(loaded_db) as session:
        resolver = SourceResolver(session)
        assert resolver.find("Ali Khamenei") != resolver.find("Ali Shamkhani")
        assert resolver.find("Hassan Rohani") == resolver.find("Hassan Rouhani")
        assert resolver.find("Ali Akbar Velayati") is None


def test_close_but_different_names_stay_apart(loaded_db: str, db_session) -> None:  # type: ignore[no-untyped-def]
    with db_session(loaded_db) as session:
        resolver = SourceResolver(session)
        ministry = resolver.get_or_create("Interior Ministry", kind="government")
        assert resolver.find("Interior Minister") is None
        assert resolver.get_or_create("Interior Minister", kind="person") != ministry
        assert resolver.find("Amnesty International UK") is None


def test_spelling_variants() -> None:
    assert spelling_variant("mujahedin e khalq", "mojahedin e khalq")
    assert spelling_variant("hassan rohani", "hassan rouhani")
    assert not spelling_variant("interior minister", "interior ministry")
    assert not spelling_variant("amnesty international uk", "amnesty international")


def test_normalise_name() -> None:
    assert normalise_name("The Daily Caller") == "daily caller"
    assert normalise_name("People’s Mojahedin") == normalise_name("Peoples Mojahedin")
    assert normalise_name("Mojahedin-e Khalq") == "mojahedin e khalq"


def test_events_table_and_json(loaded_db: str, runner: CliRunner) -> None:
    result = runner.invoke(app, ["events", "--json", "--db", loaded_db])
    events = {e["slug"]: e for e in json.loads(result.stdout)}
    assert events["iran-protests-2019-11"]["start"] == "2019-11-15"
    assert events["iran-protests-2017-18"]["claims"] > 5
    table = runner.invoke(app, ["events", "--db", loaded_db])
    assert table.exit_code == 0
    assert "iran-protests-2019-11" in table.stdout
