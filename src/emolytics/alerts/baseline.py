"""The hourly input, cut into windows, and the expected count of each window: a level times an
hour-of-day and a day-of-week profile when the history is long enough (fitted by iterative
proportional fitting, the Poisson fit of a multiplicative model), flat otherwise."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np

MAX_HISTORY_HOURS = 28 * 24  # the baseline looks back four weeks at most
LEVEL_HOURS = 7 * 24  # the level follows the last week, the profiles the whole history
HOUR_OF_DAY_HOURS = 3 * 24  # three days before the hour of day counts
DAY_OF_WEEK_HOURS = 14 * 24  # two of each weekday before the day of week counts
ROUNDS = 6  # of proportional fitting: the profiles settle in a few


@dataclass(frozen=True, slots=True)
class Hours:
    """Hourly counts, oldest first, one entry per hour with no gaps (0: no texts that hour);
    the latest window ends with the last hour. `start` is the first hour, on the hour, in UTC.

    `texts`: texts per hour (all of a dataset's, or those mentioning a keyword). `emotion`: of
    them, those with the rule's emotion (emotion rules). `valence_sum` and `valence_squares`:
    the sum of their valences and of the valences squared (valence rules; the counts store
    keeps these two per hour beside `texts`, which then counts the scored texts).
    """

    start: datetime
    texts: Sequence[int]
    emotion: Sequence[int] | None = None
    valence_sum: Sequence[float] | None = None
    valence_squares: Sequence[float] | None = None

    def __post_init__(self) -> None:
        if self.start.utcoffset() != timedelta(0) or self.start.minute or self.start.second:
            raise ValueError("Hours start on the hour, in UTC.")
        for name in ("emotion", "valence_sum", "valence_squares"):
            column = getattr(self, name)
            if column is not None and len(column) != len(self.texts):
                raise ValueError(f"{name} has {len(column)} hours, texts {len(self.texts)}.")


@dataclass(frozen=True, slots=True)
class Windows:
    """The series cut into whole windows of `length` hours, ending with the latest; the oldest
    hours that do not fill a window, and those beyond the four weeks, are left out."""

    first: datetime  # the start of the oldest window
    length: int
    count: int  # windows, the latest included
    hour_of_day: np.ndarray  # of each hour kept
    day_of_week: np.ndarray

    def sums(self, hourly: Sequence[float]) -> np.ndarray:
        """Per window, oldest first, the sums of the last `count` x `length` hours."""
        kept = np.asarray(hourly[len(hourly) - self.count * self.length :], dtype=float)
        return kept.reshape(self.count, self.length).sum(axis=1)

    def hourly(self, hourly: Sequence[float]) -> np.ndarray:
        return np.asarray(hourly[len(hourly) - self.count * self.length :], dtype=float)

    def start(self, index: int) -> datetime:
        return self.first + timedelta(hours=index * self.length)


def windows(hours: Hours, length: int) -> Windows:
    count = min(len(hours.texts), MAX_HISTORY_HOURS + length) // length
    first = hours.start + timedelta(hours=len(hours.texts) - count * length)
    hour = int(first.timestamp()) // 3600 + np.arange(count * length)
    return Windows(
        first=first,
        length=length,
        count=count,
        hour_of_day=hour % 24,
        day_of_week=(hour // 24 + 3) % 7,  # 1 January 1970 was a Thursday
    )


@dataclass(frozen=True, slots=True)
class Expectation:
    """The expected count of every window (the latest last) and how sure the latest's is."""

    expected: np.ndarray
    seasonality: str
    latest: np.ndarray  # the latest window's expected texts, hour by hour
    # per hour of the latest window, summed over the level and the profiles behind it: one
    # over the texts each was fitted on, and one over the independent periods (days, or
    # windows when longer) those came from: a busy day lifts every hour of it at once
    over_texts: np.ndarray
    over_periods: np.ndarray

    def relative_variance(self, alpha: float) -> float:
        """The latest window's expected value's own relative variance, given the windows'
        overdispersion `alpha` (the profiles and the level are estimates)."""
        uncertainty = self.over_texts + alpha * self.over_periods
        return float((self.latest**2 @ uncertainty) / max(self.latest.sum() ** 2, 1e-18))


def seasonality(spans: Windows) -> tuple[bool, bool]:
    """Whether the hour of day and the day of week count, given the history's length."""
    history = (spans.count - 1) * spans.length
    by_hour = spans.length < 24 and history >= HOUR_OF_DAY_HOURS
    by_day = spans.length < 7 * 24 and history >= DAY_OF_WEEK_HOURS
    return by_hour, by_day


def expect(spans: Windows, counts: np.ndarray, kept: np.ndarray) -> Expectation:
    """Fit the history's hourly `counts` over the windows marked in `kept` (one flag per
    earlier window: an alerted or outlying window teaches nothing) and expect every window.

    Each profile is shrunk towards 1 by half a text, so an hour of day that never had a text
    is expected to have few rather than none.
    """
    by_hour, by_day = seasonality(spans)
    hour_weight = np.repeat(np.append(kept, False), spans.length).astype(float)
    day_profile, week_profile = np.ones(24), np.ones(7)
    for _ in range(ROUNDS if by_hour or by_day else 0):
        if by_hour:
            shape = week_profile[spans.day_of_week]
            day_profile = _profile(spans.hour_of_day, 24, counts, shape, hour_weight)
        if by_day:
            shape = day_profile[spans.hour_of_day]
            week_profile = _profile(spans.day_of_week, 7, counts, shape, hour_weight)
    shape = day_profile[spans.hour_of_day] * week_profile[spans.day_of_week]
    recent = hour_weight.copy()
    recent[: max(0, len(recent) - spans.length - LEVEL_HOURS)] = 0
    if recent.sum() == 0:
        recent = hour_weight
    level = (float(counts @ recent) + 0.5) / max(float(shape @ recent), 1e-9)
    hourly = level * shape
    period = np.arange(len(counts)) // max(spans.length, 24)
    latest_hours = slice(len(counts) - spans.length, None)
    components = [(np.zeros(len(counts), int), 1, recent)]
    if by_hour:
        components.append((spans.hour_of_day, 24, hour_weight))
    if by_day:
        components.append((spans.day_of_week, 7, hour_weight))
    over_texts = np.zeros(spans.length)
    over_periods = np.zeros(spans.length)
    for index, size, weight in components:
        texts = np.bincount(index, counts * weight, size)
        seen = np.zeros((size, period[-1] + 1), bool)
        seen[index[weight > 0], period[weight > 0]] = True
        over_texts += 1 / (texts[index[latest_hours]] + 0.5)
        over_periods += 1 / np.maximum(seen.sum(axis=1), 1)[index[latest_hours]]
    names = [name for used, name in ((by_hour, "hour of day"), (by_day, "day of week")) if used]
    return Expectation(
        expected=hourly.reshape(spans.count, spans.length).sum(axis=1),
        seasonality=" and ".join(names) or "flat",
        latest=hourly[latest_hours],
        over_texts=over_texts,
        over_periods=over_periods,
    )


def _profile(
    index: np.ndarray, size: int, counts: np.ndarray, shape: np.ndarray, weight: np.ndarray
) -> np.ndarray:
    """Counts over their expectation under the other profile, per value of `index`, scaled to
    a mean of 1 over the hours fitted."""
    scale = float(counts @ weight) / max(float(shape @ weight), 1e-9)
    observed = np.bincount(index, counts * weight, size)
    expected = np.bincount(index, scale * shape * weight, size)
    profile = (observed + 0.5) / (expected + 0.5)
    return profile / (profile[index] @ weight / max(weight.sum(), 1e-9))
