"""`claimdb add --jobs N`: extraction in worker processes, one writer in order — the same database as one process."""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text
from typer.testing import CliRunner

from app import ingest
from app.cli.main import app
from app.ingest import DocumentIn, add_document
from app.models import Document

REAL = Path(__file__).parent / "real"
FOLDERS = ("morocco-earthquake-2023-09", "nepal-earthquake-2015-04")


def _claims(url: str) -> list[tuple[object, ...]]:
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with engine.connect() as conn:
            return [
                tuple(None if v is None else str(v) for v in r)
                for r in conn.execute(
                    text(
                        "SELECT d.origin, c.span_start, c.span_end, c.kind, c.low, c.high, c.subgroup, e.slug, "
                        "d.published, d.published_precision, s.name, a.role "
                        "FROM claim c JOIN document d ON d.id = c.document_id "
                        "LEFT JOIN event e ON e.id = c.event_id "
                        "LEFT JOIN attribution a ON a.claim_id = c.id LEFT JOIN source s ON s.id = a.source_id "
                        "ORDER BY d.origin, c.span_start, c.span_end, c.kind, a.role, s.name"
                    )
                )
            ]
    finally:
        engine.dispose()


def test_jobs_two_writes_what_one_process_writes(empty_db: str, runner: CliRunner, tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    for name in FOLDERS:
        for txt in sorted((REAL / name).glob("*.txt")):
            shutil.copy(txt, folder / f"{name}-{txt.name}")
    serial_db = f"sqlite:///{tmp_path / 'serial.sqlite'}"
    assert runner.invoke(app, ["init", "--db", serial_db]).exit_code == 0
    one = runner.invoke(app, ["add", str(folder), "--jobs", "1", "--db", serial_db])
    assert one.exit_code == 0, one.stderr
    two = runner.invoke(app, ["add", str(folder), "--jobs", "2", "--db", empty_db])
    assert two.exit_code == 0, two.stderr
    assert two.stdout.replace(empty_db, "") == one.stdout.replace(serial_db, "")  # same reports, in the same order
    serial, parallel = _claims(serial_db), _claims(empty_db)
    assert len(serial) > 30
    assert parallel == serial


def test_the_writer_takes_the_workers_dating(empty_db: str, db_session: type, monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker dates the document it extracts (its dateline read once, in parallel); the writer stores that date
    and dates only a document the worker was not given."""
    text = "LAGOS, March 3, 2024 (Reuters) - At least 12 people were killed in floods in Lagos, police said.\n"
    document = DocumentIn(text=text, origin="lagos.txt")
    ingest._start_worker([])
    found = ingest._extract_one(document)
    assert found is not None and found.dated.published == dt.date(2024, 3, 3)
    dated: list[str] = []
    real = ingest.date_document
    monkeypatch.setattr(ingest, "date_document", lambda d, **kw: dated.append(d.origin) or real(d, **kw))
    other = replace(document, text=text + "Rescuers were still searching on Monday.\n", origin="other.txt")
    with db_session(empty_db) as session:
        first = add_document(session, document=document, extractor=found)
        second = add_document(session, document=other, extractor=found)
        stored = dict(session.execute(select(Document.origin, Document.published)).all())
    assert first.added and second.added
    assert dated == ["other.txt"]
    assert stored == {"lagos.txt": dt.date(2024, 3, 3), "other.txt": dt.date(2024, 3, 3)}
