"""The tables a run prints: stages, query latencies, targets, and the slowest plans."""

import math
import statistics
from collections.abc import Callable

from queries import DirectTimings, Timings
from stages import CORRECTED_SUMMARY, CORRECTION, SORTED, Outcome

TOTAL_TARGET = 120.0  # seconds from upload to finished analysis
UPLOAD_RSS_TARGET = 300.0  # MB of the web process during the upload
QUERY_TARGET = 0.2  # seconds per dashboard query at 1M rows on PostgreSQL
CORRECTION_TARGET = 0.1  # seconds of the one request that corrects a text, idem
# ... and of that request with the summary read afresh after it (a correction + a query)
CORRECTED_SUMMARY_TARGET = CORRECTION_TARGET + QUERY_TARGET
# A page sorted by a score reads every result of the analysis (an index would slow every
# analysis as it writes its results): slower than a dashboard query, still a quick answer.
SORTED_TARGET = 0.5
LABELS = {"embedded": "embedded (SQLite)", "postgres": "PG + Redis, 2 workers"}


def _seconds(value: float | None) -> str:
    return "not done" if value is None else f"{value:.1f} s"


def _analysis(outcome: Outcome) -> str:
    """The analysis time, or how far it got and how long all of it would take at that rate."""
    if outcome.analysis is not None or not outcome.analysed:
        return _seconds(outcome.analysis)
    projected = outcome.rows * outcome.waited / outcome.analysed
    return f"not done in {outcome.waited:.0f} s (projected {projected:.0f} s)"


def _rate(outcome: Outcome) -> float:
    if outcome.analysis:
        return outcome.rows / outcome.analysis
    return outcome.analysed / outcome.waited


def _mb(value: float) -> str:
    return f"{value:.0f} MB"


STAGES: list[tuple[str, Callable[[Outcome], str]]] = [
    ("upload: all bytes sent", lambda o: _seconds(o.upload_sent)),
    ("upload: response (import + job start)", lambda o: _seconds(o.upload_answered)),
    ("analysis (response -> results current)", lambda o: _analysis(o)),
    ("  of which: job done -> results current", lambda o: f"{o.current_lag:.2f} s"),
    ("upload -> finished analysis", lambda o: _seconds(o.total)),
    ("analysis rate", lambda o: f"{_rate(o):,.0f} texts/s" if o.waited else "-"),
    ("job status (texts analysed)", lambda o: f"{o.job_status} ({o.analysed:,})"),
    ("web RSS before upload", lambda o: _mb(o.web_rss_before)),
    ("web peak RSS, upload (sampled)", lambda o: _mb(o.web_peak_upload)),
    ("web peak RSS, upload (VmHWM)", lambda o: _mb(o.web_hwm_upload)),
    ("web peak RSS, analysis", lambda o: _mb(o.web_peak_analysis)),
    ("worker peak RSS", lambda o: " / ".join(map(_mb, o.worker_peaks)) or "-"),
    ("database size", lambda o: _mb(o.database_mb)),
]


def print_all(outcomes: list[Outcome], corpus_line: str) -> None:
    print()
    print(corpus_line)
    _stages(outcomes)
    _queries(outcomes)
    _targets(outcomes)


def _row(cells: list[str], widths: list[int]) -> str:
    return "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True))


def _table(header: list[str], rows: list[list[str]]) -> None:
    widths = [max(len(row[index]) for row in [header, *rows]) for index in range(len(header))]
    print(_row(header, widths))
    print(_row(["-" * width for width in widths], widths))
    for row in rows:
        print(_row(row, widths))
    print()


def _stages(outcomes: list[Outcome]) -> None:
    header = ["stage", *(LABELS[outcome.kind] for outcome in outcomes)]
    _table(header, [[name, *(show(o) for o in outcomes)] for name, show in STAGES])


