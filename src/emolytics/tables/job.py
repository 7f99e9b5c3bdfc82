"""Background jobs, and the results, contributing terms and counts an analysis job writes."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Float, ForeignKey, Index, String, Text, desc
from sqlalchemy.orm import Mapped, mapped_column

from emolytics.extensions import db
from emolytics.tables.dataset import BigId
from emolytics.tables.user import UTCDateTime, utcnow


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"


FINISHED = (JobStatus.DONE, JobStatus.FAILED, JobStatus.CANCELLED)


class JobKind(StrEnum):
    ANALYSIS = "analysis"
    TRAINING = "training"
    TAGGING = "tagging"  # re-tag texts after the keywords changed
    ADAPTATION = "adaptation"  # a new model from a dataset's model and its corrections
    MASKING = "masking"  # a dataset's stored texts masked of personal data, then analysed again


PROGRESS_NOUNS = {  # what a job of each kind counts
    JobKind.ANALYSIS: ("text analysed", "texts analysed"),
    JobKind.TAGGING: ("text tagged", "texts tagged"),
    JobKind.TRAINING: ("step", "steps"),
    JobKind.ADAPTATION: ("step", "steps"),
    JobKind.MASKING: ("text masked", "texts masked"),
}
NOT_SCORED = ""  # a result's label when the model does not read the text's language


class Job(db.Model):
    __tablename__ = "jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    kind: Mapped[JobKind] = mapped_column(String(10))
    dataset_id: Mapped[int | None] = mapped_column(
        ForeignKey("datasets.id", ondelete="CASCADE"), index=True
    )
    # analysis: the trained model used (None: the default analyzer); training, adaptation: the
    # model made
    model_id: Mapped[int | None] = mapped_column(
        ForeignKey("emotion_models.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[JobStatus] = mapped_column(String(10), default=JobStatus.QUEUED)
    total: Mapped[int] = mapped_column(default=0)
    done: Mapped[int] = mapped_column(default=0)  # texts analysed (or steps) so far
    error: Mapped[str | None] = mapped_column(String(500))  # shown to the user
    # analysis: the texts it covers, fixed when it starts (texts pushed later get analysed
    # when it finishes)
    first_text_id: Mapped[int | None] = mapped_column(BigId)
    last_text_id: Mapped[int | None] = mapped_column(BigId)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def finished(self) -> bool:
        return self.status in FINISHED

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else 0

    @property
    def progress_noun(self) -> str:
        """What `done` and `total` count, in words ("texts analysed", "steps")."""
        one, many = PROGRESS_NOUNS[self.kind]
        return one if self.total == 1 else many


class JobPart(db.Model):
    """One slice of a job, run by one worker at a time; its heartbeat shows it is alive."""

    __tablename__ = "job_parts"

    job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"), primary_key=True)
    part: Mapped[int] = mapped_column(primary_key=True)
    first_text_id: Mapped[int | None] = mapped_column(BigId)
    last_text_id: Mapped[int | None] = mapped_column(BigId)
    status: Mapped[JobStatus] = mapped_column(String(10), default=JobStatus.QUEUED)
    attempts: Mapped[int] = mapped_column(default=0)
    queue_id: Mapped[str | None] = mapped_column(String(64))  # the RQ job id, if any
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Result(db.Model):
    """What one analysis job found for one text: exactly one row per (job, text).

    Like every table of rows that come by the thousand (texts, their keywords, an analysis's
    results, terms, counts and points), it has no foreign keys: checking one per row cost as
    much as writing the row. `pipeline/purge.py` keeps them whole instead: their writers hold
    the owning row, and removing an owner removes its rows.
    """

    __tablename__ = "results"

    job_id: Mapped[int] = mapped_column(primary_key=True)
    text_id: Mapped[int] = mapped_column(BigId, primary_key=True)
    # NOT_SCORED (''): the text's language is not one the model reads (confidence and valence
    # 0, scores {}); it is counted apart and left out of the breakdowns
    label: Mapped[str] = mapped_column(String(40))
    confidence: Mapped[float] = mapped_column(Float)  # the label's score
    valence: Mapped[float] = mapped_column(Float)
    scores: Mapped[str] = mapped_column(Text)  # JSON object label -> score
    # ISO 639-1 code detected by the analysis ('und': undetermined); None: analysed before
    # languages were detected
    language: Mapped[str | None] = mapped_column(String(8))
    # the model's own label where a correction (`Correction`) gave the text another; None: the
    # text is not corrected and `label` is the model's
    model_label: Mapped[str | None] = mapped_column(String(40))
    # the gap between the two best scores: the smaller, the less sure the model (the review
    # queue's order); None: not scored, or analysed before margins were kept
    margin: Mapped[float | None] = mapped_column(Float)


class JobTerm(db.Model):
    """Words that pushed a chunk of texts towards a label, summed; chunks make it idempotent."""

    __tablename__ = "job_terms"

    job_id: Mapped[int] = mapped_column(primary_key=True)
    chunk: Mapped[int] = mapped_column(BigId, primary_key=True)  # first text id of the chunk
    label: Mapped[str] = mapped_column(String(40), primary_key=True)
    term: Mapped[str] = mapped_column(String(80), primary_key=True)
    weight: Mapped[float] = mapped_column(Float)
    texts: Mapped[int]  # how many texts of the chunk it appeared in, for that label


class JobCount(db.Model):
    """How many texts of an analysis share a label, a language, a segment, an hour and
    keywords: the dashboard's numbers without reading the texts (a few rows per hour of texts,
    not one per text).

    `keyword` and `also` both '': every text; `keyword` '' and `also` set: the texts mentioning
    `also`; both set: the texts mentioning both (the keyword comparison under a keyword filter).
    """

    __tablename__ = "job_counts"
    __table_args__ = (Index("ix_job_counts_job_id_keyword", "job_id", "keyword", "also"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    job_id: Mapped[int]
    keyword: Mapped[str] = mapped_column(String(80))
    also: Mapped[str] = mapped_column(String(80))
    label: Mapped[str] = mapped_column(String(40))
    # the texts' language (`Result.language`); '': counted before counts knew languages
    language: Mapped[str] = mapped_column(String(8), default="", server_default="")
    # the texts' segment (`TextRow.segment`; '': none)
    segment: Mapped[str] = mapped_column(String(200), default="", server_default="")
    # posted_at cut to the hour in UTC (to the day where keyword and also are both set: the
    # comparison is only ever filtered by whole days); None: texts without a time
    hour: Mapped[datetime | None] = mapped_column(UTCDateTime)
    texts: Mapped[int]
    geotagged: Mapped[int]  # of `texts`, those with coordinates
    # of `texts`, those with a correction
    corrected: Mapped[int] = mapped_column(default=0, server_default="0")
    # of `texts`, the sum of the valences and of their squares: a window's mean valence and
    # its spread for the alerts, from the counts alone
    valence_sum: Mapped[float] = mapped_column(Float, default=0.0, server_default="0")
    valence_squares: Mapped[float] = mapped_column(Float, default=0.0, server_default="0")
    first_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # earliest posted_at
    last_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # latest posted_at


class JobPoint(db.Model):
    """A geotagged text of an analysis with its label, once for every text (`keyword` '') and
    once per keyword it mentions: the map of any filter read from one index, newest first."""

    __tablename__ = "job_points"
    __table_args__ = (
        Index(
            "ix_job_points_newest",
            "job_id",
            "keyword",
            desc("posted_at").nulls_last(),
            desc("text_id"),
            postgresql_include=["label", "lat", "lon"],
        ).ddl_if(dialect="postgresql"),
        # SQLite reads this one backwards (see `TextRow`'s indexes)
        Index(
            "ix_job_points_job_id_keyword_posted_at", "job_id", "keyword", "posted_at", "text_id"
        ).ddl_if(dialect="sqlite"),
    )
    # Rows are unique by (job, keyword, text) by construction; no index enforces it (one
    # would double the cost of building the points when an analysis finishes).
    __mapper_args__ = {"primary_key": ["job_id", "keyword", "text_id"]}

    job_id: Mapped[int]
    keyword: Mapped[str] = mapped_column(String(80))
    posted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    text_id: Mapped[int] = mapped_column(BigId)
    label: Mapped[str] = mapped_column(String(40))
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    # the text's language (`Result.language`); '': placed before points knew languages
    language: Mapped[str] = mapped_column(String(8), default="", server_default="")
    segment: Mapped[str] = mapped_column(String(200), default="", server_default="")  # '': none
