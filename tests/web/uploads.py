"""Uploads through the page for the tests: the upload form, its preview, the rows stored."""

import io

from sqlalchemy import func, select

from emolytics.extensions import db
from emolytics.tables import Dataset, Result, TextRow

REVIEWS = (
    "text,created_at,author,lat,lon\n"
    '"I love the new #tram, it is soooo fast 😍",2026-03-01T08:00:00Z,ana,48.21,16.37\n'
    '"The tram delays make me furious, worst service ever 😡",2026-03-02T09:30:00Z,ben,,\n'
    '"Tickets are too expensive and the app crashed again",2026-03-03T18:00:00Z,cy,48.2,16.4\n'
    '"I am scared to ride the tram at night",2026-03-04T22:10:00Z,dee,,\n'
    '"Wow, I did not expect the TRAM to be free this weekend!",2026-03-05T10:00:00Z,eve,,\n'
    '"The app shows the timetable.",,fay,,\n'
)


def upload(auth, content: bytes | str, filename: str = "reviews.csv", **fields: str):
    data = content.encode() if isinstance(content, str) else content
    form = {"name": fields.pop("name", "Reviews"), "keywords": "tram, app, tickets", **fields}
    form["csrf_token"] = _token(auth, "/datasets/new")
    form["file"] = (io.BytesIO(data), filename)
    return auth.client.post("/datasets/new", data=form, content_type="multipart/form-data")


def _token(auth, url: str) -> str:
    from tests.conftest import csrf_token

    return csrf_token(auth.client, url)


def counts(app) -> tuple[int, int, int]:
    with app.app_context():
        return tuple(
            db.session.scalar(select(func.count()).select_from(model))
            for model in (Dataset, TextRow, Result)
        )


def preview(auth, content: bytes | str, filename: str = "reviews.csv", **columns: str):
    data = content.encode() if isinstance(content, str) else content
    return auth.client.post(
        "/datasets/preview",
        data={"file": (io.BytesIO(data), filename), **columns},
        content_type="multipart/form-data",
        headers={"X-CSRFToken": _token(auth, "/datasets/new")},
    )
