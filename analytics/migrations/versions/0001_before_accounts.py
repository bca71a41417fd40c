"""The schema of the release that closed issue 10 (before accounts), from nothing or from an earlier release's tables.

A database of a release before migrations is taken as it is: only what it lacks is added (a table, files.sample,
the one-current-version index), and the roster and rules files of the releases that kept them in `settings` are
copied to `setting_files`. The tables are frozen here as they were: never import analytics.schema.

Revision ID: 0001
Revises:
"""
import datetime as dt

import sqlalchemy as sa
from alembic import op

from analytics.intake.messages import STORE_MESSAGES

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

NINE_ITEMS = ["no_cigarette_butts", "no_paper_scraps", "no_spit", "no_clutter", "no_graffiti", "no_toilet_odour",
              "no_flies", "no_sewage", "no_dirt"]
RECORD_TABLES = ["tasks", "inspections", "events", "bonus"]


def _source() -> list[sa.Column]:
    return [sa.Column("source_file", sa.Text), sa.Column("source_sheet", sa.Text), sa.Column("source_row", sa.Integer)]


def _record(*columns: sa.Column) -> list:
    return [sa.Column("version_id", sa.Integer, sa.ForeignKey("versions.id"), nullable=False),
            sa.Column("section", sa.Text), sa.Column("month", sa.Text), *columns, *_source()]


def _tables() -> dict[str, list]:
    """Each table's columns and constraints, made anew for each upgrade (a column belongs to one table)."""
    return {
        "files": [
            sa.Column("id", sa.Integer, primary_key=True),
            sa.Column("sha256", sa.String(64), nullable=False, unique=True),
            sa.Column("name", sa.Text, nullable=False),
            sa.Column("size", sa.Integer, nullable=False),
            sa.Column("data", sa.LargeBinary, nullable=False),
            sa.Column("uploaded_at", sa.DateTime, nullable=False),
            sa.Column("uploaded_by", sa.Text),
            sa.Column("status", sa.String(16), nullable=False),
            sa.Column("report", sa.Text, nullable=False),
            _sample(),
        ],
        "versions": [
            sa.Column("id", sa.Integer, primary_key=True),
            sa.Column("section", sa.Text, nullable=False),
            sa.Column("month", sa.String(7), nullable=False),
            sa.Column("file_id", sa.Integer, sa.ForeignKey("files.id"), nullable=False),
            sa.Column("source", sa.Text, nullable=False),
            sa.Column("imported_at", sa.DateTime, nullable=False),
            sa.Column("imported_by", sa.Text),
            sa.Column("state", sa.String(16), nullable=False),
        ],
        "history": [
            sa.Column("id", sa.Integer, primary_key=True),
            sa.Column("at", sa.DateTime, nullable=False),
            sa.Column("who", sa.Text),
            sa.Column("action", sa.Text, nullable=False),
            sa.Column("section", sa.Text),
            sa.Column("month", sa.String(7)),
            sa.Column("version_id", sa.Integer),
            sa.Column("detail", sa.Text),
        ],
        "decisions": [
            sa.Column("id", sa.Integer, primary_key=True),
            sa.Column("action", sa.String(16), nullable=False),
            sa.Column("section", sa.Text, nullable=False),
            sa.Column("month", sa.String(7), nullable=False),
            sa.Column("date", sa.Date),
            sa.Column("category", sa.Text, nullable=False),
            sa.Column("description", sa.Text),
            sa.Column("who", sa.Text, nullable=False),
            sa.Column("at", sa.DateTime, nullable=False),
            sa.Column("why", sa.Text, nullable=False),
            sa.Column("undone_at", sa.DateTime),
            sa.Column("undone_by", sa.Text),
        ],
        "settings": [
            sa.Column("key", sa.String(32), primary_key=True),
            sa.Column("name", sa.Text),
            sa.Column("data", sa.LargeBinary),
            sa.Column("value", sa.Text),
            sa.Column("updated_at", sa.DateTime),
            sa.Column("updated_by", sa.Text),
        ],
        "setting_files": [
            sa.Column("id", sa.Integer, primary_key=True),
            sa.Column("key", sa.String(32), nullable=False),
            sa.Column("name", sa.Text, nullable=False),
            sa.Column("data", sa.LargeBinary, nullable=False),
            sa.Column("extra", sa.Text),
            sa.Column("at", sa.DateTime, nullable=False),
            sa.Column("who", sa.Text),
        ],
        "tasks": _record(sa.Column("area", sa.Text), sa.Column("task", sa.Text), sa.Column("planned", sa.Integer),
                         sa.Column("done", sa.Integer), sa.Column("deployed", sa.Boolean), sa.Column("note", sa.Text)),
        "inspections": _record(sa.Column("date", sa.Date), sa.Column("place", sa.Text),
                               *[sa.Column(item, sa.SmallInteger) for item in NINE_ITEMS],
                               sa.Column("inspector", sa.Text), sa.Column("remark", sa.Text)),
        "events": _record(sa.Column("date", sa.Date), sa.Column("category", sa.Text), sa.Column("description", sa.Text),
                          sa.Column("status", sa.Text), sa.Column("handling", sa.Text)),
        "bonus": _record(sa.Column("date", sa.Date), sa.Column("category", sa.Text), sa.Column("person", sa.Text),
                         sa.Column("note", sa.Text)),
    }


def _sample() -> sa.Column:
    return sa.Column("sample", sa.Boolean, nullable=False, server_default=sa.false())  # brought by the bundled sample


def upgrade() -> None:
    bind = op.get_bind()
    inspector = sa.inspect(bind)
    present = set(inspector.get_table_names())
    for name, columns in _tables().items():
        if name not in present:
            op.create_table(name, *columns)
            if name in RECORD_TABLES:
                op.create_index(f"ix_{name}_version_id", name, ["version_id"])
    if "versions" not in present:
        op.create_index("versions_current", "versions", ["state", "month"])
    if "files" in present and "sample" not in {column["name"] for column in inspector.get_columns("files")}:
        op.add_column("files", _sample())
        files = sa.table("files", sa.column("uploaded_by"), sa.column("sample"))
        bind.execute(files.update().where(files.c.uploaded_by == STORE_MESSAGES["legacy-sample-who"]).values(sample=True))
    if "versions_one_current" not in {index["name"] for index in sa.inspect(bind).get_indexes("versions")}:
        current = sa.text("state = 'current'")
        op.create_index("versions_one_current", "versions", ["section", "month"], unique=True,
                        sqlite_where=current, postgresql_where=current)
    _move_setting_files(bind)


def _move_setting_files(bind) -> None:
    """The roster and rules files of the releases that kept one of each in `settings`, into `setting_files`."""
    settings = sa.table("settings", *map(sa.column, ["key", "name", "data", "updated_at", "updated_by"]))
    setting_files = sa.table("setting_files", *map(sa.column, ["key", "name", "data", "at", "who"]))
    if bind.execute(sa.select(sa.func.count()).select_from(setting_files)).scalar():
        return
    for row in bind.execute(sa.select(settings).where(settings.c.key.in_(["roster", "rules"]),
                                                      settings.c.data.is_not(None))).all():
        bind.execute(setting_files.insert().values(key=row.key, name=row.name, data=row.data, who=row.updated_by,
                                                   at=row.updated_at or dt.datetime.now().replace(microsecond=0)))


def downgrade() -> None:
    for name in [*RECORD_TABLES, "versions", "files", "history", "decisions", "settings", "setting_files"]:
        op.drop_table(name)
