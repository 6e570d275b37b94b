"""Corpus scale, measured side by side in one run: ingest on every core, copy families, and the answers a newsroom
asks of a year of coverage.

    python benchmarks/scale.py [--docs 10000] [--claims 1000000] [--skip-postgres]

1. A deterministic corpus of realistic articles (`--docs`, default 10,000, about 5 KB each): reports of incidents
   in real cities, with tolls attributed to officials, agencies and witnesses, quotations, background paragraphs and
   a share of rewrites that copy an earlier report (copy families). Generated from a fixed seed: every run, every
   machine, the same text.
2. `claimdb add` of the whole corpus into SQLite with extraction (`--jobs 1` and `--jobs 2`) and without; the first
   1,000 into PostgreSQL as well; time per document and peak memory for each thousand documents in turn.
3. A database of `--claims` claims (default 1,000,000), written in bulk with Core inserts, and then: `compare` of one
   event, `compare` and `report` of everything, `who-says N --kind K --json`, each timed as a user runs it (a new
   process), with the query plan of who-says (EXPLAIN) to show the index it uses.

4. With `--incidents N`, the corpus is instead reports of N distinct incidents, a few days apart, each report
   dated by its dateline and added in date order: the number of discovered events grows with the corpus.
   `--dump FILE` writes the contents of the `--jobs 1` database (every table, rows in key order, timestamps left
   out) to FILE, to compare two versions of the code on one corpus.
5. `--discovery N [N ...]`: what event discovery costs a document as events accumulate, without extraction. For
   each N, a database of N discovered events (three a week, so more events are a longer past), then documents
   that each resolve one dated incident against it (the transaction rolled back, so every document meets N
   events): timed as `Discovery` reads candidates (by date, on the indexes) and as it read them before (every
   event, filtered in Python), side by side, each picking the same event. Reports of recent incidents (news in
   date order) and of incidents anywhere in the past (a backfill).

Figures print as they are measured; the summary table at the end puts them next to the issue's targets."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the app of this checkout, as `python -m app.cli.main` below runs it from ROOT
CLAIMDB = [sys.executable, "-m", "app.cli.main"]

CITIES = [
    ("Lagos", "Nigeria"), ("Kano", "Nigeria"), ("Nairobi", "Kenya"), ("Mombasa", "Kenya"), ("Dhaka", "Bangladesh"),
    ("Chittagong", "Bangladesh"), ("Karachi", "Pakistan"), ("Lahore", "Pakistan"), ("Manila", "Philippines"),
    ("Cebu", "Philippines"), ("Jakarta", "Indonesia"), ("Surabaya", "Indonesia"), ("Lima", "Peru"),
    ("Arequipa", "Peru"), ("Quito", "Ecuador"), ("Bogota", "Colombia"), ("Medellin", "Colombia"),
    ("Kinshasa", "Democratic Republic of the Congo"), ("Goma", "Democratic Republic of the Congo"),
    ("Khartoum", "Sudan"), ("Addis Ababa", "Ethiopia"), ("Kampala", "Uganda"), ("Maputo", "Mozambique"),
    ("Harare", "Zimbabwe"), ("Colombo", "Sri Lanka"), ("Kathmandu", "Nepal"), ("Yangon", "Burma"),
    ("Hanoi", "Vietnam"), ("Almaty", "Kazakhstan"), ("Tbilisi", "Georgia"),
]  # fmt: skip
INCIDENTS = [
    ("floods", "killed", "death_toll"), ("a building collapse", "killed", "death_toll"),
    ("a bus crash", "killed", "death_toll"), ("protests", "arrested", "arrest_count"),
    ("clashes", "injured", "injury_count"), ("a fire", "killed", "death_toll"),
    ("a landslide", "killed", "death_toll"), ("a stampede", "injured", "injury_count"),
]  # fmt: skip
SOURCES = [
    "police said", "the health ministry said", "officials said", "the Red Cross said", "a hospital official said",
    "the interior ministry said in a statement", "local media reported", "rescue workers said",
    "the disaster management agency said", "witnesses said",
]  # fmt: skip
BACKGROUND = [
    "The region has seen repeated emergencies in recent years, and aid groups have warned that roads and clinics "
    "remain badly damaged.",
    "Residents said the authorities had been slow to respond, and that many families had spent the night outside.",
    "The government promised an inquiry and said compensation would be paid to the families of the victims.",
    "Opposition leaders called for the resignation of the officials in charge, accusing them of negligence.",
    "Aid agencies said they were sending food, water and medical supplies, but access remained difficult.",
    "Schools in the area were closed and the electricity supply was cut in several districts.",
    "The United Nations said it stood ready to help and called on all sides to allow humanitarian access.",
]  # fmt: skip
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
SLOTS = [
    ["Residents", "Aid workers", "Local leaders", "Teachers", "Farmers", "Traders", "Doctors", "Volunteers",
     "Community elders", "Students", "Drivers", "Nurses"],
    ["said", "complained", "warned", "told reporters", "insisted", "feared", "explained", "repeated"],
    ["that the roads", "that the clinics", "that the markets", "that the schools", "that the bridges",
     "that water pipes", "that power lines", "that the shelters", "that the wells", "that the camps"],
    ["near the river", "in the old town", "on the northern edge", "across three districts", "along the coast",
     "in the hills", "around the port", "beside the highway", "in two villages", "outside the capital"],
    ["were still cut off", "had been looted", "stood empty", "were overcrowded", "needed urgent repairs",
     "had flooded again", "lacked fuel", "were closed indefinitely", "received no help", "were rebuilt quickly"],
    ["after the storm.", "since the weekend.", "despite promises.", "for a second week.", "as prices rose.",
     "while talks stalled.", "before the rains.", "during the night.", "amid the confusion.", "as winter neared."],
]  # fmt: skip


_CHAIN: dict[tuple[str, str], list[str]] = {}


def _chain() -> dict[tuple[str, str], list[str]]:
    """A second-order word chain over the development corpus of real news (tests/real): the prose of context
    paragraphs, varied enough that two reports share few 5-word shingles unless one copies the other."""
    if not _CHAIN:
        for path in sorted((ROOT / "tests" / "real").glob("*/*.txt")):
            words = path.read_text(encoding="utf-8").split()
            for a, b, c in zip(words, words[1:], words[2:], strict=False):
                if not any(ch.isdigit() for ch in a + b + c):
                    _CHAIN.setdefault((a, b), []).append(c)
    return _CHAIN


def background(rng: random.Random) -> str:
    """A paragraph of context: sentences walked along the word chain from a capitalised start."""
    chain = _chain()
    starts = sorted(k for k in chain if k[0][:1].isupper() and not k[0].endswith("."))
    out: list[str] = []
    for _ in range(rng.randint(2, 4)):
        a, b = rng.choice(starts)
        sentence = [a, b]
        while len(sentence) < 40 and not sentence[-1].endswith((".", "?", "!")):
            follow = chain.get((sentence[-2], sentence[-1]))
            if not follow:
                break
            sentence.append(rng.choice(follow))
        text = " ".join(sentence).strip('“”"')
        out.append(text if text.endswith(".") else text + ".")
    return " ".join(out)


def article(rng: random.Random, i: int, incidents: list[tuple[str, str, str, str, int]]) -> tuple[str, str]:
    """One report about one of the incidents: headline, lead with a toll, more figures with their sources, a quote,
    background. Returns (file name, text)."""
    city, country, what, verb, base = incidents[rng.randrange(len(incidents))]
    toll = max(1, int(base * rng.uniform(0.6, 1.4)))
    day = rng.choice(WEEKDAYS)
    src = rng.choice(SOURCES)
    lines = [
        f"{what.capitalize()} in {city}: {toll} {verb}",
        f"At least {toll} people were {verb} in {what} in {city}, {country}, on {day}, {src}.",
    ]
    for _ in range(rng.randint(3, 6)):
        n = max(1, int(toll * rng.uniform(0.2, 3.0)))
        kind_verb = rng.choice(["injured", "missing", "displaced", "arrested", "killed"])
        qual = rng.choice(["", "more than ", "about ", "nearly ", "at least "])
        who = rng.choice(["people", "residents", "children", "workers", "villagers", "passengers", "civilians"])
        where = rng.choice(SLOTS[3])
        lines.append(f"{qual.capitalize() if qual else ''}{n} {who} were {kind_verb} {where}, {rng.choice(SOURCES)}.")
        lines += [background(rng) for _ in range(rng.randint(1, 3))]
    lines.append(
        f"“We lost everything in one night,” said a resident of {city}, who asked not to be named. “No one came to "
        f"help us until {day}.”"
    )
    lines.append(f"According to {rng.choice(['the Red Cross', 'the United Nations', 'local officials'])}, "
                 f"{max(1, int(toll * rng.uniform(1.5, 8)))} families had been left homeless.")  # fmt: skip
    lines += [rng.choice(BACKGROUND), background(rng)]
    return f"report-{i:05d}.txt", "\n\n".join(lines) + "\n"


def corpus(folder: Path, docs: int, seed: int = 20261202, incidents: int | None = None) -> list[Path]:
    """`docs` articles in `folder`; one in eight rewrites an earlier one (a copy family). With `incidents`, the
    reports of that many distinct incidents instead (`dated_corpus`)."""
    if incidents:
        return dated_corpus(folder, docs, incidents, seed)
    rng = random.Random(seed)
    incidents_ = [
        (city, country, what, verb, rng.choice([5, 12, 30, 80, 200, 600]))
        for city, country in CITIES
        for what, verb, _ in rng.sample(INCIDENTS, 3)
    ]
    return _write_corpus(folder, docs, rng, lambda i: article(rng, i, incidents_), recent=200)


def _write_corpus(
    folder: Path, docs: int, rng: random.Random, fresh: Callable[[int], tuple[str, str]], *, recent: int
) -> list[Path]:
    """`docs` texts written to `folder`: one in eight rewrites one of the `recent` texts before it (a copy family),
    the others are `fresh(i)` (a file name and a text)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    texts: list[str] = []
    for i in range(docs):
        if texts and rng.random() < 0.125:
            source = rng.choice(texts[-recent:]).split("\n\n")
            text = "\n\n".join([f"Update {i}: " + source[0], *source[1:], background(rng)]) + "\n"
            name = f"report-{i:05d}.txt"
        else:
            name, text = fresh(i)
        texts.append(text)
        path = folder / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


