"""Queries on instance_actions and instance_actions_events.

An action is one request on a server (by its request id); its events are
the steps the services ran for it. As in Nova, an event's end updates its
action (``updated_at``, and ``message`` "Error" when the step failed), so
that ``changes-since`` on the list sees actions still making progress.
"""

from __future__ import annotations

import datetime
import types
from typing import Any

import sqlalchemy as sa
from oslo_utils import timeutils

from minova import exception
from minova.db import api as db_api
from minova.db import models

_ACTION = models.InstanceAction
_EVENT = models.InstanceActionEvent


_INSERT_ACTION = sa.insert(_ACTION.__table__)


def action_start(db: db_api.Database,
                 values: dict[str, Any]) -> types.SimpleNamespace:
    """Record an action; its columns as written, by name. Every request
    that acts on a server writes one, so this is a Core insert built
    once: an ORM session's flush cost several times the INSERT
    (docs/performance.md)."""
    with db.writer() as connection:
        return start_in(connection, [values])[0]


def start_in(connection: sa.Connection,
             values: list[dict[str, Any]]) -> list[types.SimpleNamespace]:
    """Record actions in the caller's transaction (a boot writes its
    instances and their create actions in one)."""
    now = timeutils.utcnow()
    rows = []
    for one in values:
        row = dict(one, start_time=now, created_at=now)
        result = connection.execute(_INSERT_ACTION, row)
        row.update(id=result.inserted_primary_key[0], updated_at=None,
                   finish_time=None, message=row.get("message"))
        rows.append(types.SimpleNamespace(**row))
    return rows


def _get_action(session: Any, instance_uuid: str,
                request_id: str) -> models.InstanceAction | None:
    # The newest, should a request id have been reused on one server.
    return session.scalars(
        sa.select(_ACTION).where(_ACTION.instance_uuid == instance_uuid,
                                 _ACTION.request_id == request_id)
        .order_by(_ACTION.id.desc()).limit(1)).first()


def get_by_request_id(db: db_api.Database, instance_uuid: str,
                      request_id: str) -> models.InstanceAction:
    """``InstanceActionNotFound`` (404) if the server has no such action."""
    with db.session() as session:
        row = _get_action(session, instance_uuid, request_id)
    if row is None:
        raise exception.InstanceActionNotFound(request_id=request_id,
                                               instance_uuid=instance_uuid)
    return row


def get_by_instance(db: db_api.Database, instance_uuid: str, *,
                    limit: int | None = None, marker: str | None = None,
                    changes_since: datetime.datetime | None = None,
                    changes_before: datetime.datetime | None = None,
                    ) -> list[models.InstanceAction]:
    """Newest first. ``marker`` is a request id of this server
    (``InstanceActionNotFound`` if it is not one); the page starts after
    it."""
    order = (_ACTION.created_at.desc(), _ACTION.id.desc())
    query = sa.select(_ACTION).where(_ACTION.instance_uuid == instance_uuid)
    if changes_since is not None:
        query = query.where(sa.func.coalesce(
            _ACTION.updated_at, _ACTION.created_at) >= changes_since)
    if changes_before is not None:
        query = query.where(sa.func.coalesce(
            _ACTION.updated_at, _ACTION.created_at) <= changes_before)
    with db.session() as session:
        if marker is not None:
            after = _get_action(session, instance_uuid, marker)
            if after is None:
                raise exception.InvalidMarker(marker=marker)
            query = query.where(sa.or_(
                _ACTION.created_at < after.created_at,
                sa.and_(_ACTION.created_at == after.created_at,
                        _ACTION.id < after.id)))
        query = query.order_by(*order)
        if limit is not None:
            query = query.limit(limit)
        return list(session.scalars(query))


# The action of a request on a server (the newest, should a request id
# have been reused on one server) and its newest unfinished event of a
# name, in one query: event writes are on the path of every boot.
_ACTION_AND_EVENT = (
    sa.select(_ACTION.id.label("found_action_id"), _EVENT.__table__)
    .outerjoin(_EVENT, sa.and_(_EVENT.action_id == _ACTION.id,
                               _EVENT.event == sa.bindparam("event"),
                               _EVENT.finish_time.is_(None)))
    .where(_ACTION.instance_uuid == sa.bindparam("instance_uuid"),
           _ACTION.request_id == sa.bindparam("request_id"))
    .order_by(_ACTION.id.desc(), _EVENT.id.desc()).limit(1))
