"""Judging the latest window of a series against the earlier windows of the same length."""

import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np

from emolytics.alerts import significance
from emolytics.alerts.baseline import Hours, Windows, expect, windows
from emolytics.alerts.rules import Direction, Metric, Reason, Rule, Verdict, Window

MIN_HISTORY_WINDOWS = 7  # and a whole day of hours: a baseline that has seen one rhythm
OUTLIER_Z = 5.0  # an earlier window this far from its fit is a past event, not the usual


@dataclass(frozen=True, slots=True)
class _Judgement:
    observed: float | None  # None: a share or a mean of no texts
    expected: float
    below: float  # the two tails of the latest window under the baseline
    above: float
    model: str
    seasonality: str = "flat"


def evaluate(rule: Rule, hours: Hours, *, alerted: Collection[datetime] = ()) -> Verdict:
    """Whether the latest window of `hours` (its last `rule.window_hours` hours) is unusual
    against the earlier windows of the same length (four weeks at most).

    `alerted`: the starts of earlier windows that raised an alert for this rule; they are
    left out of the baseline, as is any earlier window more than 5 standard deviations from
    its fit. Raises ValueError when `hours` lacks what the rule's metric needs.
    """
    spans = windows(hours, rule.window_hours)
    if spans.count == 0:
        raise ValueError("The series is shorter than the rule's window.")
    texts = spans.sums(hours.texts)
    history = spans.count - 1
    kept = np.ones(history, bool)
    for start in alerted:
        index = (start - spans.first) // timedelta(hours=spans.length)
        if 0 <= index < history and spans.start(index) == start:
            kept[index] = False
    verdict = {
        "window": Window(spans.start(history), spans.start(spans.count)),
        "metric": rule.metric,
        "texts": int(texts[-1]),
        "history_windows": history,
    }
    short = history < max(MIN_HISTORY_WINDOWS, math.ceil(24 / rule.window_hours))
    counted = rule.metric in (Metric.VOLUME, Metric.EMOTION_COUNT)
    # a share or a mean needs texts behind it: as many as seven windows' least
    thin = texts[:-1][kept].sum() < MIN_HISTORY_WINDOWS * rule.min_texts
    if short or (thin and not counted):
        return _unjudged(rule, hours, spans, verdict)
    judgement = _judge(rule, hours, spans, kept)
    ratio = None
    if (
        rule.metric is not Metric.VALENCE
        and judgement.observed is not None
        and judgement.expected > 0
    ):
        ratio = judgement.observed / judgement.expected
    p_value, went = significance.judged(rule.direction, judgement.below, judgement.above)
    usual = float(texts[:-1][kept].mean()) if kept.any() else 0.0
    enough = max(texts[-1], usual) if counted else texts[-1]
    reason = Reason.TOO_FEW_TEXTS if enough < rule.min_texts else None
    return Verdict(
        **verdict,
        observed=judgement.observed,
        expected=judgement.expected,
        ratio=ratio,
        p_value=None if reason else p_value,
        direction=None if judgement.observed is None else went,
        alert=reason is None and _alerts(rule, p_value, went, ratio),
        reason=reason,
        baseline=judgement.seasonality,
        model=judgement.model,
    )


def _alerts(rule: Rule, p_value: float, went: Direction, ratio: float | None) -> bool:
    sensitivity = rule.sensitivity
    if p_value >= sensitivity.p_value:
        return False
    if sensitivity.times is None:
        return True
    if ratio is None:  # nothing expected: any text is infinitely many times the usual
        return went is Direction.RISE
    return ratio >= sensitivity.times if went is Direction.RISE else ratio <= 1 / sensitivity.times


def _unjudged(rule: Rule, hours: Hours, spans: Windows, verdict: dict) -> Verdict:
    return Verdict(
        **verdict,
        observed=_observed(rule, hours, spans),
        expected=None,
        ratio=None,
        p_value=None,
        direction=None,
        alert=False,
        reason=Reason.TOO_LITTLE_HISTORY,
        baseline="flat",
        model="none",
    )


def _observed(rule: Rule, hours: Hours, spans: Windows) -> float | None:
    """The latest window's watched value (None for a share or a mean of no texts)."""
    texts = float(spans.sums(hours.texts)[-1])
    if rule.metric is Metric.VOLUME:
        return texts
    if rule.metric is Metric.EMOTION_COUNT:
        return float(spans.sums(_required(hours.emotion, "the emotion's hourly texts"))[-1])
    if not texts:
        return None
    if rule.metric is Metric.EMOTION_SHARE:
        hits = spans.sums(_required(hours.emotion, "the emotion's hourly texts"))[-1]
        return float(hits) / texts
    return float(spans.sums(_required(hours.valence_sum, "the hourly sums of valence"))[-1]) / texts


def _required(column: Sequence[float] | None, what: str) -> Sequence[float]:
    if column is None:
        raise ValueError(f"This rule needs {what}.")
    return column


