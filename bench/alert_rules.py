"""Judging alert rules from the counts on PostgreSQL: 100 rules over a dataset of N texts
(target: under a second for 100 rules over a million texts).

    .venv/bin/python bench/alert_rules.py [--rows 1000000] [--rules 100]
        [--server postgresql://postgres@127.0.0.1:5432/test]

A database of its own is made on the server (and dropped after): one live feed of `--rows`
texts spread over 29 days with a daily and weekly rhythm (night trough, day peaks, quieter
weekends), each text with a result (the seven emotions in realistic proportions, valences by
label) and a tenth of them mentioning the tracked keyword "tram"; stored with COPY and counted
as an analysis's counts are (`pipeline.counts`). Then `--rules` rules of every kind (volume,
an emotion's share and count, valence; 1, 3 and 24-hour windows; every text or the keyword),
and three timings of `alert_checks.check`, as the schedule runs it:
  - due: each rule's latest window (what the schedule does once per window),
  - catch-up: a day of windows per rule (after a downtime),
  - nothing due: every rule judged already (what a push or a minute's tick costs mostly).
"""

import argparse
import io
import os
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import psycopg
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from flask_migrate import upgrade  # noqa: E402

from emolytics.accounts import registration, teams  # noqa: E402
from emolytics.app import create_app  # noqa: E402
from emolytics.extensions import db  # noqa: E402
from emolytics.pipeline import alert_checks, alert_rules, counts, datasets, statistics  # noqa: E402
from emolytics.pipeline.alert_series import align  # noqa: E402
from emolytics.tables import AlertRule, Dataset, Job, JobKind, JobStatus  # noqa: E402

LABELS = ("anger", "disgust", "fear", "joy", "sadness", "surprise", "neutral")
SHARES = (0.08, 0.03, 0.05, 0.22, 0.10, 0.07, 0.45)
VALENCE = {"anger": -0.6, "disgust": -0.5, "fear": -0.4, "joy": 0.7, "sadness": -0.5}
# texts per hour over the day, relative to the mean: night trough, morning, lunch, evening
DAY_SHAPE = np.array(
    [0.3, 0.2, 0.2, 0.2, 0.3, 0.5, 0.9, 1.3, 1.4, 1.2, 1.1, 1.3]
    + [1.5, 1.3, 1.1, 1.1, 1.2, 1.4, 1.6, 1.7, 1.5, 1.2, 0.8, 0.5]
)
WEEK_SHAPE = np.array([1.05, 1.05, 1.05, 1.05, 1.1, 0.85, 0.85])  # Monday first
DAYS = 29  # four weeks of history and a day to judge


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--rules", type=int, default=100)
    parser.add_argument("--server", default="postgresql://postgres@127.0.0.1:5432/test")
    asked = parser.parse_args()
    server = make_url(asked.server)
    name = f"emolytics_bench_alerts_{os.getpid()}"
    admin = server.render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        run(server.set(database=name).render_as_string(hide_password=False), asked)
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run(url: str, asked: argparse.Namespace) -> None:
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "JOB_QUEUE": "inline"})
    with app.app_context():
        upgrade(directory=app.extensions["migrate"].directory)
        latest = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
        started = time.perf_counter()
        dataset_id = build(asked.rows, latest)
        print(f"{asked.rows:,} texts stored and counted in {time.perf_counter() - started:.1f} s")
        make_rules(dataset_id, asked.rules)
        now = latest + timedelta(minutes=5)
        for what, behind in (("due", None), ("catch-up", timedelta(days=1)), ("nothing due", 0)):
            rewind(latest, behind)
            db.session.commit()
            started = time.perf_counter()
            judged = alert_checks.check(now=now)
            seconds = time.perf_counter() - started
            raised = sum(1 for item in judged if item.alert_id is not None)
            print(
                f"{what:>12}: {asked.rules} rules, {len(judged):,} windows judged, "
                f"{raised} alerts, {seconds:.3f} s"
            )
        db.session.remove()
        db.engine.dispose()


