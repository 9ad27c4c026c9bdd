"""Queries on the compute_nodes table."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy import exc as sa_exc

from minova import exception
from minova.db import api as db_api
from minova.db import common
from minova.db import models

_LIVE = models.ComputeNode.deleted == 0


def get(db: db_api.Database, node_id: int) -> models.ComputeNode:
    if not common.id_in_range(node_id):
        raise exception.ComputeNodeNotFound(node_id=node_id)
    with db.session() as session:
        row = session.scalar(sa.select(models.ComputeNode).where(
            models.ComputeNode.id == node_id, _LIVE))
    if row is None:
        raise exception.ComputeNodeNotFound(node_id=node_id)
    return row


def get_by_uuid(db: db_api.Database,
                node_uuid: str) -> models.ComputeNode:
    with db.session() as session:
        row = session.scalar(sa.select(models.ComputeNode).where(
            models.ComputeNode.uuid == node_uuid, _LIVE))
    if row is None:
        raise exception.ComputeNodeNotFound(node_id=node_uuid)
    return row


def get_by_host_and_nodename(db: db_api.Database, host: str,
                             nodename: str) -> models.ComputeNode:
    with db.session() as session:
        row = session.scalar(sa.select(models.ComputeNode).where(
            models.ComputeNode.host == host,
            models.ComputeNode.hypervisor_hostname == nodename, _LIVE))
    if row is None:
        raise exception.ComputeHostNotFound(host=host)
    return row


def get_all(db: db_api.Database,
            host: str | None = None) -> list[models.ComputeNode]:
    query = sa.select(models.ComputeNode).where(_LIVE)
    if host is not None:
        query = query.where(models.ComputeNode.host == host)
    with db.session() as session:
        return list(session.scalars(query.order_by(models.ComputeNode.id)))


def create(db: db_api.Database,
           values: dict[str, Any]) -> models.ComputeNode:
    row = models.ComputeNode(**values)
    try:
        with db.session() as session:
            session.add(row)
    except sa_exc.IntegrityError as exc:
        raise exception.ComputeNodeExists(
            host=values.get("host"),
            node=values.get("hypervisor_hostname")) from exc
    return row


def update(db: db_api.Database, node_id: int,
           values: dict[str, Any]) -> models.ComputeNode:
    if not common.id_in_range(node_id):
        raise exception.ComputeNodeNotFound(node_id=node_id)
    with db.session() as session:
        row = session.scalar(sa.select(models.ComputeNode).where(
            models.ComputeNode.id == node_id, _LIVE))
        if row is None:
            raise exception.ComputeNodeNotFound(node_id=node_id)
        for key, value in values.items():
            setattr(row, key, value)
    return row


def destroy(db: db_api.Database, node_id: int) -> None:
    if not common.id_in_range(node_id):
        raise exception.ComputeNodeNotFound(node_id=node_id)
    with db.session() as session:
        row = session.scalar(sa.select(models.ComputeNode).where(
            models.ComputeNode.id == node_id, _LIVE))
        if row is None:
            raise exception.ComputeNodeNotFound(node_id=node_id)
        for key, value in common.soft_delete_values(row).items():
            setattr(row, key, value)
