"""The settings search: what it tries, what it reports, and its budgets."""

import itertools
import random

import numpy as np
import pytest

from emolytics.engine.training import Search, TrainingOptions, train

TOPICS = {
    "billing": "invoice charged refund payment price bill card",
    "bug": "crash error broken freeze bug fails slow",
    "question": "how where when can what which why",
}
FILLER = "the a my your this that it is was on in at today again please now still".split()


def tickets(per_label: int = 80) -> tuple[list[str], list[str]]:
    """A few hundred short texts: two topic words each, among filler; one in six is mislabeled
    so that candidates score differently."""
    chooser = random.Random(7)
    texts, labels = [], []
    for number, label in itertools.product(range(per_label), TOPICS):
        words = chooser.sample(FILLER, 5) + chooser.sample(TOPICS[label].split(), 2)
        chooser.shuffle(words)
        texts.append(" ".join(words))
        labels.append(chooser.choice(list(TOPICS)) if number % 6 == 0 else label)
    return texts, labels


class TickingClock:
    """A fake clock: every reading is one second after the previous one."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        self.now += 1.0
        return self.now


def test_search_picks_the_best_candidate_and_reports_each() -> None:
    texts, labels = tickets()
    report = train(texts, labels)
    selection = report.selection
    assert selection is not None and selection.stopped is None
    tried = [trial.candidate for trial in selection.trials]
    assert len(tried) == len(set(tried)) >= 8
    assert {candidate.features for candidate in tried} >= {"words", "words and pairs"}
    assert len({candidate.regularisation for candidate in tried}) >= 4
    assert len({round(trial.macro_f1, 4) for trial in selection.trials}) > 1  # they differ
    best = max(trial.macro_f1 for trial in selection.trials)
    assert [t.macro_f1 for t in selection.trials if t.candidate == selection.chosen] == [best]
    assert selection.folds == 3
    # the report reuses the winner's predictions on the search's folds
    assert np.mean(report.fold_macro_f1[:3]) == pytest.approx(best)

    stored = report.metrics()["selection"]
    assert stored["chosen"]["description"] == selection.chosen.describe()
    assert [candidate["chosen"] for candidate in stored["candidates"]].count(True) == 1
    assert all(0 <= candidate["macro_f1"] <= 1 for candidate in stored["candidates"])
    assert report.model.vectorizer.spec.char_max == (
        0 if selection.chosen.features in ("words", "words and pairs") else 5
    )


def test_progress_lines_name_each_candidate() -> None:
    texts, labels = tickets(20)
    lines: list[str] = []
    train(texts, labels, TrainingOptions(search=Search(candidates=2)), on_progress=lines.append)
    assert lines[0] == "choosing settings: each candidate scored on 3 of 5 folds"
    assert lines[1].startswith("   1. words, pairs, characters x0.6; L-BFGS, C=2: macro-F1 ")
    assert lines[-2] == "search stopped by its candidate budget"
    assert lines[-1].startswith("chosen: words, pairs, characters x0.6; L-BFGS, C=")


def test_a_candidate_budget_stops_the_search() -> None:
    texts, labels = tickets(20)
    report = train(texts, labels, TrainingOptions(search=Search(candidates=3)))
    assert report.selection is not None
    assert len(report.selection.trials) == 3
    assert report.selection.stopped == "candidate budget"
    assert report.metrics()["selection"]["stopped"] == "candidate budget"


def test_a_time_budget_stops_the_search_before_the_report_would_overrun() -> None:
    texts, labels = tickets(20)
    roomy = train(texts, labels, TrainingOptions(search=Search(10_000)), clock=TickingClock())
    assert roomy.selection is not None and roomy.selection.stopped is None
    tight = train(texts, labels, TrainingOptions(search=Search(40)), clock=TickingClock())
    assert tight.selection is not None and tight.selection.stopped == "time budget"
    assert 1 <= len(tight.selection.trials) < len(roomy.selection.trials)


def test_fixed_settings_search_nothing() -> None:
    texts, labels = tickets(20)
    report = train(texts, labels, TrainingOptions(search=None, regularisation=2.0))
    assert report.selection is None
    assert report.metrics()["selection"] is None
    assert report.model.vectorizer.spec.char_max == 5


@pytest.mark.parametrize(
    ("budget", "message"),
    [({"seconds": 0}, "positive number of seconds"), ({"candidates": 0}, "at least one")],
)
def test_empty_budgets_are_refused(budget: dict[str, float], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Search(**budget)
