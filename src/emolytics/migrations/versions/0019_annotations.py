"""Annotations: dated notes on a dataset's timeline, shared in its team

Revision ID: 0019_annotations
Revises: 0018_saved_views
Create Date: 2026-12-06 08:30:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0019_annotations"
down_revision = "0018_saved_views"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "annotations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dataset_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["dataset_id"],
            ["datasets.id"],
            name=op.f("fk_annotations_dataset_id_datasets"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_annotations_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_annotations")),
    )
    op.create_index(op.f("ix_annotations_dataset_id"), "annotations", ["dataset_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_annotations_dataset_id"), table_name="annotations")
    op.drop_table("annotations")
