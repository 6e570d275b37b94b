"""`claimdb report`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from app.cli.common import AsOfOption, DbOption, MinConfidenceOption, as_of_date, handle_errors, session_for
from app.compare import DEFAULT_FACTOR
from app.errors import InputError
from app.report import FORMATS, ReviewConfig, build_report, render

BASE_URL_VAR = "CLAIMDB_REPORT_URL"
REVIEWER_NAME_VAR = "CLAIMDB_REVIEWER_NAME"
REVIEWER_URL_VAR = "CLAIMDB_REVIEWER_URL"


def register(app: typer.Typer) -> None:
    app.command(
        "report",
        epilog="Example: claimdb report --format html -o report.html (and for ClaimReview: claimdb report --format "
        "claimreview --base-url https://factcheck.example.org/report.html -o claimreview.json)",
    )(report)


@handle_errors
def report(
    fmt: Annotated[str, typer.Option("--format", "-f", help=f"One of: {', '.join(FORMATS)}.")] = "md",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")] = None,
    factor: Annotated[float, typer.Option(help="Divergence factor, as for 'compare'.")] = DEFAULT_FACTOR,
    min_confidence: MinConfidenceOption = None,
    as_of: AsOfOption = None,
    base_url: Annotated[
        str | None,
        typer.Option(
            "--base-url",
            envvar=BASE_URL_VAR,
            show_envvar=True,
            help="The absolute URL where the HTML report is published; each ClaimReview's url is it plus the "
            "figure's anchor (#claim-<id>). Required for claimreview; with html, the page carries the reviews as "
            "JSON-LD.",
        ),
    ] = None,
    reviewer_name: Annotated[
        str | None,
        typer.Option(
            "--reviewer-name",
            envvar=REVIEWER_NAME_VAR,
            show_envvar=True,
            help="claimreview: the reviewing organisation's name. Default: the host of --base-url.",
        ),
    ] = None,
    reviewer_url: Annotated[
        str | None,
        typer.Option(
            "--reviewer-url",
            envvar=REVIEWER_URL_VAR,
            show_envvar=True,
            help="claimreview: the reviewing organisation's web site. Default: the site of --base-url.",
        ),
    ] = None,
    db: DbOption = None,
) -> None:
    """The discrepancy report: per event and kind, figures by source, verdict with a one-sentence explanation, and
    provenance. Formats: md, html (one self-contained file), csv, json, claimreview (schema.org JSON-LD)."""
    if fmt not in FORMATS:
        raise InputError(f"unknown format {fmt!r}: choose from {', '.join(FORMATS)}")
    reviewer = None
    if fmt == "claimreview" or (fmt == "html" and base_url):
        reviewer = ReviewConfig.create(base_url=base_url, reviewer_name=reviewer_name, reviewer_url=reviewer_url)
    with session_for(db) as session:
        text = render(
            build_report(session, factor=factor, min_confidence=min_confidence, as_of=as_of_date(as_of)),
            fmt=fmt,
            reviewer=reviewer,
        )
    if output is None:
        sys.stdout.write(text)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot write {output}: {exc.strerror}") from None
    typer.echo(f"wrote {output} ({fmt}, {len(text):,} characters)")
