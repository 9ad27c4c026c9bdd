"""Queries on instance_groups and instance_group_member (server groups).

A group's members are the live servers among its member rows: a deleted
server stops counting (for the quota, the scheduler and the views) without
its row having to be removed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa

from minova import exception
from minova.db import api as db_api
from minova.db import models
from minova.db import quotas as db_quotas

_GROUP = models.InstanceGroup
_MEMBER = models.InstanceGroupMember
_INSTANCE = models.Instance


def _live_members(group_ids: Any) -> sa.Select:
    return (sa.select(_MEMBER.group_id, _MEMBER.instance_uuid,
                      _INSTANCE.host)
            .join(_INSTANCE, _INSTANCE.uuid == _MEMBER.instance_uuid)
            .where(_MEMBER.group_id.in_(group_ids), _INSTANCE.deleted == 0)
            .order_by(_MEMBER.id))


def count(connection: sa.Connection, project_id: str) -> int:
    return connection.execute(
        sa.select(sa.func.count()).select_from(_GROUP)
        .where(_GROUP.project_id == project_id)).scalar_one()


def create(db: db_api.Database, values: dict[str, Any],
           check: Callable[[int], None]) -> sa.Row:
    """Insert the group after ``check(groups the project has)`` passed,
    in the transaction that locked the project's quota row, so that
    racing creates cannot together exceed the quota."""
    project_id = values["project_id"]
    for _attempt in range(2):
        with db.writer() as connection:
            if db_quotas.lock_project(connection, project_id):
                check(count(connection, project_id))
                connection.execute(sa.insert(_GROUP), values)
                return connection.execute(sa.select(_GROUP).where(
                    _GROUP.uuid == values["uuid"])).one()
        db_quotas.ensure_lock_row(db, project_id)
    raise RuntimeError("the quota row of project %s vanished" % project_id)


def get_by_uuid(db: db_api.Database, uuid: str) -> sa.Row:
    with db.reader() as connection:
        row = connection.execute(sa.select(_GROUP).where(
            _GROUP.uuid == uuid)).first()
    if row is None:
        raise exception.InstanceGroupNotFound(group_uuid=uuid)
    return row


def get_all(db: db_api.Database, project_id: str | None, *,
            limit: int | None = None, offset: int = 0) -> list[sa.Row]:
    query = sa.select(_GROUP).order_by(_GROUP.id)
    if project_id is not None:
        query = query.where(_GROUP.project_id == project_id)
    query = query.offset(offset)
    if limit is not None:
        query = query.limit(limit)
    with db.reader() as connection:
        return list(connection.execute(query))


def members(db: db_api.Database,
            group_ids: list[int]) -> dict[int, list[tuple[str, Any]]]:
    """``{group id: [(instance uuid, host), ...]}`` of live members."""
    result: dict[int, list[tuple[str, Any]]] = {gid: [] for gid in
                                                 group_ids}
    if not group_ids:
        return result
    with db.reader() as connection:
        for row in connection.execute(_live_members(group_ids)):
            result[row.group_id].append((row.instance_uuid, row.host))
    return result


def add_members(db: db_api.Database, group_id: int,
                instance_uuids: list[str],
                check: Callable[[int], None]) -> None:
    """Add the servers after ``check(live members already in it)``."""
    with db.writer() as connection:
        # Lock the group's row so that two boots into it count in turn.
        connection.execute(sa.update(_GROUP).where(_GROUP.id == group_id)
                           .values(updated_at=sa.func.now()))
        present = connection.execute(sa.select(sa.func.count()).select_from(
            _live_members([group_id]).subquery())).scalar_one()
        check(present)
        connection.execute(sa.insert(_MEMBER), [
            {"group_id": group_id, "instance_uuid": uuid}
            for uuid in instance_uuids])


def groups_of(db: db_api.Database, instance_uuid: str) -> list[str]:
    """The uuids of the groups the server is in."""
    return groups_of_many(db, [instance_uuid])[instance_uuid]


def groups_of_many(db: db_api.Database,
                   instance_uuids: list[str]) -> dict[str, list[str]]:
    """``{instance uuid: [group uuid, ...]}`` in one query (a server
    joins at most one group, at boot), for list views."""
    with db.reader() as connection:
        return groups_of_many_on(connection, instance_uuids)


def groups_of_many_on(connection: sa.Connection,
                      instance_uuids: list[str]) -> dict[str, list[str]]:
    """``groups_of_many`` on the caller's connection (a server list
    reads its page with one: docs/performance.md, "Server lists")."""
    found: dict[str, list[str]] = {uuid: [] for uuid in instance_uuids}
    if not instance_uuids:
        return found
    rows = connection.execute(
        sa.select(_MEMBER.instance_uuid, _GROUP.uuid)
        .join(_GROUP, _MEMBER.group_id == _GROUP.id)
        .where(_MEMBER.instance_uuid.in_(instance_uuids))
        .order_by(_MEMBER.id))
    for instance_uuid, group_uuid in rows:
        found[instance_uuid].append(group_uuid)
    return found


def delete(db: db_api.Database, uuid: str) -> None:
    with db.writer() as connection:
        group_id = connection.execute(sa.select(_GROUP.id).where(
            _GROUP.uuid == uuid)).scalar()
        if group_id is None:
            raise exception.InstanceGroupNotFound(group_uuid=uuid)
        connection.execute(sa.delete(_MEMBER).where(
            _MEMBER.group_id == group_id))
        connection.execute(sa.delete(_GROUP).where(_GROUP.id == group_id))
