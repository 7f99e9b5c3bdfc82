"""A team's annotations of a dataset: what happened when ("New timetable", 22 February 06:00
UTC), drawn on the dashboard's timeline, with the days after it one click from being compared
with the days before (`periods` compares a view with the same length of time before it)."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from emolytics.extensions import db
from emolytics.pipeline import dataset_rows
from emolytics.pipeline.filters import Filters
from emolytics.pipeline.ingest import contains_nul
from emolytics.tables import Annotation, Dataset, User

MAX_ANNOTATIONS = 200  # per dataset
MAX_NOTE_CHARS = 200
COMPARED_DAYS = 7  # the days after an annotation its link shows (against as many before)


class AnnotationRefused(ValueError):
    """An annotation that cannot be made, and why."""


@dataclass(frozen=True)
class Listed:
    annotation: Annotation
    noted_by: str | None  # the username (None: the account is gone)

    @property
    def after(self) -> dict[str, str]:
        """The date filters of the COMPARED_DAYS after it, from its hour: the dashboard
        compares them with as many days before it."""
        start = self.annotation.at.replace(minute=0)
        return Filters(start=start, end=start + timedelta(days=COMPARED_DAYS)).as_args()


def listed(dataset: Dataset) -> list[Listed]:
    """The dataset's annotations, earliest first, with who made each."""
    rows = db.session.execute(
        select(Annotation, User.username)
        .outerjoin(User, User.id == Annotation.user_id)
        .where(Annotation.dataset_id == dataset.id)
        .order_by(Annotation.at, Annotation.id)
    ).all()
    return [Listed(annotation, username) for annotation, username in rows]


def add(dataset: Dataset, at: datetime, note: str, user_id: int) -> Annotation:
    """Note `note` (trimmed) at `at` (naive: UTC, kept to the minute); refused without a note,
    with a longer one than MAX_NOTE_CHARS, or past MAX_ANNOTATIONS."""
    note = note.strip()
    if not note:
        raise AnnotationRefused("Write what happened (a few words).")
    if len(note) > MAX_NOTE_CHARS or contains_nul(note):
        raise AnnotationRefused(f"Keep the note to {MAX_NOTE_CHARS} characters, without NUL.")
    count = select(func.count()).where(Annotation.dataset_id == dataset.id)
    if db.session.scalar(count) >= MAX_ANNOTATIONS:
        raise AnnotationRefused(
            f"A dataset keeps {MAX_ANNOTATIONS} annotations at most: delete one first."
        )
    moment = at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)
    annotation = Annotation(
        dataset_id=dataset.id,
        at=moment.replace(second=0, microsecond=0),
        note=note,
        user_id=user_id,
    )
    db.session.add(annotation)
    db.session.commit()
    return annotation


def owned(dataset: Dataset, annotation_id: int) -> Annotation:
    return dataset_rows.owned(Annotation, dataset.id, annotation_id)


def delete(dataset: Dataset, annotation_id: int) -> str:
    """Delete the annotation; what it was, for the audit log."""
    return dataset_rows.delete(Annotation, dataset.id, annotation_id, described_annotation)


def described_annotation(annotation: Annotation) -> str:
    return (
        f"annotation {annotation.id} ({annotation.at:%Y-%m-%d %H:%M} UTC: {annotation.note!r}) "
        f"of dataset {annotation.dataset_id}"
    )
