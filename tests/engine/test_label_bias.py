"""Per-label offsets tuned on out-of-fold logits (`engine.label_bias`)."""

import numpy as np

from emolytics.engine.fitting import evaluate_predictions, macro_f1
from emolytics.engine.label_bias import chosen


def test_the_fast_macro_f1_is_the_reports() -> None:
    generator = np.random.default_rng(0)
    gold = generator.integers(0, 4, 500)  # label 4 of 5 is neither gold nor predicted
    predicted = np.where(generator.random(500) < 0.6, gold, generator.integers(0, 4, 500))
    report = evaluate_predictions(tuple("abcde"), gold, predicted)
    assert macro_f1(gold, predicted, 5) == report.macro_f1


def logits_with(gold: np.ndarray, starved: float) -> np.ndarray:
    """Noisy logits that favour the gold label, the last label's lowered by `starved`."""
    generator = np.random.default_rng(1)
    logits = generator.normal(size=(len(gold), 3))
    logits[np.arange(len(gold)), gold] += 2.0
    logits[:, 2] -= starved
    return logits


def test_offsets_win_back_a_starved_label() -> None:
    gold = np.random.default_rng(2).integers(0, 3, 1500)
    logits = logits_with(gold, starved=2.5)
    bias = chosen(logits, gold)
    assert bias.offsets is not None
    assert bias.offsets[2] - bias.offsets[:2].max() > 1.0
    assert bias.macro_f1_without == macro_f1(gold, logits.argmax(axis=1), 3)
    assert macro_f1(gold, bias.predicted, 3) > bias.macro_f1_without + 0.1
    # the reported predictions used offsets tuned on the other folds, not these
    assert not np.array_equal(bias.predicted, (logits + bias.offsets).argmax(axis=1))


def test_offsets_that_cannot_help_are_not_kept() -> None:
    gold = np.random.default_rng(3).integers(0, 3, 300)
    logits = np.eye(3)[gold] * 5.0  # every text already right
    bias = chosen(logits, gold)
    assert bias.offsets is None
    assert np.array_equal(bias.predicted, gold)
    assert bias.macro_f1_without == 1.0
