"""A place column: texts whose file names their city or country, not coordinates, are on the
map; the places not found are counted and named on the dataset, its upload message and the API.
"""

from sqlalchemy import select

from emolytics.extensions import db
from emolytics.tables import Dataset, TextRow
from tests.web.api_calls import add_file, call, error_code, new_feed, push
from tests.web.api_calls import upload as api_upload
from tests.web.uploads import preview, upload

SURVEY = (
    "Comment,Submitted,City\n"
    '"I love the new tram, so quick",2026-03-01T08:00:00Z,Lisboa\n'
    '"The app crashed again, I am furious",2026-03-01T09:00:00Z,"Paris, TX"\n'
    '"Tickets scare me, far too expensive",2026-03-02T10:00:00Z,Home\n'
    '"What a lovely ride this morning",2026-03-03T11:00:00Z,Germany\n'
    '"The staff were kind and helpful",2026-03-04T12:00:00Z,\n'
    '"Late again, what a joke",2026-03-05T12:00:00Z,home\n'
    '"Clean and on time",2026-03-06T12:00:00Z,Mordor\n'
)


def positions(app, dataset_id: int) -> dict[str, tuple[float, float] | None]:
    with app.app_context():
        rows = db.session.execute(
            select(TextRow.text, TextRow.lat, TextRow.lon).where(TextRow.dataset_id == dataset_id)
        )
        return {
            text: None if lat is None else (round(lat, 2), round(lon, 2)) for text, lat, lon in rows
        }


def test_a_city_column_is_guessed_and_puts_its_texts_on_the_map(app, client, auth):
    auth.login()
    found = preview(auth, SURVEY).json
    assert found["guesses"]["place"] == "City" and found["guesses"]["lat"] is None
    assert found["unplaced"] == ["Home", "home", "Mordor"]  # told before the upload
    response = upload(auth, SURVEY, "survey.csv")
    assert response.status_code == 302
    dataset_id = int(response.location.rsplit("/", 1)[1])
    placed = positions(app, dataset_id)
    assert placed["I love the new tram, so quick"] == (38.73, -9.15)
    assert placed["The app crashed again, I am furious"] == (33.66, -95.56)
    germany = placed["What a lovely ride this morning"]
    assert 50 < germany[0] < 52 and 9 < germany[1] < 11  # the country's middle
    assert placed["The staff were kind and helpful"] is None  # no place given
    assert placed["Tickets scare me, far too expensive"] is None
    summary = client.get(f"/datasets/{dataset_id}/summary.json").json
    assert summary["map"]["geotagged"] == 3

    page = client.get(f"/datasets/{dataset_id}").get_data(as_text=True)
    assert (
        "7 texts uploaded" in page and "The places of 3 texts were not found for the map." in page
    )
    assert "The places of 3 texts were not found, so they are not on the map" in page
    assert "“Home” (1), “home” (1), “Mordor” (1)" in page
    assert "data-places-attribution=" in page and "geonames.org" in page


def test_coordinates_win_over_the_place_where_a_row_has_both(app, auth):
    auth.login()
    content = (
        "text,lat,lon,location\nLovely ride,10.5,20.5,Berlin\nAwful delays,,,Berlin\nSo slow,,,\n"
    )
    response = upload(auth, content, "rides.csv")
    assert response.status_code == 302
    dataset_id = int(response.location.rsplit("/", 1)[1])
    assert positions(app, dataset_id) == {
        "Lovely ride": (10.5, 20.5),
        "Awful delays": (52.52, 13.41),
        "So slow": None,
    }
    with app.app_context():
        dataset = db.session.get(Dataset, dataset_id)
        assert dataset.column_map["place"] == "location" and dataset.unplaced is None
    page = auth.client.get(f"/datasets/{dataset_id}").get_data(as_text=True)
    assert 'data-role="unplaced"' not in page


