"""Spike alerts' detector on a synthetic feed: false alerts with nothing happening, planted
anger spikes caught, how both change with the feed's volume, and the detector's speed.

    .venv/bin/python bench/alerts.py [--seeds 3] [--rates 100,30,10]

The feed: the sample dataset's texts (src/emolytics/sample/texts.csv) labelled by the
default analyzer give the label mix and each label's valences; anger is reweighted to 8 % of
the texts, the other labels keep their proportions. Texts per hour follow a daily rhythm
(night trough, morning, lunch and evening peaks: from about 0.2 to 1.8 times the mean) and a
weekly one (weekends quieter), with each day's level and each hour's rate varying by about
10 % beyond Poisson, and each hour's label mix by about 10 % of each share (Dirichlet): a
feed that is overdispersed, as real ones are. Four weeks of history come first, then 30
evaluated days: every rule is evaluated on every hour's window (720 evaluations), passed the
windows it alerted on before, with a 6-hour cool-down (so one event is one alert).

Quiet run: no planted event; an alert is a false alert (target: at most one per rule per 30
days). Spike run: the same kind of feed with 20 one-hour anger spikes (anger's share three
times the usual, the hour's texts unchanged) on 20 different days at random hours; a spike is
caught when the evaluation of its window alerts (target: 19 of 20 at 100 texts an hour).
Spikes at random hours include night hours with a quarter of the mean's texts; the table also
gives the spikes caught among those in hours at or above the mean rate. `--flat` drops the
rhythm: every hour expects the mean rate.

Two oracles bound what any detector can catch: the exact binomial test that knows anger's
usual share, at the rules' "unusual" p-value and at the whole false-alert budget (one alert in
30 days of hourly checks, p = 1/720). Even on a flat feed of 100 texts an hour the second
catches about 18.8 of 20 three-fold spikes on average: 19 of 20 is out of any detector's reach
at that volume, and the rules are judged against the oracles.
"""

import argparse
import csv
import sys
import time
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
from scipy import stats

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT / "src"))

from emolytics.alerts import (  # noqa: E402
    UNUSUAL,
    VERY_UNUSUAL,
    Direction,
    Hours,
    Metric,
    Rule,
    Window,
    cooling_down,
    evaluate,
    times_the_usual,
)
from emolytics.engine import load_analyzer  # noqa: E402

SAMPLE = REPO_ROOT / "src" / "emolytics" / "sample" / "texts.csv"
ANGER_SHARE = 0.08
HISTORY_DAYS = 28
DAYS = 30
SPIKES = 20
SPIKE_TIMES = 3.0
COOL_DOWN = timedelta(hours=6)
START = datetime(2026, 1, 5, tzinfo=UTC)  # a Monday
RULES = {
    "volume either, unusual": Rule(Metric.VOLUME),
    "volume either, very unusual": Rule(Metric.VOLUME, sensitivity=VERY_UNUSUAL),
    "anger share rise, unusual": Rule(Metric.EMOTION_SHARE, Direction.RISE),
    "anger share rise, very unusual": Rule(Metric.EMOTION_SHARE, Direction.RISE, VERY_UNUSUAL),
    "anger share rise, 2x usual": Rule(Metric.EMOTION_SHARE, Direction.RISE, times_the_usual(2)),
    "anger count rise, unusual": Rule(Metric.EMOTION_COUNT, Direction.RISE, UNUSUAL),
    "valence drop, unusual": Rule(Metric.VALENCE, Direction.DROP),
}
ANGER_RULES = [name for name in RULES if "anger" in name or "valence" in name]


def sample_mix() -> tuple[list[str], np.ndarray, dict[str, np.ndarray]]:
    """The labels, their shares (anger at 8 %) and each label's valences, from the sample."""
    with SAMPLE.open(encoding="utf-8", newline="") as sample:
        texts = [row["text"] for row in csv.DictReader(sample)]
    valences: dict[str, list[float]] = defaultdict(list)
    for result in load_analyzer().analyze(texts):
        valences[result.label].append(result.valence)
    labels = sorted(valences, key=lambda label: label != "anger")  # anger first
    counts = np.array([len(valences[label]) for label in labels], float)
    others = counts[1:] / counts[1:].sum() * (1 - ANGER_SHARE)
    return (
        labels,
        np.concatenate([[ANGER_SHARE], others]),
        {label: np.array(values) for label, values in valences.items()},
    )


