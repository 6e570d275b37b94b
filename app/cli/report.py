"""`claimdb report`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from app.cli.common import DbOption, MinConfidenceOption, handle_errors, session_for
from app.compare import DEFAULT_FACTOR
from app.errors import InputError
from app.report import FORMATS, build_report, render


def register(app: typer.Typer) -> None:
    app.command("report", epilog="Example: claimdb report --format html -o report.html")(report)


@handle_errors
def report(
    fmt: Annotated[str, typer.Option("--format", "-f", help=f"One of: {', '.join(FORMATS)}.")] = "md",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")] = None,
    factor: Annotated[float, typer.Option(help="Divergence factor, as for 'compare'.")] = DEFAULT_FACTOR,
    min_confidence: MinConfidenceOption = None,
    db: DbOption = None,
) -> None:
    """The discrepancy report: per event and kind, figures by source, verdict with a one-sentence explanation, and
    provenance. Formats: md, html (one self-contained file), csv, json, claimreview (schema.org JSON-LD)."""
    if fmt not in FORMATS:
        raise InputError(f"unknown format {fmt!r}: choose from {', '.join(FORMATS)}")
    with session_for(db) as session:
        text = render(build_report(session, factor=factor, min_confidence=min_confidence), fmt=fmt)
    if output is None:
        sys.stdout.write(text)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot write {output}: {exc.strerror}") from None
    typer.echo(f"wrote {output} ({fmt}, {len(text):,} characters)")
