"""TF-IDF features over tokens: word n-grams, character n-grams inside words, emoji name words.

`FeatureSpec` says which features exist; `Vectorizer` holds a fitted vocabulary and IDF and turns
token lists into sparse rows: L2-normalised TF-IDF, then two lexicon columns. The hot path
caches, per token form, the vocabulary indices it yields (as int32 bytes), and finds word pairs
through a table by first and second word, so scoring a text costs a few dictionary look-ups per
token and one byte join.
"""

import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import chain

import numpy as np
import scipy.sparse as sp

from emolytics.engine.lexicon import token_valences
from emolytics.engine.memo import Memo
from emolytics.engine.text import NEGATION_PREFIX

CHAR_PREFIX = "c:"
LEXICON_COLUMNS = ("<lexicon:positive>", "<lexicon:negative>")
_FORM_CACHE_LIMIT = 200_000  # forms remembered per vectorizer before the cache starts over


@dataclass(frozen=True, slots=True)
class FeatureSpec:
    """Which features a model uses. Stored with the model, so it must stay JSON-friendly."""

    word_ngrams: int = 2  # 1: words only, 2: words and adjacent pairs
    char_min: int = 2  # character n-grams of (padded) words; char_max 0 turns them off
    char_max: int = 5
    sublinear_tf: bool = True
    lexicon: bool = True  # add the two VADER valence columns (see `lexicon_values`)
    # Character n-grams' IDF is multiplied by this before rows are normalised: below 1, the many
    # character n-grams of a text weigh less against its words and word pairs.
    char_weight: float = 1.0

    def __post_init__(self) -> None:
        sizes = (self.word_ngrams, self.char_min, self.char_max)
        flags = (self.sublinear_tf, self.lexicon)
        if not all(type(size) is int and 0 <= size <= 10 for size in sizes):
            raise ValueError("n-gram sizes must be integers from 0 to 10")
        if not all(type(flag) is bool for flag in flags):
            raise ValueError("feature flags must be booleans")
        weight = self.char_weight
        if type(weight) not in (int, float) or not 0 < weight <= 10:
            raise ValueError("char_weight must be a number in (0, 10]")

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
        self._form_indices = Memo(self._own_indices, _FORM_CACHE_LIMIT)
        self._pairs = _pair_table(self.vocabulary) if spec.word_ngrams >= 2 else {}

    @property
    def size(self) -> int:
        """Number of feature columns: the terms, then the lexicon columns if any."""
        return len(self.terms) + (len(LEXICON_COLUMNS) if self.spec.lexicon else 0)

    def form_indices(self, form: str) -> list[int]:
        """Vocabulary indices of the features `form` yields on its own."""
        return np.frombuffer(self._form_indices[form], dtype=np.int32).tolist()

    def _own_indices(self, form: str) -> bytes:
        """`form_indices` as int32 bytes, as the look-up cache keeps them: a text's indices
        are then one join."""
        vocabulary = self.vocabulary
        features = self.spec.form_features(form)
        indices = [vocabulary[term] for term in features if term in vocabulary]
        return np.array(indices, dtype=np.int32).tobytes()

    def transform(
        self,
        token_forms: Sequence[Sequence[str]],
        valences: Sequence[Sequence[float]] | None = None,
    ) -> sp.csr_matrix:
        """Feature rows (float32) for texts given as token forms.

        `valences` (per text, per token; computed when omitted) feed the lexicon columns.
        This is the scoring hot path: a few dictionary look-ups per token, and byte joins.
        """
        own = self._form_indices.__getitem__
        pairs = self._pairs.get
        documents: list[bytes] = []
        ends = [0]
        end = 0
        for forms in token_forms:
            parts = list(map(own, forms))
            for first, second in zip(forms, forms[1:], strict=False):
                follows = pairs(first)
                if follows is not None:
                    index = follows.get(second)
                    if index is not None:
                        parts.append(index)
            document = b"".join(parts)
            documents.append(document)
            end += len(document)
            ends.append(end)
        indices = np.frombuffer(b"".join(documents), dtype=np.int32)
        indptr = np.array(ends, dtype=np.int64) // indices.itemsize
        counts = _occurrence_counts(indices, indptr, len(self.terms))
        if self.spec.lexicon and valences is None:
            valences = [text_valences(forms) for forms in token_forms]
        return self.weigh_counts(counts, valences)

    def weigh_counts(
        self, counts: sp.csr_matrix, valences: Iterable[Sequence[float]] | None
    ) -> sp.csr_matrix:
        """Feature rows from term counts over this vocabulary (`counts` is reused): normalised
        TF-IDF, then the lexicon columns when the spec has them (`valences` is then required).
        """
        counts = counts.astype(np.float32, copy=False)
        if self.spec.sublinear_tf:
            np.log(counts.data, out=counts.data)
            counts.data += 1.0
        counts.data *= self.idf[counts.indices]
        tfidf = _normalise_rows(counts)
        if not self.spec.lexicon:
            return tfidf
        if valences is None:
            raise ValueError("lexicon columns need the token valences")
        lexicon = sp.csr_matrix(_lexicon_totals(valences).astype(np.float32))
        return sp.hstack([tfidf, lexicon], format="csr", dtype=np.float32)