INCIDENT_GAP_DAYS = 3
"""Days between one incident of the `--incidents` corpus and the next."""


def dated_corpus(folder: Path, docs: int, incidents: int, seed: int = 20261202) -> list[Path]:
    """`docs` reports of `incidents` distinct incidents (a city, a kind, a toll, a day), one every
    INCIDENT_GAP_DAYS days from 2010, in date order: each report is dated by its dateline a day or two after its
    incident, so discovery dates it; one in eight rewrites a recent report. The same text on every run."""
    rng = random.Random(seed + incidents)
    first = dt.date(2010, 1, 4)
    made = [
        (city, country, what, verb, rng.choice([5, 12, 30, 80, 200, 600]))
        for city, country in (rng.choice(CITIES) for _ in range(incidents))
        for what, verb, _ in [rng.choice(INCIDENTS)]
    ]

    def dated(i: int) -> tuple[str, str]:
        k = min(incidents - 1, max(0, i * incidents // docs + rng.randint(-1, 1)))
        name, text = article(rng, i, [made[k]])
        when = first + dt.timedelta(days=k * INCIDENT_GAP_DAYS + rng.randint(0, 1))
        return name, f"{made[k][0].upper()}, {when:%B} {when.day}, {when.year} - {text}"

    return _write_corpus(folder, docs, rng, dated, recent=20)


def dump(url: str, out: Path) -> None:
    """Every table's rows in key order, as JSON lines, without the columns a clock fills (ingested_at, created_at,
    …): two databases made from one corpus by two versions of the code dump byte for byte alike when they hold
    the same."""
    import json

    from sqlalchemy import DateTime, MetaData, create_engine, select

    engine = create_engine(url)
    meta = MetaData()
    meta.reflect(engine)
    with engine.connect() as conn, out.open("w", encoding="utf-8") as f:
        for name in sorted(meta.tables):
            table = meta.tables[name]
            if name.startswith("search_") or name == "sqlite_stat1":
                continue  # full-text indexes and planner statistics: derived from the rows dumped
            columns = [c for c in table.columns if not isinstance(c.type, DateTime)]
            order = list(table.primary_key.columns) or columns
            for row in conn.execute(select(*columns).order_by(*order)):
                f.write(f"{name} " + json.dumps(list(row), default=str, ensure_ascii=False) + "\n")
    engine.dispose()


DISCOVERY_KINDS = ["flood", "landslide", "stampede", "protests", "crash", "fire", "collapse", "explosion"]
DISCOVERY_COUNTRIES = ["NG", "KE", "BD", "PK", "PH", "ID", "PE", "EC", "CO", "CD", "SD", "ET", "UG", "MZ", "ZW"]


def discovery(counts: list[int], docs: int = 300, seed: int = 11) -> None:
    """Per-document discovery cost at each number of events in `counts` (see the module's item 5)."""
    from sqlalchemy import insert
    from sqlalchemy.orm import Session

    from app.db import make_engine, upgrade
    from app.events import MAX_FOLLOW_UP, Discovery, EventView
    from app.models import Event
    from app.schemas import IncidentIn

    class EveryEvent(Discovery):
        """Candidates as read before: every discovered event, once per document, filtered by date in Python."""

        def _candidates(self, incident: IncidentIn) -> list[EventView]:
            events = self._discovered()
            if incident.start is None or incident.end is None:
                return events
            latest, earliest = incident.end + MAX_FOLLOW_UP, incident.start - MAX_FOLLOW_UP
            return [
                e
                for e in events
                if e.start_date is None
                or (e.start_date <= latest and e.end_date is not None and e.end_date >= earliest)
            ]

    print(f"\ndiscovery: ms per document (one dated incident), {docs} documents at each size, events 3 a week")
    print("  events   recent: by date  every event   backfill: by date  every event")
    first = dt.date(1900, 1, 1)
    with tempfile.TemporaryDirectory() as tmp:
        for n in counts:
            rng = random.Random(seed)
            engine = make_engine(f"sqlite:///{tmp}/discovery-{n}.sqlite")
            upgrade(engine)
            starts = [first + dt.timedelta(days=i * 7 // 3) for i in range(n)]
            with engine.begin() as conn:
                conn.execute(
                    insert(Event),
                    [
                        {
                            "slug": f"bench-{i}",
                            "name": f"Bench {i}",
                            "start_date": start,
                            "end_date": start + dt.timedelta(days=i % 4),
                            "day": start,
                            "keywords": [DISCOVERY_KINDS[i % 8]],
                            "kinds": [DISCOVERY_KINDS[i % 8]],
                            "countries": [DISCOVERY_COUNTRIES[i * 7 % 15]],
                            "places": [],
                            "status": "discovered",
                        }
                        for i, start in enumerate(starts)
                    ],
                )
                conn.exec_driver_sql("ANALYZE")
            row = [f"  {n:>6}"]
            for span in ((starts[-1] - dt.timedelta(days=60), starts[-1]), (starts[0], starts[-1])):
                days = [span[0] + dt.timedelta(days=rng.randint(0, (span[1] - span[0]).days)) for _ in range(docs)]
                incidents = [
                    IncidentIn(
                        kinds=[kind], countries=[rng.choice(DISCOVERY_COUNTRIES)], start=d, end=d, day=d, words=[kind]
                    )
                    for d in days
                    for kind in [rng.choice(DISCOVERY_KINDS)]
                ]
                picked: dict[str, list[int]] = {}
                for label, kind in (("by date", Discovery), ("every event", EveryEvent)):
                    with Session(engine) as session:
                        kind(session).resolve(incidents[0])  # warm: the session's decoded rows, the gazetteer
                        session.rollback()
                        start = time.perf_counter()
                        ids = []
                        for incident in incidents:
                            ids.append(kind(session).resolve(incident))
                            session.rollback()
                        row.append(f"{(time.perf_counter() - start) / docs * 1000:13.2f}")
                    picked[label] = ids
                if picked["by date"] != picked["every event"]:
                    raise SystemExit(f"discovery at {n} events: the two reads picked different events")
            print("   ".join(row), flush=True)
            engine.dispose()


def run(args: list[str], env: dict[str, str] | None = None, limit: float | None = None) -> tuple[float, float, str]:
    """Run claimdb; (seconds, peak memory of that process in MB, stdout). Past `limit` seconds it is stopped and
    the time returned is infinite."""
    start = time.perf_counter()
    timer = shutil.which("time", path="/usr/bin")  # GNU time measures the command alone, not this forked parent
    with (
        tempfile.TemporaryFile() as out_file,
        tempfile.TemporaryFile() as err_file,
        tempfile.NamedTemporaryFile() as rss,
    ):
        prefix = [timer, "-q", "-f", "%M", "-o", rss.name] if timer else []
        proc = subprocess.Popen(
            [*prefix, *CLAIMDB, *args], stdout=out_file, stderr=err_file, cwd=ROOT, env={**os.environ, **(env or {})}
        )
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if limit is not None and time.perf_counter() - start > limit:
                proc.kill()
                os.wait4(proc.pid, 0)
                return float("inf"), 0.0, ""
            time.sleep(0.01)
        proc.returncode = os.waitstatus_to_exitcode(status)
        elapsed = time.perf_counter() - start
        out_file.seek(0)
        err_file.seek(0)
        stdout, stderr = out_file.read().decode(), err_file.read().decode()
        measured = Path(rss.name).read_text().strip().splitlines() if timer else []
    if proc.returncode != 0:
        raise SystemExit(f"claimdb {' '.join(args)} failed: {stderr.strip()[:500]}")
    peak_kb = int(measured[-1]) if measured and measured[-1].isdigit() else usage.ru_maxrss
    return elapsed, peak_kb / 1024, stdout


def ingest(paths: list[Path], db: str, *, jobs: int, extract: bool, chunk: int = 1000) -> list[tuple[float, float]]:
    """Add the documents a thousand at a time (as a newsroom adds a day's or a week's batch): for each thousand,
    (ms per document, peak MB)."""
    run(["init", "--db", db])
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        for k in range(0, len(paths), chunk):
            batch = Path(tmp) / f"batch{k}"
            batch.mkdir()
            for p in paths[k : k + chunk]:
                os.link(p, batch / p.name)
            flags = ["--jobs", str(jobs)] + ([] if extract else ["--no-extract"])
            seconds, peak, _ = run(["add", str(batch), *flags, "--db", db])
            n = len(paths[k : k + chunk])
            out.append((seconds / n * 1000, peak))
            print(f"    docs {k + 1:>6}-{k + n:<6} {seconds / n * 1000:7.1f} ms/doc  peak {peak:6.0f} MB", flush=True)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--claims", type=int, default=1_000_000)
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--queries-only", action="store_true", help="only the queries at --claims claims")
    parser.add_argument("--limit", type=float, default=600.0, help="stop a query after this many seconds")
    parser.add_argument(
        "--incidents", type=int, help="a corpus of this many distinct dated incidents, in date order (item 4)"
    )
    parser.add_argument("--dump", type=Path, help="write the --jobs 1 database's contents to this file (item 4)")
    parser.add_argument(
        "--discovery", type=int, nargs="+", metavar="N", help="only discovery's cost per document at N events (item 5)"
    )
    args = parser.parse_args()
    if args.discovery:
        discovery(args.discovery)
        return
    work = Path(tempfile.mkdtemp(prefix="claimdb-scale-"))
    if args.queries_only:
        try:
            queries(work, args.claims, args.limit)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        return
    try:
        paths = corpus(work / "corpus", args.docs, incidents=args.incidents)
        size = sum(p.stat().st_size for p in paths) / 1e6
        print(f"corpus: {len(paths)} articles, {size:.1f} MB", flush=True)
        results: dict[str, list[tuple[float, float]]] = {}
        for label, jobs, extract in (("SQLite, extract, --jobs 2", 2, True), ("SQLite, extract, --jobs 1", 1, True),
                                     ("SQLite, --no-extract", 1, False)):  # fmt: skip
            print(f"  {label}:", flush=True)
            results[label] = ingest(paths, str(work / f"{jobs}{extract}.sqlite"), jobs=jobs, extract=extract)
            if args.dump and jobs == 1 and extract:
                dump(f"sqlite:///{work / f'{jobs}{extract}.sqlite'}", args.dump)
                print(f"    contents written to {args.dump}", flush=True)
        if not args.skip_postgres:
            print("  PostgreSQL, extract, --jobs 2 (first 1,000):", flush=True)
            url = _pg_database("claimdb_bench_scale")
            try:
                results["PostgreSQL, extract, --jobs 2"] = ingest(paths[:1000], url, jobs=2, extract=True)
            finally:
                _pg_drop("claimdb_bench_scale")
        print("\ningest                            total s   ms/doc first 1k   ms/doc last 1k   peak MB")
        for label, chunks in results.items():
            total = sum(ms for ms, _ in chunks) * 1000 / 1000 * min(1000, len(paths)) / 1000
            print(
                f"{label:<33} {total:7.1f}   {chunks[0][0]:15.1f}   {chunks[-1][0]:14.1f}   "
                f"{max(p for _, p in chunks):7.0f}"
            )
        one, two = results["SQLite, extract, --jobs 1"], results["SQLite, extract, --jobs 2"]
        print(f"--jobs 2 / --jobs 1 speed-up: {sum(m for m, _ in one) / sum(m for m, _ in two):.2f}x (target >= 1.7x)")
        queries(work, args.claims, args.limit)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _pg_database(name: str) -> str:
    from sqlalchemy import create_engine, text

    admin = create_engine("postgresql+psycopg://postgres@127.0.0.1:5432/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return f"postgresql://postgres@127.0.0.1:5432/{name}"


def _pg_drop(name: str) -> None:
    from sqlalchemy import create_engine, text

    admin = create_engine("postgresql+psycopg://postgres@127.0.0.1:5432/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def bulk_database(path: Path, claims: int, seed: int = 7) -> tuple[str, str, int]:
    """A SQLite database of `claims` figures over documents, sources and events, written with Core bulk inserts
    (executemany), as a year of extraction would leave it. Returns (url, an event's slug, a frequent number)."""
    from sqlalchemy import insert, text

    from app.db import make_engine, upgrade
    from app.models import Attribution, Claim, Document, DocumentSignature, Event, Source, SourceAlias
    from app.sources import normalise_name

    url = f"sqlite:///{path}"
    engine = make_engine(url)
    upgrade(engine)
    rng = random.Random(seed)
    per_doc = 65
    n_docs = max(1, claims // per_doc)
    events = 2000
    kinds = ["death_toll", "injury_count", "arrest_count", "other_count", "detention_count"]
    names = [f"{w} {i}" for i, w in enumerate(["Ministry", "Police", "Red Cross", "Agency", "Hospital"] * 400)]
    with engine.begin() as conn:
        conn.execute(insert(Source), [{"id": i + 1, "name": n, "kind": "organisation"} for i, n in enumerate(names)])
        conn.execute(
            insert(SourceAlias),
            [{"source_id": i + 1, "alias": n, "norm": normalise_name(n)} for i, n in enumerate(names)],
        )
        conn.execute(
            insert(Event),
            [
                {
                    "id": e + 1,
                    "slug": f"event-{e + 1}",
                    "name": f"Event {e + 1}",
                    "keywords": [],
                    "status": "discovered",
                    "start_date": dt.date(2025, 1, 1) + dt.timedelta(days=e % 365),
                }
                for e in range(events)
            ],
        )
        words = ["police", "said", "the", "toll", "rose", "as", "rescuers", "searched", "the", "rubble", "for"]
        text_body = " ".join(words[i % len(words)] for i in range(700))  # about 4,000 characters
        claim_id = 0
        for start in range(0, n_docs, 2000):
            docs = range(start, min(n_docs, start + 2000))
            conn.execute(
                insert(Document),
                [
                    {
                        "id": d + 1,
                        "text": text_body,
                        "text_length": len(text_body),
                        "sha256": f"{d:064x}",
                        "origin": f"doc-{d + 1}.txt",
                        "published": dt.date(2025, 1, 1) + dt.timedelta(days=d % 365),
                        "published_precision": "day",
                    }
                    for d in docs
                ],
            )
            conn.execute(insert(DocumentSignature), [{"document_id": d + 1, "shingles": 0, "sketch": []} for d in docs])
            rows, attributions = [], []
            for d in docs:
                event = rng.randrange(events) + 1
                for k in range(per_doc):
                    claim_id += 1
                    low = rng.choice([5, 12, 30, 80, 200, 600, 1500, 8000])
                    rows.append(
                        {"id": claim_id, "document_id": d + 1, "document_length": len(text_body),
                         "event_id": event if k % 5 else rng.randrange(events) + 1, "kind": rng.choice(kinds),
                         "low": low, "high": low if k % 3 else None, "unit": "people", "text": str(low),
                         "span_start": 50 * k, "span_end": 50 * k + 3,
                         "sentence_start": 50 * k, "sentence_end": 50 * k + 200,
                         "status": "extracted", "origin": "extractor", "confidence": 0.7}
                    )  # fmt: skip
                    attributions.append(
                        {"claim_id": claim_id, "source_id": rng.randrange(len(names)) + 1, "role": "asserter"}
                    )
            conn.execute(insert(Claim), rows)
            conn.execute(insert(Attribution), attributions)
        conn.execute(text("ANALYZE"))
    engine.dispose()
    return url, "event-17", 600


def queries(work: Path, claims: int, limit: float = 600.0) -> None:
    print(f"\nqueries at {claims:,} claims (SQLite, bulk-written):", flush=True)
    start = time.perf_counter()
    url, event, number = bulk_database(work / "million.sqlite", claims)
    print(f"  written in {time.perf_counter() - start:.1f} s", flush=True)
    timings = []
    for label, cmd, target in (
        ("claimdb --help", ["--help"], 0.3),
        (f"compare --event {event} (first query)", ["compare", "--event", event, "--json", "--db", url], 1.0),
        (f"compare --event {event} (again)", ["compare", "--event", event, "--json", "--db", url], 1.0),
        ("compare (everything)", ["compare", "--json", "--db", url], 10.0),
        ("report (everything)", ["report", "--format", "json", "-o", str(work / "r.json"), "--db", url], 10.0),
        (f"estimate --event {event}", ["estimate", "--event", event, "--json", "--db", url], 1.0),
        ("sources (with track records)", ["sources", "--json", "--db", url], 1.0),
        (
            f"who-says {number} --kind death_toll --json",
            ["who-says", str(number), "--kind", "death_toll", "--json", "--db", url],
            0.5,
        ),
    ):
        seconds, peak, _ = run(cmd, limit=limit)
        timings.append((label, seconds, peak, target))
        shown = f"{seconds:7.2f} s  peak {peak:6.0f} MB" if seconds != float("inf") else f"> {limit:g} s (stopped)"
        print(f"  {label:<40} {shown}  (target <= {target:g} s)", flush=True)
    from sqlalchemy import text

    from app.db import make_engine

    engine = make_engine(url)
    with engine.connect() as conn:
        plan = conn.execute(
            text(
                "EXPLAIN QUERY PLAN SELECT c.id FROM claim c WHERE c.kind = :k AND c.low <= :n AND "
                "(c.high IS NULL OR c.high >= :n)"
            ),
            {"k": "death_toll", "n": number},
        ).all()
    engine.dispose()
    print("  who-says plan: " + "; ".join(str(row[-1]) for row in plan))


if __name__ == "__main__":
    main()
