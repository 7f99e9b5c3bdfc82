"""The dashboard's numbers and map come from each analysis's counts and points: they must equal
a direct count over the texts for every filter, after a live-feed push and after the keywords
change."""

import io
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

from flask_migrate import downgrade, upgrade
from sqlalchemy import func, select

from emolytics.extensions import db
from emolytics.pipeline import reports, search
from emolytics.pipeline.filters import Filters, searched
from emolytics.tables import Dataset, JobCount, Result, TextKeyword, TextRow
from tests.conftest import csrf_token

WORDS = ("I love the tram", "the app crashed, I am furious", "tickets and the tram scare me")
FILTERS = [
    "",
    "label=joy",
    "keyword=tram",
    "keyword=app",
    "keyword=nowhere",
    "start=2026-03-02&end=2026-03-03",
    "start=2026-03-03",
    "end=2026-03-01",
    "keyword=tram&label=fear&start=2026-03-02&end=2026-03-04",
    "start=2026-03-02&end=2026-03-02",  # one day: hourly buckets
    "q=TRAM",
    "q=crashed&keyword=app&start=2026-03-01&end=2026-03-03",
    "q=tram&label=fear",
    "q=zeppelin",  # no text
]


def _corpus() -> str:
    """60 texts over four days at many hours (two without a time, some geotagged), with the
    tracked keywords alone and together."""
    lines = ["text,created_at,author,lat,lon"]
    start = datetime(2026, 3, 1, tzinfo=UTC)
    for n in range(60):
        words = WORDS[n % 3] + (" and the app" if n % 4 == 0 else "")
        moment = "" if n in (7, 31) else (start + timedelta(minutes=97 * n)).isoformat()
        place = (f"{48 + n / 100:.2f}", "16.4") if n % 5 == 0 else ("", "")
        lines.append(f'"{words} {n}",{moment},user{n},{place[0]},{place[1]}')
    return "\n".join(lines) + "\n"


def _upload(auth, keywords: str = "tram, app, tickets") -> int:
    auth.login()
    form = {
        "name": "Counted",
        "keywords": keywords,
        "csrf_token": csrf_token(auth.client, "/datasets/new"),
        "file": (io.BytesIO(_corpus().encode()), "counted.csv"),
    }
    response = auth.client.post("/datasets/new", data=form, content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.location.rsplit("/", 1)[1])


def _arguments(query: str) -> dict[str, str]:
    return dict(pair.split("=", 1) for pair in query.split("&") if pair)


def _kept(row: dict[str, Any], arguments: dict[str, str]) -> bool:
    day = row["posted_at"].date().isoformat() if row["posted_at"] else None
    return all(
        (
            "label" not in arguments or row["label"] == arguments["label"],
            "keyword" not in arguments or arguments["keyword"] in row["keywords"],
            "start" not in arguments or (day is not None and day >= arguments["start"]),
            "end" not in arguments or (day is not None and day <= arguments["end"]),
            "q" not in arguments or arguments["q"].lower() in row["text"].lower(),
        )
    )


def _rows(app, dataset_id: int) -> list[dict[str, Any]]:
    """Every text of the dataset with its current result and keywords, read row by row."""
    with app.app_context():
        job_id = db.session.get(Dataset, dataset_id).current_job_id
        rows = db.session.execute(
            select(
                TextRow.id, TextRow.text, TextRow.posted_at, TextRow.lat, TextRow.lon, Result.label
            )
            .join(Result, Result.text_id == TextRow.id)
            .where(TextRow.dataset_id == dataset_id, Result.job_id == job_id)
        ).all()
        tags = db.session.execute(
            select(TextKeyword.text_id, TextKeyword.keyword).where(
                TextKeyword.dataset_id == dataset_id
            )
        ).all()
    keywords: dict[int, set[str]] = {}
    for text_id, keyword in tags:
        keywords.setdefault(text_id, set()).add(keyword)
    return [{**row._asdict(), "keywords": keywords.get(row.id, set())} for row in rows]


