"""Which analyzer produced a dataset's current results, and how the pages name its labels."""

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from emolytics.engine import EMOTIONS, EmotionResult
from emolytics.engine.languages import DEFAULT_LANGUAGES
from emolytics.extensions import db
from emolytics.pipeline.analyzers import analyzer_for
from emolytics.tables import Dataset, EmotionModel, Job

DEFAULT_NAME = "Default analyzer"


@dataclass(frozen=True)
class AnalysedBy:
    name: str  # "Default analyzer" or the trained model's name
    labels: list[str]
    # The labels are emotions: the default analyzer's, or a model's whose labels are all among
    # them (a model retrained on emotions); any other label set (complaint, praise…) is "labels".
    emotions: bool
    # The languages it reads (ISO 639-1); None: a model trained before they were recorded
    languages: list[str] | None = None
    model_id: int | None = None  # None: the default analyzer

    @property
    def default(self) -> bool:
        return self.model_id is None

    @property
    def described(self) -> str:
        """How a sentence names it: "the default analyzer", "the model “Tickets”"."""
        return "the default analyzer" if self.default else f"the model “{self.name}”"

    @property
    def noun(self) -> str:
        return "emotion" if self.emotions else "label"

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "emotions": self.emotions,
            "noun": self.noun,
            "languages": self.languages,
        }


def analysed_by(dataset: Dataset) -> AnalysedBy:
    """The analyzer of the dataset's current analysis (the default one before any)."""
    model = None
    if dataset.current_job_id is not None:
        model = db.session.execute(
            select(EmotionModel.id, EmotionModel.name, EmotionModel.labels, EmotionModel.languages)
            .join(Job, Job.model_id == EmotionModel.id)
            .where(Job.id == dataset.current_job_id)
        ).first()
    return of_model(model)


def of_model(model: Any) -> AnalysedBy:
    """The default analyzer (None) or a trained model (an `EmotionModel`, or a row of its id,
    name, labels and languages) as the pages name it."""
    if model is None:
        return AnalysedBy(DEFAULT_NAME, list(EMOTIONS), True, list(DEFAULT_LANGUAGES))
    labels = list(model.labels)
    emotions = set(labels) <= set(EMOTIONS)
    return AnalysedBy(model.name, labels, emotions, model.languages, model.id)


def explain(dataset: Dataset, texts: list[str]) -> list[EmotionResult]:
    """`texts` analysed again by the dataset's current analyzer, with the terms that made each
    label (explanations are computed on demand, so bulk analysis stays fast)."""
    model_id = db.session.scalar(select(Job.model_id).where(Job.id == dataset.current_job_id))
    return analyzer_for(model_id).analyze(texts, explain=True)
