"""Session addresses: where each sign-in was used from

A session is bound to its browser (its User-Agent), no longer to its network address, and the
activity page lists the addresses it came from. Live sessions start with the address they
have.

Revision ID: 0006_session_addresses
Revises: 0005_bulk_rows
Create Date: 2026-12-03 09:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_session_addresses"
down_revision = "0005_bulk_rows"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "session_addresses",
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("ip", sa.String(length=64), nullable=False),
        sa.Column("first_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["user_sessions.id"],
            name=op.f("fk_session_addresses_session_id_user_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("session_id", "ip", name=op.f("pk_session_addresses")),
    )
    op.execute(
        "INSERT INTO session_addresses (session_id, ip, first_seen_at, last_seen_at) "
        "SELECT id, ip, created_at, last_seen_at FROM user_sessions WHERE ip IS NOT NULL"
    )


def downgrade():
    op.drop_table("session_addresses")
