"""The HTML report: its structure (axes with ticks and labels, whole source labels, a timeline per event, contents
whose links resolve, the sources table, the estimate slot) and, in a real browser, that it renders, logs no console
error, shows document text as text and keeps every label inside its chart."""

from __future__ import annotations

import json
import re
import shutil
import struct
import subprocess
import zlib
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from app.cli.main import app
from app.report import EstimateBand, build_report, render
from app.report.charts import value_scale, wrap_label

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="no headless Chromium on this machine (apt-get install chromium)"
)
HOSTILE = (
    'Police said 40 people were arrested in Lyon <script>document.title="pwned"</script> and '
    "<img src=x onerror=\"document.title='pwned'\"> on Sunday.\n"
)
REAL = Path(__file__).parent / "real" / "morocco-earthquake-2023-09"
OCHA = "Office for the Coordination of Humanitarian Affairs of the United Nations"


def add_morocco(runner: CliRunner, db: str, tmp_path: Path) -> None:
    """The README's second tour (four reports of the 2023 Morocco earthquake, real dates) and two reports of one
    long-named asserter three days apart: a conflicting group, a revision and a label that needs three lines."""
    docs = [
        (REAL / "01_un_news.txt", "2023-09-09", "UN News"),
        (REAL / "02_un_press.txt", "2023-09-11", "UN"),
        (REAL / "03_usaid.txt", "2023-09-13", "USAID"),
    ]
    for day, count, name in (("Tuesday", "2,100", "ocha1"), ("Friday", "2,900", "ocha2")):
        path = tmp_path / f"{name}.txt"
        path.write_text(
            f"The {OCHA} said on {day} that at least {count} people were killed in the earthquake in Morocco, "
            "near Marrakesh.\n",
            encoding="utf-8",
        )
        docs.append((path, "2023-09-12" if name == "ocha1" else "2023-09-15", "Reliefweb"))
    for path, day, publisher in docs:
        result = runner.invoke(app, ["add", str(path), "--published", day, "--publisher", publisher, "--db", db])
        assert result.exit_code == 0, result.stderr


# --- a small DOM, enough to read the report's structure --------------------------------------------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    children: list[Node | str] = field(default_factory=list)

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def text(self, *, skip: tuple[str, ...] = ()) -> str:
        return "".join(
            c if isinstance(c, str) else c.text(skip=skip)
            for c in self.children
            if isinstance(c, str) or c.tag not in skip
        )

    def find_all(self, tag: str | None = None, cls: str | None = None) -> list[Node]:
        out = []
        for c in self.children:
            if isinstance(c, Node):
                if (tag is None or c.tag == tag) and (cls is None or cls in c.classes):
                    out.append(c)
                out += c.find_all(tag, cls)
        return out

    def one(self, tag: str | None = None, cls: str | None = None) -> Node:
        found = self.find_all(tag, cls)
        assert len(found) == 1, (tag, cls, len(found))
        return found[0]


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        assert self.stack[-1].tag == tag, f"</{tag}> closes <{self.stack[-1].tag}>"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(html: str) -> Node:
    builder = _Builder()
    builder.feed(html)
    builder.close()
    assert builder.stack == [builder.root], "unclosed elements"
    return builder.root


def number(label: str) -> float:
    return float(label[:-1]) * 1_000_000 if label.endswith("M") else float(label.replace(",", ""))


def value_ticks(svg: Node, axis: str = "x") -> list[tuple[float, float]]:
    """(position, value) of each labelled tick on the chart's value axis."""
    group = next(g for g in svg.find_all("g") if "value-axis" in g.classes)
    labels = group.find_all("text", "tick-label")
    return [(float(t.attrs[axis]), number(t.text())) for t in labels]


def source_labels(svg: Node) -> list[str]:
    """Each bar's label as shown: its lines joined."""
    return [" ".join(span.text() for span in t.find_all("tspan")) for t in svg.find_all("text", "source-label")]


def render_cli(runner: CliRunner, db: str, tmp_path: Path, fmt: str, *extra: str) -> str:
    out = tmp_path / f"report.{fmt}"
    result = runner.invoke(app, ["report", "--format", fmt, "-o", str(out), *extra, "--db", db])
    assert result.exit_code == 0, result.stderr
    return out.read_text(encoding="utf-8")


