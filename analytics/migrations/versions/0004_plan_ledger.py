"""The 六个一 confirmations and the city's deployed tasks (issue 14). Frozen here as they were: never import
analytics.schema.

Revision ID: 0004
Revises: 0002
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "six_ones_confirmations",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("six_ones", sa.String(8), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("who", sa.Text, nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("undone_at", sa.DateTime),
        sa.Column("undone_by", sa.Text),
    )
    op.create_table(
        "deployed_tasks",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("area", sa.Text, nullable=False),
        sa.Column("due_month", sa.String(7), nullable=False),
        sa.Column("sections", sa.Text),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("created_by", sa.Text, nullable=False),
        sa.Column("removed_at", sa.DateTime),
        sa.Column("removed_by", sa.Text),
    )


def downgrade() -> None:
    for name in ["deployed_tasks", "six_ones_confirmations"]:
        op.drop_table(name)
