"""The `claimdb` command. Each noun has its module; this one assembles them, lazily.

A command's module (and the library it imports: SQLAlchemy, the extractor, dateparser) is imported only when that
command runs: `claimdb --help`, `--version` and shell completion of command names read the table below and import
nothing else. `tests/test_cli_main.py` checks the table against each command's own help.
"""

from __future__ import annotations

import importlib
from typing import Annotated, Any

import typer
from typer import _click
from typer._click.shell_completion import CompletionItem
from typer._click.utils import make_default_short_help
from typer.core import TyperCommand, TyperGroup

COMMANDS: dict[str, tuple[str, str]] = {
    "init": ("database", "Create the database, or upgrade it to the latest schema."),
    "add": ("add", "Add documents, one transaction each, and extract their claims (status 'extracted'); "
            "curated --claims win over extracted ones on the same span."),
    "documents": ("documents", "List documents with publisher, date (and its precision) and claim count; with "
                  "--families, the copy families (documents that copy each other, whose shared figures count once)."),
    "sources": ("sources", "List sources (outlets, organisations, people, crowds, unnamed) with their aliases."),
    "claims": ("claims", "List claims: figures and quotes, with who asserts them and where."),
    "who-says": ("claims", "Every figure whose interval contains NUMBER, with asserter, conduit, publisher, "
                 "document and sentence."),
    "compare": ("compare", "Figures side by side per (event, kind, subgroup, unit), with how many independent "
                "origins they have and a verdict: single-source, corroborated, consistent, divergent or conflicting."),
    "estimate": ("compare", "The most likely figure per (event, kind, subgroup, unit): low, best and high from "
                 "independent origins only, each weighed by its source's track record and its confidence."),
    "report": ("report", "The discrepancy report: per event and kind, figures by source, verdict with a "
               "one-sentence explanation, and provenance."),
    "extract": ("extract", "Print the figures, quotes, speakers and events found in FILE, without touching a "
                "database."),
    "evaluate": ("extract", "Score the extractor: figure precision/recall/F1 (exact interval and kind), quote F1, "
                 "attribution, speaker, conduit (\"via\") and statement-date (\"on\", where annotated) accuracy, "
                 "against the curated fixture claims, any golden case folders and real corpora; for real corpora "
                 "also event grouping (pairwise F1: two figures share an event exactly when they share an incident)."),
    "review": ("review", "List extracted claims awaiting review, the least confident first (confirm, reject or "
               "edit them with 'claimdb claim')."),
    "quotes": ("review", "List quotes; with --variants, the same quote worded differently across documents, with a "
               "word diff."),
    "fixtures": ("fixtures", "The project's curated fixtures: seed documents, events, sources and claims."),
    "events": ("events", "List the events (catalogued, discovered, confirmed) with their claim counts; import a "
               "catalogue."),
    "event": ("events", "Steer events: add, link, confirm, rename, merge, split."),
    "claim": ("review", "Review one claim: confirm, reject, edit, history."),
    "source": ("review", "Curate sources."),
    "search": ("search", "Search documents, the sentences claims stand in, and source names: every word must be "
               "there (SQLite FTS5 or PostgreSQL full-text search), with the claim filters of the web app."),
    "serve": ("serve", "Serve the web app: browse events, groups, documents and sources, search, and review in the "
              "browser."),
    "user": ("serve", "Accounts for the web app: who may review in the browser."),
}  # fmt: skip
"""Top-level command -> (its module in app.cli, the first sentence of its help), in the order `--help` lists them."""

APP_SETTINGS: dict[str, Any] = {
    "rich_markup_mode": None,
    "pretty_exceptions_enable": False,
    "context_settings": {"help_option_names": ["-h", "--help"]},
}


def load_module(module: str) -> typer.Typer:
    """The commands one module of app.cli registers, on a Typer of their own."""
    commands = typer.Typer(add_completion=False, **APP_SETTINGS)
    importlib.import_module(f"app.cli.{module}").register(commands)
    return commands


class LazyGroup(TyperGroup):
    """The top-level group: command names and summaries from `COMMANDS`, a command's module imported on first use."""

    def list_commands(self, ctx: _click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: _click.Context, cmd_name: str) -> _click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            group = typer.main.get_group(load_module(COMMANDS[cmd_name][0]))
            for name, command in group.commands.items():
                self.commands.setdefault(name, command)
        return self.commands.get(cmd_name)

    def _summaries(self) -> list[tuple[str, str]]:
        return [(name, summary) for name, (_module, summary) in COMMANDS.items()]

    def format_commands(self, ctx: _click.Context, formatter: _click.HelpFormatter) -> None:
        rows = self._summaries()
        limit = formatter.width - 6 - max(len(name) for name, _ in rows)
        with formatter.section("Commands"):
            formatter.write_dl([(name, make_default_short_help(summary, limit)) for name, summary in rows])

    def shell_complete(self, ctx: _click.Context, incomplete: str) -> list[CompletionItem]:
        items = [
            CompletionItem(name, help=TyperCommand(name=name, help=summary).get_short_help_str())
            for name, summary in self._summaries()
            if name.startswith(incomplete)
        ]
        return items + _click.Command.shell_complete(self, ctx, incomplete)


app = typer.Typer(
    name="claimdb",
    cls=LazyGroup,
    help="claimdb: a claims-and-sources fact-checking database. Which source asserts which number, where "
    "figures conflict, and where corroboration is only a copy.",
    no_args_is_help=True,
    **APP_SETTINGS,
)


def version() -> str:
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as package_version

    try:
        return package_version("claimdb")
    except PackageNotFoundError:
        return "unknown (not installed)"


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"claimdb {version()}")
        raise typer.Exit()


@app.callback(epilog="Example: claimdb init --db claims.sqlite; claimdb --install-completion bash")
def _root(
    _version: Annotated[
        bool,
        typer.Option("--version", callback=_print_version, is_eager=True, help="Print claimdb's version and exit."),
    ] = False,
) -> None:
    """claimdb: a claims-and-sources fact-checking database. Which source asserts which number, where figures
    conflict, and where corroboration is only a copy."""


def main() -> None:
    app(prog_name="claimdb")


if __name__ == "__main__":
    main()