_ACTION_ID = (
    sa.select(_ACTION.id)
    .where(_ACTION.instance_uuid == sa.bindparam("instance_uuid"),
           _ACTION.request_id == sa.bindparam("request_id"))
    .order_by(_ACTION.id.desc()).limit(1))


# Built once with bound parameters: building an INSERT or UPDATE per
# call (its values, its WHERE, its cache key) cost more CPU than running
# it. The UPDATEs set the columns named by the parameters given.
_ACTIONS = _ACTION.__table__
_EVENTS = _EVENT.__table__
_INSERT_EVENT = sa.insert(_EVENTS)
_UPDATE_EVENT = sa.update(_EVENTS).where(
    _EVENTS.c.id == sa.bindparam("match_id"))
_UPDATE_ACTION = sa.update(_ACTIONS).where(
    _ACTIONS.c.id == sa.bindparam("match_id"))


_EVENT_COLUMNS = dict.fromkeys(column.key for column in _EVENTS.c)


def _event_row(**values: Any) -> Any:
    # What the caller reads of the event, like a row: attributes by
    # column name. Not an ORM instance (its instrumentation cost more
    # than the statements that wrote it).
    return types.SimpleNamespace(**dict(_EVENT_COLUMNS, **values))


def event_start(db: db_api.Database, instance_uuid: str, request_id: str,
                event: str, host: str | None) -> Any:
    now = timeutils.utcnow()
    # Core statements rather than a session: about half the CPU, the
    # same SQL.
    with db.writer() as connection:
        action_id = connection.execute(_ACTION_ID, {
            "instance_uuid": instance_uuid,
            "request_id": request_id}).scalar()
        if action_id is None:
            raise exception.InstanceActionNotFound(
                request_id=request_id, instance_uuid=instance_uuid)
        values = {"event": event, "action_id": action_id,
                  "start_time": now, "host": host}
        event_id = connection.execute(
            _INSERT_EVENT, values).inserted_primary_key[0]
        connection.execute(_UPDATE_ACTION,
                           {"match_id": action_id, "updated_at": now})
    return _event_row(id=event_id, **values)


def event_finish(db: db_api.Database, instance_uuid: str, request_id: str,
                 event: str, result: str, traceback: str | None = None,
                 details: str | None = None) -> Any:
    """End the newest unfinished ``event`` of the action with ``result``
    ("Success" or "Error")."""
    now = timeutils.utcnow()
    ended = {"finish_time": now, "result": result, "traceback": traceback,
             "details": details}
    with db.writer() as connection:
        found = connection.execute(_ACTION_AND_EVENT, {
            "instance_uuid": instance_uuid, "request_id": request_id,
            "event": event}).first()
        if found is None:
            raise exception.InstanceActionNotFound(
                request_id=request_id, instance_uuid=instance_uuid)
        action_id = found.found_action_id
        if found.id is None:
            values = dict(ended, event=event, action_id=action_id,
                          start_time=now)
            values["id"] = connection.execute(
                _INSERT_EVENT, values).inserted_primary_key[0]
        else:
            connection.execute(_UPDATE_EVENT, dict(ended, match_id=found.id))
            values = dict(found._mapping, **ended)
            for key in ("found_action_id", "created_at", "updated_at"):
                values.pop(key)
        action = {"match_id": action_id, "updated_at": now}
        if result.lower() == "error":
            action["message"] = "Error"
        connection.execute(_UPDATE_ACTION, action)
    return _event_row(**values)


def get_events(db: db_api.Database,
               action_id: int) -> list[models.InstanceActionEvent]:
    with db.session() as session:
        return list(session.scalars(
            sa.select(_EVENT).where(_EVENT.action_id == action_id)
            .order_by(_EVENT.start_time.desc(), _EVENT.id.desc())))


def count_events(db: db_api.Database, instance_uuid: str,
                 events: list[str]) -> int:
    """How many events named one of ``events`` the server's actions
    have, whatever their result."""
    with db.session() as session:
        return session.scalar(
            sa.select(sa.func.count(_EVENT.id))
            .join(_ACTION, _ACTION.id == _EVENT.action_id)
            .where(_ACTION.instance_uuid == instance_uuid,
                   _EVENT.event.in_(events))) or 0
