"""`claimdb fixtures load`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from app.cli.common import DbOption, handle_errors, session_for
from app.ingest import load_fixtures
from app.render import plural
from app.settings import FIXTURES_DIR

fixtures_app = typer.Typer(
    help="The project's curated fixtures: seed documents, events, sources and claims.", rich_markup_mode=None
)


def register(app: typer.Typer) -> None:
    app.add_typer(fixtures_app, name="fixtures")


@fixtures_app.command("load", epilog="Example: claimdb fixtures load --db claims.sqlite")
@handle_errors
def load(
    db: DbOption = None,
    path: Annotated[Path, typer.Option(help="The fixtures folder.")] = FIXTURES_DIR,
) -> None:
    """Load the seed documents with their curated claims, the event catalogue and the known sources.
    Loading twice changes nothing."""
    with session_for(db) as session:
        results = load_fixtures(session, path=path)
    added = [r for r in results if r.added]
    for r in results:
        typer.echo(f"{r.origin}: {r.message}" + (f" ({plural(r.claims, 'claim')})" if r.added else ""))
    typer.echo(f"{len(added)} documents added, {len(results) - len(added)} already present")
