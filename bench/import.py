"""Time `datasets.import_file` alone, on a scratch PostgreSQL database or SQLite file.

    .venv/bin/python bench/import.py [--rows 1000000] [--db postgres|sqlite] [--repeat 2]
                                     [--times iso|named] [--format csv|xlsx|json] [--profile]
                                     [--mask] [--places]

The corpus (bench/pipeline's CSV, with its tracked keywords; `--times named` writes its times
with month names, "Oct 22, 2026 03:50 PM", as some exports do; `--format xlsx` the same rows
as an Excel workbook written as it streams, without the size of its sheet, as Emolytics' own
exports and openpyxl's write-only mode write one; `--format json` as a JSON array of objects
on one line, as most programs write one) is written once to the system's temporary
folder and reused by later runs. Each database is created and migrated here and
removed at the end. Prints seconds per import, rows per second, the CPU time this process
spent, the PostgreSQL backend's CPU time (when the server runs on this machine) and peak RSS;
`--profile` prints the top of a cProfile of the first import. `--mask`: each run imports the
corpus twice, as it is and masking personal data (`pipeline.personal_data`), in turns, and
prints the masked import's time as a ratio of the plain one's; `--places` likewise imports the
rows with a city column instead of their coordinates (`engine.places`: big cities, some with
their country or state, countries, blanks and names that place nothing), the gazetteer read
once per process (in the first such import, as a server's first upload with places does).
"""

import argparse
import cProfile
import csv
import json
import os
import pstats
import random
import resource
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).resolve().parent / "pipeline"))
from corpus import ISO_TIMES, KEYWORDS, NAMED_TIMES, write_corpus  # noqa: E402

from emolytics.accounts import registration, teams  # noqa: E402
from emolytics.app import create_app  # noqa: E402
from emolytics.extensions import db  # noqa: E402
from emolytics.pipeline import datasets  # noqa: E402

ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
# `--places`: what a city column holds, as customers and survey tools write it
PLACES = (
    "Berlin", "Munich", "München", "Hamburg, Germany", "Paris", "Lyon, France", "London",
    "Manchester, UK", "Lisbon", "Lisboa", "Porto", "Madrid", "Barcelona", "Rome", "Milano",
    "Vienna", "Wien", "Zürich", "Amsterdam", "Brussels", "Dublin, Ireland", "Warsaw", "Prague",
    "New York, NY", "NYC", "Los Angeles, CA", "Chicago", "Austin, TX", "Springfield, IL",
    "Toronto", "São Paulo", "Mexico City", "Sydney", "Tokyo", "Mumbai", "Germany", "UK",
    "Texas", "", "", "", "Home", "Earth", "Somewhere nice", "Kleinkleckersdorf",
)  # fmt: skip


def main() -> None:
    arguments = _arguments()
    corpus = _corpus(arguments.rows, arguments.times)
    if arguments.format == "xlsx":
        corpus = _workbook(corpus)
    if arguments.format == "json":
        corpus = _json_array(corpus)
    with _database(arguments.db) as url:
        app = _app(url)
        for run in range(arguments.repeat):
            kinds = ["plain"] + ["masked"] * arguments.mask + ["places"] * arguments.places
            timed = {}
            for kind in kinds if run % 2 == 0 else kinds[::-1]:  # in turns: the machine drifts
                profile = arguments.profile and run == 0 and kind == "plain"
                read = _placed(corpus) if kind == "places" else corpus
                seconds, cpu, server_cpu = _import(app, read, profile, kind == "masked")
                timed[kind] = seconds
                peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
                server = "" if server_cpu is None else f", server CPU {server_cpu:.1f} s"
                print(
                    f"{arguments.db} {arguments.rows:,} rows ({arguments.format}, "
                    f"{arguments.times} times{'' if kind == 'plain' else ', ' + kind}): "
                    f"{seconds:.1f} s "
                    f"({arguments.rows / seconds:,.0f} rows/s), CPU {cpu:.1f} s{server}, "
                    f"peak RSS {peak:.0f} MB",
                    flush=True,
                )
            for kind, told in (("masked", "masking personal data"), ("places", "a place column")):
                if kind in timed:
                    print(f"  {told}: {timed[kind] / timed['plain']:.2f} x the plain import")


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _server_cpu_seconds() -> float | None:
    """CPU time of the PostgreSQL backend serving the session, if it runs on this machine."""
    if db.engine.dialect.name != "postgresql":
        return None
    pid = db.session.scalar(text("SELECT pg_backend_pid()"))
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--db", choices=("postgres", "sqlite"), default="postgres")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--times", choices=("iso", "named"), default="iso")
    parser.add_argument("--format", choices=("csv", "xlsx", "json"), default="csv")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--mask", action="store_true")
    parser.add_argument("--places", action="store_true")
    return parser.parse_args()


