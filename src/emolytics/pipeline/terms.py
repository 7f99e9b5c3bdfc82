"""Terms: the words, phrases and emoji that made labels, as a reader is shown them.

One text's reasons (its explanation, shares of the listed weight), what an analysis keeps of
the texts it explains (per chunk, label and term: texts and summed weight), and the dataset's
top terms per label, ranked by lift from what was kept.
"""

import re
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS
from sqlalchemy import Float, case, cast, func, select

from emolytics import caching
from emolytics.engine import EmotionResult
from emolytics.engine.explanations import shares
from emolytics.engine.text import is_negator
from emolytics.extensions import db
from emolytics.pipeline.analysed_by import explain
from emolytics.pipeline.keywords import (
    KeywordPattern,
    keyword_pattern,
    keywords_in,
    with_plurals,
)
from emolytics.tables import NOT_SCORED, Dataset, Job, JobCount, JobTerm

# Explaining a text costs several times scoring it, and the top terms of an analysis need only
# a sample: at most about this many texts per analysis are explained, evenly spread.
EXPLAINED_PER_JOB = 20_000
NEGLIGIBLE = 0.01  # of a text's listed weight: less is not listed (it would read "0 %")
TERMS_SHOWN = 10
CANDIDATES = 5 * TERMS_SHOWN  # ranked per label: enough to show TERMS_SHOWN of them after
# the keywords and numbers are left out
# A top term is in at least this many explained texts of its label, and this share of them:
# rarer ones would top the lift ranking by chance.
MIN_TEXTS = 3
MIN_SHARE = 0.005
# ... and this many times more frequent among the label's texts than among all texts; a label
# that most texts have cannot reach that, so it asks only halfway to its most possible lift.
MIN_LIFT = 1.2
_NUMBER_RE = re.compile(r"[\d.,:/%+-]*\d[\d.,:/%+-]*")
_ADDRESSES = ("@", "[name]", "http://", "https://", "www.")  # mentions and links, lower-cased


def telling(term: str) -> bool:
    """Whether a term means something to a reader: a negator ("not", "don't"), or a phrase with
    a word that is not a function word ("the", "I": they weigh in the model but tell nothing)
    or is an emoji or emoticon. A negated function word ("not the") tells nothing either."""
    words = term.split()
    if len(words) == 1 and _is_negator(term):
        return True
    return any(_telling_word(word) for word in words if not _is_negator(word))


def _is_negator(word: str) -> bool:
    return is_negator(word.lower().replace("’", "'"))


def _telling_word(word: str) -> bool:
    if any(character.isalnum() for character in word):
        return len(word) > 1 and word.lower() not in ENGLISH_STOP_WORDS
    return len(word) > 1 or unicodedata.category(word) == "So"  # ":(", "!!", "😡"


# --- one text's reasons ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Reason:
    """A term of a text and what it did to the text's label."""

    term: str  # a word, a phrase ("not happy", a word pair) or an emoji, as written
    weight: float  # the model's raw weight for the label: > 0 towards it, < 0 away from it
    share: int  # percent of the listed reasons' total weight; a text's reasons add up to 100

    @property
    def direction(self) -> Literal["towards", "away"]:
        return "towards" if self.weight > 0 else "away"


def reasons(contributions: Sequence[tuple[str, float]]) -> list[Reason]:
    """The contributions worth showing a reader (telling, and not a negligible part of the
    weight), each with its share of their weight."""
    kept = [(term, weight) for term, weight in contributions if telling(term)]
    least = NEGLIGIBLE * sum(abs(weight) for _, weight in kept)
    kept = [(term, weight) for term, weight in kept if abs(weight) >= least]
    percents = shares([weight for _, weight in kept])
    return [
        Reason(term, weight, share) for (term, weight), share in zip(kept, percents, strict=True)
    ]


def add_reasons(dataset: Dataset, rows: list[dict[str, Any]]) -> None:
    """Give each scored text row of the dataset its `reasons` and `terms_favour` (see
    `EmotionResult`), as its current analyzer explains it (a text not scored, for its language,
    has none)."""
    scored = [row for row in rows if not row.get("not_scored")]
    if not scored or dataset.current_job_id is None:
        return
    for row, result in zip(scored, explain(dataset, [row["text"] for row in scored]), strict=True):
        row["reasons"] = reasons(result.contributions)
        row["terms_favour"] = result.terms_favour


# --- what an analysis keeps --------------------------------------------------------------------