def _judge(rule: Rule, hours: Hours, spans: Windows, kept: np.ndarray) -> _Judgement:
    if rule.metric is Metric.VOLUME:
        return _count(spans, hours.texts, kept)
    if rule.metric is Metric.EMOTION_COUNT:
        return _count(spans, _required(hours.emotion, "the emotion's hourly texts"), kept)
    texts = spans.sums(hours.texts)
    if rule.metric is Metric.EMOTION_SHARE:
        hits = spans.sums(_required(hours.emotion, "the emotion's hourly texts"))
        return _share(hits, texts, kept)
    total = spans.sums(_required(hours.valence_sum, "the hourly sums of valence"))
    squares = spans.sums(_required(hours.valence_squares, "the hourly sums of valence squared"))
    return _valence(total, squares, texts, kept)


def _count(spans: Windows, hourly: Sequence[float], kept: np.ndarray) -> _Judgement:
    """A count against a seasonal baseline: negative binomial with the baseline's own
    overdispersion plus the uncertainty of the expected value itself."""
    counts = spans.hourly(hourly)
    sums = counts.reshape(spans.count, spans.length).sum(axis=1)
    past = expect(spans, counts, kept).expected[:-1]
    kept = kept & ~_outlying((sums[:-1] - past) / np.sqrt(past + 1), kept)
    fit = expect(spans, counts, kept)
    alpha = significance.count_dispersion(sums[:-1][kept], fit.expected[:-1][kept])
    mean = float(fit.expected[-1])
    below, above, model = significance.count_tails(
        int(sums[-1]), mean, alpha + fit.relative_variance(alpha)
    )
    return _Judgement(float(sums[-1]), mean, below, above, model, fit.seasonality)


def _share(hits: np.ndarray, texts: np.ndarray, kept: np.ndarray) -> _Judgement:
    """An emotion's texts among the window's: binomial given the window's texts, or
    beta-binomial when the baseline's share varies more than binomial; the uncertainty of
    the baseline's share is added to that overdispersion."""
    past_hits, past_texts = hits[:-1], texts[:-1]
    share = (past_hits[kept].sum() + 0.5) / (past_texts[kept].sum() + 1)
    spread = past_texts * share * (1 - share)
    kept = kept & ~_outlying((past_hits - past_texts * share) / np.sqrt(spread + 1), kept)
    share = (past_hits[kept].sum() + 0.5) / (past_texts[kept].sum() + 1)
    rho = significance.share_dispersion(past_hits[kept], past_texts[kept], share)
    rho = min(0.5, rho + 1 / (past_texts[kept].sum() + 1))
    below, above, model = significance.share_tails(int(hits[-1]), int(texts[-1]), share, rho)
    observed = float(hits[-1] / texts[-1]) if texts[-1] else None
    return _Judgement(observed, float(share), below, above, model)


def _valence(
    total: np.ndarray, squares: np.ndarray, texts: np.ndarray, kept: np.ndarray
) -> _Judgement:
    """A window's mean valence against the baseline's: normal, its variance the texts'
    spread within windows over the window's texts, plus the windows' own spread beyond that
    (moods drift), plus the uncertainty of the baseline's mean."""
    kept = kept & (texts[:-1] > 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        means = total / texts
    mean, within = _pooled(total[:-1], squares[:-1], texts[:-1], kept)
    error = np.sqrt(within / np.maximum(texts[:-1], 1) + 1e-12)
    kept = kept & ~_outlying((means[:-1] - mean) / error, kept)
    mean, within = _pooled(total[:-1], squares[:-1], texts[:-1], kept)
    past_texts = texts[:-1][kept]
    drift = max(0.0, float(((means[:-1][kept] - mean) ** 2 - within / past_texts).mean()))
    variance = within / max(texts[-1], 1) + drift
    variance += within / max(past_texts.sum(), 1) + drift / max(len(past_texts), 1)
    observed = float(means[-1]) if texts[-1] else None
    below, above, model = significance.mean_tails(
        mean if observed is None else observed, mean, variance
    )
    return _Judgement(observed, mean, below, above, model)


def _pooled(
    total: np.ndarray, squares: np.ndarray, texts: np.ndarray, kept: np.ndarray
) -> tuple[float, float]:
    """The mean valence of the kept windows' texts, and the variance within windows."""
    count = float(texts[kept].sum())
    mean = float(total[kept].sum()) / max(count, 1)
    spread = float(squares[kept].sum() - (total[kept] ** 2 / texts[kept]).sum())
    return mean, spread / max(count - int(kept.sum()), 1)


def _outlying(residuals: np.ndarray, kept: np.ndarray) -> np.ndarray:
    """The kept windows more than OUTLIER_Z robust standard deviations (1.4826 x the median
    absolute deviation, at least the model's own) from the median of `residuals`, which are
    standardized by the model without overdispersion: robust, so that a long past event
    inflating the spread does not hide itself."""
    if not kept.any():
        return kept
    centre = float(np.median(residuals[kept]))
    spread = max(1.0, 1.4826 * float(np.median(np.abs(residuals[kept] - centre))))
    return kept & (np.abs(residuals - centre) > OUTLIER_Z * spread)
