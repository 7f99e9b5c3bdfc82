"""What a rule asks of the detector, and what the detector answers: plain typed values."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum


class Metric(StrEnum):
    VOLUME = "volume"  # texts per window
    EMOTION_COUNT = "emotion_count"  # texts of one emotion per window
    EMOTION_SHARE = "emotion_share"  # their share of the window's texts
    VALENCE = "valence"  # the mean valence of the window's texts


class Direction(StrEnum):
    RISE = "rise"
    DROP = "drop"
    EITHER = "either"


class Reason(StrEnum):
    """Why a window was not judged (the verdict then raises no alert)."""

    TOO_FEW_TEXTS = "too few texts"
    TOO_LITTLE_HISTORY = "too little history"


# The p-values below which a window is unusual. A rule on an hourly window is evaluated
# about 720 times in 30 days (a schedule running every minute sees each whole window again,
# and the cool-down keeps it to one alert). Bonferroni: 720 x p <= 1 keeps a series with
# nothing happening to one false alert in expectation; UNUSUAL takes half that, 0.36 in 30
# days, a margin for feeds messier than the model (bench/alerts.py measures it). At
# VERY_UNUSUAL's 0.05 / 720 the chance of even one false alert in those 30 days is at most
# 5 %. Longer windows are evaluated less often, so they raise fewer.
UNUSUAL_P = 5e-4
VERY_UNUSUAL_P = 0.05 / 720


@dataclass(frozen=True, slots=True)
class Sensitivity:
    """When a window raises an alert: its p-value is below `p_value` and, when `times` is set,
    the observed value is at least `times` x the expected (a rise) or at most expected /
    `times` (a drop), so that 1 -> 3 texts, three times the usual but not unusual, is quiet."""

    p_value: float
    times: float | None = None

    @property
    def label(self) -> str:
        if self.times is not None:
            return f"{self.times:g} times the usual"
        return "very unusual" if self.p_value <= VERY_UNUSUAL_P else "unusual"


UNUSUAL = Sensitivity(UNUSUAL_P)
VERY_UNUSUAL = Sensitivity(VERY_UNUSUAL_P)


def times_the_usual(times: float) -> Sensitivity:
    """ "`times` times the usual" (above 1), and unusual too."""
    if not times > 1:
        raise ValueError("A rule's 'times the usual' must be above 1.")
    return Sensitivity(UNUSUAL_P, times)


@dataclass(frozen=True, slots=True)
class Rule:
    """The detector's part of an alert rule (what to watch, which way, how sensitive).

    `min_texts`: the least texts a window needs to be judged (its own texts for a share or a
    valence; for volume and an emotion's count, its texts or the usual texts of a window,
    whichever is larger, so that a feed falling silent is judged).
    """

    metric: Metric
    direction: Direction = Direction.EITHER
    sensitivity: Sensitivity = UNUSUAL
    window_hours: int = 1
    min_texts: int = 10

    def __post_init__(self) -> None:
        if self.window_hours < 1:
            raise ValueError("A rule's window is at least one hour.")
        if self.min_texts < 1:
            raise ValueError("A rule needs at least one text in a window.")
        if self.metric is Metric.VALENCE and self.sensitivity.times is not None:
            raise ValueError("A valence rule cannot use 'times the usual': valence is signed.")


@dataclass(frozen=True, slots=True)
class Window:
    """Whole hours in UTC: `start` included, `end` excluded."""

    start: datetime
    end: datetime


@dataclass(frozen=True, slots=True)
class Verdict:
    """The detector's answer for the latest window: every number an alert records.

    `observed` and `expected`: texts (volume, emotion_count), a share in [0, 1]
    (emotion_share) or a mean valence in [-1, 1]; `observed` is None for a share or a mean
    of a window without texts, `expected` when the history is too short. `ratio`: observed
    / expected (None for valence, or when nothing was expected). `p_value`: how likely a
    window at least this far from the expected is with nothing happening, in the rule's
    direction (both ways for `either`). `direction`: which way the window went (RISE or
    DROP; None when not judged). `reason`: why the window was not judged (then `p_value` is
    None and `alert` False). `baseline`: the seasonality used ("flat", "hour of day", "day
    of week", "hour of day and day of week"); `model`: the distribution ("poisson",
    "negative binomial", "binomial", "beta-binomial", "normal"; "none" when not judged).
    """

    window: Window
    metric: Metric
    texts: int  # the window's texts
    observed: float | None
    expected: float | None
    ratio: float | None
    p_value: float | None
    direction: Direction | None
    alert: bool
    reason: Reason | None
    history_windows: int  # earlier windows the baseline was built from
    baseline: str
    model: str


def cooling_down(window: Window, last_alert: Window | None, cool_down: timedelta) -> bool:
    """Whether a rule whose last alert was for `last_alert` keeps quiet about `window`: one
    event spanning several windows raises one alert. The same window is always quiet (a
    schedule evaluating every minute sees the same complete window many times)."""
    return last_alert is not None and window.start < last_alert.end + cool_down
