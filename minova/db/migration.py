"""Schema migrations: ``minova-manage db sync`` and first-start creation.

Alembic is driven from code (no alembic.ini to find at run time): the
script directory is this package's ``migrations`` folder.

Alembic is imported only when a migration has to run. Importing it (with
Mako, Pygments and its dialect modules) costs about 0.3 s of CPU, a sixth
of ``minova-all``'s start budget, so ``ensure_schema``, what a first start
calls, never needs it: a database already at ``HEAD`` is recognised by
reading alembic's version table with SQLAlchemy, and an empty one is
created from the models and stamped. tests/unit/test_migrations.py checks
that this gives the schema and the rows that running every migration from
nothing gives, and that ``HEAD`` is the newest migration.
"""

from __future__ import annotations

import os
from typing import Any

import sqlalchemy as sa

from minova.db import api as db_api
from minova.db import models

_SCRIPTS = os.path.join(os.path.dirname(__file__), "migrations")

# The newest revision under migrations/versions.
HEAD = "0011"

# Rows the migrations insert, which creating from the models must insert
# too (0004 seeds the identity change counter so that bumping it is an
# UPDATE).
SEED_ROWS: dict[str, list[dict[str, Any]]] = {
    "identity_generation": [{"id": 1, "generation": 0}],
}

# Alembic's own bookkeeping table, as ``alembic stamp`` creates it.
_VERSION_TABLE = sa.Table(
    "alembic_version", sa.MetaData(),
    sa.Column("version_num", sa.String(32), nullable=False),
    sa.PrimaryKeyConstraint("version_num", name="alembic_version_pkc"))


def _config(connection: sa.Connection | None = None) -> Any:
    from alembic import config as alembic_config

    cfg = alembic_config.Config()
    cfg.set_main_option("script_location", _SCRIPTS)
    cfg.attributes["connection"] = connection
    return cfg


def db_sync(db: db_api.Database, revision: str = "head") -> str | None:
    """Upgrade the schema to ``revision`` by running the migrations;
    running it again does nothing.

    Returns the revision the database is at afterwards.
    """
    from alembic import command

    with db.engine.begin() as connection:
        command.upgrade(_config(connection), revision)
    return db_version(db)


def ensure_schema(db: db_api.Database) -> str | None:
    """Bring the database to ``HEAD`` the cheapest way: nothing if it is
    there, the models' tables if it is empty, else the migrations."""
    current = db_version(db)
    if current == HEAD:
        return current
    if current is None and not sa.inspect(db.engine).get_table_names():
        create_schema(db)
        return HEAD
    return db_sync(db)


def create_schema(db: db_api.Database) -> None:
    """Create an empty database at ``HEAD`` from the models. One
    transaction on SQLite and PostgreSQL; on MySQL and MariaDB each
    CREATE commits by itself, so a start killed midway leaves tables and
    no version: the next start then runs the migrations, which stop at
    the first table that exists (empty the database, or drop it, and
    start again)."""
    with db.engine.begin() as connection:
        models.Base.metadata.create_all(connection)
        for name, rows in SEED_ROWS.items():
            connection.execute(models.Base.metadata.tables[name].insert(),
                               rows)
        _VERSION_TABLE.create(connection)
        connection.execute(_VERSION_TABLE.insert(), {"version_num": HEAD})


def db_version(db: db_api.Database) -> str | None:
    """The revision the database is at, or None for an empty database."""
    with db.engine.connect() as connection:
        if not sa.inspect(connection).has_table("alembic_version"):
            return None
        return connection.execute(
            sa.select(_VERSION_TABLE.c.version_num)).scalar()


def head_version() -> str | None:
    """The newest revision, read from the migration scripts."""
    from alembic import script

    return script.ScriptDirectory.from_config(_config()).get_current_head()