def build(rows: int, latest: datetime) -> int:
    """The feed, its texts, results, keyword tags and counts; its id."""
    owner = registration.register("bench", "alert rules benchmark passphrase")
    team_id = teams.personal_seat(owner.id).team_id
    dataset = datasets.create_feed(team_id, "Bench feed", ["tram"])
    job = Job(team_id=team_id, kind=JobKind.ANALYSIS, dataset_id=dataset.id, status=JobStatus.DONE)
    db.session.add(job)
    db.session.flush()
    dataset.current_job_id, dataset.row_count, job.total = job.id, rows, rows
    db.session.commit()
    rng = np.random.default_rng(1)
    start = latest - timedelta(days=DAYS)
    hours = np.arange(DAYS * 24)
    moments = [start + timedelta(hours=int(hour)) for hour in hours]
    rhythm = np.array([DAY_SHAPE[moment.hour] * WEEK_SHAPE[moment.weekday()] for moment in moments])
    per_hour = rng.multinomial(rows, rhythm / rhythm.sum())
    hour_of_text = np.repeat(hours, per_hour)
    seconds = rng.integers(0, 3600, rows)
    labels = rng.choice(len(LABELS), rows, p=SHARES)
    tagged = rng.random(rows) < 0.1
    texts, results, tags = io.StringIO(), io.StringIO(), io.StringIO()
    for index in range(rows):
        text_id = index + 1
        posted = start + timedelta(hours=int(hour_of_text[index]), seconds=int(seconds[index]))
        label = LABELS[labels[index]]
        texts.write(f"{text_id}\t{dataset.id}\t{text_id}\ttext {text_id}\t{posted.isoformat()}\n")
        valence = VALENCE.get(label, 0.1)
        results.write(f"{job.id}\t{text_id}\t{label}\t0.8\t{valence}\t{{}}\ten\n")
        if tagged[index]:
            tags.write(f"{dataset.id}\ttram\t{text_id}\n")
    connection = db.session.connection().connection
    with connection.cursor() as cursor:
        for table, columns, buffer in (
            ("texts", "id, dataset_id, line, text, posted_at", texts),
            ("results", "job_id, text_id, label, confidence, valence, scores, language", results),
            ("text_keywords", "dataset_id, keyword, text_id", tags),
        ):
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                copy.write(buffer.getvalue())
    db.session.commit()
    counts.count_results(job.id, dataset.id)
    db.session.commit()
    statistics.vacuum("texts", "results", "text_keywords", "job_counts")
    return dataset.id


def make_rules(dataset_id: int, how_many: int) -> None:
    dataset = db.session.get(Dataset, dataset_id)
    kinds = [
        {"metric": "volume", "direction": "either"},
        {"metric": "emotion_share", "emotion": "anger", "direction": "rise", "sensitivity": 3},
        {"metric": "emotion_count", "emotion": "joy", "direction": "drop"},
        {"metric": "valence", "direction": "drop", "sensitivity": "very_unusual"},
    ]
    for index in range(how_many):
        kind = dict(kinds[index % len(kinds)])
        kind["window_minutes"] = (60, 60, 180, 1440)[(index // 4) % 4]
        if index % 5 == 0:
            kind["keyword"] = "tram"
        alert_rules.create(dataset.team_id, dataset, alert_rules.RuleInput(**kind), None)


def rewind(latest: datetime, behind: timedelta | None) -> None:
    """Mark every rule judged up to `behind` before its latest window (None: never judged:
    only its latest window is due; 0: judged through its latest window)."""
    for rule in db.session.scalars(db.select(AlertRule)):
        length = timedelta(minutes=rule.window_minutes)
        end = align(latest, length)
        if behind is None:
            rule.checked_through = None
        else:
            rule.checked_through = end - behind if behind else end


if __name__ == "__main__":
    main()
