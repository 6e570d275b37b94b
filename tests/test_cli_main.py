"""The `claimdb` command itself: a lazy table of commands, --version, shell completion, and a start that imports
nothing heavy for --help."""

from __future__ import annotations

import os
import subprocess
import sys
from importlib.metadata import version

import pytest
import typer.main
from typer import _click
from typer.testing import CliRunner

from app.cli.main import COMMANDS, app, load_module

runner = CliRunner()


def _first_sentence(text: str) -> str:
    paragraph = " ".join(text.split("\n\n")[0].split())
    end = paragraph.find(". ")
    return paragraph if end == -1 else paragraph[: end + 1]


@pytest.mark.parametrize("name", list(COMMANDS))
def test_table_matches_each_commands_own_help(name: str) -> None:
    """The summary --help shows without importing a command is the first sentence of that command's own help."""
    module, summary = COMMANDS[name]
    group = typer.main.get_group(load_module(module))
    command = group.commands.get(name)
    assert command is not None, f"app.cli.{module} registers no command {name!r}"
    assert _first_sentence(command.help or "") == _first_sentence(summary), (
        f"COMMANDS[{name!r}] in app/cli/main.py is out of date with the command's help"
    )


def test_every_registered_command_is_in_the_table() -> None:
    modules = {module for module, _ in COMMANDS.values()}
    registered = set()
    for module in modules:
        registered |= set(typer.main.get_group(load_module(module)).commands)
    assert registered == set(COMMANDS)


def test_help_lists_every_command_in_order() -> None:
    result = runner.invoke(app, ["--help"], env={"COLUMNS": "100"})
    assert result.exit_code == 0
    section = result.output.split("Commands:")[1].split("Example:")[0]
    listed = [line.split()[0] for line in section.splitlines() if line[:2] == "  " and line[2:3].strip()]
    assert listed == list(COMMANDS)


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output == f"claimdb {version('claimdb')}\n"


def test_unknown_command_is_one_error() -> None:
    result = runner.invoke(app, ["frobnicate"])
    assert result.exit_code == 2
    assert "No such command 'frobnicate'" in result.output


def test_subcommand_help_still_works() -> None:
    result = runner.invoke(app, ["claim", "--help"])
    assert result.exit_code == 0
    assert "confirm" in result.output and "reject" in result.output


def test_completion_of_command_names_and_subcommands() -> None:
    """What a shell's completion script asks: command names (from the table) and a group's subcommands."""
    env = {**os.environ, "_CLAIMDB_COMPLETE": "complete_bash", "COMP_WORDS": "claimdb ev", "COMP_CWORD": "1"}
    out = subprocess.run([sys.executable, "-m", "app.cli.main"], env=env, capture_output=True, text=True, check=False)
    assert out.stdout.split() == ["evaluate", "events", "event"], out.stderr
    env.update(COMP_WORDS="claimdb claim con", COMP_CWORD="2")
    out = subprocess.run([sys.executable, "-m", "app.cli.main"], env=env, capture_output=True, text=True, check=False)
    assert out.stdout.split() == ["confirm"], out.stderr


def test_show_completion_prints_a_script() -> None:
    ctx = _click.Context(typer.main.get_command(app))
    assert "--show-completion" in [opt for p in ctx.command.params for opt in p.opts]
    out = subprocess.run(  # under bash: typer finds the shell from the parent process, wherever the tests run
        ["bash", "-c", f"'{sys.executable}' -m app.cli.main --show-completion; exit $?"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0 and "_CLAIMDB_COMPLETE" in out.stdout.upper(), out.stderr


def test_help_imports_no_database_or_extractor() -> None:
    """`claimdb --help` starts without SQLAlchemy, alembic, the extractor or dateparser."""
    code = (
        "import sys\n"
        "from app.cli.main import app\n"
        "try:\n    app(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('sqlalchemy', 'alembic', 'app.extract', 'dateparser', 'pydantic') if m in sys.modules]\n"
        "print('HEAVY', heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "HEAVY []" in out.stdout, out.stdout[-500:]