def rhythm(hours: int, flat: bool = False) -> np.ndarray:
    """The expected texts of each hour relative to the mean (daily and weekly rhythm), or all
    ones for a `flat` feed."""
    if flat:
        return np.ones(hours)
    hour = np.arange(hours) % 24
    day = (np.arange(hours) // 24) % 7  # START is a Monday
    daily = (
        0.15
        + 1.0 * np.exp(-(((hour - 9) / 2.5) ** 2))
        + 0.6 * np.exp(-(((hour - 13) / 2.0) ** 2))
        + 1.2 * np.exp(-(((hour - 20) / 3.0) ** 2))
    )
    weekly = np.array([1.05, 1.05, 1.05, 1.05, 1.0, 0.8, 0.85])[day]
    shape = daily * weekly
    return shape / shape.mean()


def feed(rate: float, seed: int, spikes: list[int], mix: tuple, flat: bool) -> Hours:
    labels, shares, valences = mix
    rng = np.random.default_rng(seed)
    hours = (HISTORY_DAYS + DAYS) * 24
    day_level = np.repeat(rng.gamma(100, 1 / 100, hours // 24), 24)
    expected = rate * rhythm(hours, flat) * day_level * rng.gamma(100, 1 / 100, hours)
    texts = rng.poisson(expected)
    anger, total, squares = np.zeros(hours, int), np.zeros(hours), np.zeros(hours)
    spiked = set(spikes)
    for hour in range(hours):
        hour_shares = rng.dirichlet(shares * 1000)
        if hour in spiked:  # anger three times as common, the others in proportion
            anger_share = hour_shares[0] * SPIKE_TIMES
            rest = hour_shares[1:] * (1 - anger_share) / (1 - hour_shares[0])
            hour_shares = np.concatenate([[anger_share], rest])
        counts = rng.multinomial(texts[hour], hour_shares)
        anger[hour] = counts[0]
        for label, count in zip(labels, counts, strict=True):
            drawn = rng.choice(valences[label], count)
            total[hour] += drawn.sum()
            squares[hour] += (drawn**2).sum()
    return Hours(START, texts, anger, total, squares)


def up_to(hours: Hours, hour: int) -> Hours:
    """The series as the app would read it when `hour` has just ended."""
    end = hour + 1
    return Hours(
        hours.start,
        hours.texts[:end],
        hours.emotion[:end],
        hours.valence_sum[:end],
        hours.valence_squares[:end],
    )


def quiet(hours: Hours) -> tuple[dict[str, int], int, float]:
    """False alerts per rule over the evaluated days, evaluations made, seconds taken."""
    alerts = dict.fromkeys(RULES, 0)
    alerted: dict[str, list[datetime]] = defaultdict(list)
    last: dict[str, Window | None] = dict.fromkeys(RULES)
    started, evaluations = time.perf_counter(), 0
    for hour in range(HISTORY_DAYS * 24, (HISTORY_DAYS + DAYS) * 24):
        series = up_to(hours, hour)
        for name, rule in RULES.items():
            verdict = evaluate(rule, series, alerted=alerted[name])
            evaluations += 1
            if verdict.alert:
                alerted[name].append(verdict.window.start)
                if not cooling_down(verdict.window, last[name], COOL_DOWN):
                    alerts[name] += 1
                    last[name] = verdict.window
    return alerts, evaluations, time.perf_counter() - started


def spiked(hours: Hours, spikes: list[int], busy: set[int]) -> dict[str, tuple[int, int]]:
    """Per anger rule: spikes caught, and those caught among the spikes in busy hours."""
    caught = {}
    for name in ANGER_RULES:
        alerted: list[datetime] = []
        found = found_busy = 0
        for hour in spikes:
            verdict = evaluate(RULES[name], up_to(hours, hour), alerted=alerted)
            if verdict.alert:
                alerted.append(verdict.window.start)
                found += 1
                found_busy += hour in busy
        caught[name] = (found, found_busy)
    return caught


def oracle(hours: Hours, spikes: list[int], p_value: float) -> float:
    """Spikes an exact binomial test knowing anger's usual share would catch on average at
    `p_value` (mid-p, as the detector), given each spike hour's texts. Knowing the share, that
    test is the most powerful one for a rise (Neyman-Pearson): no detector catches more at the
    same false-alert rate, on a feed with no variation beyond the binomial's."""
    total = 0.0
    for hour in spikes:
        texts = int(hours.texts[hour])
        values = np.arange(texts + 1)
        usual = stats.binom(texts, ANGER_SHARE)
        tail = usual.sf(values) + usual.pmf(values) / 2
        alerting = values[tail < p_value]
        if len(alerting):
            total += float(stats.binom(texts, ANGER_SHARE * SPIKE_TIMES).sf(alerting[0] - 1))
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--rates", default="100,30,10", help="mean texts per hour")
    parser.add_argument(
        "--flat", action="store_true", help="no daily or weekly rhythm: every hour the mean rate"
    )
    arguments = parser.parse_args()
    mix = sample_mix()
    shares = ", ".join(f"{label} {share:.1%}" for label, share in zip(*mix[:2], strict=True))
    print(f"label mix (the sample's, anger at 8 %): {shares}")
    shape = rhythm((HISTORY_DAYS + DAYS) * 24, arguments.flat)
    evaluations, seconds = 0, 0.0
    for rate in (float(rate) for rate in arguments.rates.split(",")):
        false: dict[str, list[int]] = defaultdict(list)
        caught: dict[str, list[tuple[int, int]]] = defaultdict(list)
        busy_spikes, best, budget = 0, 0.0, 0.0
        for seed in range(arguments.seeds):
            rng = np.random.default_rng(10_000 + seed)
            days = rng.choice(DAYS, SPIKES, replace=False)
            spikes = sorted(int((HISTORY_DAYS + day) * 24 + rng.integers(24)) for day in days)
            busy = {hour for hour in spikes if shape[hour] >= 1}
            busy_spikes += len(busy)
            alerts, made, took = quiet(feed(rate, seed, [], mix, arguments.flat))
            evaluations, seconds = evaluations + made, seconds + took
            for name, count in alerts.items():
                false[name].append(count)
            planted = feed(rate, 1000 + seed, spikes, mix, arguments.flat)
            best += oracle(planted, spikes, UNUSUAL.p_value)
            budget += oracle(planted, spikes, 1 / (DAYS * 24))
            for name, found in spiked(planted, spikes, busy).items():
                caught[name].append(found)
        print(
            f"\n{rate:g} texts an hour on average, {arguments.seeds} seeds of 30 days; spikes "
            f"in busy hours (at least the mean rate): {busy_spikes} of {20 * arguments.seeds}"
        )
        print(f"{'rule':31} {'false alerts':>14} {'caught / 20':>18} {'busy caught':>12}")
        for name in RULES:
            counts = false[name]
            row = f"{name:31} {' '.join(map(str, counts)):>14}"
            if name in caught:
                found = [all_ for all_, _ in caught[name]]
                in_busy = sum(busy for _, busy in caught[name])
                row += f" {' '.join(map(str, found)):>18} {in_busy / max(busy_spikes, 1):>12.0%}"
            print(row)
        print(f"{'oracle (share known), unusual':31} {'':>14} {best / arguments.seeds:>18.1f}")
        print(f"{'oracle, 1 false alert / 30 days':31} {'':>14} {budget / arguments.seeds:>18.1f}")
    per_second = evaluations / seconds
    print(f"\ndetector: {per_second:,.0f} evaluations a second ({1e3 / per_second:.2f} ms each)")


if __name__ == "__main__":
    main()