def explained_step(total: int) -> int:
    """An analysis of `total` texts explains one text in this many (`EXPLAINED_PER_JOB`)."""
    return max(1, -(-total // EXPLAINED_PER_JOB))


def chunk_terms(
    job_id: int, chunk: int, results: Sequence[EmotionResult], scale: int
) -> list[dict[str, object]]:
    """`JobTerm` rows of one chunk's explained `results`, each standing for `scale` texts: per
    label and telling term (case aside: "Wow" and "wow" are one word to the model), the texts
    it was among the contributions of, either way, and its summed weight for their label.

    Every term is kept, so that the terms' counts over all labels (the lift's denominator) are
    whole; the sample keeps their number near the explained texts' (`EXPLAINED_PER_JOB`).
    """
    weights: dict[tuple[str, str], float] = defaultdict(float)
    texts: dict[tuple[str, str], int] = defaultdict(int)
    for result in results:
        for term, weight in result.contributions:
            if telling(term):
                key = (result.label, term.lower()[:80])
                weights[key] += weight * scale
                texts[key] += scale
    return [
        {
            "job_id": job_id,
            "chunk": chunk,
            "label": label,
            "term": term,
            "weight": weights[label, term],
            "texts": texts[label, term],
        }
        for label, term in weights
    ]


# --- the dataset's top terms -------------------------------------------------------------------


def top_terms(dataset: Dataset) -> dict[str, list[dict[str, Any]]]:
    """Per label, the terms most typical of its texts: ranked by lift (a term's share of the
    label's texts over its share of all texts), among those that pushed towards the label on
    the whole and are frequent enough (`MIN_TEXTS`, `MIN_SHARE`, `MIN_LIFT`). Tracked keywords
    (and their plurals) and numbers are left out. The counts are the analysis's explained
    sample, scaled up.

    The ranked candidates come from the short-lived cache while no dataset or job changes
    (`caching.DATASETS`): a dashboard asks for them with every filter it applies."""
    labelled = _labelled_texts(dataset.current_job_id)
    if not labelled:
        return {}
    job_total = db.session.scalar(select(Job.total).where(Job.id == dataset.current_job_id))
    minimum, least = thresholds(labelled, explained_step(job_total or 0))
    job_id = dataset.current_job_id
    candidates = caching.cache().lookup(
        ("terms", str(job_id)),
        caching.DATASETS,
        lambda: [tuple(row) for row in _candidates(job_id, minimum, least)],
    )
    return listed(dataset, candidates, labelled)


def thresholds(labelled: dict[str, int], step: int) -> tuple[dict[str, float], dict[str, float]]:
    """Per label, the least texts a top term is in (`MIN_TEXTS` explained ones, each standing
    for `step` texts, and `MIN_SHARE` of the label's) and the least concentration (its texts of
    the label over its texts of any label) that reaches `MIN_LIFT`, or halfway to the most a
    label that most texts have can reach."""
    everything = sum(labelled.values())
    minimum = {label: max(MIN_TEXTS * step, MIN_SHARE * count) for label, count in labelled.items()}
    least = {
        label: min(MIN_LIFT, (1 + everything / count) / 2) * count / everything
        for label, count in labelled.items()
    }
    return minimum, least


def listed(
    dataset: Dataset, candidates: Sequence[Any], labelled: dict[str, int]
) -> dict[str, list[dict[str, Any]]]:
    """The first `TERMS_SHOWN` of each label's ranked (label, term, weight, texts,
    concentration) candidates that are not topical (the dataset's keywords and their plurals,
    numbers, mentions, links), as the reports show them."""
    everything = sum(labelled.values())
    pattern = tracked(dataset)
    terms: dict[str, list[dict[str, Any]]] = {}
    for label, term, weight, texts, concentration in candidates:
        shown = terms.setdefault(label, [])
        if len(shown) == TERMS_SHOWN or topical(term, pattern):
            continue
        shown.append(
            {
                "term": term,
                "lift": round(float(concentration) * everything / labelled[label], 2),
                "weight": round(float(weight), 3),
                "texts": int(texts),
            }
        )
    return {label: shown for label, shown in terms.items() if shown}


def _labelled_texts(job_id: int | None) -> dict[str, int]:
    """The analysis's scored texts per label (from its counts)."""
    rows = db.session.execute(
        select(JobCount.label, func.sum(JobCount.texts))
        .where(
            JobCount.job_id == job_id,
            JobCount.keyword == "",
            JobCount.also == "",
            JobCount.label != NOT_SCORED,
        )
        .group_by(JobCount.label)
    )
    return {label: int(count) for label, count in rows if count}


def _candidates(
    job_id: int | None, minimum: dict[str, float], least: dict[str, float]
) -> Sequence[Any]:
    """(label, term, weight, texts, concentration) of the terms frequent and typical enough,
    best first per label, `CANDIDATES` of them (keywords and numbers are left
    out after). Concentration: the term's texts of the label over its texts of any label."""
    summed = (
        select(
            JobTerm.label,
            JobTerm.term,
            func.sum(JobTerm.weight).label("weight"),
            func.sum(JobTerm.texts).label("texts"),
        )
        .where(JobTerm.job_id == job_id)
        .group_by(JobTerm.label, JobTerm.term)
        .subquery()
    )
    everywhere = func.sum(summed.c.texts).over(partition_by=summed.c.term)
    totalled = select(summed, everywhere.label("everywhere")).subquery()
    row = totalled.c
    concentration = cast(row.texts, Float) / row.everywhere
    ranked = (
        select(
            row.label,
            row.term,
            row.weight,
            row.texts,
            concentration.label("concentration"),
            func.row_number()
            .over(
                partition_by=row.label,
                order_by=(concentration.desc(), row.texts.desc(), row.term),
            )
            .label("rank"),
        )
        .where(
            row.weight > 0,
            row.texts >= case(minimum, value=row.label, else_=None),
            concentration >= case(least, value=row.label, else_=None),
        )
        .subquery()
    )
    return db.session.execute(
        select(
            ranked.c.label, ranked.c.term, ranked.c.weight, ranked.c.texts, ranked.c.concentration
        )
        .where(ranked.c.rank <= CANDIDATES)
        .order_by(ranked.c.label, ranked.c.rank)
    ).all()


def tracked(dataset: Dataset) -> KeywordPattern | None:
    """The dataset's tracked keywords and their plurals ("trams" is the keyword "tram")."""
    return keyword_pattern(with_plurals(dataset.keywords))


def topical(term: str, keywords: KeywordPattern | None) -> bool:
    """A term that names a tracked keyword, holds a number, a mention or a link: what texts
    are about or whom they address, not how they feel."""
    if keywords_in(term, keywords):
        return True
    return any(_NUMBER_RE.fullmatch(word) or word.startswith(_ADDRESSES) for word in term.split())
