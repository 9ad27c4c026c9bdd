"""An instance's save with its action events, in one transaction.

``ConductorManager.instance_save_with_events`` (conductor RPC 1.5) used
to write the event's start, the save and the event's end each in a
transaction of its own: three pool checkouts and commits per call (on
MariaDB also a pre-ping and a COMMIT round trip each), which cost more
CPU than the statements. Here they share one transaction, with what a
user sees kept as before:

- the start is written whether the save then succeeds or not: a save
  that fails on purpose (``UnexpectedTaskStateError``, the instance
  gone) still commits the start, then raises;
- the end is written only after a save that succeeded;
- an event that cannot be written never fails the save. An action that
  is not there (``InstanceActionNotFound``) is found by a SELECT and
  leaves the transaction usable; any other error (a deadlock, a lost
  connection) rolls all of it back, and the step is done again the old
  way, each write on its own, where such an event is logged and skipped.
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Callable
from typing import Any

from minova import exception
from minova.db import api as db_api
from minova.db import instance_actions as db_actions
from minova.objects import instance_action as action_obj

LOG = logging.getLogger(__name__)

ObjectAction = Callable[..., tuple]
Quietly = Callable[..., None]


def save_with_events(context: Any, instance: Any,
                     expected_task_state: list | None, start: dict | None,
                     finish: dict | None, object_action: ObjectAction,
                     quietly: Quietly) -> dict:
    """Returns the save's changes (``object_action``'s, which runs the
    save and computes them); ``quietly`` writes an event the old way."""
    snapshot = _snapshot(instance)
    try:
        updates, failed = _in_one_transaction(
            context, instance, expected_task_state, start, finish,
            object_action, snapshot)
    except Exception as exc:  # noqa: BLE001 - done again below
        LOG.warning("Saving instance %s with its events in one transaction "
                    "failed (%s); writing them one by one",
                    instance.uuid, exception.describe(exc))
        _restore(instance, snapshot)
    else:
        if failed is not None:
            raise failed
        return updates
    if start is not None:
        quietly(action_obj.InstanceActionEvent.event_start, context,
                instance.uuid, start["event"], host=start.get("host"))
    updates, _ = object_action(instance, "save", (),
                               {"expected_task_state": expected_task_state})
    if finish is not None:
        quietly(action_obj.InstanceActionEvent.event_finish, context,
                instance.uuid, finish["event"], finish["result"])
    return updates


def _in_one_transaction(context: Any, instance: Any,
                        expected_task_state: list | None,
                        start: dict | None, finish: dict | None,
                        object_action: ObjectAction,
                        snapshot: tuple) -> tuple[dict, Exception | None]:
    """The save's changes, or the error the save failed with on purpose
    (the transaction, with the start, committed)."""
    updates: dict = {}
    failed = None
    owner = instance._context
    with db_api.from_context(context).transaction() as joined:
        # The object's methods reach the database through the context:
        # a copy whose database is this transaction.
        in_transaction = copy.copy(context)
        in_transaction.db = joined
        instance._context = in_transaction
        try:
            # The event writes' query functions, not the objects'
            # methods: nothing reads the event objects they would build.
            if start is not None:
                _unless_no_action(db_actions.event_start, joined,
                                  context, instance.uuid, start["event"],
                                  start.get("host"))
            try:
                updates, _ = object_action(
                    instance, "save", (),
                    {"expected_task_state": expected_task_state},
                    before=snapshot[0])
            except exception.MinovaException as exc:
                failed = exc
            else:
                if finish is not None:
                    _unless_no_action(db_actions.event_finish, joined,
                                      context, instance.uuid,
                                      finish["event"], finish["result"])
        finally:
            instance._context = owner
    return updates, failed


def _unless_no_action(record: Callable[..., Any], db: db_api.Database,
                      context: Any, instance_uuid: str, event: str,
                      *args: Any) -> None:
    try:
        record(db, instance_uuid, context.request_id, event, *args)
    except exception.InstanceActionNotFound:
        # A request from before actions were recorded.
        LOG.debug("No action of request %s on instance %s for event %s",
                  context.request_id, instance_uuid, event)


def _snapshot(obj: Any) -> tuple[dict, set]:
    """The fields set and the changes of ``obj``, to put back should the
    transaction roll back after its save. Methods replace field values
    rather than mutate them, so references are enough."""
    values = {name: getattr(obj, name) for name in obj.fields
              if obj.obj_attr_is_set(name)}
    return values, set(obj._changed_fields)


def _restore(obj: Any, snapshot: tuple[dict, set]) -> None:
    values, changed = snapshot
    for name in obj.fields:
        # oslo.versionedobjects keeps a field's value in ``_obj_<name>``;
        # setting it through the property would coerce it again and mark
        # it changed.
        if name in values:
            setattr(obj, "_obj_" + name, values[name])
        elif hasattr(obj, "_obj_" + name):
            delattr(obj, "_obj_" + name)
    obj._changed_fields = set(changed)
