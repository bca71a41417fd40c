"""Alembic's environment: the migrations run on the connection the caller hands over (analytics/migrate.py, or
pytest-alembic in the tests), inside the caller's transaction. The models are only compared with, never migrated
from: each migration holds its own frozen tables."""
from alembic import context

from analytics.schema import metadata

context.configure(connection=context.config.attributes["connection"], target_metadata=metadata)
with context.begin_transaction():
    context.run_migrations()
