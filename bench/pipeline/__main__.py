"""Upload, analyse and summarise a million realistic texts, embedded and on PostgreSQL + Redis.

    .venv/bin/python bench/pipeline [--rows 1000000] [--only embedded|postgres] [--repeat 3]
                                    [--keep] [--search-index]

For each deployment: a fresh instance folder (and a fresh PostgreSQL database, its own RQ queue
and rate-limit keys), `emolytics run` on 127.0.0.1 (gunicorn: one process, 8 threads; embedded it
also runs the job thread, with PostgreSQL two `emolytics worker` processes run the two parts of
the analysis), a user signed in over HTTP, the generated CSV uploaded over HTTP streamed from
disk, the job polled until done, then the dashboard's summary, filtered summary, text search and
first page of texts timed over HTTP and straight against the database (with the plans of the
slowest statements). Peak RSS is sampled from /proc every 50 ms. Everything is removed at the
end; the numbers and plans are also written to bench/out/pipeline-<rows>.txt.
"""

import argparse
import contextlib
import io
import secrets
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import report
import services
from corpus import CorpusFile, write_corpus
from services import Stack
from stages import Outcome, exercise

OUT = Path(__file__).resolve().parent.parent / "out"


def main() -> None:
    arguments = _arguments()
    token = "bench-pipeline-" + secrets.token_hex(4)
    kinds = [arguments.only] if arguments.only else ["embedded", "postgres"]
    with tempfile.TemporaryDirectory(prefix="bench-pipeline-") as temporary:
        folder = Path(temporary)
        corpus, corpus_line = _corpus(folder, arguments.rows, arguments.seed)
        outcomes = []
        for kind in kinds:
            print(f"== {report.LABELS[kind]}", flush=True)
            outcomes.append(_run(kind, folder / kind, token, corpus, arguments))
    with _tee(OUT / f"pipeline-{arguments.rows}.txt"):
        report.print_all(outcomes, corpus_line)
        report.print_plans(outcomes)


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="texts to generate")
    parser.add_argument("--only", choices=("embedded", "postgres"), help="one deployment")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each query")
    parser.add_argument(
        "--timeout", type=float, default=240.0, help="seconds to wait for the analysis"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--keep",
        action="store_true",
        help="keep the PostgreSQL database, and the SQLite instance folder in bench/out"
        " (to study their queries)",
    )
    parser.add_argument(
        "--search-index",
        action="store_true",
        help="PostgreSQL: make the trigram search index before the upload",
    )
    return parser.parse_args()


def _corpus(folder: Path, rows: int, seed: int) -> tuple[CorpusFile, str]:
    started = time.perf_counter()
    corpus = write_corpus(folder / "texts.csv", rows, seed)
    line = (
        f"corpus: {rows:,} texts, {corpus.size / 1e6:.1f} MB CSV,"
        f" generated in {time.perf_counter() - started:.1f} s"
    )
    print(line, flush=True)
    return corpus, line


def _run(
    kind: str, folder: Path, token: str, corpus: CorpusFile, arguments: argparse.Namespace
) -> Outcome:
    services.write_instance_config(folder, token)
    if kind == "embedded":
        stack = Stack(kind, folder, services.environment(folder, {}), services.free_port())
        return _exercise(stack, corpus, arguments)
    name = token.replace("-", "_")
    with services.postgres_database(name, arguments.keep) as url:
        settings = {
            "DATABASE_URL": url,
            "REDIS_URL": services.REDIS_URL,
            "EMOLYTICS_JOB_QUEUE": "rq",
            "EMOLYTICS_JOB_PARTS": "2",
            "EMOLYTICS_RQ_QUEUE": token,
        }
        stack = Stack(kind, folder, services.environment(folder, settings), services.free_port())
        job_ids: list[str] = []
        try:
            return _exercise(stack, corpus, arguments, job_ids)
        finally:
            removed = services.remove_redis_keys(token, job_ids)
            print(f"  [{kind}] removed {removed} Redis keys; dropping the database", flush=True)


def _exercise(
    stack: Stack,
    corpus: CorpusFile,
    arguments: argparse.Namespace,
    job_ids: list[str] | None = None,
) -> Outcome:
    try:
        services.create_user(stack)
        services.start_web(stack)  # migrates first: the workers find the schema ready
        if stack.kind == "postgres":
            services.start_workers(stack, 2)
            if arguments.search_index:
                services.create_search_index(stack)
        outcome = exercise(stack, corpus, arguments.repeat, arguments.timeout)
        outcome.database_mb = services.database_mb(stack)
        return outcome
    finally:
        if job_ids is not None:
            with contextlib.suppress(Exception):
                job_ids += services.queue_ids(stack.env["DATABASE_URL"])
        services.stop_all(stack)
        _keep_logs(stack)
        if arguments.keep and stack.kind == "embedded":
            _keep_instance(stack)


def _keep_instance(stack: Stack) -> None:
    """Move the embedded instance folder (its SQLite database) out of the temporary folder."""
    kept = OUT / "pipeline-instance"
    shutil.rmtree(kept, ignore_errors=True)
    shutil.move(stack.folder / "instance", kept)
    print(f"  [{stack.kind}] instance folder kept in {kept}", flush=True)


def _keep_logs(stack: Stack) -> None:
    """Copy the servers' logs out of the temporary folder (they explain any failure)."""
    kept = OUT / "pipeline-logs" / stack.kind
    kept.mkdir(parents=True, exist_ok=True)
    for log in stack.folder.glob("*.log"):
        shutil.copyfile(log, kept / log.name)


@contextlib.contextmanager
def _tee(path: Path) -> Iterator[None]:
    """Print to the terminal and to `path`."""
    buffer = io.StringIO()

    class Both(io.TextIOBase):
        def write(self, text: str) -> int:
            buffer.write(text)
            return sys.__stdout__.write(text) if sys.__stdout__ else len(text)

    with contextlib.redirect_stdout(Both()):
        yield
    path.parent.mkdir(exist_ok=True)
    path.write_text(buffer.getvalue())
    print(f"(also written to {path})")


if __name__ == "__main__":
    main()
