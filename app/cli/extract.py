"""`claimdb extract` and `claimdb evaluate`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from app.cli.claims import render_claims
from app.cli.common import JsonOption, console, handle_errors, print_json, table
from app.dates import parse_published
from app.extract.evaluate import NameMatcher, fixture_cases, golden_cases, score
from app.extract.pipeline import as_contract, default_catalogue, extract_claims
from app.ingest import read_document
from app.schemas import EventCatalogue, load_json_file
from app.settings import FIXTURES_DIR


def register(app: typer.Typer) -> None:
    app.command("extract", epilog="Example: claimdb extract article.txt --published 2019-11-20 --json")(extract)
    app.command("evaluate", epilog="Example: claimdb evaluate --golden tests/golden --misses")(evaluate)


@handle_errors
def extract(
    file: Annotated[Path, typer.Argument(help="A text document.")],
    published: Annotated[
        str | None, typer.Option(help="The document's date (YYYY-MM-DD): resolves 'last November' and the like.")
    ] = None,
    events: Annotated[
        Path | None, typer.Option(help="An event catalogue (events.json format); default: the fixtures' catalogue.")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Print the figures, quotes, speakers and events found in FILE, without touching a database."""
    date = parse_published(published)[0] if published else None
    catalogue = list(load_json_file(events, EventCatalogue).events) if events else default_catalogue()
    text = read_document(file)
    result = extract_claims(text, published=date, catalogue=catalogue)
    claims = as_contract(text, result.claims, document=file.name)
    if as_json:
        print_json({"claims": [c.model_dump(mode="json") for c in claims]})
        return
    render_claims(claims, f"{len(claims)} claims in {file.name}")


@handle_errors
def evaluate(
    fixtures: Annotated[Path, typer.Option(help="A fixtures folder with curated claims.")] = FIXTURES_DIR,
    golden: Annotated[
        list[Path] | None, typer.Option(help="Folders of golden cases ({text, expected} JSON files); repeatable.")
    ] = None,
    misses: Annotated[bool, typer.Option(help="List every miss, extra and wrong attribution.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Score the extractor: figure precision/recall/F1 (exact interval and kind), quote F1, attribution and
    speaker accuracy, against the curated fixture claims and any golden case folders."""
    matcher = NameMatcher.from_fixtures(fixtures)
    catalogue = default_catalogue()
    sets = {"fixtures": fixture_cases(fixtures)} | {g.name: golden_cases(g) for g in golden or []}
    results = {name: score(cases, catalogue=catalogue, matcher=matcher) for name, cases in sets.items()}
    if as_json:
        print_json({name: r.model_dump(exclude=set() if misses else {"misses"}) for name, r in results.items()})
        return
    console().print(
        table(
            "extractor quality",
            ["set", "cases", "fig P", "fig R", "fig F1", "quote", "attrib", "spkr"],
            [
                (
                    name,
                    r.cases,
                    f"{r.figure_precision:.3f}",
                    f"{r.figure_recall:.3f}",
                    f"{r.figure_f1:.3f}",
                    f"{r.quote_f1:.3f}",
                    f"{r.attribution_accuracy:.3f}",
                    f"{r.speaker_accuracy:.3f}",
                )
                for name, r in results.items()
            ],
        )
    )
    if misses:
        for name, r in results.items():
            for miss in r.misses:
                typer.echo(f"{name}: {miss}")
