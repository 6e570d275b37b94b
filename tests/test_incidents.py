"""What an article says an incident is — places (gazetteer), kinds, time — and how incidents meet events: each
rule with cases it must take and near-misses it must leave."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from app.cli.main import app
from app.events import match_score
from app.extract.dateline import read_dateline
from app.extract.incidents import describe, incident_words, kinds_compatible
from app.extract.pipeline import extract_claims
from app.gazetteer import gazetteer
from app.models import Event
from app.schemas import IncidentIn, PlaceIn

TODAY = dt.date(2026, 12, 2)


def _places(text: str) -> list[tuple[str, str, str]]:
    return [(text[m.start : m.end], m.place.kind, m.place.country) for m in gazetteer().find(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The quake struck Morocco.", [("Morocco", "country", "MA")]),
        ("Moroccan and Turkish rescuers", [("Moroccan", "country", "MA"), ("Turkish", "country", "TR")]),
        ("South Korean police", [("South Korean", "country", "KR")]),
        ("villages in Al Haouz province", [("Al Haouz", "region", "MA")]),
        ("In India, Uttar Pradesh's Hathras district", [("India", "country", "IN"), ("Uttar Pradesh", "region", "IN"), ("Hathras", "city", "IN")]),
        ("Christchurch, New Zealand", [("Christchurch", "city", "NZ"), ("New Zealand", "country", "NZ")]),
        ("officials in Beirut", [("Beirut", "city", "LB")]),  # a big city: no country needed
        ("the quake south of Marrakesh, near Taroudant", [("Marrakesh", "city", "MA"), ("Taroudant", "city", "MA")]),
        ("Kahramanmaraş and Antakya", [("Kahramanmaraş", "city", "TR"), ("Antakya", "city", "TR")]),
        ("An earthquake hit İzmir, Turkey.", [("İzmir", "city", "TR"), ("Turkey", "country", "TR")]),  # İ is no A–Þ
    ],
)  # fmt: skip
def test_gazetteer_finds_places(text: str, expected: list[tuple[str, str, str]]) -> None:
    assert _places(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Police said 40 people were arrested; the police chief resigned.",  # a word the text also writes lower case
        "Of those killed, most were women; of the injured, many were children.",
        "Michael Jordan said the team would play.",  # part of a person's name
        "On 3 March 2021, soldiers opened fire.",  # a month, and a word of the lexicon
        "Rescuers reached East Java on Sunday.",  # heads a longer name ('East' is a region elsewhere)
    ],
)
def test_gazetteer_leaves_words_and_names(text: str) -> None:
    found = _places(text)
    assert all(country != "PL" and name not in ("Of", "Jordan", "March", "East") for name, _, country in found)


def test_incident_words_skip_phrases_that_name_no_incident() -> None:
    words = incident_words("Firefighters from the fire brigade said police opened fire after a heart attack.")
    assert [(w.word, w.kind) for w in words] == [("opened fire", "attack")]
    assert kinds_compatible(["explosion"], ["fire"]) and not kinds_compatible(["flood"], ["stampede"])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("RABAT, Sept 10 (Reuters) - A quake on September 8, 2023 killed", (dt.date(2023, 9, 10), "estimated", "Reuters")),
        ("KATHMANDU, April 26, 2015 (AP) — The death toll", (dt.date(2015, 4, 26), "day", "Associated Press")),
        ("Quake kills 2,000\n\nPublished 10 September 2023\n\nBody", (dt.date(2023, 9, 10), "day", None)),
        ("Updated 2:15 PM EDT, Sun September 10, 2023\nBody", (dt.date(2023, 9, 10), "day", None)),
        ("At least 85 dead\n\nSaturday, July 23, 2011\n\nA gunman", (dt.date(2011, 7, 23), "day", None)),
        ("AMIZMIZ, Morocco (AP) — An aftershock", (None, "unknown", "Associated Press")),
    ],
)  # fmt: skip
def test_dateline(text: str, expected: tuple[dt.date | None, str, str | None]) -> None:
    found = read_dateline(text, today=TODAY, latest=dt.date(2023, 9, 8) if "2023 killed" in text else None)
    assert found is not None and (found.published, found.precision, found.agency) == expected


@pytest.mark.parametrize(
    "text",
    [
        "The toll rose on September 10, 2023 to 2,000, officials said.",  # a date in the story, not a date line
        "Published 10 September 2031",  # in the future
        "Police said 40 people were arrested (AP) - later.",  # no place before the agency
    ],
)
def test_no_dateline(text: str) -> None:
    assert read_dateline(text, today=TODAY) is None


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_dateline_never_fails_and_never_dates_the_future(text: str) -> None:
    found = read_dateline(text, today=TODAY)
    assert found is None or found.published is None or found.published <= TODAY


def _incidents(text: str, published: dt.date | None) -> dict[str, IncidentIn | None]:
    return {c.text: c.incident for c in extract_claims(text, published=published, catalogue=[]).claims}


def test_a_past_incident_in_the_figures_clause() -> None:
    got = _incidents(
        "An earthquake in Morocco killed at least 2,000 people, officials said. It was the deadliest since 1960, "
        "when a quake in Agadir killed 12,000 people. In 2004, a quake near Al Hoceima killed 628.\n",
        dt.date(2023, 9, 10),
    )
    assert describe(got["at least 2,000"])[0] == "morocco-earthquake-2023-09"  # type: ignore[arg-type]
    assert describe(got["12,000"])[0] == "morocco-earthquake-1960"  # type: ignore[arg-type]
    assert describe(got["628"])[0] == "morocco-earthquake-2004"  # type: ignore[arg-type]


def test_another_kind_in_another_country_is_another_incident() -> None:
    got = _incidents(
        "An earthquake in eastern Turkey killed 14 people on Thursday, Turkish officials said, as rescuers searched "
        "the rubble of collapsed homes in Malatya province. The quake, of magnitude 5.6, was felt across the region "
        "and sent frightened residents into the streets. Turkey's disaster agency said the earthquake struck at a "
        "shallow depth near the town of Yesilyurt.\n\nSeparately, floods in Pakistan killed 30 people last week. "
        "Rescuers in Malatya said 200 people were injured.\n",
        dt.date(2023, 9, 14),
    )
    assert got["14"] is not None and got["14"].kinds == ["earthquake"] and got["14"].countries == ["TR"]
    assert got["30"] is not None and got["30"].kinds == ["flood"] and got["30"].countries == ["PK"]
    assert got["200"] == got["14"]  # no kind in its sentence: the main incident


def test_background_figures_get_no_incident() -> None:
    got = _incidents(
        "The earthquake struck near Gaziantep, a city of more than two million people, killing 1,500 people. "
        "About 4.1 million people in the area were already relying on aid.\n",
        dt.date(2023, 2, 7),
    )
    assert got["more than two million"] is None and got["About 4.1 million"] is None
    assert got["1,500"] is not None


def test_another_day_of_the_same_kind_is_another_incident() -> None:
    got = _incidents(
        "Nepal quake toll passes 8,000\n\nThe earthquake that struck Nepal on April 25, 2015 has killed more than "
        "8,000 people. An aftershock on May 12 killed 153 people in Dolakha, officials said.\n",
        dt.date(2015, 5, 14),
    )
    first, second = got["more than 8,000"], got["153"]
    assert first is not None and second is not None
    assert (first.start, first.day, second.day) == (dt.date(2015, 4, 25), dt.date(2015, 4, 25), dt.date(2015, 5, 12))


def test_an_anniversary_looks_back_and_a_date_line_is_not_the_incident() -> None:
    got = _incidents(
        "One year on from garment factory disaster\n\nThursday, April 24, 2014\n\nThe collapse of the garment "
        "factory in Savar, Bangladesh a year ago killed more than 1,100 people.\n",
        dt.date(2014, 4, 24),
    )
    incident = got["more than 1,100"]
    assert incident is not None and incident.start == dt.date(2013, 4, 24)


def test_an_undated_report_names_its_years_beside_its_incident() -> None:
    got = _incidents(
        "The 2008 Mumbai attacks killed 166 people. Gunmen attacked hotels, a railway station and a hospital in "
        "the attacks, and the 2011 earthquake elsewhere was worse; the worst since 1993.\n",
        None,
    )
    incident = got["166"]
    assert incident is not None and incident.start is None and incident.years == [2008]


def _event(**values: object) -> Event:
    base: dict[str, object] = {
        "slug": "x",
        "name": "x",
        "kinds": ["stampede"],
        "countries": ["IN"],
        "places": [],
        "start_date": dt.date(2024, 7, 2),
        "end_date": dt.date(2024, 7, 4),
        "day": None,
        "status": "discovered",
    }
    return Event(**(base | values))


def _place(name: str, country: str, lat: float, lon: float) -> PlaceIn:
    return PlaceIn(key=f"geo:{name}", name=name, kind="city", country=country, lat=lat, lon=lon)


def test_match_rules() -> None:
    hathras = _place("Hathras", "IN", 27.6, 78.05)
    incident = IncidentIn(kinds=["stampede"], countries=["IN"], places=[hathras], start=dt.date(2024, 7, 5),
                          end=dt.date(2024, 7, 5))  # fmt: skip
    assert match_score(_event(places=[hathras.model_dump()]), incident) is not None
    far = _place("Kochi", "IN", 9.93, 76.26)  # a stampede 2,000 km away is another stampede
    assert match_score(_event(places=[far.model_dump()]), incident) is None
    assert match_score(_event(kinds=["flood"]), incident) is None  # another kind
    assert match_score(_event(countries=["NP"]), incident) is None  # another country
    late = incident.model_copy(update={"start": dt.date(2024, 9, 30), "end": dt.date(2024, 9, 30)})
    assert match_score(_event(places=[hathras.model_dump()]), late) is None  # months later
    another_day = incident.model_copy(update={"day": dt.date(2024, 7, 12)})
    assert match_score(_event(places=[hathras.model_dump()], day=dt.date(2024, 7, 2)), another_day) is None
    quake = IncidentIn(kinds=["earthquake"], countries=["SY"], start=dt.date(2023, 2, 8), end=dt.date(2023, 2, 8))
    assert match_score(_event(kinds=["earthquake"], countries=["TR"], start_date=dt.date(2023, 2, 6),
                              end_date=dt.date(2023, 2, 7)), quake) is not None  # fmt: skip  # neighbours
    protest = IncidentIn(kinds=["protests"], countries=["SY"], start=dt.date(2023, 2, 8), end=dt.date(2023, 2, 8))
    assert match_score(_event(kinds=["protests"], countries=["TR"], start_date=dt.date(2023, 2, 6),
                              end_date=dt.date(2023, 2, 7)), protest) is None  # fmt: skip  # protests stay home


def test_future_date_and_dateline_publisher(empty_db: str, runner: CliRunner, tmp_path: Path) -> None:
    doc = tmp_path / "quake.txt"
    doc.write_text(
        "RABAT, Sept 10, 2023 (Reuters) - An earthquake in Al Haouz killed 2,012 people, the interior ministry said.\n",
        encoding="utf-8",
    )
    future = runner.invoke(app, ["add", str(doc), "--published", "2099-01-01", "--db", empty_db])
    assert (future.exit_code, future.stderr) == (1, "error: quake.txt: publication date 2099-01-01 is in the future\n")
    assert runner.invoke(app, ["add", str(doc), "--db", empty_db]).exit_code == 0
    docs = runner.invoke(app, ["documents", "--json", "--db", empty_db])
    import json

    (added,) = json.loads(docs.stdout)
    assert (added["publisher"], added["published"], added["published_precision"]) == ("Reuters", "2023-09-10", "day")


def test_the_first_month_of_a_range_takes_the_year_after_it() -> None:
    from app.extract.link import find_dates

    text = "Flash Appeal April - July 2015; from March to May 2020; in April, 2016 and June."
    got = [(text[d.start : d.end], d.first) for d in find_dates(text, 0, len(text), None)]
    assert got == [
        ("April", dt.date(2015, 4, 1)),
        ("July 2015", dt.date(2015, 7, 1)),
        ("March", dt.date(2020, 3, 1)),
        ("May 2020", dt.date(2020, 5, 1)),
        ("April, 2016", dt.date(2016, 4, 1)),
    ]  # "June" alone, with no year near it and no document date, is no date


def test_an_undated_report_naming_a_month_joins_no_event_of_another_month() -> None:
    got = _incidents(
        "Bombs tore through commuter trains in Mumbai, killing 147 people. The Security Council president for "
        "the month of July condemned the attacks.\n",
        None,
    )
    incident = got["147"]
    assert incident is not None and incident.start is None and incident.months == [7]
    july = _event(kinds=["attack", "explosion"], countries=["IN"], start_date=dt.date(2006, 7, 11),
                  end_date=dt.date(2006, 7, 20))  # fmt: skip
    november = _event(kinds=["attack"], countries=["IN"], start_date=dt.date(2008, 11, 26),
                      end_date=dt.date(2008, 12, 6))  # fmt: skip
    assert match_score(july, incident) is not None
    assert match_score(november, incident) is None


def test_an_undated_reports_past_year_is_another_incident() -> None:
    got = _incidents(
        "Nepal earthquake kills thousands\n\nA powerful earthquake struck Nepal on Saturday, killing more than "
        "1,800 people in Kathmandu and the surrounding valley, officials said, as rescuers searched the rubble of "
        "collapsed buildings and temples across the capital and villages near the epicentre were cut off.\n\n"
        "In 1934, an even stronger quake killed more than 10,000 people.\n",
        None,
    )
    main, past = got["more than 1,800"], got["more than 10,000"]
    assert main is not None and main.start is None and main.years == []  # the lead gives no year
    assert past is not None and (past.start, past.end) == (dt.date(1934, 1, 1), dt.date(1934, 12, 31))


def test_an_abduction_is_an_incident_with_a_long_follow_up() -> None:
    """Kidnappings are incidents of their own kind, and reports years later ('still missing seven years later')
    are about them; a kidnapping during an attack may be the attack's."""
    got = _incidents(
        "Gunmen kidnapped 80 pupils from a boarding school in Kebbi state, Nigeria, on Thursday, police said.\n",
        dt.date(2021, 6, 18),
    )
    assert got["80"] is not None and "abduction" in got["80"].kinds and got["80"].countries == ["NG"]
    assert kinds_compatible(["abduction"], ["attack"])
    assert not kinds_compatible(["abduction"], ["earthquake"])
