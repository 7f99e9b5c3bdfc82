"""Datasets, the files their texts came from, their texts, and the keywords each text
mentions."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Float, ForeignKey, Index, String, Text, desc, text
from sqlalchemy.orm import Mapped, mapped_column

from emolytics.extensions import db
from emolytics.tables.user import UTCDateTime, utcnow

# Integer primary keys that are BIGINT on PostgreSQL and INTEGER (rowid) on SQLite.
BigId = BigInteger().with_variant(db.Integer(), "sqlite")
LIVE_SOURCE = "api"  # the source of a dataset the API's live feed fills


class Dataset(db.Model):
    __tablename__ = "datasets"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    source: Mapped[str] = mapped_column(String(10))  # upload | LIVE_SOURCE | sample
    keywords: Mapped[list[str]] = mapped_column(JSON, default=list)
    # which input columns became text, posted_at, author, lat, lon
    column_map: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    row_count: Mapped[int] = mapped_column(default=0)
    # rows that could not be read: their count
    skipped_count: Mapped[int] = mapped_column(default=0)
    # the upload's first unreadable rows: [number, reason, what the number counts] (before
    # 0027: [line, reason])
    skipped_rows: Mapped[list[Any]] = mapped_column(JSON, default=list)
    # the finished analysis whose results the dashboard shows (no foreign key: jobs belong to
    # their dataset, and a key each way would make a cycle)
    current_job_id: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # set: the dataset masks personal data in its texts and pseudonymises their authors
    # (`pipeline.personal_data`) with this key, sealed with SECRET_KEY; None: texts kept whole
    author_key: Mapped[str | None] = mapped_column(String(255))
    # texts are kept this many days after their time, then taken out (`pipeline.retention`);
    # None: kept for ever
    keep_days: Mapped[int | None]
    # the texts whose place column named no known place as they came in: {"texts": N,
    # "names": [{"name", "texts"}, ...]}, the most frequent names first (`pipeline.places`)
    unplaced: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    @property
    def live_feed(self) -> bool:
        """Whether the API's live feed fills it (its texts are numbered by their place in it)."""
        return self.source == LIVE_SOURCE


class DatasetFile(db.Model):
    """A file whose texts are in a dataset: the upload that made it, or one added since."""

    __tablename__ = "dataset_files"
    __table_args__ = (Index("ix_dataset_files_dataset_id_sha256", "dataset_id", "sha256"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dataset_id: Mapped[int] = mapped_column(ForeignKey("datasets.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(255))  # the file's name as sent ("" when none)
    sheet: Mapped[str | None] = mapped_column(String(200))  # the sheet read, when one was named
    sha256: Mapped[str] = mapped_column(String(64))  # of its bytes: the same file, added again
    size: Mapped[int] = mapped_column(BigInteger)  # bytes
    texts: Mapped[int] = mapped_column(default=0)  # stored
    skipped: Mapped[int] = mapped_column(default=0)  # unreadable rows left out
    # what its texts' numbers (TextRow.line) count: "line", "row" (a sheet's), "record" (of a
    # JSON array: the records of a compact one share line 1)
    numbered: Mapped[str] = mapped_column(String(6), default="line", server_default="line")
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class TextRow(db.Model):
    """One text of a dataset (named TextRow: `Text` is SQLAlchemy's column type)."""

    __tablename__ = "texts"
    __table_args__ = (
        Index("ix_texts_dataset_id_posted_at", "dataset_id", "posted_at"),
        # The texts table's order: newest first, texts without a time last, then by id.
        # SQLite reads the index above backwards for it (NULL sorts first there, and the
        # rowid ends every index); it knows no NULLS LAST in an index.
        Index(
            "ix_texts_dataset_id_newest", "dataset_id", desc("posted_at").nulls_last(), "id"
        ).ddl_if(dialect="postgresql"),
        # The map's points: geotagged texts in id order, read from the index alone.
        Index(
            "ix_texts_dataset_id_geotagged",
            "dataset_id",
            "id",
            postgresql_include=["posted_at", "lat", "lon"],
            postgresql_where=text("lat IS NOT NULL"),
            sqlite_where=text("lat IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    dataset_id: Mapped[int]  # no foreign key (see `Result`)
    # where it came from in its file (1-based: see DatasetFile.numbered), or its place in the feed
    line: Mapped[int]
    text: Mapped[str] = mapped_column(Text)
    posted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    author: Mapped[str | None] = mapped_column(String(200))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    # its category from the file's segment column (a product, a channel, a store), if any
    segment: Mapped[str | None] = mapped_column(String(200))
    # the file it came from (`DatasetFile`; none: the live feed's, or stored before files were)
    file_id: Mapped[int | None]


class TextKeyword(db.Model):
    """`text_id` mentions the dataset's tracked `keyword` (whole word, any case, or #keyword)."""

    __tablename__ = "text_keywords"
    __table_args__ = (Index("ix_text_keywords_text_id", "text_id"),)

    # no foreign keys (see `Result`)
    dataset_id: Mapped[int] = mapped_column(primary_key=True)
    keyword: Mapped[str] = mapped_column(String(80), primary_key=True)
    text_id: Mapped[int] = mapped_column(BigId, primary_key=True)
