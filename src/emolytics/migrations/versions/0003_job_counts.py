"""job_counts: an analysis's counts per label, hour and keywords; indexes for texts and map

The counts of every dataset's current analysis are built here; later analyses build their own
when they finish.

Revision ID: 0003_job_counts
Revises: 0002_datasets
Create Date: 2026-11-24 15:40:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_job_counts"
down_revision = "0002_datasets"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
# posted_at cut to the hour or day in UTC, stored as SQLAlchemy stores times in each database
CUT = {
    "postgresql": "timezone('UTC', date_trunc('{unit}', timezone('UTC', t.posted_at)))",
    "sqlite": "strftime('{shape}', t.posted_at)",
}
SHAPES = {"hour": "%Y-%m-%d %H:00:00.000000", "day": "%Y-%m-%d 00:00:00.000000"}
MEASURES = "count(*), count(t.lat), min(t.posted_at), max(t.posted_at)"
# every text; the texts mentioning a keyword (per hour); those mentioning two (per day)
COUNTS = (
    """
    SELECT r.job_id, '', '', r.label, {hour}, {measures}
    FROM datasets d
    JOIN results r ON r.job_id = d.current_job_id
    JOIN texts t ON t.id = r.text_id
    GROUP BY r.job_id, r.label, {hour}
    """,
    """
    SELECT r.job_id, '', k1.keyword, r.label, {hour}, {measures}
    FROM datasets d
    JOIN text_keywords k1 ON k1.dataset_id = d.id
    JOIN results r ON r.job_id = d.current_job_id AND r.text_id = k1.text_id
    JOIN texts t ON t.id = k1.text_id
    GROUP BY r.job_id, k1.keyword, r.label, {hour}
    """,
    """
    SELECT r.job_id, k1.keyword, k2.keyword, r.label, {day}, {measures}
    FROM datasets d
    JOIN text_keywords k1 ON k1.dataset_id = d.id
    JOIN text_keywords k2 ON k2.text_id = k1.text_id AND k2.keyword <> k1.keyword
    JOIN results r ON r.job_id = d.current_job_id AND r.text_id = k1.text_id
    JOIN texts t ON t.id = k1.text_id
    GROUP BY r.job_id, k1.keyword, k2.keyword, r.label, {day}
    """,
)
INSERT = "INSERT INTO job_counts "
INSERT += "(job_id, keyword, also, label, hour, texts, geotagged, first_at, last_at)"


def upgrade() -> None:
    op.create_table(
        "job_counts",
        sa.Column("id", BigId, nullable=False),
        sa.Column("job_id", sa.Integer(), nullable=False),
        sa.Column("keyword", sa.String(length=80), nullable=False),
        sa.Column("also", sa.String(length=80), nullable=False),
        sa.Column("label", sa.String(length=40), nullable=False),
        sa.Column("hour", sa.DateTime(timezone=True), nullable=True),
        sa.Column("texts", sa.Integer(), nullable=False),
        sa.Column("geotagged", sa.Integer(), nullable=False),
        sa.Column("first_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["job_id"], ["jobs.id"], name=op.f("fk_job_counts_job_id_jobs"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_counts")),
    )
    with op.batch_alter_table("job_counts", schema=None) as batch_op:
        batch_op.create_index(
            "ix_job_counts_job_id_keyword", ["job_id", "keyword", "also"], unique=False
        )
    dialect = op.get_bind().dialect.name
    hour, day = (CUT[dialect].format(unit=unit, shape=SHAPES[unit]) for unit in ("hour", "day"))
    for counts in COUNTS:
        op.execute(INSERT + counts.format(hour=hour, day=day, measures=MEASURES))

    with op.batch_alter_table("texts", schema=None) as batch_op:
        if dialect == "postgresql":  # newest first, texts without a time last, then by id
            batch_op.create_index(
                "ix_texts_dataset_id_newest",
                ["dataset_id", sa.text("posted_at DESC NULLS LAST"), "id"],
                unique=False,
            )
        batch_op.create_index(
            "ix_texts_dataset_id_geotagged",
            ["dataset_id", "id"],
            unique=False,
            postgresql_include=["posted_at", "lat", "lon"],
            postgresql_where=sa.text("lat IS NOT NULL"),
            sqlite_where=sa.text("lat IS NOT NULL"),
        )


def downgrade() -> None:
    with op.batch_alter_table("texts", schema=None) as batch_op:
        batch_op.drop_index("ix_texts_dataset_id_geotagged")
        if op.get_bind().dialect.name == "postgresql":
            batch_op.drop_index("ix_texts_dataset_id_newest")
    with op.batch_alter_table("job_counts", schema=None) as batch_op:
        batch_op.drop_index("ix_job_counts_job_id_keyword")
    op.drop_table("job_counts")
