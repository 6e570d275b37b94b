"""The wheel works outside the checkout: built from the sources, installed in a fresh virtual environment in a
temporary folder, it initialises a database (migrations shipped in the package), adds an article, links it to a
catalogued event (the catalogue shipped too), compares and reports.

The fresh environment gets claimdb from the wheel only; its dependencies are the ones this test session already has
(a .pth line to their site-packages), so the test needs no network and checks claimdb's own files, not PyPI."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = (
    "Amnesty International said on Monday that at least 304 people were killed when security forces crushed the "
    "protests over fuel prices that swept Iran in November 2019.\n"
)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    src = tmp_path_factory.mktemp("src")
    for name in ("app", "migrations", "fixtures"):
        shutil.copytree(ROOT / name, src / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    dist = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "-w", str(dist), "."],
        cwd=src,
        check=True,
        capture_output=True,
    )
    (built,) = dist.glob("claimdb-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    env_dir = tmp_path_factory.mktemp("venv")
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin" / "python"
    purelib = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", "--target", purelib, wheel],
        check=True,
        capture_output=True,
    )
    # console script: what pip writes for [project.scripts] in a real install
    script = env_dir / "bin" / "claimdb"
    script.write_text(f"#!{python}\nimport sys\nfrom app.cli.main import main\nsys.exit(main())\n")
    script.chmod(0o755)
    Path(purelib, "claimdb-test-deps.pth").write_text(sysconfig.get_path("purelib") + "\n")
    return env_dir


def _run(env_dir: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "CLAIMDB_URL")}
    return subprocess.run(
        [str(env_dir / "bin" / "claimdb"), *args], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )


def test_wheel_ships_migrations_catalogue_and_data(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "app/migrations/env.py" in names and "app/migrations/script.py.mako" in names
    shipped = {n for n in names if n.startswith("app/migrations/versions/")}
    assert shipped == {f"app/migrations/versions/{p.name}" for p in (ROOT / "migrations" / "versions").glob("*.py")}
    assert "app/fixtures/events.json" in names and "app/fixtures/sources.json" in names
    assert "app/extract/data/rules.json" in names or any(n.startswith("app/extract/data/") for n in names)
    assert "app/report/templates/report.html.j2" in names
    assert not any(n.startswith(("tests/", "migrations/", "fixtures/")) for n in names)


def test_installed_wheel_runs_outside_the_checkout(installed: Path, tmp_path: Path) -> None:
    where = subprocess.run(
        [installed / "bin" / "python", "-c", "import app, app.migrations; print(app.__file__)"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert str(installed) in where and str(ROOT) not in where

    assert _run(installed, "--version", cwd=tmp_path).stdout.startswith("claimdb ")
    init = _run(installed, "init", "--db", "w.sqlite", cwd=tmp_path)
    assert init.returncode == 0, init.stderr
    assert "latest" in init.stdout

    fixtures = _run(installed, "fixtures", "load", "--db", "w.sqlite", cwd=tmp_path)
    assert fixtures.returncode == 0, fixtures.stderr

    (tmp_path / "article.txt").write_text(ARTICLE)
    add = _run(installed, "add", "article.txt", "--published", "2019-12-16", "--db", "w.sqlite", "--json", cwd=tmp_path)
    assert add.returncode == 0, add.stderr
    claims = json.loads(_run(installed, "claims", "--json", "--db", "w.sqlite", cwd=tmp_path).stdout)
    figures = [c for c in claims if c["kind"] == "death_toll" and c["low"] == 304]
    assert figures
    # the catalogue shipped in the wheel links it to the catalogued November 2019 protests, not a new event
    assert figures[0]["event"] == "iran-protests-2019-11"

    compare = _run(installed, "compare", "--db", "w.sqlite", "--json", cwd=tmp_path)
    assert compare.returncode == 0, compare.stderr
    groups = json.loads(compare.stdout)
    assert any(g["event"] == "iran-protests-2019-11" for g in groups), groups[:1]
    report = _run(installed, "report", "--format", "md", "-o", "r.md", "--db", "w.sqlite", cwd=tmp_path)
    assert report.returncode == 0, report.stderr
    assert "304" in (tmp_path / "r.md").read_text()