def _pair_table(vocabulary: dict[str, int]) -> dict[str, dict[str, bytes]]:
    """The vocabulary's word pairs by first word, then second, to their index as int32 bytes:
    finding a text's pairs then builds no strings."""
    table: dict[str, dict[str, bytes]] = {}
    for term, index in vocabulary.items():
        if " " in term and not term.startswith(CHAR_PREFIX):
            first, second = term.split(" ")
            follows = table.get(first)
            if follows is None:
                follows = table[first] = {}
            follows[second] = index.to_bytes(4, sys.byteorder)
    return table


@dataclass(frozen=True, slots=True)
class FeatureCounts:
    """Every feature seen in a corpus (sorted) and each text's count of each: fitted once,
    then sliced per cross-validation fold."""

    spec: FeatureSpec
    terms: np.ndarray  # of str, sorted
    counts: sp.csr_matrix  # (texts, terms)
    valences: list[list[float]]  # per text, per token

    @classmethod
    def of(cls, spec: FeatureSpec, token_forms: Sequence[Sequence[str]]) -> "FeatureCounts":
        ids: dict[str, int] = {}
        form_ids: dict[str, list[int]] = {}  # forms repeat: their features are numbered once
        indices: list[int] = []
        indptr = [0]
        valences = [text_valences(forms) for forms in token_forms] if spec.lexicon else []
        for forms in token_forms:
            for form in forms:
                known = form_ids.get(form)
                if known is None:
                    known = [ids.setdefault(term, len(ids)) for term in spec.form_features(form)]
                    form_ids[form] = known
                indices.extend(known)
            indices.extend(ids.setdefault(term, len(ids)) for term in spec.pair_features(forms))
            indptr.append(len(indices))
        terms = np.array(list(ids), dtype=object)
        order = np.argsort(terms)
        rank = np.empty(len(order), dtype=np.int32)
        rank[order] = np.arange(len(order), dtype=np.int32)
        counts = _occurrence_counts(
            rank[np.array(indices, dtype=np.int64)], np.array(indptr, dtype=np.int64), len(ids)
        )
        return cls(spec, terms[order], counts, valences)

    def fit(self, rows: np.ndarray, min_df: int = 2) -> tuple[Vectorizer, sp.csr_matrix]:
        """A vectorizer over the terms in at least `min_df` of `rows`, and those rows' TF-IDF."""
        counts = self.counts[rows]
        document_frequency = np.bincount(counts.indices, minlength=counts.shape[1])
        kept = np.flatnonzero(document_frequency >= min_df)
        if not len(kept):
            raise ValueError("no feature occurs often enough to learn from")
        idf = np.log((1 + len(rows)) / (1 + document_frequency[kept])) + 1.0
        terms = self.terms[kept].tolist()
        if self.spec.char_weight != 1.0:
            is_char = np.array([term.startswith(CHAR_PREFIX) for term in terms], dtype=bool)
            idf[is_char] *= self.spec.char_weight
        vectorizer = Vectorizer(self.spec, terms, idf)
        valences = [self.valences[row] for row in rows] if self.spec.lexicon else None
        return vectorizer, vectorizer.weigh_counts(counts[:, kept], valences)


def text_valences(forms: Sequence[str]) -> list[float]:
    """VADER-style valence of each token form (see `lexicon.token_valences`)."""
    return token_valences(forms, NEGATION_PREFIX)


def lexicon_values(valences: Sequence[float]) -> tuple[float, float]:
    """A text's lexicon columns: log(1 + total positive valence), log(1 + total negative)."""
    positive, negative = _lexicon_totals([valences])[0].tolist()
    return positive, negative


def _lexicon_totals(valences: Iterable[Sequence[float]]) -> np.ndarray:
    """`lexicon_values` of many texts, shape (texts, 2), float64, summed by numpy in one pass."""
    texts = valences if isinstance(valences, Sequence) else list(valences)
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    every = np.fromiter(chain.from_iterable(texts), dtype=np.float64, count=int(lengths.sum()))
    text_of = np.repeat(np.arange(len(texts)), lengths)
    totals = np.column_stack(
        [
            np.bincount(text_of, np.maximum(every, 0.0), minlength=len(texts)),
            np.bincount(text_of, -np.minimum(every, 0.0), minlength=len(texts)),
        ]
    )
    return np.log1p(totals)


def _normalise_rows(matrix: sp.csr_matrix) -> sp.csr_matrix:
    """Scale each row of `matrix` to unit L2 norm in place (empty rows stay empty)."""
    squares = matrix.multiply(matrix).sum(axis=1)
    norms = np.sqrt(np.asarray(squares, dtype=np.float32).ravel())
    norms[norms == 0.0] = 1.0
    matrix.data /= np.repeat(norms, np.diff(matrix.indptr))
    return matrix


def _occurrence_counts(indices: np.ndarray, indptr: np.ndarray, size: int) -> sp.csr_matrix:
    """Sparse counts from CSR-style occurrence lists (repeated indices add up).

    Converting to CSC and back is two linear passes (a counting sort) that leave each row's
    indices sorted, so summing the duplicates needs no comparison sort: about 3x faster than
    `sum_duplicates` on unsorted rows, which matters on the scoring hot path.
    """
    occurrences = sp.csr_matrix(
        (np.ones(len(indices), dtype=np.float32), indices, indptr),
        shape=(len(indptr) - 1, size),
    )
    counts = occurrences.tocsc().tocsr()
    counts.has_canonical_format = False  # sorted, but duplicates are still there
    counts.has_sorted_indices = True
    counts.sum_duplicates()
    return counts
