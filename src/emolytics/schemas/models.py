"""What the API answers about emotion models: a model, its metrics and how its settings were
chosen."""

from typing import Any, Literal

from pydantic import Field

from emolytics.schemas.answers import Answer, Job
from emolytics.schemas.fields import Timestamp
from emolytics.tables import EmotionModel
from emolytics.tables import Job as JobRow


class SearchCandidate(Answer):
    description: str = Field(description="The settings, as the model page shows them.")
    features: str = Field(description="Words, adjacent pairs, character n-grams (xN: weighed N).")
    solver: Literal["lbfgs", "sgd"]
    regularisation: float = Field(description="C: larger fits the training data closer.")
    macro_f1: float = Field(description="Cross-validated macro-F1 on the search's folds.")
    seconds: float
    chosen: bool


class ModelSelection(Answer):
    chosen: str = Field(description="The settings chosen: the best candidate's description.")
    candidates: list[SearchCandidate] = Field(description="Every candidate, in the order tried.")
    folds: int = Field(description="Folds (of the 5 of the report) each candidate was scored on.")
    seconds: float = Field(description="Time the search took.")
    budget_seconds: float = Field(description="Time allowed for the whole training.")
    stopped: str | None = Field(description="Why the search ended early, if it did.")

    @classmethod
    def of(cls, stored: dict[str, Any] | None) -> "ModelSelection | None":
        """From a model's metrics; None for a model trained with fixed settings."""
        if not stored:
            return None
        return cls.model_validate({**stored, "chosen": stored["chosen"]["description"]})


class Model(Answer):
    id: int
    name: str
    kind: str = Field(
        description="`trained` (from a labeled file) or `adapted` (from a dataset's corrections; "
        "its metrics hold `base` and `adaptation`: the cross-validation on the corrections "
        "against the base model's, each candidate tried (`gated`: the change applies as far as "
        "a gate says a text is like the corrections and the `domain_texts` of the dataset it "
        "also learnt from; `changed`: the corrections just one of it and the base gets right, "
        "out of fold; `likelihood_gain`: the mean out-of-fold "
        "gain in the log-probability of a correction's label over the base's; `p_value`: the "
        "share of bootstrap resamples of the corrections in which that gain is not above zero; "
        "`agreement` and `forgetting`: the share of guard texts given the base's label, and "
        "the guard macro-F1 lost; `verdict`: `chosen`, or why not, in words), the `rules` a "
        "candidate had to meet to be kept (`max_p`, "
        "`min_changed`, `min_agreement`, `max_forgetting`; of those kept, the best out-of-fold "
        "macro-F1 less `forgetting_weight` times the forgetting wins), and the forgetting on the "
        "base's own validation data)."
    )
    ready: bool = Field(description="Trained, and usable as `model_id`.")
    labels: list[str]
    languages: list[str] | None = Field(
        description="The languages of its training texts (ISO 639-1), which it scores; texts "
        "in another are not scored. Null: trained before languages were recorded (it scores "
        "every text)."
    )
    metrics: dict[str, Any] = Field(
        description="Cross-validation results (accuracy, macro F1, per label, ...); for a "
        "trained model, `label_bias`: the per-label offsets added to its logits (null when, "
        "tuned on the other folds, none raised the cross-validated macro-F1; the results are "
        "with them) and `macro_f1_without_bias`."
    )
    selection: ModelSelection | None = Field(
        description="How the settings were chosen (null: fixed settings, or an older model)."
    )
    training_rows: int
    text_column: str
    label_column: str
    created_at: Timestamp
    job: Job | None

    @classmethod
    def of(cls, model: EmotionModel, job: JobRow | None) -> "Model":
        """A model with its metrics and its latest training job; `ready` once trained."""
        return cls(
            id=model.id,
            name=model.name,
            kind=model.kind,
            ready=bool(model.labels),
            labels=model.labels,
            languages=model.languages,
            metrics=model.metrics,
            selection=ModelSelection.of((model.metrics or {}).get("selection")),
            training_rows=model.training_rows,
            text_column=model.text_column,
            label_column=model.label_column,
            created_at=model.created_at,
            job=job and Job.model_validate(job),
        )


class Models(Answer):
    models: list[Model]
