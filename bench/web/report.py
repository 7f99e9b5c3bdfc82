"""Tables of one round and the summary over all rounds (medians)."""

import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from load import BurstResult, Measurement, Target

Key = tuple[str, str]  # (app, endpoint)

# (label, numerator, denominator): ratios of requests per second within one round.
RATIOS: list[tuple[str, Key, Key]] = [
    ("dashboard  emolytics / minimal", ("emolytics", "dashboard"), ("minimal", "dashboard")),
    ("api me     emolytics / minimal", ("emolytics", "api"), ("minimal", "api")),
    ("login      emolytics / minimal", ("emolytics", "login"), ("minimal", "login")),
    ("dashboard  minimal   / hello", ("minimal", "dashboard"), ("hello", "hello")),
    ("dashboard  emolytics / hello", ("emolytics", "dashboard"), ("hello", "hello")),
    ("landing    emolytics / hello", ("emolytics", "landing"), ("hello", "hello")),
]


@dataclass
class Round:
    labels: dict[Key, str] = field(default_factory=dict)
    measurements: dict[Key, Measurement] = field(default_factory=dict)
    bursts: dict[str, BurstResult] = field(default_factory=dict)

    def add(self, target: Target, measurement: Measurement) -> None:
        key = (target.app, target.endpoint)
        self.labels[key] = target.label
        self.measurements[key] = measurement

    def ratio(self, numerator: Key, denominator: Key) -> float:
        return self.measurements[numerator].rate / self.measurements[denominator].rate


def measurement_row(name: str, label: str, measurement: Measurement) -> str:
    return (
        f"  {name:<10} {label:<18} {measurement.rate:>9.1f} {measurement.p50_ms:>8.2f}"
        f" {measurement.p99_ms:>8.2f} {measurement.failures:>8d}"
    )


def header(first: str = "app") -> str:
    return f"  {first:<10} {'request':<18} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'failures':>8}"


def print_measurements(labels: dict[Key, str], measurements: dict[Key, Measurement]) -> None:
    print(header())
    for (app, endpoint), measurement in measurements.items():
        print(measurement_row(app, labels[(app, endpoint)], measurement))


def print_ratios(ratio_of: Callable[[Key, Key], float], available: set[Key]) -> None:
    print("  ratios of req/s:")
    for label, numerator, denominator in RATIOS:
        if {numerator, denominator} <= available:
            print(f"    {label:<32} {ratio_of(numerator, denominator):6.2f}x")


def print_bursts(bursts: dict[str, BurstResult], rate: float) -> None:
    print(f"  during a login burst of {rate:g} sign-ins/s (page: GET /dashboard under wrk):")
    print(header("app / load"))
    for app, burst in bursts.items():
        print(measurement_row(app, "GET /dashboard", burst.page))
        print(measurement_row("", "POST /login paced", burst.logins))


def print_round(number: int, result: Round, login_rate: float) -> None:
    print(f"\nRound {number}")
    print_measurements(result.labels, result.measurements)
    print_ratios(result.ratio, set(result.measurements))
    print_bursts(result.bursts, login_rate)


def median_measurement(measurements: Sequence[Measurement]) -> Measurement:
    return Measurement(
        rate=statistics.median(m.rate for m in measurements),
        p50_ms=statistics.median(m.p50_ms for m in measurements),
        p99_ms=statistics.median(m.p99_ms for m in measurements),
        failures=sum(m.failures for m in measurements),
    )


def print_summary(rounds: Sequence[Round], login_rate: float) -> None:
    print(f"\nSummary: medians over {len(rounds)} rounds (failures: summed)")
    labels = rounds[0].labels
    medians = {key: median_measurement([r.measurements[key] for r in rounds]) for key in labels}
    print_measurements(labels, medians)

    def median_ratio(numerator: Key, denominator: Key) -> float:
        return statistics.median(r.ratio(numerator, denominator) for r in rounds)

    print_ratios(median_ratio, set(labels))
    bursts = {
        app: BurstResult(
            median_measurement([r.bursts[app].page for r in rounds]),
            median_measurement([r.bursts[app].logins for r in rounds]),
        )
        for app in rounds[0].bursts
    }
    print_bursts(bursts, login_rate)
