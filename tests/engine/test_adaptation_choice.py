"""Which adapted setting is kept: a gain, not chance, on enough texts, forgetting little."""

import numpy as np
import pytest

from emolytics.engine import adaptation
from emolytics.engine.adaptation import Candidate, adapt
from emolytics.engine.errors import TrainingDataError
from emolytics.engine.fitting import bootstrap_p
from emolytics.engine.model import LinearModel
from emolytics.engine.reference import default_reference
from emolytics.engine.refitting import RefitSettings
from emolytics.engine.trials import MAX_P, MIN_AGREEMENT, MIN_CHANGED, Trial, ranked
from tests.engine.parcel_domain import UNRELATED, domain_rows, verdicts


def test_corrections_that_agree_with_the_base_leave_it_as_it_is(analyzer) -> None:
    texts = domain_rows()[0] + UNRELATED
    labels = [result.label for result in analyzer.analyze(texts)]
    report = adapt(analyzer, texts, labels, seconds=1e-3)
    assert report.chosen is None
    assert report.model is analyzer
    assert report.forgetting is None  # no reference: not measured
    assert report.cross_validation.macro_f1 == report.base_cross_validation.macro_f1


def flipped_rows(analyzer: LinearModel) -> tuple[list[str], list[str]]:
    """The base's own answers, but for 8 texts relabelled sadness."""
    texts = domain_rows()[0] + UNRELATED
    labels = [result.label for result in analyzer.analyze(texts)]
    for row in [row for row, text in enumerate(texts) if "lost again" in text][:8]:
        labels[row] = "sadness"
    return texts, labels


def test_confirming_the_base_answers_changes_nothing(analyzer) -> None:
    texts = domain_rows()[0] + UNRELATED
    labels = [result.label for result in analyzer.analyze(texts)]
    report = adapt(analyzer, texts, labels, seconds=60)
    assert all(trial.gain > 0 and trial.p_value < MAX_P for trial in report.trials)  # surer...
    assert all(trial.changed == 0 for trial in report.trials)  # ...of the same answers
    assert report.chosen is None
    assert {verdict for verdict in verdicts(report)} == {
        f"no gain on the base's macro-F1 ({report.base_cross_validation.macro_f1:.4f})"
    }
    assert report.model is analyzer


def test_a_few_flipped_answers_are_not_taken_for_a_gain(analyzer) -> None:
    report = adapt(analyzer, *flipped_rows(analyzer), seconds=60)
    gained = [trial for trial in report.trials
              if trial.macro_f1 > report.base_cross_validation.macro_f1]  # fmt: skip
    assert gained  # a setting scores higher on these texts, and surer of their labels...
    assert all(trial.p_value < MAX_P for trial in gained)
    assert all(0 < trial.changed < MIN_CHANGED for trial in gained)  # ...on a few texts
    assert report.chosen is None
    assert any(verdict.startswith("the gain rests on ") and verdict.endswith(" texts (10 needed)")
               for verdict in verdicts(report))  # fmt: skip
    assert report.model is analyzer


def test_a_setting_that_forgets_the_base_domain_is_not_kept(analyzer) -> None:
    free = Candidate(RefitSettings(strength=1e-4, distillation=0.0, prior_strength=1e-3))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(adaptation, "CANDIDATES", (free,))
        report = adapt(analyzer, *domain_rows(), reference=default_reference(), seconds=1e-3)
    [trial] = report.trials
    assert trial.macro_f1 == 1.0 and trial.p_value < MAX_P  # it wins on the corrections...
    assert trial.agreement < MIN_AGREEMENT  # ...by relabelling the base's own domain
    assert report.chosen is None
    assert verdicts(report) == [
        f"keeps the base's label on {trial.agreement:.1%} of the guard texts (97% needed)"
    ]
    assert report.model is analyzer
    assert report.forgetting["agreement"] == 1.0


def test_a_setting_that_forgets_once_refitted_on_everything_says_so(analyzer) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(adaptation, "forgets_little", lambda forgetting, agreement: False)
        report = adapt(analyzer, *domain_rows(), reference=default_reference(), seconds=1e-3)
    assert report.chosen is None and report.model is analyzer
    assert verdicts(report) == ["forgot too much once refitted on every labeled text"]


def test_of_two_near_gains_the_one_that_forgets_less_is_chosen() -> None:
    def trial(macro_f1: float, forgetting: float, agreement: float = 0.99) -> Trial:
        candidate = Candidate(RefitSettings(strength=0.003, distillation=0.0), temperature=0.25)
        nothing = np.zeros(1)
        return Trial(candidate, macro_f1, forgetting, agreement, 0.0, nothing, nothing,
                     gain=0.1, p_value=0.001, changed=40)  # fmt: skip

    sure, careful, bold, refused = (
        trial(0.62, 0.02),
        trial(0.61, 0.0),
        trial(0.70, 0.02),
        trial(0.80, 0.0, agreement=MIN_AGREEMENT - 0.01),
    )
    assert ranked([sure, careful], 0.50) == [careful, sure]
    assert ranked([careful, bold, refused], 0.50) == [bold, careful]
    assert ranked([careful], 0.61) == []  # no better than the base
    assert (
        refused.refusal(0.50) == "keeps the base's label on 96.0% of the guard texts (97% needed)"
    )
    assert trial(0.7, 0.031).refusal(0.5) == "forgets 0.0310 guard macro-F1 (0.03 at most)"
    assert careful.refusal(0.50) is None


def test_each_setting_kept_but_not_chosen_says_how_it_ranked(analyzer) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(adaptation, "CANDIDATES", adaptation.CANDIDATES[:3])
        report = adapt(analyzer, *domain_rows(), reference=default_reference(), seconds=60)
    distilled, gated, cooler = report.trials  # all three gain; the gated ones forget nothing
    assert report.chosen is gated and gated.forgetting == 0.0 < distilled.forgetting
    net = distilled.macro_f1 - 2 * distilled.forgetting
    assert verdicts(report) == [
        f"kept; {net:.4f} after forgetting (macro-F1 less 2 × forgets), the chosen "
        f"{gated.macro_f1:.4f}",
        "chosen",
        f"kept; as good as the chosen ({cooler.macro_f1:.4f} after forgetting), "
        "which was tried first",
    ]


def test_the_bootstrap_judges_the_mean_difference() -> None:
    steady = np.full(100, 0.05)  # a small gain on every text
    assert bootstrap_p(steady) == 0.0
    assert bootstrap_p(-steady) == 1.0
    assert bootstrap_p(np.zeros(100)) == 1.0
    outweighed = steady.copy()
    outweighed[0] = -5.5  # one text lost more than the others gained: the mean is below zero
    assert bootstrap_p(outweighed) > 0.5
    mostly = steady.copy()
    mostly[:3] = -1.0  # three texts lost, less than the rest gained: a gain, but unsure
    assert MAX_P < bootstrap_p(mostly) < 0.5
    assert bootstrap_p(mostly) == bootstrap_p(mostly)  # seeded


@pytest.mark.parametrize(
    ("labels", "message"),
    [
        (["anger"] * 10 + ["joy"] * 9, "at least 20 labeled texts, found 19"),
        (["anger"] * 10 + ["joy"] * 9 + ["complaint"], "labels not in the base model: complaint"),
        (["anger"] * 20, "at least 2 different labels"),
    ],
)
def test_unusable_corrections_are_explained(analyzer, labels, message) -> None:
    texts = [f"text number {number}" for number in range(len(labels))]
    with pytest.raises(TrainingDataError, match=message):
        adapt(analyzer, texts, labels)
