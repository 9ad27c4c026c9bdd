"""The conductor: database work on behalf of services that may not."""

from __future__ import annotations

import copy
from typing import Any

import oslo_messaging as messaging
from oslo_versionedobjects import base as ovo_base

from minova import exception
from minova import manager
from minova.objects import base as objects_base
from minova.objects import service as service_obj


class ConductorManager(manager.Manager):
    """Server side of ``minova.conductor.rpcapi.ConductorAPI``.

    Every method runs with the context the RPC layer built, which carries
    this service's database.
    """

    target = messaging.Target(version="1.0")
    service_name = "conductor"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.additional_endpoints.extend(self._task_endpoints())

    def _task_endpoints(self) -> list:
        # The ComputeTaskManager (namespace compute_task) joins here once
        # the build workflow exists.
        return []

    @messaging.expected_exceptions(exception.HostBinaryNotFound)
    def service_get_by_host_and_binary(self, context: Any, host: str,
                                       binary: str) -> Any:
        return service_obj.Service.get_by_host_and_binary(context, host,
                                                          binary)

    @messaging.expected_exceptions(exception.ServiceExists)
    def service_create(self, context: Any, values: dict) -> Any:
        service = service_obj.Service(context, **values)
        service.create()
        return service

    @messaging.expected_exceptions(exception.ServiceNotFound)
    def service_heartbeat(self, context: Any, service_id: int) -> Any:
        service = service_obj.Service(context, id=service_id)
        service.obj_reset_changes()
        service.heartbeat()
        return service

    def object_class_action_versions(self, context: Any, objname: str,
                                     objmethod: str, object_versions: dict,
                                     args: tuple, kwargs: dict) -> Any:
        objclass = objects_base.MinovaObject.obj_class_from_name(
            objname, object_versions[objname])
        result = getattr(objclass, objmethod)(context, *args, **kwargs)
        if isinstance(result, ovo_base.VersionedObject):
            return result.obj_to_primitive(
                target_version=object_versions[result.obj_name()],
                version_manifest=object_versions)
        return result

    def object_action(self, context: Any, objinst: Any, objmethod: str,
                      args: tuple, kwargs: dict) -> tuple:
        """Run ``objinst.objmethod`` here; return (changes, result).

        The caller applies the changes to its copy of the object, as
        oslo.versionedobjects' ``remotable`` expects.
        """
        oldobj = objinst.obj_clone()
        result = getattr(objinst, objmethod)(*args, **kwargs)
        updates = {}
        for name, field in objinst.fields.items():
            if not objinst.obj_attr_is_set(name):
                continue
            if (not oldobj.obj_attr_is_set(name)
                    or getattr(oldobj, name) != getattr(objinst, name)):
                updates[name] = field.to_primitive(objinst, name,
                                                   getattr(objinst, name))
        updates["obj_what_changed"] = objinst.obj_what_changed()
        return updates, result

    def object_backport_versions(self, context: Any, objinst: Any,
                                 object_versions: dict) -> Any:
        target = object_versions[objinst.obj_name()]
        return objinst.obj_to_primitive(target_version=target,
                                        version_manifest=copy.copy(
                                            object_versions))
