"""One deployment through the pipeline: sign in, upload, wait for the analysis, query."""

import json
import time
from dataclasses import dataclass, field
from pathlib import Path

import memory
import queries
from client import ClientError, Session
from corpus import KEYWORDS, SEARCH_WORD, CorpusFile
from queries import DirectTimings, Timings
from services import PASSWORD, USERNAME, Stack, cancel_queries, create_token

POLL = 0.5
NOT_CURRENT = "The charts appear when the first analysis has finished."
QUERY_TIMEOUT = 60.0  # seconds an HTTP query may take before it counts as a timeout
CORRECTION = "correct (PUT)"  # PUT a text's label: the one request that changes the counts
CORRECTED_SUMMARY = "correct + summary"  # the PUT, then GET the summary read afresh (the API)
# A page sorted by valence reads every result of the analysis: timed last, as it leaves the
# database's caches colder for whatever follows.
SORTED = "texts negative"
CORRECTED_LABELS = ("anger", "joy")  # alternated: every PUT changes the counts
PROGRESS_EVERY = 15.0


@dataclass
class Outcome:
    kind: str
    rows: int = 0
    upload_sent: float = 0.0
    upload_answered: float = 0.0
    analysis: float | None = None  # None: not finished in time
    job_status: str = ""
    analysed: int = 0
    waited: float = 0.0  # seconds the analysis was waited for
    current_lag: float = 0.0  # from the job saying "done" to the dashboard showing its results
    web_rss_before: float = 0.0
    web_peak_upload: float = 0.0
    web_hwm_upload: float = 0.0
    web_peak_analysis: float = 0.0
    worker_peaks: list[float] = field(default_factory=list)
    database_mb: float = 0.0
    http: Timings = field(default_factory=Timings)
    direct: DirectTimings | None = None
    analyze_seconds: float | None = None  # PostgreSQL: the ANALYZE the bench ran afterwards
    http_analyzed: Timings | None = None
    direct_analyzed: DirectTimings | None = None

    @property
    def total(self) -> float | None:
        return None if self.analysis is None else self.upload_answered + self.analysis


def exercise(stack: Stack, corpus: CorpusFile, repeat: int, timeout: float) -> Outcome:
    outcome = Outcome(stack.kind, rows=corpus.rows)
    session = stack.session()
    session.sign_in(USERNAME, PASSWORD)
    web_pid = stack.web_worker_pid()
    dataset_id = _upload(session, web_pid, corpus.path, outcome)
    job_id = session.job_of(dataset_id)
    worker_pids = [worker.pid for worker in stack.workers]
    sampler = memory.PeakSampler([web_pid, *worker_pids])
    with sampler.running():
        _wait_for(session, job_id, timeout, outcome)
        if outcome.job_status == "done":
            _wait_until_current(session, dataset_id, outcome)
    outcome.web_peak_analysis = sampler.peaks[web_pid]
    outcome.worker_peaks = [sampler.peaks[pid] for pid in worker_pids]
    if outcome.job_status != "done":
        return outcome
    outcome.http = _http_queries(stack, session, dataset_id, repeat)
    print(f"  [{stack.kind}] the same queries straight against the database ...", flush=True)
    outcome.direct = queries.measure(stack.env, dataset_id, repeat)
    if stack.kind == "postgres":
        outcome.analyze_seconds = queries.analyze_tables(stack.env)
        print(f"  [{stack.kind}] ANALYZE took {outcome.analyze_seconds:.1f} s; again:", flush=True)
        outcome.http_analyzed = _http_queries(stack, session, dataset_id, repeat)
        outcome.direct_analyzed = queries.measure(stack.env, dataset_id, repeat)
    return outcome


def _upload(session: Session, web_pid: int, path: Path, outcome: Outcome) -> int:
    outcome.web_rss_before = memory.rss_mb(web_pid)
    memory.reset_peak(web_pid)
    print(f"  [{outcome.kind}] uploading {path.stat().st_size / 1e6:.0f} MB ...", flush=True)
    sampler = memory.PeakSampler([web_pid])
    with sampler.running():
        timing = session.upload(path, "bench pipeline", ", ".join(KEYWORDS))
    outcome.web_hwm_upload = memory.hwm_mb(web_pid)
    outcome.web_peak_upload = sampler.peak
    outcome.upload_sent, outcome.upload_answered = timing.sent, timing.answered
    print(
        f"  [{outcome.kind}] sent in {timing.sent:.1f} s, answered after {timing.answered:.1f} s;"
        f" web RSS peak {sampler.peak:.0f} MB",
        flush=True,
    )
    return timing.dataset_id


def _wait_for(session: Session, job_id: int, timeout: float, outcome: Outcome) -> None:
    started = time.perf_counter()
    last_report = started
    while True:
        state = _job(session, job_id)
        now = time.perf_counter()
        outcome.job_status, outcome.analysed = str(state["status"]), int(state["done"])
        outcome.waited = now - started
        if outcome.job_status in ("done", "failed", "cancelled"):
            if outcome.job_status == "done":
                outcome.analysis = now - started
            else:
                print(f"  [{outcome.kind}] job {outcome.job_status}: {state.get('error')}")
            return
        if now - started > timeout:
            print(f"  [{outcome.kind}] analysis not done after {timeout:.0f} s; cancelling")
            _cancel(session, job_id, outcome)
            return
        if now - last_report >= PROGRESS_EVERY:
            rate = outcome.analysed / (now - started)
            print(
                f"  [{outcome.kind}] {outcome.analysed:,} of {state['total']:,} analysed"
                f" ({rate:,.0f} texts/s)",
                flush=True,
            )
            last_report = now
        time.sleep(POLL)


