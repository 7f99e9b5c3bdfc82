"""Texts in several languages for the language tests: uploaded, their languages and labels read."""

from sqlalchemy import select

from emolytics.engine.artifacts import load_model
from emolytics.extensions import db
from emolytics.tables import Dataset, Result, TextRow
from tests.web.uploads import upload

# (text, the language it must be detected as)
MULTILINGUAL = [
    ("I love the new tram, it is absolutely brilliant", "en"),
    ("Ich freue mich riesig über die neue Straßenbahn, einfach wunderbar!", "de"),
    ("Je suis tellement heureuse aujourd'hui, le nouveau tramway est magnifique !", "fr"),
    ("Estoy muy contento con el nuevo tranvía, funciona de maravilla.", "es"),
    ("🎉😍🎉", "und"),
    ("ok", "und"),
]


def artifact_details(artifact: bytes, folder) -> dict:
    """The `details` a stored model file keeps."""
    path = folder / "model.zip"
    path.write_bytes(artifact)
    return load_model(path)[1]["details"]


def _upload(auth) -> int:
    """The fixture as a dataset, every text geotagged, analysed by the default analyzer."""
    auth.login()
    lines = ["text,created_at,lat,lon"]
    for n, (text, _) in enumerate(MULTILINGUAL):
        lines.append(f'"{text}",2026-03-0{n + 1}T10:00:00Z,48.{n},16.4')
    content = "\n".join(lines) + "\n"
    response = upload(auth, content, "polyglot.csv", name="Polyglot", keywords="tram")
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.location.rsplit("/", 1)[1])


def _stored(app, dataset_id: int) -> dict[str, tuple[str | None, str]]:
    """text -> (language, label) of the dataset's current analysis."""
    with app.app_context():
        job_id = db.session.get(Dataset, dataset_id).current_job_id
        rows = db.session.execute(
            select(TextRow.text, Result.language, Result.label)
            .join(Result, Result.text_id == TextRow.id)
            .where(Result.job_id == job_id)
        )
        return {text: (language, label) for text, language, label in rows}
