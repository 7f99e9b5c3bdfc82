"""Listening: alert rules, alerts, their deliveries, digests; the numbers they are made from

`alert_rules` belong to a team and watch one of its datasets; `alerts` are the windows they
found unusual (one per rule and window: two processes judging the same window store it once);
`alert_deliveries` are their webhook POSTs and emails with their attempts;
`digest_subscriptions` are the daily or weekly emails a member chose. `users.email` (confirmed
by a link) is where a member's emails go; `memberships.alerts_seen_at` and `alert_email` are a
member's own view of the team's alerts. `job_counts.valence_sum` and `valence_squares` give a
window's mean valence from the counts; analyses finished before this revision keep 0 there
until their dataset is counted again (a keyword edit or a new analysis).

Revision ID: 0014_alerts
Revises: 0013_label_corrections
Create Date: 2026-12-03 18:20:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0014_alerts"
down_revision = "0013_label_corrections"
branch_labels = None
depends_on = None

WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "alert_rules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("dataset_id", sa.Integer(), nullable=False),
        sa.Column("metric", sa.String(length=16), nullable=False),
        sa.Column("emotion", sa.String(length=40), nullable=True),
        sa.Column("keyword", sa.String(length=80), nullable=True),
        sa.Column("direction", sa.String(length=8), nullable=False),
        sa.Column("sensitivity", sa.String(length=16), nullable=False),
        sa.Column("times", sa.Float(), nullable=True),
        sa.Column("window_minutes", sa.Integer(), nullable=False),
        sa.Column("min_texts", sa.Integer(), nullable=False),
        sa.Column("cooldown_minutes", sa.Integer(), nullable=False),
        sa.Column("webhook_url", sa.String(length=2000), nullable=True),
        sa.Column("webhook_secret", sa.String(length=400), nullable=True),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("checked_through", WHEN, nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", WHEN, nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_alert_rules_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["dataset_id"],
            ["datasets.id"],
            name=op.f("fk_alert_rules_dataset_id_datasets"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["teams.id"], name=op.f("fk_alert_rules_team_id_teams"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_rules")),
    )
    op.create_index("ix_alert_rules_dataset_id", "alert_rules", ["dataset_id"])
    op.create_index("ix_alert_rules_team_id", "alert_rules", ["team_id"])
    op.create_table(
        "alerts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rule_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("dataset_id", sa.Integer(), nullable=False),
        sa.Column("window_start", WHEN, nullable=False),
        sa.Column("window_end", WHEN, nullable=False),
        sa.Column("texts", sa.Integer(), nullable=False),
        sa.Column("observed", sa.Float(), nullable=False),
        sa.Column("expected", sa.Float(), nullable=False),
        sa.Column("ratio", sa.Float(), nullable=True),
        sa.Column("p_value", sa.Float(), nullable=False),
        sa.Column("direction", sa.String(length=8), nullable=False),
        sa.Column("baseline", sa.String(length=40), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.ForeignKeyConstraint(
            ["dataset_id"],
            ["datasets.id"],
            name=op.f("fk_alerts_dataset_id_datasets"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["rule_id"],
            ["alert_rules.id"],
            name=op.f("fk_alerts_rule_id_alert_rules"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["teams.id"], name=op.f("fk_alerts_team_id_teams"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alerts")),
        sa.UniqueConstraint("rule_id", "window_start", name=op.f("uq_alerts_rule_id")),
    )
    op.create_index("ix_alerts_team_id_created_at", "alerts", ["team_id", "created_at"])
    op.create_index("ix_alerts_dataset_id_created_at", "alerts", ["dataset_id", "created_at"])
    op.create_table(
        "alert_deliveries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("alert_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("target", sa.String(length=2000), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_status", sa.Integer(), nullable=True),
        sa.Column("last_error", sa.String(length=300), nullable=True),
        sa.Column("next_attempt_at", WHEN, nullable=True),
        sa.Column("delivered_at", WHEN, nullable=True),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("updated_at", WHEN, nullable=False),
        sa.ForeignKeyConstraint(
            ["alert_id"],
            ["alerts.id"],
            name=op.f("fk_alert_deliveries_alert_id_alerts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_deliveries")),
    )
    op.create_index("ix_alert_deliveries_alert_id", "alert_deliveries", ["alert_id"])
    op.create_index(
        "ix_alert_deliveries_status_next", "alert_deliveries", ["status", "next_attempt_at"]
    )
    op.create_table(
        "digest_subscriptions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("dataset_id", sa.Integer(), nullable=True),
        sa.Column("period", sa.String(length=8), nullable=False),
        sa.Column("sent_through", WHEN, nullable=True),
        sa.Column("created_at", WHEN, nullable=False),
        sa.ForeignKeyConstraint(
            ["dataset_id"],
            ["datasets.id"],
            name=op.f("fk_digest_subscriptions_dataset_id_datasets"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["teams.id"],
            name=op.f("fk_digest_subscriptions_team_id_teams"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_digest_subscriptions_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_digest_subscriptions")),
        sa.UniqueConstraint(
            "user_id",
            "team_id",
            "dataset_id",
            "period",
            name=op.f("uq_digest_subscriptions_user_id"),
        ),
    )
    op.create_index("ix_digest_subscriptions_team_id", "digest_subscriptions", ["team_id"])
    op.create_index("ix_digest_subscriptions_user_id", "digest_subscriptions", ["user_id"])
    op.add_column("users", sa.Column("email", sa.String(length=254), nullable=True))
    op.add_column("users", sa.Column("email_confirmed_at", WHEN, nullable=True))
    op.add_column("memberships", sa.Column("alerts_seen_at", WHEN, nullable=True))
    op.add_column(
        "memberships",
        sa.Column("alert_email", sa.Boolean(), server_default=sa.false(), nullable=False),
    )
    for column in ("valence_sum", "valence_squares"):
        op.add_column(
            "job_counts", sa.Column(column, sa.Float(), server_default="0", nullable=False)
        )


def downgrade() -> None:
    for column in ("valence_squares", "valence_sum"):
        op.drop_column("job_counts", column)
    op.drop_column("memberships", "alert_email")
    op.drop_column("memberships", "alerts_seen_at")
    op.drop_column("users", "email_confirmed_at")
    op.drop_column("users", "email")
    op.drop_index("ix_digest_subscriptions_user_id", table_name="digest_subscriptions")
    op.drop_index("ix_digest_subscriptions_team_id", table_name="digest_subscriptions")
    op.drop_table("digest_subscriptions")
    op.drop_index("ix_alert_deliveries_status_next", table_name="alert_deliveries")
    op.drop_index("ix_alert_deliveries_alert_id", table_name="alert_deliveries")
    op.drop_table("alert_deliveries")
    op.drop_index("ix_alerts_dataset_id_created_at", table_name="alerts")
    op.drop_index("ix_alerts_team_id_created_at", table_name="alerts")
    op.drop_table("alerts")
    op.drop_index("ix_alert_rules_team_id", table_name="alert_rules")
    op.drop_index("ix_alert_rules_dataset_id", table_name="alert_rules")
    op.drop_table("alert_rules")
