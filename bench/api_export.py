"""Reading every result of a dataset through the API: one streamed export against paging through
`GET /texts` (the reference, measured in the same run).

    .venv/bin/python bench/api_export.py [--rows 100000] [--per-page 200]
        [--database sqlite:///... | postgresql+psycopg://postgres@127.0.0.1:5432/test]

A fresh database (a temporary SQLite file, or a database of its own on the PostgreSQL server,
dropped after) gets the pipeline benchmark's corpus of `--rows` texts, uploaded and analysed
through the API in process. Then, with the same bearer token and no filter: every page of
`GET /api/v1/datasets/<id>/texts?per_page=N` in turn, and `GET .../export` as JSON Lines, as
CSV and as an Excel workbook, each read to its end (the workbook's rows counted in its sheets).
Each prints its time, texts per second and its ratio to paging.
"""

import argparse
import csv
import io
import os
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import psycopg
from sqlalchemy.engine import make_url

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE / "pipeline"))

from corpus import write_corpus  # noqa: E402
from flask.testing import FlaskClient  # noqa: E402
from flask_migrate import upgrade  # noqa: E402

from emolytics.accounts import registration, tokens  # noqa: E402
from emolytics.app import create_app  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000, help="texts in the dataset")
    parser.add_argument("--per-page", type=int, default=200, help="texts per page (max 200)")
    parser.add_argument("--database", help="a PostgreSQL server URL (default: SQLite)")
    asked = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-api-export-") as temporary:
        folder = Path(temporary)
        if not asked.database:
            run(f"sqlite:///{folder / 'bench.db'}", folder, asked)
            return
        server = make_url(asked.database)
        name = f"emolytics_bench_export_{os.getpid()}"
        admin = server.set(drivername="postgresql").render_as_string(hide_password=False)
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        try:
            run(server.set(database=name).render_as_string(hide_password=False), folder, asked)
        finally:
            with psycopg.connect(admin, autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run(url: str, folder: Path, asked: argparse.Namespace) -> None:
    overrides = {"DATABASE_URL": url, "SECRET_KEY": "bench", "JOB_QUEUE": "inline"}
    app = create_app(overrides)
    with app.app_context():
        upgrade(directory=app.extensions["migrate"].directory)
        user = registration.register("bench", "bench password 2026")
        token = tokens.create_token(user, "bench").secret
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    base = upload(client, headers, folder, asked.rows)
    print(f"{app.config['SQLALCHEMY_DATABASE_URI'].split(':')[0]}, {asked.rows:,} texts")

    def paged() -> int:
        seen, page = 0, 1
        while True:
            url = f"{base}/texts?per_page={asked.per_page}&page={page}"
            answer = client.get(url, headers=headers).json
            seen += len(answer["texts"])
            if page >= answer["pages"]:
                return seen
            page += 1

    def exported(file_format: str) -> int:
        response = client.get(f"{base}/export?format={file_format}", headers=headers)
        if file_format == "jsonl":  # JSON escapes line breaks inside a text
            return sum(chunk.count(b"\n") for chunk in response.response)
        if file_format == "xlsx":
            return workbook_rows(response.data)
        return len(list(csv.reader(io.StringIO(response.get_data(as_text=True))))) - 1  # header

    reference = timed(f"paging /texts, {asked.per_page} a page", paged, asked.rows)
    for file_format in ("jsonl", "csv", "xlsx"):
        timed(
            f"/export?format={file_format}",
            lambda f=file_format: exported(f),
            asked.rows,
            reference,
        )


def workbook_rows(workbook: bytes) -> int:
    """The data rows in a workbook's sheets (each sheet's first row is the header)."""
    with zipfile.ZipFile(io.BytesIO(workbook)) as archive:
        sheets = [name for name in archive.namelist() if name.startswith("xl/worksheets/")]
        return sum(archive.read(name).count(b"<row ") - 1 for name in sheets)


def upload(client: FlaskClient, headers: dict[str, str], folder: Path, rows: int) -> str:
    corpus = write_corpus(folder / "corpus.csv", rows)
    started = time.perf_counter()
    with corpus.path.open("rb") as file:
        form = {"name": "Bench", "file": (file, "corpus.csv"), "time_column": "created_at"}
        response = client.post("/api/v1/datasets", data=form, headers=headers)
    if response.status_code != 201 or response.json["job"]["status"] != "done":
        sys.exit(f"upload failed: {response.status_code} {response.get_data(as_text=True)}")
    print(f"uploaded and analysed in {time.perf_counter() - started:.1f} s")
    return f"/api/v1/datasets/{response.json['id']}"


def timed(name: str, read: Callable[[], int], rows: int, reference: float | None = None) -> float:
    started = time.perf_counter()
    seen = read()
    took = time.perf_counter() - started
    if seen != rows:
        sys.exit(f"{name}: read {seen:,} texts, not {rows:,}")
    ratio = "" if reference is None else f"  {reference / took:5.1f}x faster than paging"
    print(f"  {name:<28} {took:7.2f} s  {rows / took:9,.0f} texts/s{ratio}", flush=True)
    return took


if __name__ == "__main__":
    main()
