"""Queries on the migrations table (resizes)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from oslo_utils import timeutils

from minova import exception
from minova.db import api as db_api
from minova.db import models

_MIGRATION = models.Migration

# Resizes under way: some host holds the flavor the instance has not.
IN_PROGRESS = ("pre-migrating", "migrating", "finished", "reverting",
               "confirming")


def create(db: db_api.Database, values: dict[str, Any]) -> sa.Row:
    with db.writer() as connection:
        result = connection.execute(sa.insert(_MIGRATION), values)
        return connection.execute(sa.select(_MIGRATION).where(
            _MIGRATION.id == result.inserted_primary_key[0])).one()


def get(db: db_api.Database, migration_id: int) -> sa.Row:
    with db.reader() as connection:
        row = connection.execute(sa.select(_MIGRATION).where(
            _MIGRATION.id == migration_id)).first()
    if row is None:
        raise exception.MigrationNotFound(migration_id=migration_id)
    return row


def update(db: db_api.Database, migration_id: int,
           values: dict[str, Any]) -> sa.Row:
    with db.writer() as connection:
        connection.execute(
            sa.update(_MIGRATION).where(_MIGRATION.id == migration_id)
            .values(dict(values, updated_at=timeutils.utcnow())))
        return connection.execute(sa.select(_MIGRATION).where(
            _MIGRATION.id == migration_id)).one()


def get_by_instance_and_status(db: db_api.Database, instance_uuid: str,
                               status: str) -> sa.Row:
    with db.reader() as connection:
        row = connection.execute(
            sa.select(_MIGRATION).where(
                _MIGRATION.instance_uuid == instance_uuid,
                _MIGRATION.status == status)
            .order_by(_MIGRATION.id.desc()).limit(1)).first()
    if row is None:
        raise exception.MigrationNotFoundByStatus(
            instance_id=instance_uuid, status=status)
    return row


def get_in_progress_by_host(db: db_api.Database,
                            host: str) -> list[sa.Row]:
    with db.reader() as connection:
        return list(connection.execute(
            sa.select(_MIGRATION).where(
                _MIGRATION.status.in_(IN_PROGRESS),
                sa.or_(_MIGRATION.source_compute == host,
                       _MIGRATION.dest_compute == host))))
