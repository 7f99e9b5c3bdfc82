"""Each text's language, and whether the model of an analysis reads it.

The default analyzer reads English; a trained model the languages of its training texts
(`EmotionModel.languages`; None for a model trained before they were recorded, or empty when
none of its training texts had a determined language: it reads everything). A text whose
language is undetermined is scored: the benefit of the doubt.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import case, func, select

from emolytics.engine import Analyzer, languages
from emolytics.engine.languages import UNDETERMINED, Found, scored
from emolytics.extensions import db
from emolytics.pipeline import counts, per_analysis
from emolytics.tables import NOT_SCORED, Dataset, EmotionModel, JobCount

__all__ = ["Found", "detect_for", "model_languages", "present", "scored"]  # scored: the engine's


@dataclass(frozen=True, slots=True)
class Present:
    """A language found in a dataset's current analysis: the filters offer it."""

    code: str  # ISO 639-1, or "und"
    texts: int
    scored: bool  # the model read its texts

    @property
    def shown(self) -> str:
        """ "de (12 texts, not scored)", "und (3 texts, undetermined)"."""
        texts = f"{self.texts:,} text{'' if self.texts == 1 else 's'}"
        if self.code == UNDETERMINED:
            return f"{self.code} ({texts}, undetermined)"
        return f"{self.code} ({texts}{'' if self.scored else ', not scored'})"


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


def present(dataset: Dataset) -> list[Present]:
    """The languages of the dataset's current analysis, the most texts first, from its counts;
    none when there is no analysis or its counts predate languages (`counts.know_languages`).
    Summing the counts takes some 15 ms at a million texts (an hourly row per label and
    language), so each process keeps the answer per analysis and texts analysed: it changes
    only when texts are analysed."""
    if dataset.current_job_id is None:
        return []
    return per_analysis.kept("languages", dataset.current_job_id, _summed)


def _summed(job_id: int) -> list[Present]:
    if not counts.know_languages(job_id):
        return []
    not_scored = case((JobCount.label == NOT_SCORED, JobCount.texts), else_=0)
    rows = db.session.execute(
        select(JobCount.language, func.sum(JobCount.texts), func.sum(not_scored))
        .where(JobCount.job_id == job_id, JobCount.keyword == "", JobCount.also == "")
        .group_by(JobCount.language)
    )
    found = [Present(code, int(texts), int(unread) < texts) for code, texts, unread in rows]
    return sorted((row for row in found if row.texts), key=lambda row: (-row.texts, row.code))