def _corpus(rows: int, times: str) -> Path:
    named = times == "named"
    path = Path(tempfile.gettempdir()) / f"emolytics-import-{rows}{'-named' if named else ''}.csv"
    if not path.exists():
        partial = path.with_suffix(".partial")
        write_corpus(partial, rows, time_format=NAMED_TIMES if named else ISO_TIMES)
        partial.rename(path)
    return path


def _placed(corpus: Path) -> Path:
    """The corpus's rows with a city column instead of their coordinates, made once."""
    path = corpus.with_name(corpus.stem + "-places.csv")
    if not path.exists():
        rng = random.Random(7)
        partial = path.with_suffix(".partial")
        with (
            corpus.open(encoding="utf-8", newline="") as rows,
            partial.open("w", encoding="utf-8", newline="") as out,
        ):
            writer = csv.writer(out)
            for number, (text, posted_at, author, *_) in enumerate(csv.reader(rows)):
                place = "city" if number == 0 else rng.choice(PLACES)
                writer.writerow((text, posted_at, author, place))
        partial.rename(path)
    return path


def _workbook(corpus: Path) -> Path:
    """The corpus's rows as a workbook (its times and coordinates as their text), made once."""
    from openpyxl import Workbook

    path = corpus.with_suffix(".xlsx")
    if not path.exists():
        book = Workbook(write_only=True)
        sheet = book.create_sheet("Texts")
        with corpus.open(encoding="utf-8", newline="") as rows:
            for row in csv.reader(rows):
                sheet.append(row)
        partial = path.with_suffix(".partial")
        book.save(partial)
        partial.rename(path)
    return path


def _json_array(corpus: Path) -> Path:
    """The corpus's rows as a compact JSON array of objects (all on line 1), made once."""
    path = corpus.with_suffix(".json")
    if not path.exists():
        partial = path.with_suffix(".partial")
        with (
            corpus.open(encoding="utf-8", newline="") as rows,
            partial.open("w", encoding="utf-8") as out,
        ):
            reader = csv.reader(rows)
            header = next(reader)
            out.write("[")
            for number, row in enumerate(reader):
                out.write(("," if number else "") + json.dumps(dict(zip(header, row, strict=True))))
            out.write("]")
        partial.rename(path)
    return path


@contextmanager
def _database(kind: str) -> Iterator[str]:
    if kind == "sqlite":
        with tempfile.TemporaryDirectory(prefix="bench-import-") as folder:
            yield f"sqlite:///{folder}/emolytics.db"
        return
    name = f"imp_{uuid.uuid4().hex[:8]}"
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _app(url: str) -> Flask:
    app = create_app({"SECRET_KEY": "bench", "DATABASE_URL": url})
    with app.app_context():
        upgrade(directory=app.extensions["migrate"].directory)
        registration.register("bench", "import benchmark passphrase")
    return app


def _import(
    app: Flask, corpus: Path, profile: bool, masked: bool = False
) -> tuple[float, float, float | None]:
    """Seconds, this process's CPU seconds and the database server's (None: unknown)."""
    upload = datasets.Upload(
        name="bench import", source="upload", keywords=KEYWORDS, mask_personal_data=masked
    )
    with app.app_context(), corpus.open("rb") as binary:
        team_id = teams.personal_seat(registration.find_user("bench").id).team_id
        server_before = _server_cpu_seconds()
        profiler = cProfile.Profile() if profile else None
        cpu_before = _cpu_seconds()
        started = time.perf_counter()
        if profiler is not None:
            profiler.enable()
        datasets.import_file(team_id, upload, binary, corpus.name)
        if profiler is not None:
            profiler.disable()
        seconds = time.perf_counter() - started
        cpu = _cpu_seconds() - cpu_before
        server_after = _server_cpu_seconds()
        db.session.remove()
    if profiler is not None:
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
    server = None if None in (server_before, server_after) else server_after - server_before
    return seconds, cpu, server


if __name__ == "__main__":
    main()