def _expected(rows: list[dict[str, Any]], tracked: list[str], query: str) -> dict[str, Any]:
    """The summary's numbers and the texts total, counted in Python from the rows."""
    arguments = _arguments(query)
    kept = [row for row in rows if _kept(row, arguments)]
    times = [row["posted_at"] for row in kept if row["posted_at"]]
    span = max(times) - min(times) if times else timedelta(0)
    shape = "%Y-%m-%dT%H:00:00Z" if span <= timedelta(days=3) else "%Y-%m-%dT00:00:00Z"
    timeline = Counter(
        (row["posted_at"].strftime(shape), row["label"]) for row in kept if row["posted_at"]
    )
    comparison = {keyword: 0 for keyword in tracked}
    for row in kept:
        for keyword in row["keywords"]:
            comparison[keyword] = comparison.get(keyword, 0) + 1
    placed = [row for row in kept if row["lat"] is not None]
    # newest first, texts without a time last, then the later text first
    placed.sort(key=lambda row: (row["posted_at"] is not None, row["posted_at"] or 0, row["id"]))
    return {
        "analysed": len(kept),
        "distribution": dict(Counter(row["label"] for row in kept)),
        "timeline": dict(timeline) if times else {},
        "keywords": comparison,
        "geotagged": len(placed),
        "points": [[row["lat"], row["lon"], row["label"], row["id"]] for row in reversed(placed)],
    }


def _shown(client, dataset_id: int, query: str) -> dict[str, Any]:
    summary = client.get(f"/datasets/{dataset_id}/summary.json?{query}").json
    points = summary["timeline"]["points"]
    return {
        "analysed": summary["analysed"],
        "distribution": {
            row["label"]: row["count"] for row in summary["distribution"] if row["count"]
        },
        "timeline": {
            (point["t"], label): count
            for point in points
            for label, count in point["counts"].items()
        },
        "keywords": {row["keyword"]: row["total"] for row in summary["keywords"]},
        "geotagged": summary["map"]["geotagged"],
        "points": summary["map"]["points"],
    }


def _assert_numbers_match(app, client, dataset_id: int) -> None:
    rows = _rows(app, dataset_id)
    with app.app_context():
        tracked = db.session.get(Dataset, dataset_id).keywords
    for query in FILTERS:
        expected = _expected(rows, tracked, query)
        assert _shown(client, dataset_id, query) == expected, query
        page = client.get(f"/datasets/{dataset_id}/texts?{query}").get_data(as_text=True)
        total = expected["analysed"]
        assert f"{total} {'text matches' if total == 1 else 'texts match'}" in page, query


def test_numbers_equal_a_direct_count_for_every_filter(app, client, auth):
    dataset_id = _upload(auth)
    summary = client.get(f"/datasets/{dataset_id}/summary.json").json
    assert summary["analysed"] == 60 and summary["timeline"]["bucket"] == "day"
    hourly = client.get(f"/datasets/{dataset_id}/summary.json?start=2026-03-02&end=2026-03-02")
    assert hourly.json["timeline"]["bucket"] == "hour"
    _assert_numbers_match(app, client, dataset_id)


