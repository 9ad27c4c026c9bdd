"""Queries on the instances table."""

from __future__ import annotations

import functools
from typing import Any

import sqlalchemy as sa
from oslo_utils import timeutils

from minova import exception
from minova.db import api as db_api
from minova.db import common
from minova.db import models
from minova.db import tags as db_tags

# Columns that are never NULL, so keyset paging over them is exact.
SORT_KEYS = ("created_at", "display_name", "uuid", "vm_state", "id")

_EXACT_FILTERS = ("project_id", "user_id", "host", "node", "uuid",
                  "availability_zone", "image_ref", "flavor_id",
                  "task_state")


def _query(filters: dict, read_deleted: str) -> sa.Select:
    # Core rows labelled like the model (``_ROW``): a list reads up to a
    # thousand of them and turns each into an object at once, where ORM
    # instances cost twice the SQL (docs/performance.md, "Server lists").
    query = _ROW.where(common.live(models.Instance, read_deleted))
    for key in _EXACT_FILTERS:
        if filters.get(key) is None:
            continue
        value = filters[key]
        column = getattr(models.Instance, key)
        query = query.where(column.in_(value) if isinstance(value, list)
                            else column == value)
    if filters.get("vm_state") is not None:
        states = filters["vm_state"]
        query = query.where(models.Instance.vm_state.in_(
            states if isinstance(states, list) else [states]))
    if filters.get("name"):
        # Nova matches a regular expression; a substring match is what
        # SQLite, MySQL and PostgreSQL all do alike.
        query = query.where(models.Instance.display_name.contains(
            filters["name"], autoescape=True))
    if filters.get("changes-since") is not None:
        query = query.where(models.Instance.updated_at
                            >= filters["changes-since"])
    for clause in db_tags.filters(models.Instance.uuid, filters):
        query = query.where(clause)
    if filters.get("locked") is not None:
        # NULL (rows from before migration 0007) is unlocked.
        locked = models.Instance.locked.is_(True)
        query = query.where(locked if filters["locked"] else
                            sa.or_(models.Instance.locked.is_(False),
                                   models.Instance.locked.is_(None)))
    if filters.get("changes-before") is not None:
        query = query.where(models.Instance.updated_at
                            <= filters["changes-before"])
    return query


def get_by_uuid(db: db_api.Database, uuid: str,
                read_deleted: str = "no") -> models.Instance:
    with db.session() as session:
        row = session.scalar(sa.select(models.Instance).where(
            models.Instance.uuid == uuid,
            common.live(models.Instance, read_deleted)))
    if row is None:
        raise exception.InstanceNotFound(instance_id=uuid)
    return row


def get_all_by_filters(db: db_api.Database, filters: dict, *,
                       sort_keys: list[str] | None = None,
                       sort_dirs: list[str] | None = None,
                       limit: int | None = None, marker: str | None = None,
                       read_deleted: str = "no") -> list[sa.Row]:
    with db.reader() as connection:
        return get_all_on(connection, filters, sort_keys=sort_keys,
                          sort_dirs=sort_dirs, limit=limit, marker=marker,
                          read_deleted=read_deleted)


def get_all_on(connection: sa.Connection, filters: dict, *,
               sort_keys: list[str] | None = None,
               sort_dirs: list[str] | None = None,
               limit: int | None = None, marker: str | None = None,
               read_deleted: str = "no") -> list[sa.Row]:
    """``get_all_by_filters`` on the caller's connection: the API's
    server list reads its page, the marker's row and what the views add
    (faults, tags, groups) with one, where a connection each cost a
    pre-ping and a rollback each (docs/performance.md, "Server
    lists")."""
    sort_keys = sort_keys or ["created_at"]
    sort_dirs = sort_dirs or ["desc"] * len(sort_keys)
    for key in sort_keys:
        if key not in SORT_KEYS:
            raise exception.InvalidSortKey(key=key)
    marker_row = None
    if marker is not None:
        marker_row = _marker_row(connection, marker,
                                 filters.get("project_id"))
    query = common.paginate(_query(filters, read_deleted), models.Instance,
                            sort_keys=sort_keys, sort_dirs=sort_dirs,
                            limit=limit, marker_row=marker_row)
    return list(connection.execute(query))


