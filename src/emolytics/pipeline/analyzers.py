"""The analyzers that label texts: the default one, or a trained model, loaded once per process."""

import tempfile
import threading
from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from emolytics.engine import Analyzer, load_analyzer
from emolytics.extensions import db
from emolytics.pipeline.purge import OwnerGone
from emolytics.tables import EmotionModel

# Keyed by a model's id and the time it was trained: SQLite gives a deleted model's id to the
# next one, and a deletion in another process is not seen here.
_analyzers: dict[tuple[int, datetime] | None, Analyzer] = {}
_analyzers_lock = threading.Lock()


class ModelGone(OwnerGone):
    """The model was deleted."""


def analyzer_for(model_id: int | None) -> Analyzer:
    """The default analyzer (None) or a trained model; ModelGone if it was deleted."""
    key = None if model_id is None else (model_id, _trained_at(model_id))
    with _analyzers_lock:
        if key not in _analyzers:
            _analyzers[key] = _load(model_id)
        return _analyzers[key]


def forget_analyzer(model_id: int) -> None:
    with _analyzers_lock:
        for key in [key for key in _analyzers if key is not None and key[0] == model_id]:
            del _analyzers[key]


def _trained_at(model_id: int) -> datetime:
    created_at = db.session.scalar(
        select(EmotionModel.created_at).where(EmotionModel.id == model_id)
    )
    if created_at is None:
        raise ModelGone(f"model {model_id}")
    return created_at


def _load(model_id: int | None) -> Analyzer:
    if model_id is None:
        return load_analyzer()
    artifact = db.session.scalar(select(EmotionModel.artifact).where(EmotionModel.id == model_id))
    if artifact is None:
        raise ModelGone(f"model {model_id}")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "model.zip"
        path.write_bytes(artifact)
        return load_analyzer(path)