def test_a_search_whose_matches_are_few_is_counted_from_their_ids(app, client, auth, monkeypatch):
    """The summary reads the ids of a search's matches once for all its parts while few texts
    match (1 in `LOOKUP_COST`, then here every one), and past `MATCHES_READ` (here 30) each
    part searches the texts itself, to the same numbers."""
    dataset_id = _upload(auth)
    with app.app_context():
        dataset = db.session.get(Dataset, dataset_id)
        assert searched(dataset, Filters(query="tram")).matches is None  # 40 texts of 60
        assert searched(dataset, Filters(query="zeppelin")).matches == ()
        monkeypatch.setattr(search, "LOOKUP_COST", {"postgresql": 1, "sqlite": 1})
        assert len(searched(dataset, Filters(query="TRAM")).matches or ()) == 40
        assert searched(dataset, Filters(query="zeppelin")).matches == ()
        for word in ("crashed", "zeppelin"):  # the timeline alone (the API's) reads them too
            shown = client.get(f"/datasets/{dataset_id}/summary.json?q={word}").json
            assert reports.timeline(dataset, Filters(query=word)) == shown["timeline"]
        monkeypatch.setattr(search, "MATCHES_READ", 30)
        assert searched(dataset, Filters(query="tram")).matches is None
        assert len(searched(dataset, Filters(query="crashed")).matches or ()) == 20
    _assert_numbers_match(app, client, dataset_id)
    monkeypatch.setattr(search, "MATCHES_READ", 50_000)
    _assert_numbers_match(app, client, dataset_id)


def test_numbers_follow_edited_keywords(app, client, auth):
    dataset_id = _upload(auth)
    response = auth.post(
        f"/datasets/{dataset_id}/keywords",
        {"keywords": "scare, app, love"},
        token_from=f"/datasets/{dataset_id}",
    )
    assert response.status_code == 302
    keywords = client.get(f"/datasets/{dataset_id}/summary.json").json["keywords"]
    assert [row["keyword"] for row in keywords] == ["scare", "app", "love"]
    assert client.get(f"/datasets/{dataset_id}/summary.json?keyword=tram").json["analysed"] == 0
    _assert_numbers_match(app, client, dataset_id)


def test_live_feed_pushes_add_to_the_counts(app, client, auth, api):
    feed = api.client.post(
        "/api/v1/datasets",
        json={"name": "Live", "keywords": ["tram", "app"]},
        headers={"Authorization": f"Bearer {api.token}"},
    ).json
    items = [
        {"text": f"{WORDS[n % 3]} {n}", "posted_at": f"2026-03-0{1 + n % 3}T0{n % 10}:30:00Z"}
        for n in range(12)
    ] + [
        {"text": "the app and the tram", "posted_at": "2026-03-02T12:00:00Z", "lat": 1.5, "lon": 2}
    ]
    for batch in (items[:5], items[5:], items[2:4] + [items[0]]):  # the same groups again
        response = api.client.post(
            f"/api/v1/datasets/{feed['id']}/texts",
            json=batch,
            headers={"Authorization": f"Bearer {api.token}"},
        )
        assert response.status_code == 201, response.json
    auth.login()
    assert client.get(f"/datasets/{feed['id']}/summary.json").json["analysed"] == 16
    _assert_numbers_match(app, client, feed["id"])
    with app.app_context():  # one row per group, however many pushes added to it
        groups = select(JobCount.keyword, JobCount.also, JobCount.label, JobCount.hour).group_by(
            JobCount.keyword, JobCount.also, JobCount.label, JobCount.hour
        )
        duplicated = groups.having(func.count() > 1).subquery()
        assert db.session.scalar(select(func.count()).select_from(duplicated)) == 0


def test_a_rerun_and_a_deletion_remove_the_old_counts(app, client, auth):
    dataset_id = _upload(auth)
    with app.app_context():
        first_job = db.session.get(Dataset, dataset_id).current_job_id
    response = auth.post(
        f"/datasets/{dataset_id}/analyze", {"model": ""}, token_from=f"/datasets/{dataset_id}"
    )
    assert response.status_code == 302
    with app.app_context():
        jobs = db.session.scalars(select(JobCount.job_id).distinct()).all()
        assert jobs and first_job not in jobs
    _assert_numbers_match(app, client, dataset_id)
    response = auth.post(f"/datasets/{dataset_id}/delete", {"confirm_name": "Counted"})
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(JobCount)) == 0