def _marker_row(connection: sa.Connection, marker: str,
                project_id: str | list | None) -> sa.Row:
    """The marker's row, deleted or not (a page may end on a server
    deleted since), but only within the projects listed: a server of
    another project is ``InvalidMarker`` exactly like an unknown id, or
    the answer would tell that it exists."""
    query = _ROW.where(_TABLE.c.uuid == marker)
    if project_id is not None:
        column = _TABLE.c.project_id
        query = query.where(column.in_(project_id)
                            if isinstance(project_id, list)
                            else column == project_id)
    row = connection.execute(query).first()
    if row is None:
        raise exception.InvalidMarker(marker=marker)
    return row


# Creating and saving instances is every boot's hot path. Those two run
# on a Core connection (``db.writer()``) and return Core rows labelled
# with the model's attribute names (``meta``, not ``metadata``), which
# read like the ORM instances the other queries return: a session and an
# ORM instance cost twice the SQL. Their statements are built once, with
# bound parameters, as building them per call cost more than running them.
_TABLE = models.Instance.__table__
_LABELLED = [column.label(attr)
             for attr, column in sa.inspect(models.Instance).columns.items()]
_ROW = sa.select(*_LABELLED)
_GET_LIVE = _ROW.where(_TABLE.c.uuid == sa.bindparam("match_uuid"),
                       _TABLE.c.deleted == 0)
_GET_BY_ID = _ROW.where(_TABLE.c.id == sa.bindparam("match_id"))
# Why an UPDATE matched nothing: a locking read sees the latest committed
# row, where a plain one in MariaDB's REPEATABLE READ would see the
# snapshot of the transaction's first read (the conductor reads the
# action before the save) and miss a delete since.
_GET_LIVE_LATEST = _GET_LIVE.with_for_update()
# Where the database can, the INSERT (SQLite, PostgreSQL, MariaDB) and
# the UPDATE (SQLite, PostgreSQL) return the row as written themselves
# (RETURNING): one statement per boot's write instead of the write and a
# SELECT.
_INSERT = sa.insert(_TABLE)
_INSERT_RETURNING = _INSERT.returning(*_LABELLED)


def create(db: db_api.Database, values: dict[str, Any]) -> sa.Row:
    """Insert an instance; returns its row as stored."""
    with db.writer() as connection:
        return insert(connection, values)


def insert(connection: sa.Connection, values: dict[str, Any]) -> sa.Row:
    """Insert an instance in the caller's transaction; its row as
    stored."""
    if connection.dialect.insert_returning:
        return connection.execute(_INSERT_RETURNING, _columns(values)).one()
    result = connection.execute(_INSERT, _columns(values))
    return connection.execute(
        _GET_BY_ID, {"match_id": result.inserted_primary_key[0]}).one()


def update(db: db_api.Database, uuid: str, values: dict[str, Any],
           expected_task_state: list | None = None) -> sa.Row:
    """Update a live instance and return its row as written; with
    ``expected_task_state``, only if its task_state is one of those
    (compare-and-swap, so two actions racing on one instance cannot both
    win)."""
    values = _columns(dict(values, updated_at=timeutils.utcnow()))
    expected = (None if expected_task_state is None
                else tuple(expected_task_state))
    params = {"v_" + name: value for name, value in values.items()}
    params["match_uuid"] = uuid
    with db.writer() as connection:
        returning = connection.dialect.update_returning
        query = _update_statement(tuple(sorted(values)), expected,
                                  returning)
        result = connection.execute(query, params)
        if returning:
            row = result.first()
        elif result.rowcount:
            # Read back in the same transaction: the row as this update
            # left it.
            row = connection.execute(_GET_LIVE, {"match_uuid": uuid}).one()
        else:
            row = None
        if row is None:
            # Why not, from the same connection (a second one would wait
            # for this one's in a one-connection pool).
            actual = connection.execute(_GET_LIVE_LATEST,
                                        {"match_uuid": uuid}).first()
    if row is None:
        if actual is None:
            raise exception.InstanceNotFound(instance_id=uuid)
        raise exception.UnexpectedTaskStateError(
            instance_uuid=uuid, expected=expected_task_state,
            actual=actual.task_state)
    return row


