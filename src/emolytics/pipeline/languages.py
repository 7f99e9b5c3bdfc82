"""Each text's language, and whether the model of an analysis reads it.

The default analyzer reads English; a trained model the languages of its training texts
(`EmotionModel.languages`; None for a model trained before they were recorded, or empty when
none of its training texts had a determined language: it reads everything). A text whose
language is undetermined is scored: the benefit of the doubt.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select

from emolytics.engine import Analyzer, EmotionResult, languages
from emolytics.extensions import db
from emolytics.tables import EmotionModel


@dataclass(frozen=True, slots=True)
class Found:
    code: str  # ISO 639-1, or "und"
    scored: bool  # the model reads it (or it is undetermined)


def model_languages(model_id: int | None) -> frozenset[str] | None:
    """The languages the default analyzer (None) or a trained model reads; None: all."""
    if model_id is None:
        return frozenset(languages.DEFAULT_LANGUAGES)
    recorded = db.session.scalar(select(EmotionModel.languages).where(EmotionModel.id == model_id))
    return frozenset(recorded) if recorded else None


def detect_for(model_id: int | None, analyzer: Analyzer, texts: Sequence[str]) -> list[Found]:
    """Each text's language, and whether the model `model_id` (None: the default), loaded as
    `analyzer`, scores it."""
    reads = model_languages(model_id)
    return [
        Found(code, reads is None or code == languages.UNDETERMINED or code in reads)
        for code in languages.detect(texts, analyzer.knows, reads or ())
    ]


def scored(
    analyzer: Analyzer, texts: Sequence[str], found: Sequence[Found], explain: bool = False
) -> list[EmotionResult | None]:
    """The results of the texts the model reads, in order; None for the others."""
    read = [text for text, language in zip(texts, found, strict=True) if language.scored]
    scores = iter(analyzer.analyze(read, explain=explain) if read else [])
    return [next(scores) if language.scored else None for language in found]
