"""The `claimdb` command. Each noun has its module; this one assembles them."""

from __future__ import annotations

import typer

from app.cli import claims, compare, database, documents, events, extract, fixtures, report, review, serve, sources

app = typer.Typer(
    name="claimdb",
    help="claimdb: a claims-and-sources fact-checking database. Which source asserts which number, where "
    "figures conflict, and where corroboration is only a copy.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

database.register(app)
fixtures.register(app)
documents.register(app)
sources.register(app)
events.register(app)
claims.register(app)
compare.register(app)
report.register(app)
extract.register(app)
review.register(app)
serve.register(app)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
