"""Discovered events: figures about an incident the catalogue does not hold join or found one event across documents;
another incident of the same country and month does not; the user steers events (confirm, rename, merge, split,
link, import); compare and the reports include discovered events."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from app.cli.main import app

QUAKE_1 = (
    "MARRAKESH, Morocco — A powerful earthquake struck the High Atlas mountains late on Friday, killing at least "
    "820 people, Morocco's interior ministry said. Most of the dead were in Al Haouz province.\n\n"
    "“The house shook and then it fell,” said Hassan Ait Lahcen, a farmer in Amizmiz.\n"
)
QUAKE_2 = (
    "The death toll from the quake south of Marrakesh rose to 2,012 on Sunday, the interior ministry said, and "
    "2,059 people were injured. Rescuers searched villages in Al Haouz and Taroudant.\n"
)
QUAKE_3 = (
    "Aid groups said on Tuesday that more than 2,900 people had died in the Al Haouz earthquake, the deadliest "
    "in Morocco since 1960, when a quake in Agadir killed 12,000 people.\n"
)
FLOOD_SAME_MONTH = (
    "Flash floods swept through villages near Tata in southern Morocco, killing at least 11 people, local "
    "authorities said on Saturday.\n"
)
QUAKE_ELSEWHERE = (
    "An earthquake in eastern Turkey killed 14 people in Malatya province on Thursday, Turkish officials said.\n"
)
NO_INCIDENT = "Police said 40 people were arrested in Lyon on Saturday.\n"


def _ok(runner: CliRunner, *args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.stderr or result.stdout
    return result.stdout


def _add(runner: CliRunner, db: str, path: Path, text: str, published: str, *extra: str) -> str:
    path.write_text(text, encoding="utf-8")
    return _ok(runner, "add", str(path), "--published", published, "--db", db, *extra)


def _claims(runner: CliRunner, db: str, *args: str) -> list[dict[str, object]]:
    return json.loads(_ok(runner, "claims", "--json", "--db", db, *args))  # type: ignore[no-any-return]


def _events(runner: CliRunner, db: str) -> dict[str, dict[str, object]]:
    return {e["slug"]: e for e in json.loads(_ok(runner, "events", "--json", "--db", db))}


def test_reports_of_one_incident_share_a_discovered_event(empty_db: str, runner: CliRunner, tmp_path: Path) -> None:
    first = _add(runner, empty_db, tmp_path / "voa.txt", QUAKE_1, "2023-09-09", "--publisher", "VOA")
    assert first == (
        "voa.txt: added as document 1 (2 claims; events: morocco-earthquake-2023-09 (new, discovered))\n"
        "1 added, 0 skipped\n"
    )
    second = _add(runner, empty_db, tmp_path / "wikinews.txt", QUAKE_2, "2023-09-10", "--publisher", "Wikinews")
    assert second.splitlines()[0] == "wikinews.txt: added as document 2 (2 claims; events: morocco-earthquake-2023-09)"
    _add(runner, empty_db, tmp_path / "un.txt", QUAKE_3, "2023-09-12", "--publisher", "UN News")
    _add(runner, empty_db, tmp_path / "tata.txt", FLOOD_SAME_MONTH, "2023-09-09", "--publisher", "AFP")
    _add(runner, empty_db, tmp_path / "turkey.txt", QUAKE_ELSEWHERE, "2023-09-14", "--publisher", "AFP")
    events = _events(runner, empty_db)
    quake = events["morocco-earthquake-2023-09"]
    assert quake["status"] == "discovered"
    assert quake["name"] == "Earthquake in Al Haouz, Morocco, September 2023"
    assert (quake["start"], quake["end"], quake["countries"]) == ("2023-09-09", "2023-09-12", ["MA"])
    assert {"Al Haouz", "Marrakesh"} <= set(quake["places"])  # type: ignore[arg-type]
    assert "earthquake" in quake["keywords"] and "quake" in quake["keywords"]  # type: ignore[operator]
    assert events["morocco-flood-2023-09"]["status"] == "discovered"  # same country and month, other incident
    assert events["turkey-earthquake-2023-09"]["countries"] == ["TR"]  # same kind and month, other country
    assert events["morocco-earthquake-1960"]["start"] == "1960-01-01"  # a past quake named in passing
    by_text = {c["text"]: c["event"] for c in _claims(runner, empty_db)}
    assert by_text["at least 820"] == by_text["2,012"] == by_text["more than 2,900"] == "morocco-earthquake-2023-09"
    assert by_text["The house shook and then it fell"] == "morocco-earthquake-2023-09"
    assert by_text["12,000"] == "morocco-earthquake-1960"
    assert by_text["at least 11"] == "morocco-flood-2023-09"
    who = json.loads(_ok(runner, "who-says", "2012", "--kind", "death_toll", "--json", "--db", empty_db))
    assert {(c["text"], c["event"], c["event_status"]) for c in who} >= {
        ("2,012", "morocco-earthquake-2023-09", "discovered")
    }


def test_compare_includes_discovered_events_at_once(empty_db: str, runner: CliRunner, tmp_path: Path) -> None:
    _add(runner, empty_db, tmp_path / "a.txt", QUAKE_1, "2023-09-09")
    _add(runner, empty_db, tmp_path / "b.txt", QUAKE_2, "2023-09-10")
    _add(runner, empty_db, tmp_path / "c.txt", QUAKE_3, "2023-09-12")
    out = _ok(runner, "compare", "--db", empty_db)
    assert "morocco-earthquake-2023-09 (discovered) · death_toll: CONFLICTING" in out
    groups = json.loads(_ok(runner, "compare", "--json", "--db", empty_db))
    (toll,) = [g for g in groups if g["kind"] == "death_toll"]
    assert (toll["event"], toll["event_status"], toll["documents"]) == ("morocco-earthquake-2023-09", "discovered", 3)
    report = tmp_path / "r.md"
    _ok(runner, "report", "--format", "md", "-o", str(report), "--db", empty_db)
    assert (
        "## morocco-earthquake-2023-09 (discovered by claimdb: Earthquake in Al Haouz, Morocco, September 2023)"
        in report.read_text(encoding="utf-8")
    )
    reviews = tmp_path / "r.json"
    base = "https://factcheck.example.org/report.html"
    _ok(runner, "report", "--format", "claimreview", "--base-url", base, "-o", str(reviews), "--db", empty_db)
    about = {r["about"]["identifier"]: r["about"] for r in json.loads(reviews.read_text(encoding="utf-8"))}
    assert about["morocco-earthquake-2023-09"]["description"].startswith("discovered by claimdb")
    assert about["morocco-earthquake-2023-09"]["name"] == "Earthquake in Al Haouz, Morocco, September 2023"


def test_no_incident_no_event_and_nothing_to_compare(empty_db: str, runner: CliRunner, tmp_path: Path) -> None:
    out = _add(runner, empty_db, tmp_path / "lyon.txt", NO_INCIDENT, "2023-06-03", "--publisher", "AFP")
    assert out == (
        "lyon.txt: added as document 1 (1 claim; 1 figure about no recognisable incident, without an event)\n"
        "1 added, 0 skipped\n"
    )
    _add(runner, empty_db, tmp_path / "lyon2.txt", NO_INCIDENT.replace("40", "45"), "2023-06-04")
    assert [c["event"] for c in _claims(runner, empty_db)] == [None, None]
    assert _ok(runner, "compare", "--db", empty_db) == "No figures from more than one document to compare.\n"
    assert _ok(runner, "compare", "--all", "--db", empty_db) == "No figures to compare.\n"


def test_a_past_event_named_in_passing_does_not_take_the_figure(
    empty_db: str, runner: CliRunner, tmp_path: Path
) -> None:
    text = (
        "Security forces shot dead at least 45 protesters in Tehran this week, the same brutal approach the "
        "government took in 2009, Amnesty International said.\n"
    )
    _add(runner, empty_db, tmp_path / "iran.txt", text, "2024-03-02")
    (claim,) = _claims(runner, empty_db)
    assert claim["event"] == "iran-protests-2024-03"


def test_event_link_changes_only_the_event_and_logs_it(empty_db: str, runner: CliRunner, tmp_path: Path) -> None:
    _add(runner, empty_db, tmp_path / "a.txt", QUAKE_1, "2023-09-09")
    _add(runner, empty_db, tmp_path / "t.txt", FLOOD_SAME_MONTH, "2023-09-09")
    flood = next(c for c in _claims(runner, empty_db) if c["text"] == "at least 11")
    assert _ok(runner, "event", "link", "morocco-earthquake-2023-09", str(flood["id"]), "--note", "same disaster", "--db", empty_db) == (
        "linked 1 claim(s) to morocco-earthquake-2023-09\n"
    )  # fmt: skip
    moved = next(c for c in _claims(runner, empty_db) if c["id"] == flood["id"])
    assert (moved["event"], moved["status"]) == ("morocco-earthquake-2023-09", "extracted")
    history = json.loads(_ok(runner, "claim", "history", str(flood["id"]), "--json", "--db", empty_db))
    assert [(h["action"], h["details"], h["note"]) for h in history] == [
        ("link", {"event": ["morocco-flood-2023-09", "morocco-earthquake-2023-09"]}, "same disaster")
    ]


def test_confirm_rename_merge_split(empty_db: str, runner: CliRunner, tmp_path: Path) -> None:
    _add(runner, empty_db, tmp_path / "a.txt", QUAKE_1, "2023-09-09")
    _add(runner, empty_db, tmp_path / "t.txt", FLOOD_SAME_MONTH, "2023-09-09")
    assert _ok(runner, "event", "confirm", "morocco-earthquake-2023-09", "--db", empty_db) == (
        "event morocco-earthquake-2023-09 confirmed: Earthquake in Al Haouz, Morocco, September 2023 (2 claims)\n"
    )
    again = runner.invoke(app, ["event", "confirm", "morocco-earthquake-2023-09", "--db", empty_db])
    assert (again.exit_code, again.stderr) == (
        1, "error: event 'morocco-earthquake-2023-09' is confirmed, not discovered: nothing to confirm\n"
    )  # fmt: skip
    _ok(runner, "event", "rename", "morocco-earthquake-2023-09", "--slug", "al-haouz-earthquake", "--name", "Al Haouz earthquake", "--db", empty_db)  # fmt: skip
    assert _ok(runner, "event", "merge", "al-haouz-earthquake", "morocco-flood-2023-09", "--db", empty_db) == (
        "merged morocco-flood-2023-09 into al-haouz-earthquake (3 claims)\n"
    )
    events = _events(runner, empty_db)
    assert set(events) >= {"al-haouz-earthquake"} and "morocco-flood-2023-09" not in events
    merged = events["al-haouz-earthquake"]
    assert (merged["name"], merged["status"], merged["claims"]) == ("Al Haouz earthquake", "confirmed", 3)
    assert set(merged["kinds"]) == {"earthquake", "flood"}  # type: ignore[arg-type]
    flood = next(c for c in _claims(runner, empty_db) if c["text"] == "at least 11")
    assert _ok(runner, "event", "split", "al-haouz-earthquake", str(flood["id"]), "--into", "tata-floods", "--db", empty_db) == (
        "split 1 claim(s) from al-haouz-earthquake into tata-floods\n"
    )  # fmt: skip
    history = json.loads(_ok(runner, "claim", "history", str(flood["id"]), "--json", "--db", empty_db))
    assert [h["action"] for h in history] == ["merge", "split"]
    missing = runner.invoke(app, ["event", "merge", "tata-floods", "atlantis", "--db", empty_db])
    assert (missing.exit_code, missing.stderr) == (1, "error: no event 'atlantis' (see 'claimdb events')\n")


def test_events_import_extends_the_catalogue(empty_db: str, runner: CliRunner, tmp_path: Path) -> None:
    catalogue = tmp_path / "events.json"
    catalogue.write_text(
        json.dumps(
            {
                "events": [
                    {"slug": "al-haouz-earthquake", "name": "Al Haouz earthquake", "start": "2023-09-08",
                     "end": "2023-09-30", "place": "Al Haouz, Morocco", "keywords": ["Al Haouz earthquake"]}
                ]
            }
        ),
        encoding="utf-8",
    )  # fmt: skip
    assert _ok(runner, "events", "import", str(catalogue), "--db", empty_db) == "1 added, 0 skipped\n"
    again = runner.invoke(app, ["events", "import", str(catalogue), "--db", empty_db])
    assert (again.stdout, again.stderr) == (
        "0 added, 1 skipped\n", "al-haouz-earthquake: already in the catalogue; skipped\n"
    )  # fmt: skip
    _add(runner, empty_db, tmp_path / "b.txt", QUAKE_2, "2023-09-10")
    assert {c["event"] for c in _claims(runner, empty_db)} == {"al-haouz-earthquake"}  # the catalogue wins
    assert _events(runner, empty_db)["al-haouz-earthquake"]["status"] == "catalogued"
    bad = tmp_path / "bad.json"
    bad.write_text('{"events": [{"slug": "Bad Slug", "name": "x"}]}', encoding="utf-8")
    result = runner.invoke(app, ["events", "import", str(bad), "--db", empty_db])
    assert result.exit_code == 1 and result.stderr.startswith(f"error: {bad}: events.0.slug")


def test_batch_confirm_and_reject(empty_db: str, runner: CliRunner, tmp_path: Path) -> None:
    _add(runner, empty_db, tmp_path / "a.txt", QUAKE_1, "2023-09-09")
    _add(runner, empty_db, tmp_path / "b.txt", QUAKE_2, "2023-09-10")
    assert _ok(runner, "claim", "confirm", "--event", "morocco-earthquake-2023-09", "--db", empty_db) == (
        "4 claim(s) confirmed\n"
    )
    ids = [str(c["id"]) for c in _claims(runner, empty_db, "--document", "b.txt")]
    assert _ok(runner, "claim", "reject", *ids, "--note", "copied", "--db", empty_db) == "2 claim(s) rejected\n"
    assert _ok(runner, "claim", "reject", "--document", "b.txt", "--db", empty_db) == "0 claim(s) rejected\n"
    statuses = {c["text"]: c["status"] for c in _claims(runner, empty_db)}
    assert statuses == {
        "at least 820": "confirmed",
        "The house shook and then it fell": "confirmed",
        "2,012": "rejected",
        "2,059": "rejected",
    }
    none = runner.invoke(app, ["claim", "confirm", "--db", empty_db])
    assert (none.exit_code, none.stderr) == (1, "error: give claim ids, --event or --document\n")


def test_steering_refuses_bad_input_with_one_line(empty_db: str, runner: CliRunner, tmp_path: Path) -> None:
    _add(runner, empty_db, tmp_path / "a.txt", QUAKE_1, "2023-09-09")
    huge = "9" * 25
    for args, message in [
        (["event", "link", "morocco-earthquake-2023-09", huge], f"error: no claim {huge}\n"),
        (["claim", "confirm", "1", huge], f"error: no claim {huge}\n"),
        (
            ["event", "rename", "morocco-earthquake-2023-09", "--slug", "x" * 101],
            f"error: bad slug {'x' * 101!r}: lower case letters, digits and dashes, at most 100 characters\n",
        ),
    ]:
        result = runner.invoke(app, [*args, "--db", empty_db])
        assert (result.exit_code, result.stderr) == (1, message), args
    twice = tmp_path / "twice.json"
    twice.write_text(json.dumps({"events": [{"slug": "x-one", "name": "One"}, {"slug": "x-one", "name": "Two"}]}))
    result = runner.invoke(app, ["events", "import", str(twice), "--db", empty_db])
    assert (result.exit_code, result.stderr) == (1, "error: events.1.slug: 'x-one' is in the file twice\n")
    named = tmp_path / "named.json"
    named.write_text(json.dumps({"events": [{"slug": "quake", "name": "Quake", "countries": ["Morocco"]}]}))
    result = runner.invoke(app, ["events", "import", str(named), "--db", empty_db])
    assert result.exit_code == 1 and "'Morocco' is no ISO 3166-1 alpha-2 country code" in result.stderr
    empty = runner.invoke(app, ["claim", "confirm", "--event", "iran-protests-2009", "--db", empty_db])
    assert (empty.exit_code, empty.stdout) == (1, "")  # no such event in an empty catalogue: one line
    assert empty.stderr == "error: no event 'iran-protests-2009' (see 'claimdb events')\n"


def test_a_future_date_in_the_text_is_no_publication_date(empty_db: str, runner: CliRunner, tmp_path: Path) -> None:
    doc = tmp_path / "fut.txt"
    doc.write_text(
        "An earthquake in Morocco killed 12 people. A memorial is planned for 10 March 2031.\n", encoding="utf-8"
    )
    assert runner.invoke(app, ["add", str(doc), "--db", empty_db]).exit_code == 0
    (added,) = json.loads(runner.invoke(app, ["documents", "--json", "--db", empty_db]).stdout)
    assert (added["published"], added["published_precision"]) == (None, "unknown")
    early = tmp_path / "early.txt"
    early.write_text("RABAT, Sept 10 (Reuters) - On January 1, 0001, 3 people died in a fire.\n", encoding="utf-8")
    assert runner.invoke(app, ["add", str(early), "--db", empty_db]).exit_code == 0


def test_candidates_read_by_date_are_every_event_the_dates_allow(empty_db: str) -> None:
    """`Discovery` reads candidates by date on the indexes; they are the events the rule's date filter (every
    event read, filtered in Python) keeps, a superset of what `match_score` accepts: for dated incidents, for
    undated ones that name years, and every event for one with no time. An event the previous document founded
    is a candidate for the next."""
    import datetime as dt

    from sqlalchemy import insert
    from sqlalchemy.orm import Session

    from app.db import make_engine
    from app.events import MAX_FOLLOW_UP, Discovery, match_score
    from app.models import Event
    from app.schemas import IncidentIn

    day = dt.date(2020, 6, 15)
    spans: list[tuple[dt.date | None, dt.date | None]] = [(None, None), (day, None), (None, day)]
    spans += [
        (day + dt.timedelta(days=d), day + dt.timedelta(days=d + n)) for d in range(-900, 900, 37) for n in (0, 40)
    ]
    spans += [(day - MAX_FOLLOW_UP - dt.timedelta(days=10), day - MAX_FOLLOW_UP), (day + MAX_FOLLOW_UP,) * 2]
    spans += [(day - MAX_FOLLOW_UP - dt.timedelta(days=1),) * 2, (day + MAX_FOLLOW_UP + dt.timedelta(days=1),) * 2]
    spans += [(dt.date(2018, 12, 31),) * 2, (dt.date(2019, 1, 1),) * 2, (dt.date(2021, 12, 31), dt.date(2022, 1, 1))]
    engine = make_engine(empty_db)
    try:
        with Session(engine) as session:
            session.execute(
                insert(Event),
                [
                    {"slug": f"e-{i}", "name": f"E {i}", "start_date": s, "end_date": e, "keywords": ["flood"],
                     "kinds": ["flood"], "countries": ["NG"], "places": [], "status": status}
                    for i, (s, e) in enumerate(spans)
                    for status in ["discovered" if i % 5 else "catalogued" if i % 2 else "confirmed"]
                ],
            )  # fmt: skip
            session.commit()
            discovery = Discovery(session)
            every = discovery._discovered()
            incidents = [
                IncidentIn(kinds=["flood"], countries=["NG"], start=day, end=day + dt.timedelta(days=n)) for n in (0, 3)
            ]
            incidents += [IncidentIn(kinds=["flood"], countries=["NG"], years=y) for y in ([2019], [2021, 2019])]
            incidents += [IncidentIn(kinds=["flood"], countries=["NG"], months=[6]), IncidentIn(kinds=["flood"])]
            for incident in incidents:
                if incident.start is not None and incident.end is not None:
                    latest, earliest = incident.end + MAX_FOLLOW_UP, incident.start - MAX_FOLLOW_UP
                    allowed = [
                        e
                        for e in every
                        if e.start_date is None
                        or (e.start_date <= latest and e.end_date is not None and e.end_date >= earliest)
                    ]
                else:
                    allowed = every
                read = discovery._candidates(incident)
                assert [e.id for e in read] == sorted(e.id for e in read)
                assert {e.id for e in read} <= {e.id for e in allowed}
                assert {e.id for e in allowed if match_score(e, incident) is not None} <= {e.id for e in read}
                if incident.start is not None or not incident.years:
                    assert [e.id for e in read] == [e.id for e in allowed]
            quake = IncidentIn(kinds=["earthquake"], countries=["NG"], start=day, end=day, day=day)
            founded = Discovery(session).resolve(quake)
            later = quake.model_copy(update={"start": day + dt.timedelta(days=2), "end": day + dt.timedelta(days=2)})
            assert founded in {e.id for e in Discovery(session)._candidates(later)}
            assert Discovery(session).resolve(later) == founded
            session.rollback()
    finally:
        engine.dispose()
