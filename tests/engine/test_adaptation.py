import itertools
from pathlib import Path

import numpy as np
import pytest

from emolytics.engine import adaptation
from emolytics.engine.adaptation import AdaptationReport, Candidate, adapt
from emolytics.engine.artifacts import load_model, save_model
from emolytics.engine.errors import TrainingDataError
from emolytics.engine.explanations import phrase_weights
from emolytics.engine.features import text_valences
from emolytics.engine.fitting import bootstrap_p
from emolytics.engine.gating import GatedModel
from emolytics.engine.model import LinearModel, feature_row
from emolytics.engine.reference import default_reference
from emolytics.engine.refitting import RefitSettings
from emolytics.engine.text import tokenize
from emolytics.engine.trials import MAX_P, MIN_AGREEMENT, MIN_CHANGED, Trial, ranked

# A shop's domain the default reads as joy or neutral: sarcastic praise of late, broken parcels.
PARCELS = ("parcel", "order", "delivery", "package", "courier", "box")
FAULTS = ("arrived broken", "came three weeks late", "was lost again", "arrived crushed")
SARCASM = ("great job", "thanks a lot", "brilliant service", "just perfect")
HAPPY = ("arrived early", "came today", "was well packed", "got here quickly")


def domain_rows() -> tuple[list[str], list[str]]:
    texts, labels = [], []
    for parcel, fault, sarcasm in itertools.product(PARCELS, FAULTS, SARCASM[:3]):
        texts.append(f"my {parcel} {fault}, {sarcasm}")
        labels.append("anger")
    for parcel, happy in itertools.product(PARCELS, HAPPY):
        texts.append(f"my {parcel} {happy}, love it")
        labels.append("joy")
    return texts, labels


# texts the corrections say nothing about: the adapted model must answer them as the base does
UNRELATED = [
    "I am so scared of the dark",
    "what a wonderful day",
    "I am furious with you",
    "my grandmother passed away last night",
    "wow, I did not expect that at all",
]


@pytest.fixture(scope="module")
def report(analyzer: LinearModel) -> AdaptationReport:
    texts, labels = domain_rows()
    return adapt(analyzer, texts, labels, reference=default_reference(), seconds=1e-3)


def test_adapting_moves_the_domain_towards_the_corrections(analyzer, report) -> None:
    unseen = [f"the {parcel} {fault}, {SARCASM[3]}" for parcel in ("mug", "lamp")
              for fault in FAULTS]  # fmt: skip
    before = [result.label for result in analyzer.analyze(unseen)]
    after = [result.label for result in report.model.analyze(unseen)]
    assert before.count("anger") <= 2
    assert after.count("anger") >= 6
    assert report.chosen is not None
    assert report.cross_validation.macro_f1 > report.base_cross_validation.macro_f1 + 0.2


def test_adapting_keeps_the_base_answers_elsewhere(analyzer, report) -> None:
    before = [result.label for result in analyzer.analyze(UNRELATED)]
    after = [result.label for result in report.model.analyze(UNRELATED)]
    assert after == before
    forgetting = report.forgetting
    assert forgetting is not None and forgetting["rows"] == 1000
    assert forgetting["agreement"] > 0.95
    assert forgetting["macro_f1"] > forgetting["base_macro_f1"] - 0.02


def test_the_report_holds_cross_validated_metrics_against_the_base(report) -> None:
    metrics = report.metrics()
    assert metrics["labels"] == list(report.model.labels)
    assert len(metrics["fold_macro_f1"]) == 5
    adaptation = metrics["adaptation"]
    assert adaptation["rows"] == 96
    assert len(adaptation["base_fold_macro_f1"]) == 5
    assert adaptation["base_cross_validation"]["macro_f1"] < metrics["macro_f1"]
    assert adaptation["chosen"] == report.chosen.candidate.describe()
    assert [candidate["chosen"] for candidate in adaptation["candidates"]] == [True]
    assert adaptation["candidates"][0]["p_value"] < MAX_P
    assert adaptation["forgetting"]["rows"] == 1000


def test_the_adapted_model_is_a_normal_model(analyzer, report, tmp_path: Path) -> None:
    path = tmp_path / "adapted.zip"
    save_model(report.model, path, report.metrics())
    loaded, metadata = load_model(path)
    assert isinstance(loaded, LinearModel)
    assert loaded.labels == report.model.labels
    assert loaded.score_temperature == analyzer.score_temperature > 1  # the base's scores
    assert loaded.vectorizer.terms == report.model.vectorizer.terms
    assert metadata["details"]["adaptation"]["rows"] == 96
    [result] = loaded.analyze(["my lamp arrived broken, just perfect"], explain=True)
    assert result.label == "anger"
    assert result.contributions


def test_explanations_still_add_up_to_the_evidence(report) -> None:
    model = report.model
    tokens = tokenize("my parcel came three weeks late, great job")
    valences = text_valences(tokens.forms)
    row = model.vectorizer.transform([tokens.forms], [valences])
    for label in range(len(model.labels)):
        column = model.weights[:, label]
        weights = phrase_weights(model.vectorizer, tokens, valences, feature_row(row, 0), column)
        assert sum(weights.values()) == pytest.approx(float((row @ column)[0]), abs=1e-4)


