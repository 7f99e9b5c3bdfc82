"""What a base model should keep answering when it is adapted: its reference sample, and how
much an adapted model forgets of it.

The default analyzer's ships in the package (`engine/data/default-*.tsv`, GoEmotions rows built
by `scripts/build_reference_sample.py`); a trained model carries none.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

from emolytics.engine.fitting import evaluate_predictions
from emolytics.engine.model import LinearModel
from emolytics.engine.text import tokenize

ANCHORS_FILE = "default-anchors.tsv"
HELD_OUT_FILE = "default-held-out.tsv"


@dataclass(frozen=True, slots=True)
class Reference:
    """What a base model should keep answering, from its own domain: `anchors` are distilled
    from (the refit keeps agreeing with the base on them), `guard` rows (texts, gold labels)
    choose settings that do not forget, `validation` rows report forgetting and nothing else."""

    anchors: tuple[str, ...]
    guard: tuple[tuple[str, str], ...]
    validation: tuple[tuple[str, str], ...]


def default_reference() -> Reference:
    """The default analyzer's reference, shipped in the package (GoEmotions rows, see
    engine/data/NOTICE.md): anchors from its training split; guard and validation rows from
    its dev split, alternately."""
    anchors = tuple(text for text, _ in _read_rows(_data_path(ANCHORS_FILE)))
    held_out = _read_rows(_data_path(HELD_OUT_FILE))
    return Reference(anchors, tuple(held_out[::2]), tuple(held_out[1::2]))


@dataclass(frozen=True, slots=True)
class Guard:
    """The reference's guard rows, read once, and the base's macro-F1 on them."""

    labels: tuple[str, ...]
    features: sp.csr_matrix
    gold: np.ndarray
    base_macro_f1: float

    base_predicted: np.ndarray

    @classmethod
    def of(cls, base: LinearModel, rows: Sequence[tuple[str, str]]) -> "Guard":
        features = feature_rows(base, [text for text, _ in rows])
        gold = np.array([base.labels.index(label) for _, label in rows])
        predicted = _predicted(base, features)
        macro_f1 = evaluate_predictions(base.labels, gold, predicted).macro_f1
        return cls(base.labels, features, gold, macro_f1, predicted)

    def compare(self, model: LinearModel) -> tuple[float, float]:
        """(the macro-F1 `model` loses on the guard rows against the base, negative if it
        gains; the share of them it gives the base's label)."""
        predicted = _predicted(model, self.features)
        macro_f1 = evaluate_predictions(self.labels, self.gold, predicted).macro_f1
        return self.base_macro_f1 - macro_f1, float(np.mean(predicted == self.base_predicted))


def measure_forgetting(
    base: LinearModel, model: LinearModel, rows: Sequence[tuple[str, str]]
) -> dict[str, Any]:
    """Macro-F1 of the base and of the adapted model on the reference's validation rows, and
    how often they give the same label."""
    texts = [text for text, _ in rows]
    gold = np.array([base.labels.index(label) for _, label in rows])
    forms = [token_forms(text) for text in texts]
    base_predicted = base.probabilities(forms).argmax(axis=1)
    predicted = model.probabilities(forms).argmax(axis=1)
    return {
        "rows": len(rows),
        "base_macro_f1": evaluate_predictions(base.labels, gold, base_predicted).macro_f1,
        "macro_f1": evaluate_predictions(base.labels, gold, predicted).macro_f1,
        "agreement": float(np.mean(base_predicted == predicted)),
    }


def feature_rows(model: LinearModel, texts: Sequence[str]) -> sp.csr_matrix:
    return model.vectorizer.transform([token_forms(text) for text in texts])


def token_forms(text: str) -> list[str]:
    return tokenize(text).forms


def _predicted(model: LinearModel, features: sp.csr_matrix) -> np.ndarray:
    return model.logits(features).argmax(axis=1)


def _data_path(name: str) -> Path:
    return Path(str(resources.files("emolytics.engine").joinpath("data", name)))


def _read_rows(path: Path) -> list[tuple[str, str]]:
    """(text, label) rows of a shipped `label<TAB>text` file."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        label, _, text = line.partition("\t")
        rows.append((text, label))
    return rows
