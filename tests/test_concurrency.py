"""Concurrent writers on one database, as real processes: all succeed, none loses work.

Several processes that found the same new event and create the same new sources at the same moment all commit
(INSERT … ON CONFLICT, a transaction that lost a race is run again); the same document sent by two writers is
added once and "already present" for the other. The processes meet at a barrier right before they write, so the
race is real, not left to the scheduler.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing as mp
import subprocess
import sys
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from app.models import Claim, Document, Event, Source

REPORTS = [
    "Rescuers in Mindanao said on Friday that a landslide near Davao buried 31 villagers, the Philippine disaster "
    "agency said. Relief group Kalinga Aid said {n} people were missing.\n",
    "The death toll from the landslide near Davao in the Philippines rose to {n}, the Philippine disaster agency "
    "said, and Kalinga Aid said rescuers were still digging.\n",
    "A landslide that buried a village near Davao, Philippines, has killed {n} people, Kalinga Aid said on "
    "Saturday, citing the Philippine disaster agency.\n",
    "Philippine officials said {n} people died in the Davao landslide; the Philippine disaster agency said "
    "the search for survivors would go on, Kalinga Aid said.\n",
]


def _writer(url: str, text: str, origin: str, barrier: Any, results: Any) -> None:
    from app.db import open_session
    from app.events import catalogue
    from app.extract.pipeline import extract_claims
    from app.ingest import DocumentIn, add_document

    with open_session(url) as session:
        extraction = extract_claims(text, published=dt.date(2024, 2, 9), catalogue=catalogue(session))
        session.rollback()
        barrier.wait(timeout=60)
        result = add_document(
            session,
            document=DocumentIn(
                text=text, origin=origin, publisher="Kalinga Aid Bulletin", published=dt.date(2024, 2, 9)
            ),
            extractor=lambda _text, **_: extraction,
        )
    results.put((origin, result.added, result.message, result.events))


def _race(url: str, docs: list[tuple[str, str]]) -> list[tuple[str, bool, str, list[str]]]:
    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(len(docs))
    results = ctx.Queue()
    procs = [ctx.Process(target=_writer, args=(url, text, origin, barrier, results)) for origin, text in docs]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=120)
    assert all(p.exitcode == 0 for p in procs), [p.exitcode for p in procs]
    return sorted(results.get(timeout=5) for _ in procs)


def test_four_writers_found_one_event_and_one_source(empty_db: str, db_session: Any) -> None:
    docs = [(f"r{i}.txt", REPORTS[i].format(n=30 + i)) for i in range(4)]
    outcomes = _race(empty_db, docs)
    assert [o[1] for o in outcomes] == [True] * 4
    assert {slug for o in outcomes for slug in o[3]} == {"philippines-landslide-2024-02"}
    with db_session(empty_db) as session:
        assert session.scalar(select(func.count()).select_from(Document)) == 4
        assert list(session.scalars(select(Event.slug))) == ["philippines-landslide-2024-02"]
        names = list(session.scalars(select(Source.name)))
        assert names.count("Kalinga Aid Bulletin") == 1 and names.count("Kalinga Aid") == 1
        linked = session.scalar(select(func.count()).select_from(Claim).where(Claim.event_id.is_not(None)))
        assert linked == session.scalar(select(func.count()).select_from(Claim)) > 4


def test_the_same_document_from_two_writers_is_added_once(empty_db: str, db_session: Any) -> None:
    text = REPORTS[0].format(n=12)
    outcomes = _race(empty_db, [("a.txt", text), ("b.txt", text)])
    assert sorted(o[1] for o in outcomes) == [False, True]
    assert [o[2] for o in outcomes if not o[1]] == ["already in the database; skipped"]
    with db_session(empty_db) as session:
        assert session.scalar(select(func.count()).select_from(Document)) == 1


def test_cli_writers_in_parallel(empty_db: str, tmp_path: Path, db_session: Any) -> None:
    """Four `claimdb add` processes at once (no barrier: the command as users run it)."""
    paths = []
    for i, report in enumerate(REPORTS):
        path = tmp_path / f"{i}.txt"
        path.write_text(report.format(n=40 + i), encoding="utf-8")
        paths.append(path)
    cmd = [sys.executable, "-m", "app.cli.main", "add", "--publisher", "Kalinga Aid Bulletin", "--published"]
    procs = [
        subprocess.Popen([*cmd, "2024-02-10", str(p), "--db", empty_db], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for p in paths
    ]
    outs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0, 0], [err.decode() for _, err in outs]
    assert all(out.decode().endswith("1 added, 0 skipped\n") for out, _ in outs)
    with db_session(empty_db) as session:
        assert list(session.scalars(select(Event.slug))) == ["philippines-landslide-2024-02"]
        assert session.scalar(select(func.count()).select_from(Document)) == 4