def test_a_country_column_tells_cities_of_one_name_apart_or_is_the_place(app, auth):
    auth.login()
    content = (
        "Feedback,Town,Country\n"
        "Lovely ride,Paris,France\n"
        "Awful delays,Paris,US\n"
        "So slow,Springfield,Illinois\n"
        "Kind staff,,Germany\n"
        "Nice tram,,DE\n"
        "Quick trip,Paris,\n"
        "Too dear,Paris,Narnia\n"
    )
    assert preview(auth, content).json["guesses"]["country"] == "Country"
    response = upload(auth, content, "feedback.csv")
    assert response.status_code == 302
    dataset_id = int(response.location.rsplit("/", 1)[1])
    placed = positions(app, dataset_id)
    assert placed["Lovely ride"] == placed["Quick trip"] == (48.85, 2.35)
    assert placed["Awful delays"] == (33.66, -95.56)  # Paris, Texas
    assert placed["So slow"] == (39.8, -89.64)
    assert placed["Nice tram"] == placed["Kind staff"]  # a country column's code
    assert 50 < placed["Kind staff"][0] < 52
    assert placed["Too dear"] == (48.85, 2.35)  # a country it does not know is left aside
    with app.app_context():
        assert db.session.get(Dataset, dataset_id).unplaced is None


def test_a_province_column_beside_a_city_is_guessed_and_tells_its_cities_apart(app, auth):
    auth.login()
    content = (
        "Comment,City,Province\nLovely ride,London,ON\nAwful delays,London,\nSo slow,Perth,WA\n"
    )
    guesses = preview(auth, content).json["guesses"]
    assert (guesses["place"], guesses["country"]) == ("City", "Province")
    response = upload(auth, content, "feedback.csv")
    assert response.status_code == 302
    placed = positions(app, int(response.location.rsplit("/", 1)[1]))
    assert placed["Lovely ride"] == (42.98, -81.23)  # London, Ontario
    assert placed["Awful delays"] == (51.51, -0.13)  # London, England
    assert placed["So slow"] == (-31.95, 115.86)  # Perth, Western Australia
    only_state = preview(auth, "Comment,State\nLovely ride,open\n").json["guesses"]
    assert only_state["country"] is None  # without a place beside it, a state is no place's


def test_a_place_column_that_is_not_in_the_file_is_refused(app, auth):
    auth.login()
    response = upload(auth, SURVEY, "survey.csv", place_column="Town")
    assert response.status_code == 400
    assert "The file has no column named &#39;Town&#39;" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Dataset.id)) is None


def test_the_api_places_uploads_added_files_and_pushed_texts(app, api):
    uploaded = api_upload(api, SURVEY.encode(), place_column="City")
    assert uploaded.status_code == 201, uploaded.json
    dataset = uploaded.json
    assert dataset["columns"]["place"] == "City"
    assert dataset["places_not_found"] == {
        "texts": 3,
        "names": [
            {"name": "Home", "texts": 1},
            {"name": "home", "texts": 1},
            {"name": "Mordor", "texts": 1},
        ],
    }
    more = b"Comment,City\nGreat staff,Mordor\nNice ride,Porto\n"
    assert add_file(api, dataset["id"], more).status_code == 201
    shown = call(api, "GET", f"/api/v1/datasets/{dataset['id']}").json
    assert shown["places_not_found"]["texts"] == 4
    assert shown["places_not_found"]["names"][0] == {"name": "Mordor", "texts": 2}

    feed = new_feed(api)
    assert feed["places_not_found"] is None
    items = [
        {"text": "Love it", "place": "Austin", "country": "TX"},
        {"text": "Hate it", "place": "Narnia"},
        {"text": "Fine", "place": "Narnia", "lat": 1.0, "lon": 2.0},  # coordinates win
    ]
    assert push(api, feed["id"], items).status_code == 201
    assert positions(app, feed["id"]) == {
        "Love it": (30.27, -97.74),
        "Hate it": None,
        "Fine": (1.0, 2.0),
    }
    assert push(api, feed["id"], [{"text": "Again", "place": "Narnia"}]).status_code == 201
    shown = call(api, "GET", f"/api/v1/datasets/{feed['id']}").json
    assert shown["places_not_found"] == {"texts": 2, "names": [{"name": "Narnia", "texts": 2}]}


def test_a_place_that_is_not_a_short_string_is_refused(app, api):
    feed = new_feed(api)
    for place, problem in [(42, "place must be a string"), ("x" * 201, "longer than 200")]:
        response = push(api, feed["id"], [{"text": "Fine", "place": place}])
        assert response.status_code == 400 and error_code(response) == "invalid_items"
        assert problem in response.json["error"]["message"]
    assert positions(app, feed["id"]) == {}
