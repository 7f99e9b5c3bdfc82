"""A gated adaptation: the domain moves and the rest stays, the gate learns the domain texts."""

import pytest

from emolytics.engine import adaptation
from emolytics.engine.adaptation import AdaptationReport, Candidate, adapt
from emolytics.engine.features import text_valences
from emolytics.engine.gating import GatedModel
from emolytics.engine.model import LinearModel
from emolytics.engine.reference import default_reference
from emolytics.engine.refitting import RefitSettings
from emolytics.engine.text import tokenize
from tests.engine.parcel_domain import FAULTS, PARCELS, SARCASM, UNRELATED, domain_rows


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
