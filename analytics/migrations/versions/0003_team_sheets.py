"""Inspection-team sheets (issue 14 "Build" 6): each sheet and its rows. Frozen here as they were: never import
analytics.schema.

Revision ID: 0003
Revises: 0002
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

NINE_ITEMS = ["no_cigarette_butts", "no_paper_scraps", "no_spit", "no_clutter", "no_graffiti", "no_toilet_odour",
              "no_flies", "no_sewage", "no_dirt"]


def upgrade() -> None:
    op.create_table(
        "team_sheets",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("file_id", sa.Integer, sa.ForeignKey("files.id"), nullable=False),
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("imported_at", sa.DateTime, nullable=False),
        sa.Column("imported_by", sa.Text),
    )
    op.create_table(
        "team_inspections",
        sa.Column("sheet_id", sa.Integer, sa.ForeignKey("team_sheets.id"), nullable=False),
        sa.Column("section", sa.Text), sa.Column("month", sa.Text), sa.Column("date", sa.Date),
        sa.Column("place", sa.Text), *[sa.Column(item, sa.SmallInteger) for item in NINE_ITEMS],
        sa.Column("inspector", sa.Text), sa.Column("remark", sa.Text),
        sa.Column("source_file", sa.Text), sa.Column("source_sheet", sa.Text), sa.Column("source_row", sa.Integer),
    )
    op.create_index("ix_team_inspections_sheet_id", "team_inspections", ["sheet_id"])


def downgrade() -> None:
    for name in ["team_inspections", "team_sheets"]:
        op.drop_table(name)
