"""Explanations name what the model used: negated phrases, word pairs, emoji; weights that add
up to the model's evidence; shares that add up to 100."""

import numpy as np
import pytest

from emolytics.engine.explanations import phrase_weights, shares
from emolytics.engine.features import FeatureSpec, Vectorizer, text_valences
from emolytics.engine.gating import Gate, GatedModel
from emolytics.engine.model import LinearModel, feature_row
from emolytics.engine.text import tokenize


def tiny_model(weights: dict[str, float]) -> LinearModel:
    """Two labels, words and pairs only; each term's weight for "joy" (its opposite for "sad")."""
    spec = FeatureSpec(word_ngrams=2, char_max=0, lexicon=False)
    terms = sorted(weights)
    vectorizer = Vectorizer(spec, terms, np.ones(len(terms)))
    column = np.array([weights[term] for term in terms])
    return LinearModel(("joy", "sad"), vectorizer, np.stack([column, -column], axis=1), np.zeros(2))


def test_a_negated_word_reads_as_its_phrase_with_its_own_sign() -> None:
    model = tiny_model({"happy": 2.0, "not_happy": -1.5, "not not_happy": -1.0, "not": -0.2})
    [result] = model.analyze(["I am not happy"], explain=True)
    assert result.label == "sad"
    explained = dict(result.contributions)
    assert "happy" not in explained
    assert explained["not happy"] > 0  # towards "sad": its feature and its pair
    assert max(explained, key=explained.get) == "not happy"


def test_a_phrase_skips_the_words_between_negator_and_word() -> None:
    model = tiny_model({"not_happy": -1.5, "not_very": -0.1})
    [result] = model.analyze(["not very happy"], explain=True)
    assert [term for term, _ in result.contributions] == ["not happy", "not very"]


def test_a_pair_that_counted_more_than_its_words_reads_as_the_pair() -> None:
    model = tiny_model({"thank": 0.3, "you": 0.0, "thank you": 2.0, "so": 0.1, "so much": 0.05})
    [result] = model.analyze(["thank you so much"], explain=True)
    terms = [term for term, _ in result.contributions]
    assert terms[0] == "thank you"
    assert "so much" not in terms  # weaker than "so": shared between "so" and "much"
    assert "thank" in terms


def test_emoji_and_emoticons_read_as_written() -> None:
    model = tiny_model({":enraged_face:": 1.0, ":slightly_frowning_face:": 0.5})
    assert dict(model.analyze(["😡😡"], explain=True)[0].contributions) == {"😡": 1.0}
    assert [term for term, _ in model.analyze([":-("], explain=True)[0].contributions] == [":-("]


def test_the_lean_before_any_term_is_named_when_it_decided() -> None:
    model = tiny_model({"fine": 0.5, "great": 3.0})
    model.intercept[:] = (0.0, 2.0)  # before any term, "sad" by 2
    won_on_lean, won_on_terms = model.analyze(["fine", "great"], explain=True)
    assert (won_on_lean.label, won_on_lean.terms_favour) == ("sad", "joy")
    assert (won_on_terms.label, won_on_terms.terms_favour) == ("joy", None)
    assert model.analyze(["fine"])[0].terms_favour is None  # named when explaining only


def test_an_adapted_models_lean_counts_its_shift_as_far_as_the_gate_opens() -> None:
    base = tiny_model({"fine": 0.5, "great": 3.0})
    adapted = tiny_model({"fine": 0.5, "great": 3.0})
    adapted.intercept[:] = (0.0, 2.0)
    for bias, lean_decides in ((20.0, True), (-20.0, False)):  # the gate open, then shut
        gate = Gate(np.zeros(base.vectorizer.size), bias, 1.0)
        [result] = GatedModel.between(base, adapted, gate).analyze(["fine"], explain=True)
        assert (result.label, result.terms_favour) == (
            ("sad", "joy") if lean_decides else ("joy", None)
        )


TEXTS = [
    "I am not happy with the new timetable",
    "I don't like the new lane at all, it's not safe",
    "soooo happy today :) #blessed 😍😍",
    "@bob never been so angry!!! https://x.y/z",
    "the tram was late, but the driver was lovely",
]


@pytest.mark.parametrize("text", TEXTS)
def test_the_phrases_add_up_to_the_models_evidence(analyzer: LinearModel, text: str) -> None:
    tokens = tokenize(text)
    valences = text_valences(tokens.forms)
    row = analyzer.vectorizer.transform([tokens.forms], [valences])
    for label in range(len(analyzer.labels)):
        column = analyzer.weights[:, label]
        weights = phrase_weights(analyzer.vectorizer, tokens, valences, feature_row(row, 0), column)
        assert sum(weights.values()) == pytest.approx(float((row @ column)[0]), abs=1e-4)


def test_the_default_analyzer_explains_a_negated_word_by_its_phrase(analyzer) -> None:
    [result] = analyzer.analyze(["I am not happy with the new timetable"], explain=True)
    assert result.label == "sadness"
    explained = dict(result.contributions)
    assert "happy" not in explained
    assert explained["not happy"] > 0
    assert next(iter(explained)) == "not happy"  # what weighed most


def test_the_default_analyzer_names_its_lean_towards_neutral(analyzer) -> None:
    [result] = analyzer.analyze(["returning them, feel let down"], explain=True)
    assert (result.label, result.terms_favour) == ("neutral", "sadness")


@pytest.mark.parametrize(
    ("weights", "expected"),
    [
        ([1.0, 1.0, 1.0], [34, 33, 33]),
        ([2.0, -1.0, 1.0], [50, 25, 25]),
        ([0.5, 0.25, -0.25, 0.001], [50, 25, 25, 0]),
        ([0.0, 0.0], [0, 0]),
        ([], []),
    ],
)
def test_shares_are_whole_percents_that_add_up(weights, expected) -> None:
    assert shares(weights) == expected
    assert sum(shares(weights)) in (0, 100)
