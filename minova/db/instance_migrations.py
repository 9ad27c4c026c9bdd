"""Queries on the migrations table (resizes)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from oslo_utils import timeutils
from oslo_utils import uuidutils

from minova import exception
from minova.db import api as db_api
from minova.db import models

_MIGRATION = models.Migration

# Resizes under way: some host holds the flavor the instance has not.
IN_PROGRESS = ("pre-migrating", "migrating", "finished", "reverting",
               "confirming")


def create(db: db_api.Database, values: dict[str, Any]) -> sa.Row:
    values = dict(values)
    if not values.get("uuid"):
        values["uuid"] = uuidutils.generate_uuid()
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


# GET /os-migrations ---------------------------------------------------------

# Filters that match a column exactly.
_EXACT = ("instance_uuid", "status", "migration_type", "user_id",
          "project_id")


def _filtered(filters: dict[str, Any]) -> sa.Select:
    query = sa.select(_MIGRATION)
    for name in _EXACT:
        if filters.get(name) is not None:
            query = query.where(getattr(_MIGRATION, name) == filters[name])
    if filters.get("host") is not None:
        query = query.where(sa.or_(
            _MIGRATION.source_compute == filters["host"],
            _MIGRATION.dest_compute == filters["host"]))
    elif filters.get("source_compute") is not None:
        query = query.where(
            _MIGRATION.source_compute == filters["source_compute"])
    changed = sa.func.coalesce(_MIGRATION.updated_at, _MIGRATION.created_at)
    if filters.get("changes-since") is not None:
        query = query.where(changed >= filters["changes-since"])
    if filters.get("changes-before") is not None:
        query = query.where(changed <= filters["changes-before"])
    return query


def get_all(db: db_api.Database, filters: dict[str, Any], *,
            paged: bool = False, limit: int | None = None,
            marker: str | None = None) -> list[sa.Row]:
    """Migrations matching ``filters``. ``paged`` (Nova's 2.59): newest
    first (created_at, then id), at most ``limit``, after the migration
    whose uuid is ``marker`` (``InvalidMarker`` if there is none); else
    in the order they were made."""
    query = _filtered(filters)
    with db.reader() as connection:
        if not paged:
            return list(connection.execute(query.order_by(_MIGRATION.id)))
        if marker is not None:
            after = connection.execute(sa.select(_MIGRATION).where(
                _MIGRATION.uuid == marker)).first()
            if after is None:
                raise exception.InvalidMarker(marker=marker)
            query = query.where(sa.or_(
                _MIGRATION.created_at < after.created_at,
                sa.and_(_MIGRATION.created_at == after.created_at,
                        _MIGRATION.id < after.id)))
        query = query.order_by(_MIGRATION.created_at.desc(),
                               _MIGRATION.id.desc())
        if limit is not None:
            query = query.limit(limit)
        return list(connection.execute(query))