# --- structure -------------------------------------------------------------------------------------------------------


def test_html_report_structure(loaded_db: str, runner: CliRunner, tmp_path: Path) -> None:
    add_morocco(runner, loaded_db, tmp_path)
    html = render_cli(runner, loaded_db, tmp_path, "html")
    report = json.loads(render_cli(runner, loaded_db, tmp_path, "json"))
    root = parse(html)

    ids = [n.attrs["id"] for n in root.find_all() if "id" in n.attrs]
    assert len(ids) == len(set(ids)), "duplicate ids"
    links = [n.attrs["href"] for n in root.find_all("a") if n.attrs.get("href", "").startswith("#")]
    assert links and {h[1:] for h in links} <= set(ids), {h for h in links if h[1:] not in ids}
    toc = {a.attrs["href"][1:] for a in root.one("nav", "contents").find_all("a")}
    events = sorted({g["event"] for g in report["groups"]})
    assert {g["anchor"] for g in report["groups"]} <= toc
    assert {f"event-{e}" for e in events} | {"sources", "copy-families"} <= toc

    for g in report["groups"]:
        section = next(n for n in root.find_all("section") if n.attrs.get("id") == g["anchor"])
        svg = section.one("svg", "intervals")
        ticks = value_ticks(svg)
        assert len(ticks) >= 2, g["anchor"]
        assert [p for p, _ in ticks] == sorted(p for p, _ in ticks) and [v for _, v in ticks] == sorted(
            v for _, v in ticks
        )
        assert len(set(v for _, v in ticks)) == len(ticks)
        title = svg.one("text", "axis-title").text()
        assert re.fullmatch(r"\w+ \((linear|log) scale\)", title), title
        labels = source_labels(svg)
        assert labels == [t.one("title").text() for t in svg.find_all("text", "source-label")]  # nothing cut
        for figure, label in zip(g["figures"], labels, strict=True):
            who = figure["attributed_to"] or f"{figure['publisher']} (own voice)"
            if figure["attributed_to"] is None and figure["publisher"] is None:
                who = f"document {figure['document'][:3]} (own voice)"
            assert label.startswith(f"{who} · "), (label, who)
        rows = {tr.attrs.get("id") for tr in section.find_all("tr")}
        assert {f"claim-{f['id']}" for f in g["figures"]} <= rows

    all_labels = [lab for svg in root.find_all("svg", "intervals") for lab in source_labels(svg)]
    assert "reports coming from inside Iran · 000" in all_labels
    assert f"{OCHA} · ocha1" in all_labels and f"{OCHA} · ocha2" in all_labels
    long_label = next(t for t in root.find_all("text", "source-label") if OCHA in t.text())
    assert len(long_label.find_all("tspan")) >= 2  # wrapped, not widened without end nor cut

    for event in events:
        section = next(n for n in root.find_all("section") if n.attrs.get("id") == f"event-{event}")
        timeline = section.one("svg", "timeline")
        dated = [f for g in report["groups"] if g["event"] == event for f in g["figures"] if f["published"]]
        marks = timeline.find_all("a", "mark")
        assert len(marks) == len(dated) > 0
        assert sorted(a.attrs["href"] for a in marks) == sorted(f"#claim-{f['id']}" for f in dated)
        assert len(value_ticks(timeline, axis="y")) >= 2
        dates = [t.text() for t in timeline.one("g", "date-axis").find_all("text", "tick-label")]
        assert len(dates) >= 2 and all(re.fullmatch(r"\d{4}(-\d\d){0,2}", d) for d in dates), dates
        legend = [li.text().strip() for li in section.one("ul", "sources-legend").find_all("li")]
        assert len(legend) == len(set(legend)) and all(legend)

    def timeline_of(event: str) -> Node:
        return next(n for n in root.find_all("section") if n.attrs.get("id") == f"event-{event}").one("svg", "timeline")

    def scale_of(svg: Node) -> str:
        return svg.one("g", "value-axis").one("text", "axis-title").text()

    assert "(log scale)" in scale_of(timeline_of("iran-protests-2017-18"))  # 'as many as 5' to 'more than 8,000'
    chants = timeline_of("iran-protests-2019-11")  # 'protesters' in 002 and in 001: a crowd, not one voice
    assert len([m for m in chants.find_all("a", "mark") if m.one("title").text().startswith("protesters:")]) == 2
    assert chants.find_all("polyline") == []
    timeline = timeline_of("morocco-earthquake-2023-09")
    assert "(linear scale)" in scale_of(timeline)  # 300 to 2,960: within one order of magnitude
    revision = timeline.one("polyline", "revision")
    assert OCHA in revision.one("title").text() and len(revision.attrs["points"].split()) == 2
    ocha_marks = [m for m in timeline.find_all("a", "mark") if m.one("path").one("title").text().startswith(OCHA)]
    assert len(ocha_marks) == 2 and {m.one("path").attrs["stroke"] for m in ocha_marks} == {revision.attrs["stroke"]}

    table = root.one("table", "sources")
    rows = {tr.find_all("td")[0].text(): [td.text() for td in tr.find_all("td")] for tr in table.find_all("tr")[1:]}
    assert rows[OCHA][1:4] == ["organisation", "2", "2"]
    assert rows[OCHA][4:] == ["morocco-earthquake-2023-09", "death_toll", "2", "0"]  # both in a conflicting group
    assert rows["reports coming from inside Iran"][2:] == ["1", "1", "iran-protests-2017-18", "arrest_count", "0", "1"]
    assert sum(int(r[2]) for r in rows.values()) == sum(len(g["figures"]) for g in report["groups"])


