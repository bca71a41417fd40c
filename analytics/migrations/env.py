"""Alembic's environment: the migrations run on the connection the caller hands over (analytics/migrate.py: inside the
store's write transaction), or in a transaction of their own on an engine (pytest-alembic's, in the tests). The models
are only compared with (autogenerate), never migrated from: each migration holds its own frozen tables."""
import sqlalchemy as sa
from alembic import context

from analytics.schema import metadata


def run(connection) -> None:
    context.configure(connection=connection, target_metadata=metadata)
    with context.begin_transaction():
        context.run_migrations()


given = context.config.attributes["connection"]
if isinstance(given, sa.Engine):
    with given.begin() as connection:
        run(connection)
else:
    run(given)
