"""Queries on the quota tables, and the server create that counts usage.

A create must not let two racing requests of one project together go
over its quota, so the count and the inserts share one transaction that
first locks the project's ``quota_locks`` row with an UPDATE: on
MariaDB and PostgreSQL a row lock held to the commit, on SQLite the
database's write lock (taken by the first write, so the count after it
sees every commit). Racing creates of the project queue on that row;
other projects' creates do not.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from oslo_utils import timeutils

from minova.db import api as db_api
from minova.db import instance_actions as db_actions
from minova.db import instances as db_instances
from minova.db import models

_QUOTA = models.Quota.__table__
_CLASS = models.QuotaClass.__table__
_LOCKS = models.QuotaLock.__table__
_INSTANCES = models.Instance.__table__

# A class's limits and a project's, in one statement: the create path
# reads both for every request.
_LIMITS = sa.union_all(
    sa.select(sa.literal("class", sa.String).label("level"),
              _CLASS.c.resource, _CLASS.c.hard_limit).where(
        _CLASS.c.class_name == sa.bindparam("class_name")),
    sa.select(sa.literal("project", sa.String).label("level"),
              _QUOTA.c.resource, _QUOTA.c.hard_limit).where(
        _QUOTA.c.project_id == sa.bindparam("project_id")))

_LOCK = (sa.update(_LOCKS)
         .where(_LOCKS.c.project_id == sa.bindparam("match_project"))
         .values(updated_at=sa.bindparam("now")))

# Served by the (project_id, deleted) index.
_USAGE = sa.select(
    sa.func.count(_INSTANCES.c.id),
    sa.func.coalesce(sa.func.sum(_INSTANCES.c.vcpus), 0),
    sa.func.coalesce(sa.func.sum(_INSTANCES.c.memory_mb), 0),
).where(_INSTANCES.c.project_id == sa.bindparam("project_id"),
        _INSTANCES.c.deleted == 0)


def get_limits(db: db_api.Database, class_name: str,
               project_id: str | None) -> tuple[dict, dict]:
    """(the class's limits, the project's own limits) as stored."""
    with db.reader() as connection:
        rows = connection.execute(_LIMITS, {"class_name": class_name,
                                            "project_id": project_id})
        found: dict[str, dict] = {"class": {}, "project": {}}
        for level, resource, hard_limit in rows:
            found[level][resource] = hard_limit
    return found["class"], found["project"]


def set_project_limits(db: db_api.Database, project_id: str,
                       limits: dict[str, int]) -> None:
    _upsert(db, models.Quota, "project_id", project_id, limits)


def set_class_limits(db: db_api.Database, class_name: str,
                     limits: dict[str, int]) -> None:
    _upsert(db, models.QuotaClass, "class_name", class_name, limits)


def _upsert(db: db_api.Database, model: Any, owner_column: str,
            owner: str, limits: dict[str, int]) -> None:
    # Two admins setting the same new limit at once: the loser's insert
    # breaks the unique constraint, and its second try updates instead.
    for attempt in range(2):
        try:
            with db.session() as session:
                owner_attr = getattr(model, owner_column)
                rows = {row.resource: row for row in session.scalars(
                    sa.select(model).where(owner_attr == owner,
                                           model.resource.in_(limits)))}
                for resource, hard_limit in limits.items():
                    if resource in rows:
                        rows[resource].hard_limit = hard_limit
                    else:
                        session.add(model(**{owner_column: owner},
                                          resource=resource,
                                          hard_limit=hard_limit))
            return
        except sa.exc.IntegrityError:
            if attempt:
                raise


def delete_project_limits(db: db_api.Database, project_id: str) -> None:
    with db.session() as session:
        session.execute(sa.delete(models.Quota).where(
            models.Quota.project_id == project_id))


def usage(connection: sa.Connection, project_id: str) -> dict[str, int]:
    """What the project's live servers hold."""
    count, cores, ram = connection.execute(
        _USAGE, {"project_id": project_id}).one()
    return {"instances": int(count), "cores": int(cores), "ram": int(ram)}


def get_usage(db: db_api.Database, project_id: str) -> dict[str, int]:
    with db.reader() as connection:
        return usage(connection, project_id)


def lock_project(connection: sa.Connection, project_id: str) -> bool:
    """Lock the project's quota row until the transaction ends; False if
    the project has none yet (``ensure_lock_row``)."""
    return connection.execute(_LOCK, {"match_project": project_id,
                                      "now": timeutils.utcnow()}
                              ).rowcount == 1


def ensure_lock_row(db: db_api.Database, project_id: str) -> None:
    """Make the project's quota row, unless a racing request just did."""
    try:
        with db.writer() as connection:
            connection.execute(sa.insert(_LOCKS), {
                "project_id": project_id, "updated_at": timeutils.utcnow()})
    except sa.exc.IntegrityError:
        pass


def create_instances(db: db_api.Database, project_id: str,
                     rows_for: Callable[[dict[str, int]], list[dict]],
                     action: dict[str, Any] | None = None
                     ) -> list[sa.Row]:
    """Insert ``rows_for(usage)`` (instances of ``project_id``) in the
    transaction that locked the project and counted its usage;
    ``rows_for`` raises to insert none. With ``action`` (an instance
    action's columns but its instance), that action is recorded for each
    instance in the same transaction: no server without its create
    action, and one commit fewer per boot. Returns the rows as stored."""
    for _attempt in range(2):
        with db.writer() as connection:
            if lock_project(connection, project_id):
                values = rows_for(usage(connection, project_id))
                rows = [db_instances.insert(connection, row_values)
                        for row_values in values]
                if action is not None:
                    db_actions.start_in(connection, [
                        dict(action, instance_uuid=row.uuid)
                        for row in rows])
                return rows
        # Outside that transaction: on SQLite it holds the one connection.
        ensure_lock_row(db, project_id)
    raise RuntimeError("the quota row of project %s vanished" % project_id)
