import numpy as np
import scipy.sparse as sp

from emolytics.engine.features import FeatureCounts, FeatureSpec, _occurrence_counts


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
