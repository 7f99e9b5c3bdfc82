"""Corrections: labels a team sets by hand, and what the analyses keep of them

`label_corrections` holds one row per corrected text. An analysis applies them to its results:
`results.label` is then the corrected label and `results.model_label` the model's own (NULL: not
corrected). `results.margin` is the gap between a result's two best scores, the review queue's
order; NULL for analyses finished before this revision. `job_counts.corrected` counts the
corrected texts of each group, so every view can say how many of its texts are corrected.

Revision ID: 0013_label_corrections
Revises: 0012_text_languages
Create Date: 2026-12-03 18:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0013_label_corrections"
down_revision = "0012_text_languages"
branch_labels = None
depends_on = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "label_corrections",
        sa.Column("dataset_id", sa.Integer(), nullable=False),
        sa.Column("text_id", BIG_ID, nullable=False),
        sa.Column("label", sa.String(length=40), nullable=False),
        sa.Column("model_label", sa.String(length=40), nullable=False),
        sa.Column("model_score", sa.Float(), nullable=False),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["dataset_id"],
            ["datasets.id"],
            name=op.f("fk_label_corrections_dataset_id_datasets"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_label_corrections_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("dataset_id", "text_id", name=op.f("pk_label_corrections")),
    )
    op.add_column("results", sa.Column("model_label", sa.String(length=40), nullable=True))
    op.add_column("results", sa.Column("margin", sa.Float(), nullable=True))
    op.add_column(
        "job_counts", sa.Column("corrected", sa.Integer(), server_default="0", nullable=False)
    )


def downgrade() -> None:
    op.drop_column("job_counts", "corrected")
    op.drop_column("results", "margin")
    op.drop_column("results", "model_label")
    op.drop_table("label_corrections")
