"""Segments: the categories of a dataset's segment column (a product, a channel, a store), by
which the dashboard breaks emotions down and the filters narrow every view.

A text's segment is stored with it (`TextRow.segment`) and counted with its label
(`JobCount.segment`, `JobPoint.segment`), so a segment filter and the breakdown read the
stored counts like any other filter. A segment is a category many texts share: a file whose
segment column has more than `MAX_SEGMENTS` different values (an id, a free-text answer) is
refused at the import, before its counts would grow as large as its texts.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from emolytics.extensions import db
from emolytics.pipeline import per_analysis
from emolytics.pipeline.filters import Filters, kept_counts, sum_of
from emolytics.pipeline.ingest import BadRow, ColumnError, ParsedText
from emolytics.tables import Dataset, JobCount

MAX_SEGMENTS = 1000  # different segments one file may bring
BROKEN_DOWN = 12  # the breakdown's segments, the most texts first; the rest are summed


@dataclass(frozen=True, slots=True)
class Present:
    """A segment found in a dataset's current analysis: the filters offer it."""

    name: str
    texts: int

    @property
    def shown(self) -> str:
        """ "Web shop (1,204 texts)"."""
        return f"{self.name} ({self.texts:,} text{'' if self.texts == 1 else 's'})"


def present(dataset: Dataset) -> list[Present]:
    """The segments of the dataset's current analysis, the most texts first (none: the dataset
    has no segment column, or no analysis yet); summed from its counts once per process and
    analysis (`per_analysis`)."""
    if dataset.current_job_id is None:
        return []
    return per_analysis.kept("segments", dataset.current_job_id, _summed)


def _summed(job_id: int) -> list[Present]:
    rows = db.session.execute(
        select(JobCount.segment, func.sum(JobCount.texts))
        .where(
            JobCount.job_id == job_id,
            JobCount.keyword == "",
            JobCount.also == "",
            JobCount.segment != "",
        )
        .group_by(JobCount.segment)
    )
    found = [Present(name, int(texts)) for name, texts in rows if texts]
    return sorted(found, key=lambda row: (-row.texts, row.name))


def breakdown(dataset: Dataset, filters: Filters) -> list[dict[str, Any]]:
    """The texts the filters keep per segment and label: the `BROKEN_DOWN` segments with the
    most texts, then the others summed (`other`: how many segments they are), then the texts
    without a segment; none when no kept text has a segment (nor a query for a dataset without
    segments)."""
    if not present(dataset):
        return []
    counted = kept_counts(dataset, filters).c
    rows = db.session.execute(
        select(counted.segment, counted.label, sum_of(counted.texts))
        .group_by(counted.segment, counted.label)
        .having(sum_of(counted.texts) > 0)
    )
    by_segment: dict[str, dict[str, int]] = {}
    for segment, label, count in rows:
        by_segment.setdefault(segment, {})[label] = count
    unsegmented = by_segment.pop("", None)
    if not by_segment:
        return []
    ranked = sorted(by_segment.items(), key=lambda item: (-sum(item[1].values()), item[0]))
    shown = [_row(name, counts) for name, counts in ranked[:BROKEN_DOWN]]
    if rest := ranked[BROKEN_DOWN:]:
        summed: dict[str, int] = {}
        for _, counts in rest:
            for label, count in counts.items():
                summed[label] = summed.get(label, 0) + count
        shown.append(_row(None, summed, other=len(rest)))
    if unsegmented:
        shown.append(_row(None, unsegmented))
    return shown


def _row(segment: str | None, counts: dict[str, int], other: int = 0) -> dict[str, Any]:
    """A breakdown's row: `segment` None with `other` 0 is the texts without a segment."""
    return {"segment": segment, "other": other, "total": sum(counts.values()), "counts": counts}


def capped(
    rows: Iterable[ParsedText | BadRow], column: str, numbered: str
) -> Iterator[ParsedText | BadRow]:
    """`rows` as they come, refusing the file (ColumnError) at the first row that brings one
    segment more than `MAX_SEGMENTS` (named by its number, which counts what `numbered` says:
    a line, a sheet's row or a JSON array's record)."""
    seen: set[str] = set()
    for row in rows:
        if isinstance(row, ParsedText) and row.segment is not None and row.segment not in seen:
            if len(seen) >= MAX_SEGMENTS:
                raise ColumnError(
                    "segment",
                    f"The segment column {column!r} has more than {MAX_SEGMENTS:,} different "
                    f"values ({numbered} {row.line} brings one more): a segment is a category many "
                    "texts share, such as a product, a channel or a store. Choose another "
                    "column, or none.",
                )
            seen.add(row.segment)
        yield row
