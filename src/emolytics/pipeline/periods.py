"""A view compared with the period before it: the same length of time just before the view's
dates, the other filters alike, so a team sees whether an emotion's share rose or fell.

The view's period is its date filters; an open end is the texts' own: from the hour of the
first one it keeps, or to the end of the hour of the last one. Without a date filter there is
nothing before the view to compare with. Both periods are summed from the stored counts in one
query. The label filter is left out of both: a label's share is of all the texts of its
period. A share's change is significant when a two-proportion z-test says so at 5 %, Holm's
correction applied over the labels (it holds whatever their dependence)."""

import math
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from sqlalchemy import case, select

from emolytics.extensions import db
from emolytics.pipeline.filters import Filters, kept_counts, sum_of
from emolytics.tables import Dataset

ALPHA = 0.05
HOUR = timedelta(hours=1)
FIRST_MOMENT = datetime.min.replace(tzinfo=UTC)


@dataclass(frozen=True)
class LabelChange:
    label: str
    now: int
    before: int
    change: float | None  # the share now less the share before (None: a period has no texts)
    significant: bool


@dataclass(frozen=True)
class Comparison:
    period: Filters  # the view's period, as date filters (start, exclusive end)
    previous: Filters  # the same length of time just before it
    now: int  # the texts of each period, every label
    before: int
    labels: list[LabelChange]


def compare(
    dataset: Dataset,
    filters: Filters,
    labels: list[str],
    span: tuple[datetime | None, datetime | None],
) -> Comparison | None:
    """The view (`filters`, whose scored texts span `span`) against the period before it, per
    label of `labels`; None without a date filter, with an open end and no texts, or when the
    period before would start before the calendar does."""
    start, end = _period(filters, span)
    if start is None or end is None or start >= end or end - start > start - FIRST_MOMENT:
        return None
    previous_start = start - (end - start)
    counted = kept_counts(dataset, replace(filters, label=None, start=previous_start, end=end)).c
    before = counted.hour < start
    rows = db.session.execute(
        select(
            counted.label,
            sum_of(case((before, 0), else_=counted.texts)).label("now"),
            sum_of(case((before, counted.texts), else_=0)).label("before"),
        ).group_by(counted.label)
    ).all()
    now = {row.label: row.now for row in rows}
    earlier = {row.label: row.before for row in rows}
    return Comparison(
        Filters(start=start, end=end),
        Filters(start=previous_start, end=start),
        sum(now.values()),
        sum(earlier.values()),
        changes(labels, now, earlier),
    )


def _period(
    filters: Filters, span: tuple[datetime | None, datetime | None]
) -> tuple[datetime | None, datetime | None]:
    if filters.start is None and filters.end is None:
        return None, None
    first, last = span
    start = filters.start or (_hour_of(first) if first else None)
    end = filters.end or (_hour_of(last) + HOUR if last else None)
    return start, end


def _hour_of(moment: datetime) -> datetime:
    return moment.replace(minute=0, second=0, microsecond=0)


def changes(labels: list[str], now: dict[str, int], before: dict[str, int]) -> list[LabelChange]:
    """Each label's texts in both periods, the change of its share and whether it is
    significant (Holm over the labels)."""
    texts_now, texts_before = sum(now.values()), sum(before.values())
    p_values = {
        label: two_proportions(now.get(label, 0), texts_now, before.get(label, 0), texts_before)
        for label in labels
    }
    significant = holm(p_values, ALPHA)
    return [
        LabelChange(
            label,
            now.get(label, 0),
            before.get(label, 0),
            now.get(label, 0) / texts_now - before.get(label, 0) / texts_before
            if texts_now and texts_before
            else None,
            label in significant,
        )
        for label in labels
    ]


def two_proportions(hits: int, texts: int, other_hits: int, other_texts: int) -> float:
    """The two-sided p-value of a z-test that hits / texts and other_hits / other_texts are
    the same proportion (1.0 when either has no texts, or the pooled one is 0 or 1)."""
    if not texts or not other_texts:
        return 1.0
    pooled = (hits + other_hits) / (texts + other_texts)
    if pooled in (0.0, 1.0):
        return 1.0
    error = math.sqrt(pooled * (1 - pooled) * (1 / texts + 1 / other_texts))
    z = (hits / texts - other_hits / other_texts) / error
    return math.erfc(abs(z) / math.sqrt(2))


def holm(p_values: dict[str, float], alpha: float) -> set[str]:
    """The names whose test Holm's step-down procedure rejects at family-wise level alpha."""
    ordered = sorted(p_values.items(), key=lambda item: item[1])
    rejected: set[str] = set()
    for rank, (name, p_value) in enumerate(ordered):
        if p_value > alpha / (len(ordered) - rank):
            break
        rejected.add(name)
    return rejected