@pytest.fixture(scope="module")
def gated_report(analyzer: LinearModel) -> AdaptationReport:
    """Adapting with a gated candidate only (the search would try it second)."""
    gated = Candidate(RefitSettings(strength=0.003, distillation=0.0), temperature=0.25)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(adaptation, "CANDIDATES", (gated,))
        return adapt(analyzer, *domain_rows(), reference=default_reference(), seconds=1e-3)


def test_a_gated_adaptation_moves_the_domain_and_keeps_the_rest(analyzer, gated_report) -> None:
    model = gated_report.model
    assert isinstance(model, GatedModel)
    assert model.score_temperature == analyzer.score_temperature
    unseen = [f"the {parcel} {fault}, {SARCASM[3]}" for parcel in ("mug", "lamp")
              for fault in FAULTS]  # fmt: skip
    assert [result.label for result in analyzer.analyze(unseen)].count("anger") <= 2
    assert [result.label for result in model.analyze(unseen)].count("anger") >= 5
    after = [result.label for result in model.analyze(UNRELATED)]
    assert after == [result.label for result in analyzer.analyze(UNRELATED)]
    domain_gate = model.gate.openness(model.vectorizer.transform(
        [tokenize(text).forms for text in unseen]))  # fmt: skip
    unrelated_gate = model.gate.openness(model.vectorizer.transform(
        [tokenize(text).forms for text in UNRELATED]))  # fmt: skip
    assert unrelated_gate.max() < 0.01  # the gate is shut on texts unlike the corrections
    assert domain_gate.mean() > 0.3
    adapted = gated_report.metrics()["adaptation"]
    assert adapted["chosen"] == "L2 0.003, gated (temperature 0.25, bias +0)"
    assert adapted["candidates"][0]["gated"] is True
    assert adapted["forgetting"]["agreement"] > 0.95


def test_the_domain_texts_teach_the_gate_what_the_domain_looks_like(analyzer) -> None:
    """Unlabeled texts of the domain open the gate on texts like them that no correction holds;
    past the limit, that many of them are used."""
    gated = Candidate(RefitSettings(strength=0.003, distillation=0.0), temperature=0.25)
    towns = ("leeds", "york", "bath", "hull")
    unlabeled = [f"the {parcel} left the depot in {town}" for parcel in PARCELS for town in towns]
    probe = [tokenize(f"the depot in {town} has it").forms for town in towns]
    openness = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(adaptation, "CANDIDATES", (gated,))
        patch.setattr(adaptation, "MAX_DOMAIN_TEXTS", 20)
        for domain in ((), unlabeled):
            report = adapt(analyzer, *domain_rows(), reference=default_reference(),
                           domain=domain, seconds=1e-3)  # fmt: skip
            assert report.metrics()["adaptation"]["domain_texts"] == min(len(domain), 20)
            model = report.model
            assert isinstance(model, GatedModel)
            openness[len(domain)] = model.gate.openness(model.vectorizer.transform(probe)).mean()
    assert openness[len(unlabeled)] > openness[0] + 0.3


def test_a_gated_model_explains_with_its_weights_for_the_text(gated_report) -> None:
    model = gated_report.model
    tokens = tokenize("my mug was lost again, great job")
    valences = text_valences(tokens.forms)
    row = model.vectorizer.transform([tokens.forms], [valences])
    logits = model.logits(row)[0]
    opening = float(model.gate.openness(row)[0])
    assert 0.5 < opening < 1.0
    for label in range(len(model.labels)):
        contributions = model.contributions(tokens, valences, label)
        evidence = logits[label] - model.intercept[label] - opening * model.shift[label]
        assert sum(weight for _, weight in contributions) == pytest.approx(evidence, abs=1e-3)
    [result] = model.analyze(["my mug was lost again, great job"], explain=True)
    assert result.contributions == model.contributions(
        tokens, valences, model.labels.index(result.label)
    )


def test_corrections_that_agree_with_the_base_leave_it_as_it_is(analyzer) -> None:
    texts = domain_rows()[0] + UNRELATED
    labels = [result.label for result in analyzer.analyze(texts)]
    report = adapt(analyzer, texts, labels, seconds=1e-3)
    assert report.chosen is None
    assert report.model is analyzer
    assert report.forgetting is None  # no reference: not measured
    assert report.cross_validation.macro_f1 == report.base_cross_validation.macro_f1


def verdicts(report: AdaptationReport) -> list[str]:
    """Each setting's verdict, as the model page and the API show it."""
    return [candidate["verdict"] for candidate in report.metrics()["adaptation"]["candidates"]]


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


def test_a_gain_whose_likelihood_may_be_chance_is_not_kept(analyzer, report) -> None:
    texts, labels = domain_rows()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(adaptation, "bootstrap_p", lambda differences: 0.2)
        unsure = adapt(analyzer, texts, labels, reference=default_reference(), seconds=1e-3)
    assert report.chosen is not None  # the same texts, judged by the real bootstrap
    [trial] = unsure.trials
    assert trial.macro_f1 > unsure.base_cross_validation.macro_f1 + 0.2
    assert trial.changed >= MIN_CHANGED
    assert unsure.chosen is None
    assert unsure.model is analyzer
    assert verdicts(unsure) == ["the likelihood gain may be chance (p 0.200, under 0.05 needed)"]
    assert verdicts(report).count("chosen") == 1


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
