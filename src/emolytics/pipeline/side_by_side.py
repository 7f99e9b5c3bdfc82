"""Datasets side by side: the emotion mix of two to eight of a team's datasets (a brand and its
competitors, two channels, this year's survey and last year's) under the same filters, read
from each one's counts as its dashboard reads them, and which shares stand out.

A share stands out when the dataset's texts of that label are a significantly larger or
smaller part of its texts than of the other datasets' together (a two-proportion z-test at 5 %,
Holm-corrected over every dataset and label compared): "anger is higher at Brand A" means
beyond chance, not only a larger number.
"""

from dataclasses import dataclass, replace
from typing import Literal

from sqlalchemy import func, select

from emolytics.engine.labels import EMOTIONS
from emolytics.extensions import db
from emolytics.pipeline import reports
from emolytics.pipeline.datasets import owned
from emolytics.pipeline.filters import Filters, kept_counts, labels_of, searched
from emolytics.pipeline.periods import ALPHA, holm, two_proportions
from emolytics.tables import Dataset

MOST = 8  # datasets side by side at most
Standing = Literal["higher", "lower"]


class SideBySideError(ValueError):
    """The datasets asked for cannot be put side by side; the message says why."""


@dataclass(frozen=True, slots=True)
class Column:
    dataset: Dataset
    counts: dict[str, int]  # per label of its analysis (a label it lacks is not there)
    valence: float | None  # the mean of its texts' (None: no texts)
    standing: dict[str, Standing]  # the labels whose share stands out, and which way

    @property
    def texts(self) -> int:
        return sum(self.counts.values())

    def share(self, label: str) -> float | None:
        """The label's share of its texts (None: it has no texts, or not the label)."""
        return self.counts[label] / self.texts if self.texts and label in self.counts else None

    @property
    def shares(self) -> list[tuple[str, float]]:
        """(label, share) of the labels it has texts of, in the labels' order."""
        return [(label, count / self.texts) for label, count in self.counts.items() if count]


@dataclass(frozen=True, slots=True)
class SideBySide:
    labels: list[str]  # every dataset's labels: the emotions' order first
    columns: list[Column]  # in the order asked


def compare(team_id: int, ids: list[int], filters: Filters) -> SideBySide:
    """The team's datasets `ids` (two to `MOST`, each once) side by side under `filters` (their
    label filter aside: every label is compared); SideBySideError when they are too few, too
    many or one is named twice, DatasetNotFound for one that is not the team's."""
    if len(set(ids)) != len(ids):
        raise SideBySideError("Each dataset may be chosen once.")
    if not 2 <= len(ids) <= MOST:
        raise SideBySideError(f"Choose from 2 to {MOST} datasets to put side by side.")
    datasets = [owned(team_id, dataset_id) for dataset_id in ids]
    filters = replace(filters, label=None)
    read = [_read(dataset, filters) for dataset in datasets]
    labels = _labels([counts for counts, _ in read])
    standing = _standing(labels, [counts for counts, _ in read])
    return SideBySide(
        labels,
        [
            Column(dataset, counts, valence, standing[index])
            for index, (dataset, (counts, valence)) in enumerate(zip(datasets, read, strict=True))
        ],
    )


def _labels(counts: list[dict[str, int]]) -> list[str]:
    """Every label the datasets' analyses have: the emotions' order first."""
    found = set().union(*counts)
    return [label for label in EMOTIONS if label in found] + sorted(found - set(EMOTIONS))


def _read(dataset: Dataset, filters: Filters) -> tuple[dict[str, int], float | None]:
    """The dataset's texts per label of its analysis, and their mean valence."""
    if dataset.current_job_id is None:
        return dict.fromkeys(labels_of(dataset), 0), None
    filters = searched(dataset, filters)  # a search's matches read once, for both reads
    counted = reports.distribution(dataset, filters).counts
    counts = {label: counted.get(label, 0) for label in labels_of(dataset)}
    texts = sum(counts.values())
    return counts, _valence_sum(dataset, filters) / texts if texts else None


def _valence_sum(dataset: Dataset, filters: Filters) -> float:
    """The sum of the valences of the texts the filters keep (from the counts, as the
    distribution's); a query of its own, so that the dashboard's summary does not pay for it."""
    counted = kept_counts(dataset, filters).c
    return db.session.scalar(select(func.coalesce(func.sum(counted.valence_sum), 0.0))) or 0.0


def _standing(labels: list[str], counts: list[dict[str, int]]) -> list[dict[str, Standing]]:
    """Per dataset, the labels whose share differs beyond chance from the other datasets'
    together (those whose analysis has the label: a share is not compared with a model's that
    cannot give it)."""
    totals = [sum(column.values()) for column in counts]
    cells = {
        f"{index}:{label}": (index, label)
        for label in labels
        for index, column in enumerate(counts)
        if label in column and sum(label in other for other in counts) > 1
    }

    def tested(index: int, label: str) -> tuple[int, int, int, int]:
        """The dataset's texts of the label and all its texts; the same of the others that
        have the label."""
        others = [
            other for other, column in enumerate(counts) if other != index and label in column
        ]
        return (
            counts[index][label],
            totals[index],
            sum(counts[other][label] for other in others),
            sum(totals[other] for other in others),
        )

    p_values = {key: two_proportions(*tested(*cell)) for key, cell in cells.items()}
    standing: list[dict[str, Standing]] = [{} for _ in counts]
    for key in holm(p_values, ALPHA):
        index, label = cells[key]
        hits, texts, others, other_texts = tested(index, label)
        standing[index][label] = "higher" if hits / texts > others / other_texts else "lower"
    return standing
