import numpy as np
import pytest
import scipy.sparse as sp

from emolytics.engine.features import CHAR_PREFIX, FeatureCounts, FeatureSpec, _occurrence_counts


def test_occurrence_counts_match_scipy_sum_duplicates() -> None:
    rng = np.random.default_rng(0)
    for _ in range(50):
        lengths = rng.integers(0, 40, size=rng.integers(1, 20))
        indptr = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
        size = int(rng.integers(1, 60))
        indices = rng.integers(0, size, size=indptr[-1]).astype(np.int32)
        expected = sp.csr_matrix(
            (np.ones(len(indices), dtype=np.float32), indices.copy(), indptr.copy()),
            shape=(len(lengths), size),
        )
        expected.sum_duplicates()
        counts = _occurrence_counts(indices, indptr, size)
        assert counts.has_canonical_format
        assert np.array_equal(counts.indptr, expected.indptr)
        assert np.array_equal(counts.indices, expected.indices)
        assert np.array_equal(counts.data, expected.data)


def test_corpus_counts_agree_with_the_fitted_vectorizer() -> None:
    forms = [["i", "love", "love", "it"], ["not_good", "at", "all"], ["love", "it", "!"]]
    spec = FeatureSpec()
    corpus = FeatureCounts.of(spec, forms)
    assert list(corpus.terms) == sorted(corpus.terms)
    vectorizer, rows = corpus.fit(np.arange(3), min_df=1)
    again = vectorizer.transform(forms)
    assert np.allclose(rows.toarray(), again.toarray())
    assert corpus.counts[0, list(corpus.terms).index("love")] == 2


def test_char_weight_scales_character_ngram_idf_only() -> None:
    forms = [["i", "love", "it"], ["love", "hurts"], ["i", "hate", "it"]]
    plain, _ = FeatureCounts.of(FeatureSpec(), forms).fit(np.arange(3), min_df=1)
    light, _ = FeatureCounts.of(FeatureSpec(char_weight=0.5), forms).fit(np.arange(3), min_df=1)
    assert plain.terms == light.terms
    for term, before, after in zip(plain.terms, plain.idf, light.idf, strict=True):
        expected = before * 0.5 if term.startswith(CHAR_PREFIX) else before
        assert np.isclose(after, expected)


@pytest.mark.parametrize("weight", [0, -1.0, True, "1", 11.0])
def test_bad_char_weight_is_refused(weight: object) -> None:
    with pytest.raises(ValueError, match="char_weight"):
        FeatureSpec(char_weight=weight)  # type: ignore[arg-type]
