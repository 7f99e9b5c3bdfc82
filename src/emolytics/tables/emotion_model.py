"""Emotion models a team trained from labeled data."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, deferred, mapped_column

from emolytics.extensions import db
from emolytics.tables.user import UTCDateTime, utcnow


class EmotionModel(db.Model):
    __tablename__ = "emotion_models"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(10), default="trained")
    labels: Mapped[list[str]] = mapped_column(JSON, default=list)
    metrics: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    training_rows: Mapped[int] = mapped_column(default=0)
    # the languages of its training texts (ISO 639-1); None: trained before they were recorded
    languages: Mapped[list[str] | None] = mapped_column(JSON)
    text_column: Mapped[str] = mapped_column(String(120), default="text")
    label_column: Mapped[str] = mapped_column(String(120), default="label")
    # a workbook's sheet the labeled texts are on (None: the first with a filled cell)
    training_sheet: Mapped[str | None] = mapped_column(String(120))
    # the labeled CSV until training has used it, then the engine's artifact (a zip of JSON
    # and NumPy arrays, loaded without unpickling)
    training_csv: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    artifact: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
