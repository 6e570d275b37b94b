"""`claimdb extract` and `claimdb evaluate`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from app.cli.claims import render_claims
from app.cli.common import JsonOption, console, handle_errors, print_json, table
from app.dates import parse_published
from app.extract.evaluate import NameMatcher, fixture_cases, golden_cases, real_corpus, score, score_grouping
from app.extract.pipeline import as_contract, default_catalogue, extract_claims
from app.ingest import DocumentIn, date_document, read_document
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
    explain: Annotated[
        bool, typer.Option("--explain", help="For every claim, the rule that set each field and the words it read.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Print the figures, quotes, speakers and events found in FILE, without touching a database. A claim that no
    catalogued event covers shows the discovered event it would join or found once added ("(new)"). --explain
    shows why: the rule behind each claim's kind, interval, asserter, conduit and event."""
    date, precision = parse_published(published) if published else (None, "unknown")
    catalogue = list(load_json_file(events, EventCatalogue).events) if events else default_catalogue()
    text = read_document(file)
    dated = date_document(DocumentIn(text=text, origin=str(file), published=date, precision=precision))
    result = extract_claims(text, published=dated.published, catalogue=catalogue)
    claims = as_contract(text, result.claims, document=file.name)
    if as_json:
        print_json({"claims": [c.model_dump(mode="json") for c in claims]})
        return
    if explain:
        from app.render import explanation_lines

        for c in claims:
            who = c.attributed_to or "own voice"
            typer.echo(f"{c.start}-{c.end} {c.kind} {c.text[:60]!r} ({who}; event {c.event or c.incident or '-'})")
            for line in explanation_lines(c.explanation):
                typer.echo(line)
        return
    render_claims(claims, f"{len(claims)} claims in {file.name}")


@handle_errors
def evaluate(
    fixtures: Annotated[Path, typer.Option(help="A fixtures folder with curated claims.")] = FIXTURES_DIR,
    golden: Annotated[
        list[Path] | None, typer.Option(help="Folders of golden cases ({text, expected} JSON files); repeatable.")
    ] = None,
    real: Annotated[
        list[Path] | None,
        typer.Option(
            help="Folders of real annotated articles (<incident>/<name>.txt + .json); scored like golden cases, "
            "and for event grouping with the documents' dates given and withheld; repeatable."
        ),
    ] = None,
    misses: Annotated[bool, typer.Option(help="List every miss, extra and wrong attribution.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Score the extractor: figure precision/recall/F1 (exact interval and kind), quote F1, attribution, speaker,
    conduit ("via") and statement-date ("on", where annotated) accuracy, against the curated fixture claims, any
    golden case folders and real corpora; for real
    corpora also event grouping (pairwise F1: two figures share an event exactly when they share an incident)."""
    matcher = NameMatcher.from_fixtures(fixtures)
    catalogue = default_catalogue()
    corpora = {r.name: real_corpus(r) for r in real or []}
    sets = (
        {"fixtures": fixture_cases(fixtures)}
        | {g.name: golden_cases(g) for g in golden or []}
        | {name: [d.case for d in docs] for name, docs in corpora.items()}
    )
    results = {name: score(cases, catalogue=catalogue, matcher=matcher) for name, cases in sets.items()}
    grouping = {
        name: [
            score_grouping(docs, dates=True, fixtures=fixtures),
            score_grouping(docs, dates=False, fixtures=fixtures),
        ]
        for name, docs in corpora.items()
    }
    if as_json:
        out = {name: r.model_dump(exclude=set() if misses else {"misses"}) for name, r in results.items()}
        for name, scores in grouping.items():
            out[name]["grouping"] = [g.model_dump() for g in scores]
        print_json(out)
        return
    screen = console()
    screen.width = max(screen.width, 110)  # the score tables are read whole, also in a log or a pipe
    screen.print(
        table(
            "extractor quality",
            ["set", "cases", "fig P", "fig R", "fig F1", "quote", "attrib", "spkr", "via", "on"],
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
                    f"{r.conduit_accuracy:.3f}" if r.conduit_checked else "–",
                    f"{r.asserted_on_accuracy:.3f}" if r.dated_checked else "–",
                )
                for name, r in results.items()
            ],
        )
    )
    if grouping:
        screen.print(
            table(
                "event grouping (pairwise over the figures found; mean of 5 document orders)",
                ["set", "dates", "P", "R", "F1", "F1 min", "no event", "events"],
                [
                    (
                        name,
                        g.dates,
                        f"{g.precision:.3f}",
                        f"{g.recall:.3f}",
                        f"{g.f1:.3f}",
                        f"{g.f1_min:.3f}",
                        g.without_event,
                        f"{g.events:g}/{g.incidents}",
                    )
                    for name, scores in grouping.items()
                    for g in scores
                ],
            )
        )
    if misses:
        for name, r in results.items():
            for miss in r.misses:
                typer.echo(f"{name}: {miss}")
