"""Adapting a model to a dataset's corrections, as a job: a new model the team can use anywhere.

The base is the model of the dataset's current analysis (the default analyzer or a team model);
the new model starts from it and learns from the corrections (`engine.adaptation`); from the
default, its gates also learn what the dataset's texts look like. It is a normal team model:
listed, inspected, used on any dataset, deleted.
"""

from sqlalchemy import func, select

from emolytics.accounts import audit
from emolytics.engine import adaptation
from emolytics.engine.errors import EngineError
from emolytics.engine.reference import default_reference
from emolytics.extensions import db
from emolytics.pipeline import jobs, training
from emolytics.pipeline.analysed_by import analysed_by
from emolytics.pipeline.analysis import JobGone
from emolytics.pipeline.analyzers import ModelGone, analyzer_for
from emolytics.tables import Correction, Dataset, EmotionModel, Job, TextRow

NAME_LENGTH = 120
MIN_CORRECTIONS = adaptation.MIN_ROWS
MAX_DOMAIN_TEXTS = adaptation.MAX_DOMAIN_TEXTS  # of the dataset's texts, teaching the gates
# the engine's progress lines (the base's score, each setting, the choice), then the saving
STEPS = len(adaptation.CANDIDATES) + 3


class AdaptationRefused(Exception):
    """Adapting cannot start on this dataset; the message says why (409)."""


def start(dataset: Dataset, name: str | None, actor: audit.Actor) -> Job:
    """The job adapting the dataset's current model to its corrections, and the model it makes
    (listed as in training until the job is done)."""
    if dataset.current_job_id is None:
        raise AdaptationRefused("Analyse the dataset first: adapting starts from its model.")
    base = analysed_by(dataset)
    usable = corrections_count(dataset.id, base.labels)
    if usable < MIN_CORRECTIONS:
        raise AdaptationRefused(
            f"Adapting needs at least {MIN_CORRECTIONS} corrected texts with labels of "
            f"this analysis; this dataset has {usable}. Correct more texts (the review queue "
            "shows the ones the model is least sure about)."
        )
    model = EmotionModel(
        team_id=dataset.team_id,
        name=(name or f"{base.name}, adapted to {dataset.name}")[:NAME_LENGTH],
        kind="adapted",
        metrics={"base": {"id": _base_model_id(dataset), "name": base.name}},
    )
    db.session.add(model)
    db.session.flush()
    target = audit.named("model", model.id, model.name)
    audit.record(audit.Event("model.adaptation_started", actor, model.team_id, target))
    return jobs.start_adaptation(model, dataset, STEPS)


def corrections_count(dataset_id: int, labels: list[str]) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(Correction)
        .where(Correction.dataset_id == dataset_id, Correction.label.in_(labels))
    )


def run(job: Job) -> None:
    """Adapt the base model to the dataset's corrections and store the new model.

    Raises the engine's errors (shown to the user) for corrections it cannot learn from."""
    model = db.session.get(EmotionModel, job.model_id)
    dataset = db.session.get(Dataset, job.dataset_id)
    if model is None or dataset is None:
        raise JobGone(f"model or dataset of job {job.id}")
    base_id = model.metrics["base"]["id"]
    try:
        base = analyzer_for(base_id)
    except ModelGone as error:
        raise EngineError("The model it was adapting was deleted meanwhile.") from error
    texts, labels = _corrected_texts(dataset.id, list(base.labels))
    reference = default_reference() if base_id is None else None
    steps = iter(range(1, job.total))
    report = adaptation.adapt(
        base,
        texts,
        labels,
        reference=reference,
        domain=_domain_texts(dataset.id) if reference else (),
        on_progress=lambda line: _progress(job, next(steps, job.total - 1)),
    )
    details = {"name": model.name, "languages": analysed_by(dataset).languages}  # the base's
    training.made(model, report.model, details, "model.adapted", by="adaptation job")
    model.metrics = {**model.metrics, **report.metrics()}
    model.training_rows = len(texts)
    job.done = job.total
    db.session.commit()


def _base_model_id(dataset: Dataset) -> int | None:
    return db.session.scalar(select(Job.model_id).where(Job.id == dataset.current_job_id))


def _domain_texts(dataset_id: int) -> list[str]:
    """Up to the engine's `MAX_DOMAIN_TEXTS` of the dataset's texts, spread over it by id: what
    its domain looks like, for the gates (the corrections alone are too few)."""
    count = db.session.scalar(select(func.count()).where(TextRow.dataset_id == dataset_id))
    stride = max(1, -(-(count or 0) // adaptation.MAX_DOMAIN_TEXTS))
    return list(
        db.session.scalars(
            select(TextRow.text)
            .where(TextRow.dataset_id == dataset_id, TextRow.id % stride == 0)
            .order_by(TextRow.id)
            .limit(adaptation.MAX_DOMAIN_TEXTS)
        )
    )


def _corrected_texts(dataset_id: int, labels: list[str]) -> tuple[list[str], list[str]]:
    rows = db.session.execute(
        select(TextRow.text, Correction.label)
        .join(TextRow, TextRow.id == Correction.text_id)
        .where(
            Correction.dataset_id == dataset_id,
            TextRow.dataset_id == dataset_id,
            Correction.label.in_(labels),
        )
        .order_by(Correction.text_id)
    ).all()
    return [row.text for row in rows], [row.label for row in rows]


def _progress(job: Job, step: int) -> None:
    """One more line of the engine's progress: the base's score, each setting tried, the fit."""
    job.done = step
    db.session.commit()
