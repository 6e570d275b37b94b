"""`claimdb init`."""

from __future__ import annotations

import typer

from app.cli.common import DbOption, handle_errors
from app.db import current_revision, head_revision, make_engine, upgrade
from app.settings import Settings


def register(app: typer.Typer) -> None:
    app.command("init", epilog="Example: claimdb init --db claims.sqlite")(init)


@handle_errors
def init(db: DbOption = None) -> None:
    """Create the database, or upgrade it to the latest schema. Running it again is harmless."""
    url = Settings.load(db).db_url
    engine = make_engine(url)
    try:
        upgrade(engine)
        before_after = current_revision(engine)
        head = head_revision(engine)
    finally:
        engine.dispose()
    where = url.render_as_string(hide_password=True)
    typer.echo(f"database {where} is at schema {before_after}" + (" (latest)" if before_after == head else ""))