def _wait_until_current(session: Session, dataset_id: int, outcome: Outcome) -> None:
    """The job's status turns "done" before `analysis.finish` makes its results the dataset's
    current ones (catch-up, a count over the results): wait for the dashboard to show them."""
    started = time.perf_counter()
    while NOT_CURRENT in session.get(f"/datasets/{dataset_id}").text:
        time.sleep(POLL / 5)
    outcome.current_lag = time.perf_counter() - started
    assert outcome.analysis is not None
    outcome.analysis += outcome.current_lag


def _job(session: Session, job_id: int) -> dict[str, object]:
    import json

    reply = session.get(f"/jobs/{job_id}.json")
    if reply.status != 200:
        raise ClientError(f"job {job_id}: {reply.status}")
    return dict(json.loads(reply.body))


def _cancel(session: Session, job_id: int, outcome: Outcome) -> None:
    token = session.csrf_token("/datasets/new")
    session.post_form(f"/jobs/{job_id}/cancel", {"csrf_token": token})
    outcome.job_status = "timed out"


def http_paths(dataset_id: int) -> dict[str, str]:
    base = f"/datasets/{dataset_id}"
    return {
        "summary": f"{base}/summary.json",
        "summary filtered": f"{base}/summary.json?{queries.filtered_args()}",
        "texts q=": f"{base}/texts?q={SEARCH_WORD}",
        "texts page 1": f"{base}/texts",
        "review": f"{base}/review",  # the queue's next text: the least sure, or one drawn
        "summary uncorrected": f"{base}/summary.json?corrected=false",
        "texts uncorrected": f"{base}/texts?corrected=false",
        "summary language": f"{base}/summary.json?language=en",
    }


def _http_queries(stack: Stack, session: Session, dataset_id: int, repeat: int) -> Timings:
    timings = Timings()
    for name, path in http_paths(dataset_id).items():
        timings.run(name, lambda path=path: _get_timed(stack, session, path), repeat)
        print(f"  [http] {name:<19} {timings.shown(name)} (ms, median / max)", flush=True)
    api = _Api(stack.session(), create_token(stack), dataset_id)
    timings.run(CORRECTION, api.correct, repeat)
    timings.run(CORRECTED_SUMMARY, api.correct_and_read, repeat)
    for name in (CORRECTION, CORRECTED_SUMMARY):
        print(f"  [http] {name:<19} {timings.shown(name)} (ms, median / max)", flush=True)
    path = f"/datasets/{dataset_id}/texts?sort=negative"
    timings.run(SORTED, lambda: _get_timed(stack, session, path), repeat)
    print(f"  [http] {SORTED:<19} {timings.shown(SORTED)} (ms, median / max)", flush=True)
    return timings


class _Api:
    """One text of the dataset corrected through the API, then the summary read: the time of
    both requests (the counts must have changed by the second)."""

    def __init__(self, session: Session, token: str, dataset_id: int) -> None:
        self.session = session
        self.headers = {"Authorization": f"Bearer {token}"}
        self.base = f"/api/v1/datasets/{dataset_id}"
        first = self._json("GET", f"{self.base}/texts?per_page=1")["texts"][0]
        self.text_id = int(first["id"])
        self.turn = 0

    def correct(self) -> float:
        started = time.perf_counter()
        self._put_next_label()
        return time.perf_counter() - started

    def correct_and_read(self) -> float:
        started = time.perf_counter()
        label = self._put_next_label()
        summary = self._json("GET", f"{self.base}/summary")
        took = time.perf_counter() - started
        counted = {item["label"]: item["count"] for item in summary["distribution"]}
        if not summary["corrected"] or not counted.get(label):
            raise ClientError(f"the correction to {label} did not show in the summary")
        return took

    def _put_next_label(self) -> str:
        label = CORRECTED_LABELS[self.turn % len(CORRECTED_LABELS)]
        self.turn += 1
        body = json.dumps({"label": label}).encode()
        text = self._json("PUT", f"{self.base}/texts/{self.text_id}/label", body)
        if text["label"] != label:
            raise ClientError(f"the correction to {label} did not show")
        return label

    def _json(self, method: str, path: str, body: bytes | None = None) -> dict[str, object]:
        headers = {**self.headers, "Content-Type": "application/json"} if body else self.headers
        reply = self.session.request(method, path, body, headers, timeout=QUERY_TIMEOUT)
        if reply.status != 200:
            raise ClientError(f"{method} {path}: HTTP {reply.status} {reply.text[:200]}")
        return dict(json.loads(reply.body))


def _get_timed(stack: Stack, session: Session, path: str) -> float:
    started = time.perf_counter()
    try:
        reply = session.get(path, timeout=QUERY_TIMEOUT)
    except TimeoutError:
        cancel_queries(stack)  # the server would go on working for nobody
        raise
    if reply.status != 200:
        raise ClientError(f"HTTP {reply.status}")
    return time.perf_counter() - started