def _phases(outcome: Outcome) -> list[tuple[str, Timings | None]]:
    phases: list[tuple[str, Timings | None]] = [
        (f"{outcome.kind} HTTP", outcome.http),
        (f"{outcome.kind} direct", outcome.direct),
    ]
    if outcome.analyze_seconds is not None:
        phases += [
            (f"{outcome.kind} HTTP +ANALYZE", outcome.http_analyzed),
            (f"{outcome.kind} direct +ANALYZE", outcome.direct_analyzed),
        ]
    return phases


def _queries(outcomes: list[Outcome]) -> None:
    names: list[str] = []
    for outcome in outcomes:
        for _, timings in _phases(outcome):
            names += [name for name in (timings.seconds if timings else {}) if name not in names]
    if not names:
        return
    header = ["query (ms: median / max)"]
    for outcome in outcomes:
        header += [title for title, _ in _phases(outcome)]
    rows = []
    for name in names:
        row = [name]
        for outcome in outcomes:
            row += [timings.shown(name) if timings else "-" for _, timings in _phases(outcome)]
        rows.append(row)
    _table(header, rows)
    for outcome in outcomes:
        if outcome.analyze_seconds is not None:
            print(
                f"+ANALYZE: after `ANALYZE texts, text_keywords, results, job_terms`"
                f" ({outcome.analyze_seconds:.1f} s), an extra pass: the app already\n"
                "analyses the tables after each import and analysis.\n"
            )


def _median_ms(timings: Timings, name: str) -> tuple[str, float]:
    if name in timings.failed:
        return timings.failed[name], math.inf
    median = statistics.median(timings.seconds[name])
    return f"{median * 1000:.0f} ms", median


def targets(outcome: Outcome) -> list[tuple[str, str, bool | None]]:
    """(target, measured, met) for one deployment; met None when it does not apply."""
    upload_rss = max(outcome.web_peak_upload, outcome.web_hwm_upload)
    found: list[tuple[str, str, bool | None]] = [
        (
            "upload -> finished analysis <= 120 s",
            _seconds(outcome.total),
            outcome.total is not None and outcome.total <= TOTAL_TARGET,
        ),
        ("web RSS during upload < 300 MB", _mb(upload_rss), upload_rss < UPLOAD_RSS_TARGET),
    ]
    applies = outcome.kind == "postgres" and outcome.rows >= 1_000_000
    for suffix, timings in (("", outcome.http), (" +ANALYZE", outcome.http_analyzed)):
        for name in timings.seconds if timings else {}:
            assert timings is not None
            shown, median = _median_ms(timings, name)
            targets = {
                CORRECTION: CORRECTION_TARGET,
                CORRECTED_SUMMARY: CORRECTED_SUMMARY_TARGET,
                SORTED: SORTED_TARGET,
            }
            target = targets.get(name, QUERY_TARGET)
            met = median < target if applies else None
            found.append((f"{name}{suffix} < {target * 1000:.0f} ms (HTTP median)", shown, met))
    return found


def _targets(outcomes: list[Outcome]) -> None:
    rows = []
    for outcome in outcomes:
        for name, measured, met in targets(outcome):
            verdict = "n/a (PG at 1M only)" if met is None else ("met" if met else "NOT MET")
            rows.append([LABELS[outcome.kind], name, measured, verdict])
    _table(["deployment", "target", "measured", "verdict"], rows)


def print_plans(outcomes: list[Outcome]) -> None:
    for outcome in outcomes:
        for title, timings in _phases(outcome):
            if isinstance(timings, DirectTimings):
                _plans(title, timings)


def _plans(title: str, timings: DirectTimings) -> None:
    for statement, plan in timings.plans:
        print(f"--- {title}: slow statement of '{statement.query}'")
        took = "did not finish" if math.isinf(statement.seconds) else f"{statement.seconds:.3f} s"
        print(f"    ({took} when recorded)")
        print(statement.sql)
        print(f"    parameters: {statement.parameters}")
        print(plan)
        print()