def test_the_migration_counts_finished_analyses(app, client, auth):
    dataset_id = _upload(auth)
    before = client.get(f"/datasets/{dataset_id}/summary.json?keyword=tram").json
    with app.app_context():
        directory = app.extensions["migrate"].directory
        downgrade(directory=directory, revision="0002_datasets")
        upgrade(directory=directory)
    assert client.get(f"/datasets/{dataset_id}/summary.json?keyword=tram").json == before
    _assert_numbers_match(app, client, dataset_id)


def test_a_text_search_counts_up_to_a_cap(app, client, auth, api, monkeypatch):
    from emolytics.pipeline import text_pages

    dataset_id = _upload(auth)
    search = f"/datasets/{dataset_id}/texts?q=crashed"
    assert "20 texts match" in client.get(search).get_data(as_text=True)
    monkeypatch.setattr(text_pages, "SEARCH_COUNTED", 5)
    assert "5+ texts match" in client.get(search).get_data(as_text=True)
    page = api.get(f"/api/v1{search}&per_page=2&page=9").json
    assert (page["total"], page["capped"], page["pages"], page["page"]) == (5, True, 3, 3)
    assert len(page["texts"]) == 2
    first = api.get(f"/api/v1{search}&per_page=50").json  # the count stops, the page does not
    assert (first["total"], first["capped"], len(first["texts"])) == (5, True, 20)


def test_a_search_that_finds_a_page_or_less_sorts_its_matches_alone(app, api, auth):
    """A search counts its matches by reading their ids (1,000 at most); when they fit on the
    page they are the page, sorted alone; when they do not, the page is found as before."""
    dataset_id = _upload(auth)
    matches = [row for row in _rows(app, dataset_id) if "crashed" in row["text"].lower()]
    assert len(matches) == 20
    search = f"/api/v1/datasets/{dataset_id}/texts?q=crashed"
    for sort in ("newest", "negative"):
        whole = api.get(f"{search}&per_page=20&sort={sort}").json
        assert (whole["total"], whole["pages"], whole["next_cursor"]) == (20, 1, None)
        pages = [api.get(f"{search}&per_page=7&sort={sort}&page={n}").json for n in (1, 2, 3)]
        assert [len(page["texts"]) for page in pages] == [7, 7, 6]
        assert {page["total"] for page in pages} == {20} and pages[0]["next_cursor"]
        assert [t["id"] for t in whole["texts"]] == [t["id"] for p in pages for t in p["texts"]]
    assert sorted(t["id"] for t in whole["texts"]) == sorted(row["id"] for row in matches)
    nothing = api.get(f"/api/v1/datasets/{dataset_id}/texts?q=zeppelin").json
    assert (nothing["total"], nothing["pages"], nothing["texts"]) == (0, 1, [])


def test_every_page_of_texts_keeps_the_order_however_it_is_found(app, auth, api, monkeypatch):
    """On SQLite, a page is found by walking the texts newest first while it ends early enough
    among the texts kept (`WALKED_SHARE`), else sorted from all of them: always walked and never
    walked, the pages list the texts the filters keep, newest first, those without a time last."""
    from emolytics.pipeline import text_pages

    dataset_id = _upload(auth)
    rows = _rows(app, dataset_id)
    rows.sort(
        key=lambda row: (
            row["posted_at"] is None,
            -(row["posted_at"] or _EPOCH).timestamp(),
            row["id"],
        )
    )
    for query in [
        *FILTERS,
        "label=joy&keyword=app",
        "label=fear&end=2026-03-02",
        "corrected=false",
    ]:
        expected = [row["id"] for row in rows if _kept(row, _arguments(query))]
        for share in (2.0, 0.0):  # every page walked (the last one too), then none
            monkeypatch.setattr(text_pages, "WALKED_SHARE", share)
            found = []
            for page in range(1, 11):
                url = f"/api/v1/datasets/{dataset_id}/texts?{query}&per_page=7&page={page}"
                answer = api.get(url).json
                found += [] if answer["page"] < page else [text["id"] for text in answer["texts"]]
            assert found == expected, (query, share)


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
