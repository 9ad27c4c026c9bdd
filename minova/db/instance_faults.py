"""Queries on the instance_faults table."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from minova.db import api as db_api
from minova.db import models


def create(db: db_api.Database,
           values: dict[str, Any]) -> models.InstanceFault:
    row = models.InstanceFault(**values)
    with db.session() as session:
        session.add(row)
    return row


def get_latest_by_instance_uuids(db: db_api.Database,
                                 uuids: list[str]) -> dict[str, sa.Row]:
    """The newest fault of each instance that has one."""
    with db.reader() as connection:
        return latest_on(connection, uuids)


_FAULTS = models.InstanceFault.__table__


def latest_on(connection: sa.Connection,
              uuids: list[str]) -> dict[str, sa.Row]:
    """``get_latest_by_instance_uuids`` on the caller's connection (a
    server list reads its page with one: docs/performance.md, "Server
    lists")."""
    if not uuids:
        return {}
    latest: dict[str, sa.Row] = {}
    for row in connection.execute(
            sa.select(_FAULTS).where(_FAULTS.c.instance_uuid.in_(uuids))
            .order_by(_FAULTS.c.id.desc())):
        latest.setdefault(row.instance_uuid, row)
    return latest
