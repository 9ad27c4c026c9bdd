"""InstanceAction and InstanceActionEvent: what ``os-instance-actions``
shows. The API starts an action per request; the services that do the
work add events (minova-compute through the conductor, like every write
it makes)."""

from __future__ import annotations

import datetime
from typing import Any

from oslo_versionedobjects import base as ovo_base
from oslo_versionedobjects import fields

from minova.db import instance_actions as db_actions
from minova.objects import base

# Nova's action names (nova/compute/instance_actions.py).
CREATE = "create"
DELETE = "delete"
STOP = "stop"
START = "start"
REBOOT = "reboot"
PAUSE = "pause"
UNPAUSE = "unpause"
SUSPEND = "suspend"
RESUME = "resume"
LOCK = "lock"
UNLOCK = "unlock"
REBUILD = "rebuild"
RESIZE = "resize"
CONFIRM_RESIZE = "confirmResize"
REVERT_RESIZE = "revertResize"

SUCCESS = "Success"
ERROR = "Error"


@base.MinovaObjectRegistry.register
class InstanceAction(base.MinovaObject, ovo_base.VersionedObjectDictCompat):
    # Version 1.0: Initial version
    VERSION = "1.0"

    fields = {
        "id": fields.IntegerField(read_only=True),
        "action": fields.StringField(nullable=True),
        "instance_uuid": fields.UUIDField(nullable=True),
        "request_id": fields.StringField(nullable=True),
        "user_id": fields.StringField(nullable=True),
        "project_id": fields.StringField(nullable=True),
        "start_time": fields.DateTimeField(nullable=True),
        "finish_time": fields.DateTimeField(nullable=True),
        "message": fields.StringField(nullable=True),
        "created_at": fields.DateTimeField(nullable=True),
        "updated_at": fields.DateTimeField(nullable=True),
    }

    @classmethod
    @ovo_base.remotable
    def action_start(cls, context: Any, instance_uuid: str,
                     action: str) -> InstanceAction:
        """Record ``action`` on the instance for the context's request
        (its request id, user and project)."""
        row = db_actions.action_start(cls._db(context), dict(
            cls.columns_for(context, action), instance_uuid=instance_uuid))
        return cls._from_db_object(context, cls(), row)

    @staticmethod
    def columns_for(context: Any, action: str) -> dict[str, Any]:
        """The columns of ``action`` for the context's request, but the
        instance: what a boot records with its instances."""
        return {"action": action, "request_id": context.request_id,
                "user_id": context.user_id,
                "project_id": context.project_id}

    @classmethod
    @ovo_base.remotable
    def get_by_request_id(cls, context: Any, instance_uuid: str,
                          request_id: str) -> InstanceAction:
        row = db_actions.get_by_request_id(cls._db(context), instance_uuid,
                                           request_id)
        return cls._from_db_object(context, cls(), row)


@base.MinovaObjectRegistry.register
class InstanceActionList(ovo_base.ObjectListBase, base.MinovaObject):
    # Version 1.0: Initial version
    VERSION = "1.0"

    fields = {"objects": fields.ListOfObjectsField("InstanceAction")}

    @classmethod
    @ovo_base.remotable
    def get_by_instance_uuid(
            cls, context: Any, instance_uuid: str, limit: int | None = None,
            marker: str | None = None,
            changes_since: datetime.datetime | None = None,
            changes_before: datetime.datetime | None = None,
    ) -> InstanceActionList:
        rows = db_actions.get_by_instance(
            cls._db(context), instance_uuid, limit=limit, marker=marker,
            changes_since=changes_since, changes_before=changes_before)
        result = cls(context)
        result.objects = [InstanceAction._from_db_object(
            context, InstanceAction(), row) for row in rows]
        result.obj_reset_changes()
        return result


@base.MinovaObjectRegistry.register
class InstanceActionEvent(base.MinovaObject,
                          ovo_base.VersionedObjectDictCompat):
    # Version 1.0: Initial version
    VERSION = "1.0"

    fields = {
        "id": fields.IntegerField(read_only=True),
        "event": fields.StringField(nullable=True),
        "action_id": fields.IntegerField(nullable=True),
        "start_time": fields.DateTimeField(nullable=True),
        "finish_time": fields.DateTimeField(nullable=True),
        "result": fields.StringField(nullable=True),
        "traceback": fields.StringField(nullable=True),
        "host": fields.StringField(nullable=True),
        "details": fields.StringField(nullable=True),
    }

    @classmethod
    @ovo_base.remotable
    def event_start(cls, context: Any, instance_uuid: str, event: str,
                    host: str | None = None) -> InstanceActionEvent:
        """Start ``event`` of the action of the context's request."""
        row = db_actions.event_start(cls._db(context), instance_uuid,
                                     context.request_id, event, host)
        return cls._from_db_object(context, cls(), row)

    @classmethod
    @ovo_base.remotable
    def event_finish(cls, context: Any, instance_uuid: str, event: str,
                     result: str, traceback: str | None = None,
                     details: str | None = None) -> InstanceActionEvent:
        row = db_actions.event_finish(cls._db(context), instance_uuid,
                                      context.request_id, event, result,
                                      traceback, details)
        return cls._from_db_object(context, cls(), row)


@base.MinovaObjectRegistry.register
class InstanceActionEventList(ovo_base.ObjectListBase, base.MinovaObject):
    # Version 1.0: Initial version
    # Version 1.1: count_by_instance
    VERSION = "1.1"

    fields = {"objects": fields.ListOfObjectsField("InstanceActionEvent")}

    @classmethod
    @ovo_base.remotable
    def get_by_action(cls, context: Any,
                      action_id: int) -> InstanceActionEventList:
        rows = db_actions.get_events(cls._db(context), action_id)
        result = cls(context)
        result.objects = [InstanceActionEvent._from_db_object(
            context, InstanceActionEvent(), row) for row in rows]
        result.obj_reset_changes()
        return result

    @classmethod
    @ovo_base.remotable
    def count_by_instance(cls, context: Any, instance_uuid: str,
                          events: list[str]) -> int:
        """How many times the server ran one of ``events`` (the fake
        driver's attempt count, minova.virt.fake_script)."""
        return db_actions.count_events(cls._db(context), instance_uuid,
                                       events)
