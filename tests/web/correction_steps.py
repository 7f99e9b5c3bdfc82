"""Steps of the corrections tests: a tram dataset uploaded, a text corrected on its page, counts."""

from collections import Counter
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from emolytics.extensions import db
from emolytics.pipeline import counts
from emolytics.tables import Dataset, JobCount, JobPoint, Result, TextRow
from tests.conftest import csrf_token
from tests.web.uploads import upload

LINES = (
    "I love the new tram {n}",
    "The app crashed again, I am furious {n}",
    "Tickets scare me {n}",
)


def _upload(auth, signed_in: bool = False) -> int:
    """24 texts over fifteen hours, two or three an hour (every third geotagged, two without a
    time), with tracked keywords."""
    if not signed_in:
        auth.login()
    rows = ["text,created_at,lat,lon"]
    start = datetime(2026, 3, 1, tzinfo=UTC)
    for n in range(24):
        moment = "" if n in (5, 17) else (start + timedelta(minutes=37 * n)).isoformat()
        place = (f"48.{n:02d}", "16.4") if n % 3 == 0 else ("", "")
        rows.append(f'"{LINES[n % 3].format(n=n)}",{moment},{place[0]},{place[1]}')
    content = "\n".join(rows) + "\n"
    response = upload(auth, content, "tram.csv", name="Tram", keywords="tram, app")
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.location.rsplit("/", 1)[1])


def _text(app, dataset_id: int, words: str) -> tuple[int, str]:
    """The id and current label of the dataset's text `words`."""
    with app.app_context():
        job_id = db.session.get(Dataset, dataset_id).current_job_id
        return db.session.execute(
            select(TextRow.id, Result.label)
            .join(Result, (Result.text_id == TextRow.id) & (Result.job_id == job_id))
            .where(TextRow.dataset_id == dataset_id, TextRow.text == words)
        ).one()


def _distribution(client, dataset_id: int, query: str = "") -> dict[str, int]:
    summary = client.get(f"/datasets/{dataset_id}/summary.json?{query}").json
    return {row["label"]: row["count"] for row in summary["distribution"]}


def _stored_counts(app, dataset_id: int) -> tuple[Counter, Counter]:
    """The current analysis's count rows (times aside) and map points."""
    with app.app_context():
        job_id = db.session.get(Dataset, dataset_id).current_job_id
        columns = ("keyword", "also", "label", "language", "hour", "texts", "geotagged")
        columns += ("corrected", "segment")
        kept = select(*(getattr(JobCount, name) for name in columns)).where(
            JobCount.job_id == job_id
        )
        points = select(
            JobPoint.keyword, JobPoint.text_id, JobPoint.label, JobPoint.language, JobPoint.segment
        ).where(JobPoint.job_id == job_id)
        return (
            Counter(tuple(row) for row in db.session.execute(kept)),
            Counter(tuple(row) for row in db.session.execute(points)),
        )


def _assert_counts_are_a_full_recount(app, dataset_id: int) -> None:
    """The counts a correction changed in place equal the counts built afresh."""
    incremental = _stored_counts(app, dataset_id)
    with app.app_context():
        counts.recount(dataset_id)
    assert _stored_counts(app, dataset_id) == incremental


def _correct_on_page(auth, dataset_id: int, text_id: int, label: str, **extra: str):
    page = f"/datasets/{dataset_id}/texts/{text_id}"
    form = {"label": label, "csrf_token": csrf_token(auth.client, page), **extra}
    return auth.client.post(f"{page}/label", data=form)


def _rows_count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))
