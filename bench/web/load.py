"""Load: wrk runs (with report.lua) and a paced login burst beside one."""

import os
import re
import statistics
import subprocess
import tempfile
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from client import RequestSpec, send
from servers import Server

REPORT_LUA = Path(__file__).with_name("report.lua")
BENCH_LINE = re.compile(r"^BENCH (.*)$", re.MULTILINE)
LOGIN_CLIENTS = 16  # concurrent sign-ins the burst allows before it falls behind its pace


@dataclass(frozen=True)
class LoadShape:
    duration_s: int
    connections: int
    threads: int


@dataclass(frozen=True)
class Measurement:
    rate: float  # requests per second
    p50_ms: float
    p99_ms: float
    failures: int  # socket errors and timeouts, plus responses with an unexpected status


@dataclass(frozen=True)
class Target:
    app: str
    endpoint: str
    server: Server
    requests: list[RequestSpec]
    expect: int

    @property
    def label(self) -> str:
        return self.requests[0].label


@dataclass(frozen=True)
class BurstResult:
    page: Measurement
    logins: Measurement


def parse_report(output: str) -> Measurement:
    match = BENCH_LINE.search(output)
    if match is None:
        raise RuntimeError(f"wrk printed no BENCH line:\n{output}")
    values = {key: int(value) for key, value in (pair.split("=") for pair in match[1].split())}
    return Measurement(
        rate=values["requests"] / (values["duration_us"] / 1e6),
        p50_ms=values["p50_us"] / 1e3,
        p99_ms=values["p99_us"] / 1e3,
        failures=values["socket_errors"] + values["unexpected"],
    )


def run_wrk(target: Target, shape: LoadShape, duration_s: int | None = None) -> Measurement:
    lines = "\n".join(spec.wrk_line(target.server) for spec in target.requests) + "\n"
    with tempfile.NamedTemporaryFile("w", suffix=".tsv", prefix="wrk-") as requests_file:
        requests_file.write(lines)
        requests_file.flush()
        completed = subprocess.run(
            [
                "wrk",
                f"--threads={shape.threads}",
                f"--connections={shape.connections}",
                f"--duration={duration_s or shape.duration_s}s",
                "--timeout=10s",
                f"--script={REPORT_LUA}",
                target.server.url,
            ],
            env={
                **os.environ,
                "BENCH_REQUESTS": requests_file.name,
                "BENCH_EXPECT": str(target.expect),
            },
            capture_output=True,
            text=True,
        )
    if completed.returncode != 0:
        raise RuntimeError(f"wrk failed ({completed.returncode}): {completed.stderr.strip()}")
    return parse_report(completed.stdout)


def timed_login(server: Server, spec: RequestSpec, submitted: float) -> float | None:
    """Seconds from submission (queueing in the pool included) to the answer of one sign-in,
    or None when it did not redirect (302) as a success does."""
    status = send(server, spec).status
    return time.perf_counter() - submitted if status == 302 else None


def pace_logins(
    pool: ThreadPoolExecutor, login: Target, rate: float, until: Future[Measurement]
) -> list[Future[float | None]]:
    """Start sign-ins at a steady `rate` per second (open loop) until `until` is done."""
    started = time.monotonic()
    sent: list[Future[float | None]] = []
    while not until.done():
        due = started + len(sent) / rate
        time.sleep(max(0.0, due - time.monotonic()))
        spec = login.requests[len(sent) % len(login.requests)]
        sent.append(pool.submit(timed_login, login.server, spec, time.perf_counter()))
    return sent


def login_measurement(outcomes: list[float | None], seconds: float) -> Measurement:
    times = [outcome * 1e3 for outcome in outcomes if outcome is not None]
    percentiles = statistics.quantiles(times, n=100, method="inclusive") if len(times) > 1 else []
    return Measurement(
        rate=len(outcomes) / seconds,
        p50_ms=statistics.median(times) if times else float("nan"),
        p99_ms=percentiles[98] if percentiles else float("nan"),
        failures=len(outcomes) - len(times),
    )


def run_with_login_burst(page: Target, login: Target, rate: float, shape: LoadShape) -> BurstResult:
    """wrk on `page` while sign-ins arrive at `rate` per second on the same server."""
    with ThreadPoolExecutor(max_workers=LOGIN_CLIENTS + 1) as pool:
        page_run = pool.submit(run_wrk, page, shape)
        started = time.monotonic()
        logins = pace_logins(pool, login, rate, until=page_run)
        seconds = time.monotonic() - started
        outcomes = [future.result() for future in logins]
        return BurstResult(page_run.result(), login_measurement(outcomes, seconds))
