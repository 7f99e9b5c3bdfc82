"""The top terms of a view: what the texts the filters keep are about, per label.

The analysis keeps the terms of its whole sample as it runs (`terms.top_terms`), which only the
label filter narrows. A view that keeps some of the texts (dates, a keyword, a segment, a search,
an author, a language, corrected or not) is told by its own texts instead: at most
`VIEW_SAMPLE` of them, one in so many by id, explained when asked and ranked the same way
(lift over the view's own texts, keywords and numbers left out, counts scaled up). A view with
dates also has the words that rose since the period before it (`rising_terms`, over a sample of
that period's texts alike); `rose` finds them between any two sets of texts (an alert's window
and the week before it, a digest's period and the one before).
"""

import logging
from collections import defaultdict
from dataclasses import replace
from typing import Any, NamedTuple

from sqlalchemy.exc import SQLAlchemyError

from emolytics import caching
from emolytics.extensions import db
from emolytics.pipeline import rising_terms
from emolytics.pipeline.analysed_by import explain
from emolytics.pipeline.filters import Filters, searched, texts_rows
from emolytics.pipeline.periods import compare
from emolytics.pipeline.reports import Distribution, distribution
from emolytics.pipeline.terms import (
    CANDIDATES,
    chunk_terms,
    listed,
    thresholds,
    top_terms,
    tracked,
)
from emolytics.tables import NOT_SCORED, Dataset, Result, TextRow

log = logging.getLogger(__name__)
# Explaining costs several times scoring: a view's terms come from this many of its texts at most.
VIEW_SAMPLE = 2_000


class ViewTerms(NamedTuple):
    terms: dict[str, list[dict[str, Any]]]  # per label, as `terms.listed` shows them
    sample: int | None  # the view's texts explained for them; None: the analysis's terms
    sampled_from: int | None  # the view's analysed texts, every label, the sample is of
    rising: list[dict[str, Any]] | None  # the words that rose; None: no period before


def of_view(dataset: Dataset, filters: Filters) -> ViewTerms:
    """The top terms of the texts the filters keep, per label (only the filter's, if any):
    the analysis's when no filter but the label's narrows the texts, else a sample of the
    view's texts (whatever their label: a term's lift is over all of them), cached while no
    dataset, analysis or correction changes."""
    everyone = replace(filters, label=None, matches=None)
    if dataset.current_job_id is None:
        return ViewTerms({}, None, None, None)
    if not narrowed(filters):
        found = ViewTerms(top_terms(dataset), None, None, None)
    else:
        key = ("view-terms", str(dataset.current_job_id), repr(sorted(everyone.as_args().items())))
        found = caching.cache().lookup(
            key, (caching.DATASETS, caching.CORRECTIONS), lambda: sampled(dataset, everyone)
        )
    if filters.label:
        return found._replace(terms={filters.label: found.terms.get(filters.label, [])})
    return found


def narrowed(filters: Filters) -> bool:
    """Whether the filters keep some of the texts by more than their label: the view's terms
    are then its own texts', not the analysis's."""
    return replace(filters, label=None, matches=None) != Filters()


def sampled(dataset: Dataset, filters: Filters) -> ViewTerms:
    """The terms of a sample of the texts the filters keep, every label (uncached)."""
    filters = searched(dataset, filters)
    shown = distribution(dataset, filters)
    total = sum(shown.counts.values())
    if not total:
        return ViewTerms({}, 0, 0, None)
    texts, step = _sample(dataset, filters, total)
    explained = explain(dataset, texts) if texts else []
    labelled: dict[str, int] = defaultdict(int)
    for result in explained:
        labelled[result.label] += step
    rows = chunk_terms(0, 0, explained, step)  # summed as one chunk of an analysis would be
    terms = listed(dataset, _ranked(rows, labelled, step), labelled)
    return ViewTerms(terms, len(explained), total, _rising(dataset, filters, shown, texts, step))


def _sample(dataset: Dataset, filters: Filters, total: int) -> tuple[list[str], int]:
    """At most `VIEW_SAMPLE` scored texts of the `total` the filters keep, one in so many by id
    (how many: the second value)."""
    step = -(-total // VIEW_SAMPLE)
    texts = db.session.scalars(
        texts_rows([TextRow.text], dataset, filters)
        .where(Result.label != NOT_SCORED, TextRow.id % step == 0)
        .limit(VIEW_SAMPLE)
    ).all()
    return list(texts), step


def _rising(
    dataset: Dataset, filters: Filters, shown: Distribution, texts: list[str], step: int
) -> list[dict[str, Any]] | None:
    """The words that rose since the period before the view's (None: without dates, or when
    that period has no scored texts), from `texts`, the view's sample, and one of that
    period."""
    compared = compare(dataset, filters, [], shown.span)
    if compared is None or not compared.before:
        return None
    previous = replace(filters, start=compared.previous.start, end=compared.previous.end)
    return _risen(dataset, (texts, step), _sample(dataset, previous, compared.before))


def rose(dataset: Dataset, now: Filters, before: Filters) -> list[dict[str, Any]] | None:
    """The words that rose from the texts `before` keeps to those `now` keeps (every label,
    or the one they name), from a sample of each; None when either has no scored texts, or
    when they could not be worked out (logged; a database error is raised): an alert or a
    digest is never held back by its words."""
    try:
        return _risen(dataset, _sample_of(dataset, now), _sample_of(dataset, before))
    except SQLAlchemyError:
        raise
    except Exception:
        log.exception("the words that rose in dataset %s could not be found", dataset.id)
        return None


def _sample_of(dataset: Dataset, filters: Filters) -> tuple[list[str], int]:
    total = sum(distribution(dataset, filters).counts.values())
    return _sample(dataset, filters, total) if total else ([], 1)


def _risen(
    dataset: Dataset, now: tuple[list[str], int], before: tuple[list[str], int]
) -> list[dict[str, Any]] | None:
    """`rising_terms.rising` of two samples (texts, the texts each stands for)."""
    (texts, step), (earlier, earlier_step) = now, before
    if not texts or not earlier:
        return None
    keywords = tracked(dataset)
    counted = rising_terms.words_in(texts, keywords)
    counted_before = rising_terms.words_in(earlier, keywords)
    return rising_terms.rising(
        counted, len(texts), step, counted_before, len(earlier), earlier_step
    )


def _ranked(
    rows: list[dict[str, Any]], labelled: dict[str, int], step: int
) -> list[tuple[str, str, float, int, float]]:
    """(label, term, weight, texts, concentration) of the sample's terms frequent and typical
    enough, best first per label, as `terms` ranks the analysis's."""
    minimum, least = thresholds(labelled, step)
    everywhere: dict[str, int] = defaultdict(int)
    for row in rows:
        everywhere[row["term"]] += row["texts"]
    kept: dict[str, list[tuple[str, str, float, int, float]]] = defaultdict(list)
    for row in rows:
        label, term, weight, texts = row["label"], row["term"], row["weight"], row["texts"]
        concentration = texts / everywhere[term]
        if weight > 0 and texts >= minimum[label] and concentration >= least[label]:
            kept[label].append((label, term, weight, texts, concentration))
    return [
        candidate
        for label in sorted(kept)
        for candidate in sorted(kept[label], key=lambda c: (-c[4], -c[3], c[1]))[:CANDIDATES]
    ]