@functools.lru_cache(maxsize=256)
def _update_statement(columns: tuple[str, ...], expected: tuple | None,
                      returning: bool = False) -> sa.Update:
    """UPDATE of ``columns`` (bound as ``v_<column>``) of the live row
    whose uuid is ``match_uuid``, and only from the ``expected`` task
    states if given; with ``returning``, the row as written comes back."""
    query = sa.update(_TABLE).where(
        _TABLE.c.uuid == sa.bindparam("match_uuid"), _TABLE.c.deleted == 0)
    if expected is not None:
        # Equalities rather than IN: an IN list is re-rendered into the
        # SQL on every execution.
        query = query.where(sa.or_(
            sa.false(),
            *[_TABLE.c.task_state.is_(None) if state is None
              else _TABLE.c.task_state == state for state in expected]))
    query = query.values({name: sa.bindparam("v_" + name)
                          for name in columns})
    return query.returning(*_LABELLED) if returning else query


_COLUMN_OF = {attr: prop.columns[0].key for attr, prop
              in sa.inspect(models.Instance).column_attrs.items()}


def _columns(values: dict[str, Any]) -> dict[str, Any]:
    """Attribute names to column names (``meta`` is ``metadata``), and
    ``fixed_ip`` along with any ``network_info``: written in the same
    statement, the index never disagrees with the addresses."""
    columns = {_COLUMN_OF[key]: value for key, value in values.items()}
    if "network_info" in columns:
        columns["fixed_ip"] = fixed_ip(columns["network_info"])
    return columns


def fixed_ip(network_info: list | None) -> str | None:
    """The address the metadata API knows an instance by: the first
    fixed one of its network_info (the fake driver gives one)."""
    for vif in network_info or []:
        if isinstance(vif, dict) and vif.get("address") and \
                vif.get("type", "fixed") == "fixed":
            return str(vif["address"])[:39]
    return None


_BY_FIXED_IP = _ROW.where(_TABLE.c.fixed_ip == sa.bindparam("address"),
                          _TABLE.c.deleted == 0).order_by(
    _TABLE.c.id.desc()).limit(1)


def get_by_fixed_ip(db: db_api.Database, address: str) -> sa.Row:
    """The live instance with this fixed IP (the newest, should two
    share it): one index look-up on ``instances_fixed_ip_deleted_idx``,
    whatever the number of instances. ``InstanceNotFound`` if none."""
    if len(address) > _FIXED_IP_LENGTH:
        raise exception.InstanceNotFound(instance_id=address)
    with db.reader() as connection:
        row = connection.execute(_BY_FIXED_IP, {"address": address}).first()
    if row is None:
        raise exception.InstanceNotFound(instance_id=address)
    return row


_FIXED_IP_LENGTH = _TABLE.c.fixed_ip.type.length


def destroy(db: db_api.Database, uuid: str) -> models.Instance:
    """Soft-delete: the row stays, invisible to normal reads."""
    now = timeutils.utcnow()
    with db.session() as session:
        row = session.scalar(sa.select(models.Instance).where(
            models.Instance.uuid == uuid, models.Instance.deleted == 0))
        if row is None:
            raise exception.InstanceNotFound(instance_id=uuid)
        row.deleted = row.id
        row.deleted_at = now
        # Out of the address index too (look-ups skip deleted rows anyway).
        row.fixed_ip = None
        row.terminated_at = row.terminated_at or now
        # A deleted server's tags go with it, as in Nova.
        session.execute(sa.delete(models.Tag).where(
            models.Tag.resource_id == uuid))
    return row
