"""Queries on the services table."""

from __future__ import annotations

import functools
from typing import Any

import sqlalchemy as sa
from oslo_utils import timeutils
from sqlalchemy import exc as sa_exc

from minova import exception
from minova.db import api as db_api
from minova.db import common
from minova.db import models


def _live() -> sa.ColumnElement[bool]:
    return models.Service.deleted == 0


def get(db: db_api.Database, service_id: int) -> models.Service:
    if not common.id_in_range(service_id):
        raise exception.ServiceNotFound(service_id=service_id)
    with db.session() as session:
        row = session.scalar(sa.select(models.Service).where(
            models.Service.id == service_id, _live()))
    if row is None:
        raise exception.ServiceNotFound(service_id=service_id)
    return row


def get_by_uuid(db: db_api.Database, service_uuid: str) -> models.Service:
    with db.session() as session:
        row = session.scalar(sa.select(models.Service).where(
            models.Service.uuid == service_uuid, _live()))
    if row is None:
        raise exception.ServiceNotFound(service_id=service_uuid)
    return row


def get_by_host_and_binary(db: db_api.Database, host: str,
                           binary: str) -> models.Service:
    with db.session() as session:
        row = session.scalar(sa.select(models.Service).where(
            models.Service.host == host, models.Service.binary == binary,
            _live()))
    if row is None:
        raise exception.HostBinaryNotFound(host=host, binary=binary)
    return row


def get_all(db: db_api.Database, *, host: str | None = None,
            binary: str | None = None,
            topic: str | None = None) -> list[sa.Row]:
    """Live services by id, as rows (``db.reader()``)."""
    filters = {name: value for name, value in
               (("host", host), ("binary", binary), ("topic", topic))
               if value is not None}
    with db.reader() as connection:
        return connection.execute(_list_query(frozenset(filters)),
                                  filters).all()


@functools.cache
def _list_query(filtered: frozenset[str]) -> sa.Select:
    """One statement per set of filters, built once: SQLAlchemy then
    reuses its cache key and compiled form (building and keying it took
    as long as running it)."""
    table = models.Service.__table__
    query = sa.select(table).where(table.c.deleted == 0)
    for name in sorted(filtered):
        query = query.where(table.c[name] == sa.bindparam(name))
    return query.order_by(table.c.id)


def create(db: db_api.Database, values: dict[str, Any]) -> models.Service:
    """Insert a service row; ``ServiceExists`` if host+binary is taken.

    The unique constraint decides races: of two workers creating the same
    row at once, one insert fails here and that worker reads the winner's.
    """
    row = models.Service(**values)
    try:
        with db.session() as session:
            session.add(row)
    except sa_exc.IntegrityError as exc:
        raise exception.ServiceExists(host=values.get("host"),
                                      binary=values.get("binary")) from exc
    return row


def update(db: db_api.Database, service_id: int,
           values: dict[str, Any]) -> models.Service:
    if not common.id_in_range(service_id):
        raise exception.ServiceNotFound(service_id=service_id)
    with db.session() as session:
        row = session.scalar(sa.select(models.Service).where(
            models.Service.id == service_id, _live()))
        if row is None:
            raise exception.ServiceNotFound(service_id=service_id)
        for key, value in values.items():
            setattr(row, key, value)
    return row


def heartbeat(db: db_api.Database, service_id: int) -> models.Service:
    """Count one report; done in SQL so concurrent reporters never lose one."""
    now = timeutils.utcnow()
    with db.session() as session:
        result = session.execute(
            sa.update(models.Service)
            .where(models.Service.id == service_id, _live())
            .values(report_count=models.Service.report_count + 1,
                    updated_at=now, last_seen_up=now))
        if result.rowcount == 0:
            raise exception.ServiceNotFound(service_id=service_id)
    return get(db, service_id)


def heartbeat_many(db: db_api.Database, service_ids: list[int]) -> int:
    """Count one report for each of ``service_ids`` in one statement (the
    conductor's batched heartbeats); how many live rows it touched."""
    ids = sorted({sid for sid in service_ids if common.id_in_range(sid)})
    if not ids:
        return 0
    now = timeutils.utcnow()
    with db.writer() as connection:
        result = connection.execute(
            sa.update(models.Service)
            .where(models.Service.id.in_(ids), _live())
            .values(report_count=models.Service.report_count + 1,
                    updated_at=now, last_seen_up=now))
    return result.rowcount


def destroy(db: db_api.Database, service_id: int) -> None:
    if not common.id_in_range(service_id):
        raise exception.ServiceNotFound(service_id=service_id)
    now = timeutils.utcnow()
    with db.session() as session:
        result = session.execute(
            sa.update(models.Service)
            .where(models.Service.id == service_id, _live())
            .values(deleted=models.Service.id, deleted_at=now))
        if result.rowcount == 0:
            raise exception.ServiceNotFound(service_id=service_id)