def test_event_without_dates_says_so(loaded_db: str, runner: CliRunner, tmp_path: Path) -> None:
    doc = tmp_path / "undated.txt"
    doc.write_text("Police said 40 people were arrested in Tehran during the protests in Iran.\n", encoding="utf-8")
    added = runner.invoke(app, ["add", str(doc), "--db", loaded_db])
    assert added.exit_code == 0 and "iran-protests (new, discovered)" in added.stdout, added.stdout
    root = parse(render_cli(runner, loaded_db, tmp_path, "html"))
    section = next(n for n in root.find_all("section") if n.attrs.get("id") == "event-iran-protests")
    assert section.find_all("svg", "timeline") == []
    assert "No figure about this event has a publication date" in section.text()
    assert len(root.find_all("svg", "timeline")) == len(root.find_all("section", "event")) - 1


def test_value_scale_linear_or_log() -> None:
    close = value_scale([2250, 2750, 2960], start=100, end=500)
    assert close.kind == "linear" and close.lo == 0 and close(2250) < close(2750) < close(2960)
    assert [t.label for t in close.ticks] == ["0", "1,000", "2,000", "3,000", "4,000"]
    wide = value_scale([24, 8001], start=100, end=500)
    assert wide.kind == "log" and wide.lo <= 24 and wide.hi >= 8001
    assert [t.label for t in wide.ticks] == ["10", "100", "1,000", "10,000"]
    assert [t.pos for t in wide.ticks] == sorted(t.pos for t in wide.ticks)
    assert value_scale([9, 89], start=0, end=100).kind == "linear"  # just under one order of magnitude
    assert value_scale([9, 90], start=0, end=100).kind == "log"
    upward = value_scale([1, 50], start=200, end=10)  # a vertical axis runs upwards
    assert upward(50) < upward(1)


def test_wrapped_labels_keep_every_word() -> None:
    label = f"{OCHA} · ocha1"
    lines = wrap_label(label)
    assert " ".join(lines) == label and len(lines) > 1
    assert wrap_label("x" * 90) == ["x" * 90]  # a word longer than a line is not broken


def _report_with_band(db: str, db_session: type, *, band: EstimateBand | None) -> tuple[str, str]:
    with db_session(db) as session:
        report = build_report(session)
    for other in report.groups:
        other.band = None
    group = next(g for g in report.groups if g.kind == "arrest_count" and g.event == "iran-protests-2017-18")
    group.band = band
    return render(report, fmt="html"), group.anchor


