"""Adapting the default to a domain's corrections: the report, its model, and the gain it keeps."""

from pathlib import Path

import pytest

from emolytics.engine import adaptation
from emolytics.engine.adaptation import AdaptationReport, adapt
from emolytics.engine.artifacts import load_model, save_model
from emolytics.engine.explanations import phrase_weights
from emolytics.engine.features import text_valences
from emolytics.engine.model import LinearModel, feature_row
from emolytics.engine.reference import default_reference
from emolytics.engine.text import tokenize
from emolytics.engine.trials import MAX_P, MIN_CHANGED
from tests.engine.parcel_domain import FAULTS, SARCASM, UNRELATED, domain_rows, verdicts


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
