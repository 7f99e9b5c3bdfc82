"""scripts/default_blend.py: the default build's choices on out-of-fold logits."""

from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from emolytics.engine import EMOTIONS
from emolytics.engine.model import softmax

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"


@pytest.fixture
def default_blend(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.syspath_prepend(str(SCRIPTS))  # the build scripts import each other by name
    import default_blend

    return default_blend


def test_the_score_temperature_undoes_overconfidence(default_blend) -> None:
    """Labels drawn from softmax(z) on two domains: logits twice as sure as the truth (2z) get
    a temperature of about 2, honest ones (z) none."""
    generator = np.random.default_rng(0)
    rows = 6000
    logits = generator.normal(scale=1.5, size=(rows, len(EMOTIONS)))
    gold = [generator.choice(len(EMOTIONS), p=row) for row in softmax(logits.copy())]
    corpus = SimpleNamespace(
        emotions=[frozenset({EMOTIONS[label]}) for label in gold],
        domain=np.repeat([0, 1], rows // 2),
    )
    objective = default_blend.Objective(corpus)
    offsets = np.zeros(len(EMOTIONS))
    assert objective.score_temperature([2 * logits], offsets) == pytest.approx(2.0, abs=0.15)
    assert objective.score_temperature([logits, logits], offsets) == pytest.approx(1.0, abs=0.15)
    shifted = logits + 1.0  # the same offset on every label changes no score
    assert objective.score_temperature([2 * shifted], offsets) == pytest.approx(2.0, abs=0.15)


def test_offsets_are_tuned_to_goemotions_over_both_fold_splits(default_blend) -> None:
    """Label 2 is lowered on GoEmotions' rows of both splits: its offset raises it back; XED's
    rows (label 6 lowered there) do not count."""
    generator = np.random.default_rng(5)
    rows = 4000
    gold = generator.integers(0, len(EMOTIONS), rows)
    domain = np.repeat([0, 1], rows // 2)
    corpus = SimpleNamespace(
        emotions=[frozenset({EMOTIONS[label]}) for label in gold], domain=domain
    )
    splits = []
    for _ in range(2):
        logits = generator.normal(size=(rows, len(EMOTIONS)))
        logits[np.arange(rows), gold] += 1.5
        logits[domain == 0, 2] -= 1.5
        logits[domain == 1, 6] -= 3.0
        splits.append(logits)
    objective = default_blend.Objective(corpus)
    offsets = objective.tune_offsets(splits)
    assert offsets[2] - np.delete(offsets, 2).max() > 0.8
    assert offsets[6] < 0.5
    before, after = objective.per_domain(splits)[0], objective.per_domain(splits, offsets)[0]
    assert after > before + 0.05
