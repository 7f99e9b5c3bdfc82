"""scripts/feeling_words.py: teaching a fitted model the words that name a feeling."""

import sys
from pathlib import Path

import numpy as np
import pytest

from emolytics.engine import EMOTIONS
from emolytics.engine.artifacts import load_model, save_model
from emolytics.engine.features import FeatureSpec, Vectorizer
from emolytics.engine.model import LinearModel

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"
NEUTRAL = EMOTIONS.index("neutral")


@pytest.fixture
def feeling_words(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.syspath_prepend(str(SCRIPTS))  # the build scripts import each other by name
    import feeling_words

    return feeling_words


def small_model() -> LinearModel:
    """Words and pairs only; every text is neutral by 2 logits, "jealous" leans to sadness and
    "not" and "don't" to anger."""
    spec = FeatureSpec(char_max=0, lexicon=False)
    terms = ["don't", "feel", "i", "jealous", "not", "sunny", "weather"]
    weights = np.zeros((len(terms), len(EMOTIONS)), dtype=np.float32)
    weights[terms.index("jealous"), EMOTIONS.index("sadness")] = 1.0
    weights[terms.index("not"), EMOTIONS.index("anger")] = 3.0
    weights[terms.index("don't"), EMOTIONS.index("anger")] = 3.0
    intercept = np.zeros(len(EMOTIONS), dtype=np.float32)
    intercept[NEUTRAL] = 2.0
    return LinearModel(EMOTIONS, Vectorizer(spec, terms, np.ones(len(terms))), weights, intercept)


def test_taught_words_and_pairs_win_by_the_margin(feeling_words) -> None:
    model, changes = feeling_words.taught(small_model())
    for text, emotion in [
        ("i feel jealous", "anger"),
        ("gobsmacked", "surprise"),
        ("i feel fed up", "anger"),
    ]:
        scores = model.analyze([text])[0].scores
        best_other = max(score for label, score in scores.items() if label != emotion)
        assert np.log(scores[emotion] / best_other) >= feeling_words.MARGIN - 1e-3
    assert {"jealous", "gobsmacked", "fed up"} <= set(changes)
    assert {"gobsmacked", "fed up"} <= set(model.vectorizer.terms)  # columns it lacked


def test_nothing_else_moves(feeling_words) -> None:
    before = small_model()
    model, _ = feeling_words.taught(before)
    for term in ("don't", "feel", "i", "not", "sunny", "weather"):
        old = before.weights[before.vectorizer.vocabulary[term]]
        assert np.array_equal(model.weights[model.vectorizer.vocabulary[term]], old)
    assert model.analyze(["sunny weather"])[0].scores == before.analyze(["sunny weather"])[0].scores


@pytest.mark.parametrize(
    ("text", "before", "after"),
    [
        ("i'm not jealous", "anger", "neutral"),  # anger denied
        ("not gobsmacked", "anger", "neutral"),  # surprise denied
        ("i am not afraid", "anger", "joy"),  # fear denied: relief
        ("i'm not disappointed", "anger", "joy"),  # sadness denied
        ("i don't hate it", "anger", "neutral"),  # a verb, after "don't"
        ("i'm not happy", "anger", "anger"),  # joy denied: left as fitted
    ],
)
def test_a_negated_feeling_word_reads_as_the_feeling_denied(
    feeling_words, text: str, before: str, after: str
) -> None:
    fitted = small_model()
    model, changes = feeling_words.taught(fitted)
    assert fitted.analyze([text])[0].label == before
    assert model.analyze([text])[0].label == after
    assert {"not_jealous", "not_hate"} <= set(changes) and "not_happy" not in changes


def test_a_file_taught_before_negations_learns_them_alone(
    feeling_words, tmp_path: Path, capsys, monkeypatch
) -> None:
    source, output = tmp_path / "words.zip", tmp_path / "negations.zip"
    words_only, changes = feeling_words.taught(small_model(), feeling_words.word_lessons())
    record = {"margin": feeling_words.MARGIN, "changes": changes}
    save_model(words_only, source, {"name": "small", "taught_words": record})
    monkeypatch.setattr(sys, "argv", ["feeling_words.py", str(source), "-o", str(output)])
    assert feeling_words.main() == 0
    lessons = len(feeling_words.negation_lessons())
    assert f"of {lessons} terms" in capsys.readouterr().out
    model, metadata = load_model(output)
    assert metadata["details"]["taught_words"] == record  # its words are not taught twice
    assert "not_jealous" in metadata["details"]["negated_words"]["changes"]
    assert np.array_equal(
        model.weights[model.vectorizer.vocabulary["jealous"]],
        words_only.weights[words_only.vectorizer.vocabulary["jealous"]],
    )
    assert [r.label for r in model.analyze(["i feel jealous", "i'm not afraid"])] == [
        "anger",
        "joy",
    ]


def test_teaching_keeps_the_score_temperature(feeling_words) -> None:
    plain = small_model()
    tempered = LinearModel(plain.labels, plain.vectorizer, plain.weights, plain.intercept, 2.0)
    model, changes = feeling_words.taught(tempered)
    assert model.score_temperature == 2.0
    assert model.analyze(["i feel jealous"])[0].label == "anger"
    assert changes == feeling_words.taught(plain)[1]  # margins are in logits, as before


def test_the_script_teaches_a_file_once(feeling_words, tmp_path: Path, capsys, monkeypatch) -> None:
    source, output = tmp_path / "fitted.zip", tmp_path / "taught.zip"
    save_model(small_model(), source, {"name": "small"})
    monkeypatch.setattr(sys, "argv", ["feeling_words.py", str(source), "-o", str(output)])
    assert feeling_words.main() == 0
    model, metadata = load_model(output)
    assert model.analyze(["i feel jealous"])[0].label == "anger"
    assert metadata["details"]["name"] == "small"
    assert "jealous" in metadata["details"]["taught_words"]["changes"]
    assert "not_jealous" in metadata["details"]["negated_words"]["changes"]

    monkeypatch.setattr(sys, "argv", ["feeling_words.py", str(output), "-o", str(source)])
    assert feeling_words.main() == 1
    assert "was taught already" in capsys.readouterr().err
    missing = tmp_path / "missing.zip"
    monkeypatch.setattr(sys, "argv", ["feeling_words.py", str(missing), "-o", str(source)])
    assert feeling_words.main() == 1
    assert "model file not found" in capsys.readouterr().err
