"""`claimdb add --jobs N`: extraction in worker processes, one writer in order — the same database as one process."""

from __future__ import annotations

import shutil
from pathlib import Path

from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from app.cli.main import app

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
