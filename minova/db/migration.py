"""Schema migrations: ``minova-manage db sync`` and first-start creation.

Alembic is driven from code (no alembic.ini to find at run time): the
script directory is this package's ``migrations`` folder.
"""

from __future__ import annotations

import os

import sqlalchemy as sa
from alembic import command
from alembic import config as alembic_config
from alembic import migration
from alembic import script

from minova.db import api as db_api

_SCRIPTS = os.path.join(os.path.dirname(__file__), "migrations")


def _config(connection: sa.Connection | None = None) -> alembic_config.Config:
    cfg = alembic_config.Config()
    cfg.set_main_option("script_location", _SCRIPTS)
    cfg.attributes["connection"] = connection
    return cfg


def db_sync(db: db_api.Database, revision: str = "head") -> str | None:
    """Upgrade the schema to ``revision``; running it again does nothing.

    Returns the revision the database is at afterwards.
    """
    with db.engine.begin() as connection:
        command.upgrade(_config(connection), revision)
    return db_version(db)


def db_version(db: db_api.Database) -> str | None:
    """The revision the database is at, or None for an empty database."""
    with db.engine.connect() as connection:
        return migration.MigrationContext.configure(
            connection).get_current_revision()


def head_version() -> str | None:
    return script.ScriptDirectory.from_config(_config()).get_current_head()