def test_estimate_band_drawn_when_set(loaded_db: str, db_session: type) -> None:
    html, anchor = _report_with_band(loaded_db, db_session, band=None)
    assert 'class="estimate"' not in html  # no group with a band
    html, anchor = _report_with_band(
        loaded_db, db_session, band=EstimateBand(low=2000, best=5000, high=9000, method="test")
    )
    root = parse(html)
    sections = [n for n in root.find_all("section") if n.attrs.get("id") == anchor]
    band = sections[0].one("svg", "intervals").one("g", "estimate")
    assert len(root.find_all("g", "estimate")) == 1
    rect, best = band.one("rect"), band.one("line")
    x1, width, xb = float(rect.attrs["x"]), float(rect.attrs["width"]), float(best.attrs["x1"])
    assert width > 0 and x1 < xb < x1 + width
    ticks = dict((v, p) for p, v in value_ticks(sections[0].one("svg", "intervals")))
    assert ticks[2000] == pytest.approx(x1, abs=0.2) and ticks[8000] < x1 + width < ticks[10000]
    assert band.one("text", "estimate-label").text() == "estimate 2,000–9,000, best 5,000 (test)"
    with pytest.raises(ValueError, match="low <= best <= high"):
        EstimateBand(low=10, best=5, high=20)


# --- in a browser ----------------------------------------------------------------------------------------------------


def _chromium(url: str, *extra: str, profile: Path) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    return subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",
            "--enable-logging=stderr",
            "--v=0",
            *extra,
            url,
        ],
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
    )


def console_errors(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if "CONSOLE" in line or "Uncaught" in line]


