"""Each text's language, and whether the model of an analysis reads it.

The default analyzer reads English; a trained model the languages of its training texts
(`EmotionModel.languages`; None for a model trained before they were recorded, or empty when
none of its training texts had a determined language: it reads everything). A text whose
language is undetermined is scored: the benefit of the doubt.
"""

from collections.abc import Sequence

from sqlalchemy import select

from emolytics.engine import Analyzer, languages
from emolytics.engine.languages import Found, scored
from emolytics.extensions import db
from emolytics.tables import EmotionModel

__all__ = ["Found", "detect_for", "model_languages", "scored"]  # scored: the engine's, for views


def model_languages(model_id: int | None) -> frozenset[str] | None:
    """The languages the default analyzer (None) or a trained model reads; None: all."""
    if model_id is None:
        return frozenset(languages.DEFAULT_LANGUAGES)
    recorded = db.session.scalar(select(EmotionModel.languages).where(EmotionModel.id == model_id))
    return frozenset(recorded) if recorded else None


def detect_for(model_id: int | None, analyzer: Analyzer, texts: Sequence[str]) -> list[Found]:
    """Each text's language, and whether the model `model_id` (None: the default), loaded as
    `analyzer`, scores it."""
    return languages.found(texts, analyzer, model_languages(model_id))
