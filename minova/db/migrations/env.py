"""Alembic environment: always run by ``minova.db.migration`` with a
connection handed in through ``config.attributes``."""

from alembic import context

from minova.db import models

config = context.config
connection = config.attributes["connection"]
context.configure(connection=connection,
                  target_metadata=models.Base.metadata,
                  render_as_batch=True,
                  compare_type=True)
with context.begin_transaction():
    context.run_migrations()
