"""Bulk rows without foreign keys; an analysis's map points; no unused label index on results

Texts, their keyword tags and an analysis's results, terms and counts lose their foreign keys:
checking one per row cost as much again as writing the rows (a million texts: 5 s more for the
texts, 6 s for their tags, 12 s for the results). `pipeline/purge.py` keeps them whole.
`results (job_id, label)` served no query. `job_points` holds every analysis's geotagged texts
with their labels, per keyword; the points of every current analysis are placed here.

Revision ID: 0005_bulk_rows
Revises: 0004_text_statistics
Create Date: 2026-11-25 10:00:00.000000
"""

import contextlib
import warnings
from collections.abc import Iterator

import sqlalchemy as sa
from alembic import op

revision = "0005_bulk_rows"
down_revision = "0004_text_statistics"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
# (table, column, referred table) of every foreign key dropped
KEYS = (
    ("texts", "dataset_id", "datasets"),
    ("text_keywords", "dataset_id", "datasets"),
    ("text_keywords", "text_id", "texts"),
    ("results", "job_id", "jobs"),
    ("results", "text_id", "texts"),
    ("job_terms", "job_id", "jobs"),
    ("job_counts", "job_id", "jobs"),
)
# every geotagged text of each current analysis, and again per keyword it mentions
POINTS = (
    """
    SELECT r.job_id, '', t.posted_at, t.id, r.label, t.lat, t.lon
    FROM datasets d
    JOIN texts t ON t.dataset_id = d.id
    JOIN results r ON r.job_id = d.current_job_id AND r.text_id = t.id
    WHERE t.lat IS NOT NULL
    """,
    """
    SELECT r.job_id, k.keyword, t.posted_at, t.id, r.label, t.lat, t.lon
    FROM datasets d
    JOIN text_keywords k ON k.dataset_id = d.id
    JOIN texts t ON t.id = k.text_id
    JOIN results r ON r.job_id = d.current_job_id AND r.text_id = k.text_id
    WHERE t.lat IS NOT NULL
    """,
)
INSERT = "INSERT INTO job_points (job_id, keyword, posted_at, text_id, label, lat, lon) "


@contextlib.contextmanager
def _quiet_reflection() -> Iterator[None]:
    """SQLite rebuilds a table to change its keys, reflecting the tables it refers to; the
    users table's expression index cannot be reflected, and is not needed for that."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Skipped unsupported reflection", sa.exc.SAWarning)
        yield


def _key_name(table: str, column: str, referred: str) -> str:
    return f"fk_{table}_{column}_{referred}"


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    for table in dict.fromkeys(table for table, _, _ in KEYS):
        with _quiet_reflection(), op.batch_alter_table(table, schema=None) as batch_op:
            for name in (_key_name(*key) for key in KEYS if key[0] == table):
                batch_op.drop_constraint(name, type_="foreignkey")
            if table == "results":
                batch_op.drop_index("ix_results_job_id_label")

    op.create_table(
        "job_points",
        sa.Column("job_id", sa.Integer(), nullable=False),
        sa.Column("keyword", sa.String(length=80), nullable=False),
        sa.Column("posted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("text_id", BigId, nullable=False),
        sa.Column("label", sa.String(length=40), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("lon", sa.Float(), nullable=False),
    )
    for points in POINTS:
        op.execute(INSERT + points)
    if dialect == "postgresql":
        op.create_index(
            "ix_job_points_newest",
            "job_points",
            ["job_id", "keyword", sa.text("posted_at DESC NULLS LAST"), sa.text("text_id DESC")],
            postgresql_include=["label", "lat", "lon"],
        )
    else:
        op.create_index(
            "ix_job_points_job_id_keyword_posted_at",
            "job_points",
            ["job_id", "keyword", "posted_at", "text_id"],
        )


def downgrade() -> None:
    op.drop_table("job_points")
    for table in dict.fromkeys(table for table, _, _ in KEYS):
        with _quiet_reflection(), op.batch_alter_table(table, schema=None) as batch_op:
            for _, column, referred in (key for key in KEYS if key[0] == table):
                batch_op.create_foreign_key(
                    _key_name(table, column, referred),
                    referred,
                    [column],
                    ["id"],
                    ondelete="CASCADE",
                )
            if table == "results":
                batch_op.create_index("ix_results_job_id_label", ["job_id", "label"])
