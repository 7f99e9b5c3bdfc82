"""Labels a team set by hand on analysed texts: they outlive every analysis of the dataset;
and the texts reviewers have open in the review queue."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Float, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from emolytics.extensions import db
from emolytics.tables.dataset import BigId
from emolytics.tables.user import UTCDateTime, utcnow


class CorrectionSource(StrEnum):
    TEXT = "text"  # the text's page, the texts table or the API
    REVIEW = "review"  # the review queue, a text it chose for being unsure
    SAMPLE = "sample"  # the review queue, a text it drew at random (the accuracy estimate)


class Correction(db.Model):
    """The right label of one text, as a member of the team set it.

    One row per text. The analyses apply it to their results (`Result.label` becomes this
    label, `Result.model_label` keeps the model's own); `model_label` and `model_score` here
    are what the model said when the correction was made.
    """

    __tablename__ = "label_corrections"

    dataset_id: Mapped[int] = mapped_column(
        ForeignKey("datasets.id", ondelete="CASCADE"), primary_key=True
    )
    text_id: Mapped[int] = mapped_column(BigId, primary_key=True)
    label: Mapped[str] = mapped_column(String(40))
    model_label: Mapped[str] = mapped_column(String(40))  # '' (NOT_SCORED): not scored
    model_score: Mapped[float] = mapped_column(Float)
    source: Mapped[CorrectionSource] = mapped_column(String(10), default=CorrectionSource.TEXT)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ReviewHold(db.Model):
    """A text of the review queue open on a reviewer's page until `until`: the queue leaves it
    out for the dataset's other reviewers meanwhile. One per reviewer and dataset at most."""

    __tablename__ = "review_holds"

    dataset_id: Mapped[int] = mapped_column(
        ForeignKey("datasets.id", ondelete="CASCADE"), primary_key=True
    )
    text_id: Mapped[int] = mapped_column(BigId, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    until: Mapped[datetime] = mapped_column(UTCDateTime)