def png_facts(path: Path) -> tuple[int, int, int]:
    """Width, height and how many different byte values its pixel data holds (a blank page holds a handful)."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    idat, pos = b"", 8
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        if kind == b"IDAT":
            idat += data[pos + 8 : pos + 8 + length]
        pos += 12 + length
    return width, height, len(set(zlib.decompress(idat)))


@needs_chromium
def test_console_detector_sees_errors(tmp_path: Path) -> None:
    page = tmp_path / "bad.html"
    page.write_text("<html><body><script>console.error('boom'); undefinedCall();</script></body></html>")
    run = _chromium(page.as_uri(), "--dump-dom", profile=tmp_path / "profile")
    assert console_errors(run.stderr), run.stderr[-2000:]


@needs_chromium
def test_html_report_renders_escaped(loaded_db: str, runner: CliRunner, tmp_path: Path) -> None:
    doc = tmp_path / "hostile.txt"
    doc.write_text(HOSTILE, encoding="utf-8")
    added = runner.invoke(
        app, ["add", str(doc), "--publisher", "Le Progrès", "--published", "2018-01-05", "--db", loaded_db]
    )
    assert added.exit_code == 0, added.stderr
    report = tmp_path / "report.html"
    result = runner.invoke(app, ["report", "--format", "html", "-o", str(report), "--db", loaded_db])
    assert result.exit_code == 0, result.stderr
    html = report.read_text(encoding="utf-8")
    assert "http://" not in html and "https://" not in html  # self-contained: nothing to fetch
    assert "&lt;script&gt;" in html and "<script" not in html

    dom = _chromium(report.as_uri(), "--dump-dom", profile=tmp_path / "p1")
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert not console_errors(dom.stderr), console_errors(dom.stderr)
    assert "<title>claimdb discrepancy report</title>" in dom.stdout  # no injected script ran
    assert "<img" not in dom.stdout  # the document's markup is text, not elements
    assert "&lt;img src=x onerror=" in dom.stdout
    assert "<svg" in dom.stdout and "<mark>more than 8,000</mark>" in dom.stdout

    shot = tmp_path / "report.png"
    run = _chromium(report.as_uri(), f"--screenshot={shot}", "--window-size=1200,1600", profile=tmp_path / "p2")
    assert run.returncode == 0, run.stderr[-2000:]
    assert shot.stat().st_size > 20_000
    width, height, values = png_facts(shot)
    assert (width, height) == (1200, 1600) and values > 50


MEASURE = """<script>
const problems = []; let checked = 0;
for (const svg of document.querySelectorAll('svg.intervals, svg.timeline')) {
  const width = svg.width.baseVal.value, height = svg.height.baseVal.value;
  for (const t of svg.querySelectorAll('text')) {
    const b = t.getBBox(); checked++;
    if (b.width === 0 || b.x < 0 || b.y < 0 || b.x + b.width > width + 0.5 || b.y + b.height > height + 0.5)
      problems.push('outside its chart: ' + t.textContent);
  }
  for (const axis of svg.querySelectorAll('g.axis')) {
    const boxes = [...axis.querySelectorAll('text.tick-label')].map(t => t.getBBox());
    for (let i = 1; i < boxes.length; i++) {
      const a = boxes[i - 1], b = boxes[i];
      const apart = a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y;
      if (!apart) problems.push('tick labels overlap: ' + axis.textContent.trim().slice(0, 60));
    }
  }
  if (svg.classList.contains('intervals')) {
    const left = svg.querySelector('.value-axis .axis-line').x1.baseVal.value;
    for (const t of svg.querySelectorAll('text.source-label')) {
      const b = t.getBBox();
      if (b.x + b.width > left) problems.push('over the plot: ' + t.textContent);
    }
  }
}
document.body.setAttribute('data-checked', String(checked));
document.body.setAttribute('data-problems', JSON.stringify(problems));
</script>"""


@needs_chromium
def test_every_chart_text_fits_in_the_browser(
    loaded_db: str, runner: CliRunner, db_session: type, tmp_path: Path
) -> None:
    """Laid out by Chromium: every label, tick and title lies inside its chart, and no source label runs into the
    plot — measured by a script added to a copy of the report (the report itself has none)."""
    add_morocco(runner, loaded_db, tmp_path)
    html, _ = _report_with_band(loaded_db, db_session, band=EstimateBand(low=1500, best=4000, high=9500))
    page = tmp_path / "report.html"
    page.write_text(html, encoding="utf-8")
    shot = tmp_path / "full.png"
    run = _chromium(page.as_uri(), f"--screenshot={shot}", "--window-size=1100,4000", profile=tmp_path / "p0")
    assert run.returncode == 0, run.stderr[-2000:]
    width, height, values = png_facts(shot)
    assert (width, height) == (1100, 4000) and values > 50 and shot.stat().st_size > 50_000

    measured = tmp_path / "measured.html"
    measured.write_text(html.replace("</body>", MEASURE + "</body>"), encoding="utf-8")
    dom = _chromium(measured.as_uri(), "--dump-dom", profile=tmp_path / "p1")
    assert dom.returncode == 0 and not console_errors(dom.stderr), dom.stderr[-2000:]
    body = parse(dom.stdout).one("body")
    assert int(body.attrs["data-checked"]) > 100
    assert json.loads(body.attrs["data-problems"]) == []


@needs_chromium
def test_published_page_carries_its_claimreviews(loaded_db: str, runner: CliRunner, tmp_path: Path) -> None:
    """With --base-url the page holds the same reviews as `--format claimreview`, as JSON-LD data that no
    document text can break out of."""
    doc = tmp_path / "breakout.txt"
    doc.write_text(
        "Police said 40 people were arrested in Tehran during the protests in Iran "
        "</script><script>document.title='pwned'</script><!-- on Sunday.\n",
        encoding="utf-8",
    )
    added = runner.invoke(
        app, ["add", str(doc), "--publisher", "</script>", "--published", "2018-01-05", "--db", loaded_db]
    )
    assert added.exit_code == 0, added.stderr
    base = "https://factcheck.example.org/reports/iran.html"
    html = render_cli(runner, loaded_db, tmp_path, "html", "--base-url", base)
    expected = json.loads(render_cli(runner, loaded_db, tmp_path, "claimreview", "--base-url", base))
    assert any("</script><script>" in r["itemReviewed"]["text"] for r in expected)
    scripts = parse(html).find_all("script")
    assert [s.attrs for s in scripts] == [{"type": "application/ld+json"}]
    assert json.loads(scripts[0].text()) == expected
    assert html.count("</script>") == 1 and "<!--" not in scripts[0].text()

    page = tmp_path / "published.html"
    page.write_text(html, encoding="utf-8")
    dom = _chromium(page.as_uri(), "--dump-dom", profile=tmp_path / "p1")
    assert dom.returncode == 0 and not console_errors(dom.stderr), dom.stderr[-2000:]
    assert "<title>claimdb discrepancy report</title>" in dom.stdout
    shown = parse(dom.stdout)
    assert len(shown.find_all("script")) == 1 and json.loads(shown.one("script").text()) == expected
