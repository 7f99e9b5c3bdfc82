"""Time taking a file's texts out of a large dataset, against counting the dataset afresh.

    .venv/bin/python bench/file_removal.py [--rows 1000000] [--removed 100000]
                                           [--db postgres|sqlite] [--repeat 2]

A dataset is made of bench/pipeline's corpus (`--rows` texts, written once to the system's
temporary folder as bench/import.py does): its first rows as the upload, its last `--removed`
as a file added after. Every text is given a result (labels and valences spread as an
analysis's are, in SQL: the model is not what is measured) and the analysis is counted, its
tables' statistics refreshed as an analysis's are when it ends. Each
round adds the file's texts back, then times:

- removal: `added_files.remove`, the file's texts out of the texts, tags, results and the
  counts and map points of the analysis (`counts.subtract`), in one transaction;
- reference: `counts.count_results`, the analysis counted afresh from its texts (what the
  least of analysing the dataset again would cost, the model's time left out).

It then checks that the counts the removal left are exactly those a fresh count finds. Prints
seconds, the ratio removal / reference, and peak RSS.
"""

import argparse
import resource
import sys
import time
from collections.abc import Callable
from functools import partial
from importlib import import_module
from pathlib import Path

from sqlalchemy import select, text

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent / "pipeline"))
from corpus import KEYWORDS  # noqa: E402

from emolytics.accounts import registration, teams  # noqa: E402
from emolytics.extensions import db  # noqa: E402
from emolytics.pipeline import (  # noqa: E402
    added_files,
    counts,
    dataset_files,
    datasets,
    reading,
    statistics,
)
from emolytics.pipeline.datasets import whole_or_nothing  # noqa: E402
from emolytics.pipeline.ingest import Columns  # noqa: E402
from emolytics.pipeline.purge import remove_jobs_rows  # noqa: E402
from emolytics.tables import Dataset, Job, JobCount, JobKind, JobStatus  # noqa: E402

bench_import = import_module("import")  # bench/import.py: the corpus and scratch databases

COLUMNS = Columns(text="text", posted_at="created_at", author="author", lat="lat", lon="lon")
LABELS = ("joy", "anger", "sadness", "fear", "surprise", "disgust", "neutral")
VALENCES = (0.7, -0.6, -0.5, -0.6, 0.2, -0.5, 0.0)


def main() -> None:
    arguments = _arguments()
    corpus = bench_import._corpus(arguments.rows, "iso")
    upload, added = _split(corpus, arguments.removed)
    with bench_import._database(arguments.db) as url:
        app = bench_import._app(url)
        with app.app_context():
            dataset_id = _dataset(upload)
            for run in range(arguments.repeat):
                file_id = _add(dataset_id, added)
                _analyse(dataset_id)
                removal = _timed(partial(_remove, dataset_id, file_id))
                after = _counted(dataset_id)
                reference = _timed(lambda: _count_afresh(dataset_id))
                assert _counted(dataset_id) == after, "the removal left other counts"
                peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
                print(
                    f"{arguments.db}, {arguments.rows:,} texts, {arguments.removed:,} taken out "
                    f"(run {run + 1}): removal {removal:.2f} s, reference (counting afresh) "
                    f"{reference:.2f} s, ratio {removal / reference:.2f}, "
                    f"peak RSS {peak:.0f} MB",
                    flush=True,
                )


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--removed", type=int, default=100_000)
    parser.add_argument("--db", choices=("postgres", "sqlite"), default="postgres")
    parser.add_argument("--repeat", type=int, default=2)
    return parser.parse_args()


def _split(corpus: Path, removed: int) -> tuple[Path, Path]:
    """The corpus as two files: all but its last `removed` rows, and those (each with the
    header), written once beside it."""
    upload = corpus.with_name(f"{corpus.stem}-but-{removed}.csv")
    added = corpus.with_name(f"{corpus.stem}-last-{removed}.csv")
    if not added.exists():
        lines = corpus.read_bytes().splitlines(keepends=True)
        upload.write_bytes(b"".join(lines[: len(lines) - removed]))
        added.write_bytes(lines[0] + b"".join(lines[len(lines) - removed :]))
    return upload, added


def _dataset(upload: Path) -> int:
    team_id = teams.personal_seat(registration.find_user("bench").id).team_id
    order = datasets.Upload(name="bench removal", source="upload", keywords=KEYWORDS)
    with upload.open("rb") as binary:
        return datasets.import_file(team_id, order, binary, upload.name).id


def _add(dataset_id: int, added: Path) -> int:
    """The file's texts stored in the dataset (as adding a file does, without its analysis)."""
    dataset = _get(dataset_id)
    with added.open("rb") as binary, whole_or_nothing():
        seen = dataset_files.fingerprint(binary, added.name, None)
        found = dataset_files.record(dataset_id, seen, None)
        rows = reading.read_texts(binary, added.name, COLUMNS, None, numbered=seen.numbered)
        stored, _ = datasets.store_rows(dataset, rows, False, found)
        dataset.row_count = Dataset.row_count + stored
        file_id = found.id
    return file_id


def _analyse(dataset_id: int) -> None:
    """A finished analysis of every text (results made in SQL), counted."""
    dataset = _get(dataset_id)
    job = Job(
        team_id=dataset.team_id,
        kind=JobKind.ANALYSIS,
        dataset_id=dataset_id,
        status=JobStatus.DONE,
    )
    db.session.add(job)
    db.session.flush()
    label = " ".join(f"WHEN {index} THEN '{name}'" for index, name in enumerate(LABELS))
    valence = " ".join(f"WHEN {index} THEN {value}" for index, value in enumerate(VALENCES))
    db.session.execute(
        text(
            "INSERT INTO results (job_id, text_id, label, confidence, valence, scores, language) "
            f"SELECT :job_id, id, CASE id % 7 {label} END, 0.8, CASE id % 7 {valence} END, "
            "'{}', 'en' FROM texts WHERE dataset_id = :dataset_id"
        ),
        {"job_id": job.id, "dataset_id": dataset_id},
    )
    job.total = job.done = dataset.row_count
    previous = dataset.current_job_id
    dataset.current_job_id = job.id
    counts.count_results(job.id, dataset_id)
    statistics.in_transaction("job_counts", "job_points", "results")  # as an analysis ends
    db.session.commit()
    if previous is not None:
        remove_jobs_rows([previous])
        db.session.commit()
    statistics.vacuum("job_counts", "job_points", "texts", "text_keywords")


def _remove(dataset_id: int, file_id: int) -> None:
    added_files.remove(_get(dataset_id), file_id)


def _count_afresh(dataset_id: int) -> None:
    counts.count_results(_get(dataset_id).current_job_id, dataset_id)
    db.session.commit()


def _counted(dataset_id: int) -> list[tuple]:
    job_id = _get(dataset_id).current_job_id
    rows = db.session.execute(
        select(
            JobCount.keyword,
            JobCount.also,
            JobCount.label,
            JobCount.hour,
            JobCount.texts,
            JobCount.geotagged,
            JobCount.valence_sum,
        ).where(JobCount.job_id == job_id, JobCount.texts > 0)
    )
    return sorted(((*row[:-1], round(row[-1], 3)) for row in rows), key=repr)


def _get(dataset_id: int) -> Dataset:
    return db.session.get(Dataset, dataset_id, populate_existing=True)


def _timed(work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


if __name__ == "__main__":
    main()
