"""TF-IDF features over tokens: word n-grams, character n-grams inside words, emoji name words.

`FeatureSpec` says which features exist; `Vectorizer` holds a fitted vocabulary and IDF and turns
token lists into L2-normalised sparse rows. The hot path caches, per token form, the vocabulary
indices it yields, so scoring a text costs a few dictionary look-ups per token.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from emolytics.engine.text import NEGATION_PREFIX

CHAR_PREFIX = "c:"
_FORM_CACHE_LIMIT = 200_000  # forms remembered per vectorizer before the cache starts over


@dataclass(frozen=True, slots=True)
class FeatureSpec:
    """Which features a model uses. Stored with the model, so it must stay JSON-friendly."""

    word_ngrams: int = 2  # 1: words only, 2: words and adjacent pairs
    char_min: int = 2  # character n-grams of (padded) words; char_max 0 turns them off
    char_max: int = 5
    sublinear_tf: bool = True

    def form_features(self, form: str) -> list[str]:
        """Features one token yields on its own: itself, its character n-grams, emoji words."""
        features = [form]
        if form.startswith(":") and form.endswith(":") and len(form) > 2:
            features.extend(word for word in form[1:-1].replace("-", "_").split("_") if word)
        elif self.char_max and not form.startswith(NEGATION_PREFIX) and form[0].isalpha():
            padded = f" {form} "
            for size in range(self.char_min, min(self.char_max, len(padded)) + 1):
                features.extend(
                    CHAR_PREFIX + padded[start : start + size]
                    for start in range(len(padded) - size + 1)
                )
        return features

    def pair_features(self, forms: Sequence[str]) -> list[str]:
        """Features made of adjacent tokens."""
        if self.word_ngrams < 2:
            return []
        return [f"{first} {second}" for first, second in zip(forms, forms[1:], strict=False)]

    def document_features(self, forms: Sequence[str]) -> list[str]:
        """Every feature occurrence of one text (repeats kept: they are term counts)."""
        features: list[str] = []
        for form in forms:
            features.extend(self.form_features(form))
        features.extend(self.pair_features(forms))
        return features


class Vectorizer:
    """A fitted vocabulary and IDF; immutable after construction apart from its look-up cache."""

    def __init__(self, spec: FeatureSpec, terms: Sequence[str], idf: np.ndarray) -> None:
        if len(terms) != len(idf):
            raise ValueError("one IDF weight per term is required")
        self.spec = spec
        self.terms = tuple(terms)
        self.vocabulary = {term: index for index, term in enumerate(self.terms)}
        self.idf = np.asarray(idf, dtype=np.float32)
        self._form_cache: dict[str, list[int]] = {}

    @property
    def size(self) -> int:
        return len(self.terms)

    def form_indices(self, form: str) -> list[int]:
        """Vocabulary indices of the features `form` yields on its own (cached)."""
        indices = self._form_cache.get(form)
        if indices is None:
            vocabulary = self.vocabulary
            indices = [
                vocabulary[feature]
                for feature in self.spec.form_features(form)
                if feature in vocabulary
            ]
            if len(self._form_cache) >= _FORM_CACHE_LIMIT:
                self._form_cache = {}
            self._form_cache[form] = indices
        return indices

    def document_indices(self, forms: Sequence[str]) -> list[int]:
        """Vocabulary indices of every feature occurrence in one text."""
        indices: list[int] = []
        form_indices = self.form_indices
        for form in forms:
            indices.extend(form_indices(form))
        if self.spec.word_ngrams >= 2:
            vocabulary = self.vocabulary
            for pair in self.spec.pair_features(forms):
                index = vocabulary.get(pair)
                if index is not None:
                    indices.append(index)
        return indices

    def transform(self, token_forms: Iterable[Sequence[str]]) -> sp.csr_matrix:
        """TF-IDF rows (L2-normalised, float32) for texts given as token forms."""
        indptr = [0]
        indices: list[int] = []
        for forms in token_forms:
            indices.extend(self.document_indices(forms))
            indptr.append(len(indices))
        return self.weigh(np.array(indices, dtype=np.int32), np.array(indptr, dtype=np.int64))

    def weigh(self, indices: np.ndarray, indptr: np.ndarray) -> sp.csr_matrix:
        """Turn feature occurrences (CSR `indices`/`indptr`) into normalised TF-IDF rows."""
        return self.weigh_counts(_occurrence_counts(indices, indptr, self.size))

    def weigh_counts(self, counts: sp.csr_matrix) -> sp.csr_matrix:
        """Normalised TF-IDF rows from term counts over this vocabulary (`counts` is reused)."""
        counts = counts.astype(np.float32, copy=False)
        if self.spec.sublinear_tf:
            np.log(counts.data, out=counts.data)
            counts.data += 1.0
        counts.data *= self.idf[counts.indices]
        return _normalise_rows(counts)


@dataclass(frozen=True, slots=True)
class FeatureCounts:
    """Every feature seen in a corpus (sorted) and each text's count of each: fitted once,
    then sliced per cross-validation fold."""

    spec: FeatureSpec
    terms: np.ndarray  # of str, sorted
    counts: sp.csr_matrix  # (texts, terms)

    @classmethod
    def of(cls, spec: FeatureSpec, token_forms: Iterable[Sequence[str]]) -> "FeatureCounts":
        ids: dict[str, int] = {}
        indices: list[int] = []
        indptr = [0]
        for forms in token_forms:
            indices.extend(ids.setdefault(term, len(ids)) for term in spec.document_features(forms))
            indptr.append(len(indices))
        terms = np.array(list(ids), dtype=object)
        order = np.argsort(terms)
        rank = np.empty(len(order), dtype=np.int32)
        rank[order] = np.arange(len(order), dtype=np.int32)
        counts = _occurrence_counts(
            rank[np.array(indices, dtype=np.int64)], np.array(indptr, dtype=np.int64), len(ids)
        )
        return cls(spec, terms[order], counts)

    def fit(self, rows: np.ndarray, min_df: int = 2) -> tuple[Vectorizer, sp.csr_matrix]:
        """A vectorizer over the terms in at least `min_df` of `rows`, and those rows' TF-IDF."""
        counts = self.counts[rows]
        document_frequency = np.bincount(counts.indices, minlength=counts.shape[1])
        kept = np.flatnonzero(document_frequency >= min_df)
        if not len(kept):
            raise ValueError("no feature occurs often enough to learn from")
        idf = np.log((1 + len(rows)) / (1 + document_frequency[kept])) + 1.0
        vectorizer = Vectorizer(self.spec, self.terms[kept].tolist(), idf)
        return vectorizer, vectorizer.weigh_counts(counts[:, kept])


def _normalise_rows(matrix: sp.csr_matrix) -> sp.csr_matrix:
    """Scale each row of `matrix` to unit L2 norm in place (empty rows stay empty)."""
    squares = matrix.multiply(matrix).sum(axis=1)
    norms = np.sqrt(np.asarray(squares, dtype=np.float32).ravel())
    norms[norms == 0.0] = 1.0
    matrix.data /= np.repeat(norms, np.diff(matrix.indptr))
    return matrix


def _occurrence_counts(indices: np.ndarray, indptr: np.ndarray, size: int) -> sp.csr_matrix:
    """Sparse counts from CSR-style occurrence lists (repeated indices add up)."""
    counts = sp.csr_matrix(
        (np.ones(len(indices), dtype=np.float32), indices, indptr),
        shape=(len(indptr) - 1, size),
    )
    counts.sum_duplicates()
    return counts
