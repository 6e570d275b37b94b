from __future__ import annotations

from pathlib import Path

from alembic.script import ScriptDirectory
from typer.testing import CliRunner

from app.cli.main import app
from app.db import alembic_config, make_engine

HEAD = ScriptDirectory.from_config(alembic_config(make_engine("sqlite://"))).get_current_head()


def test_init_creates_then_is_harmless(tmp_path: Path, runner: CliRunner) -> None:
    db = tmp_path / "new.sqlite"
    first = runner.invoke(app, ["init", "--db", str(db)])
    assert first.exit_code == 0, first.stderr
    assert first.stdout == f"database sqlite:///{db} is at schema {HEAD} (latest)\n"
    again = runner.invoke(app, ["init", "--db", str(db)])
    assert again.exit_code == 0
    assert again.stdout == first.stdout


def test_init_on_both_backends(empty_db: str, runner: CliRunner) -> None:
    result = runner.invoke(app, ["init", "--db", empty_db])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.endswith(f"is at schema {HEAD} (latest)\n")


def test_env_var_names_the_database(tmp_path: Path, runner: CliRunner) -> None:
    db = tmp_path / "env.sqlite"
    result = runner.invoke(app, ["init"], env={"CLAIMDB_URL": str(db)})
    assert result.exit_code == 0
    assert db.exists()


def test_every_command_has_help_with_an_example(runner: CliRunner) -> None:
    commands = [
        "init",
        "add",
        "documents",
        "sources",
        "events",
        "claims",
        "who-says",
        "compare",
        "report",
        "extract",
        "evaluate",
        "review",
        "quotes",
        "fixtures load",
        "claim confirm",
        "claim reject",
        "claim edit",
        "claim history",
        "source merge",
        "event add",
        "event link",
    ]
    for name in commands:
        result = runner.invoke(app, [*name.split(), "--help"])
        assert result.exit_code == 0, name
        assert f"Example: claimdb {name}" in " ".join(result.stdout.split()), name


def test_usage_error_exits_2(runner: CliRunner) -> None:
    result = runner.invoke(app, ["claims", "--bogus"])
    assert result.exit_code == 2
    assert "No such option: --bogus" in result.stderr


def test_unreachable_or_malformed_database(tmp_path: Path, runner: CliRunner) -> None:
    cases = {
        "postgresql://nobody@127.0.0.1:1/none": "error: cannot open database postgresql+psycopg://nobody@127.0.0.1:1/none",
        "mysql://x@y/z": "error: unsupported database 'mysql': use sqlite or postgresql",
        str(
            tmp_path / "missing.sqlite"
        ): f"error: no database at {tmp_path / 'missing.sqlite'}: run 'claimdb init' first",
        "postgresql://u@h:notaport/db": "error: malformed database URL",
    }
    for url, message in cases.items():
        result = runner.invoke(app, ["claims", "--db", url])
        assert result.exit_code == 1, url
        assert result.stderr.startswith(message), (url, result.stderr)
        assert result.stderr.count("\n") == 1, result.stderr
        assert "Traceback" not in result.stderr
    assert not (tmp_path / "missing.sqlite").exists()
