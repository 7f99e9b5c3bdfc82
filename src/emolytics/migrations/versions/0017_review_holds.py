"""Review holds: the text each reviewer has open in a dataset's review queue

Two reviewers of one dataset used to be shown the same text (the queue's order is the same for
everyone), and the second label overwrote the first. `review_holds` keeps, per dataset, the text
each reviewer's page shows and until when; the queue leaves those texts out for the other
reviewers meanwhile.

Revision ID: 0017_review_holds
Revises: 0016_last_team
Create Date: 2026-12-05 20:40:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0017_review_holds"
down_revision = "0016_last_team"
branch_labels = None
depends_on = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "review_holds",
        sa.Column("dataset_id", sa.Integer(), nullable=False),
        sa.Column("text_id", BIG_ID, nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("until", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["dataset_id"],
            ["datasets.id"],
            name=op.f("fk_review_holds_dataset_id_datasets"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_review_holds_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("dataset_id", "text_id", name=op.f("pk_review_holds")),
    )


def downgrade() -> None:
    op.drop_table("review_holds")
