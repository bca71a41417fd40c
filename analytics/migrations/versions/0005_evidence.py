"""Evidence (台账) attached to a plan item or a return's task (issue 14 "Build" 5). Frozen here as it was: never
import analytics.schema.

Revision ID: 0005
Revises: 0004
"""
import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "evidence",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("item", sa.Text),
        sa.Column("section", sa.Text),
        sa.Column("month", sa.String(7)),
        sa.Column("task", sa.Text),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("data", sa.LargeBinary, nullable=False),
        sa.Column("thumbnail", sa.LargeBinary),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("uploaded_at", sa.DateTime, nullable=False),
        sa.Column("uploaded_by", sa.Text),
        sa.Column("removed_at", sa.DateTime),
        sa.Column("removed_by", sa.Text),
        sa.Index("evidence_year", "year"),
    )


def downgrade() -> None:
    op.drop_table("evidence")
