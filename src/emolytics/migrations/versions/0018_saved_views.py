"""Saved views: a name for a set of a dataset's dashboard filters, shared in its team

Revision ID: 0018_saved_views
Revises: 0017_review_holds
Create Date: 2026-12-06 08:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0018_saved_views"
down_revision = "0017_review_holds"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "saved_views",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dataset_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("query", sa.String(length=2000), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["dataset_id"],
            ["datasets.id"],
            name=op.f("fk_saved_views_dataset_id_datasets"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_saved_views_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_saved_views")),
        sa.UniqueConstraint("dataset_id", "name", name=op.f("uq_saved_views_dataset_id")),
    )
    op.create_index(op.f("ix_saved_views_dataset_id"), "saved_views", ["dataset_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_saved_views_dataset_id"), table_name="saved_views")
    op.drop_table("saved_views")
