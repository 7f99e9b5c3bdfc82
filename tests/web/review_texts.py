"""Texts for the review queue tests: an analysed dataset of them, its results, the sample key;
the text a review page shows, and submitting its forms."""

import re
from io import BytesIO

from flask import Flask
from sqlalchemy import select

from emolytics.extensions import db
from emolytics.pipeline import intake
from emolytics.pipeline.datasets import Upload
from emolytics.tables import Dataset, Result
from tests.conftest import AuthActions, team_of

WORDS = ["love", "hate", "late", "scared", "happy", "sad", "angry", "wow", "fine", "great"]
WORDS += ["awful", "okay", "brilliant", "terrified", "disgusting", "surprised"]
# The default analyzer reads English only: this one is not scored and never queued.
GERMAN = "Ich freue mich riesig über die neue Straßenbahn, einfach wunderbar!"
TEXTS = [f"The tram today: {word}, really {word}" for word in WORDS] + [GERMAN]


def _dataset(app: Flask, texts: list[str] = TEXTS, owner: str = "ada") -> int:
    """The texts as an analysed dataset of `owner`'s personal team."""
    content = "text\n" + "".join(f'"{text}"\n' for text in texts)
    with app.app_context():
        upload = Upload(name="Review me", source="upload")
        dataset = intake.import_and_analyse(
            team_of(owner), upload, BytesIO(content.encode()), "texts.csv"
        )
        return dataset.id


def _results(app: Flask, dataset_id: int) -> dict[int, Result]:
    with app.app_context():
        job_id = db.session.get(Dataset, dataset_id).current_job_id
        found = db.session.scalars(select(Result).where(Result.job_id == job_id)).all()
        db.session.expunge_all()
        return {result.text_id: result for result in found}


def _key(dataset_id: int, text_id: int) -> int:
    """`review.sample_key`, written again in Python."""
    mixed = (text_id + dataset_id * 40503) % 2**31
    first = (mixed * 2654435761) % 2**32
    rotated = (first % 2**16) * 2**16 + first // 2**16
    return ((rotated % 2**31) * 2246822519) % 2**32


def _shown(page: str) -> tuple[int, bool]:
    """The text id the review page shows, and whether it was drawn at random."""
    found = re.search(r'data-text-id="(\d+)" data-sample="(true|false)"', page)
    assert found, page
    return int(found.group(1)), found.group(2) == "true"


def _hidden(page: str, url: str) -> dict[str, str]:
    """The hidden fields of the page's form posted to `url`."""
    form = re.search(rf'action="{re.escape(url)}"[^>]*>(.*?)</form>', page, re.S)
    assert form, f"no form for {url}"
    return dict(re.findall(r'type="hidden" name="(\w+)" value="([^"]*)"', form.group(1)))


def _post(auth: AuthActions, url: str, page: str, **fields: str) -> None:
    """Submit the page's form at `url` (its hidden fields, plus `fields`)."""
    response = auth.client.post(url, data={**_hidden(page, url), **fields})
    assert response.status_code == 302, response.get_data(as_text=True)
