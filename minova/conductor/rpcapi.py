"""Client side of the conductor RPC API."""

from __future__ import annotations

from typing import Any

import oslo_messaging as messaging
from oslo_config import cfg

from minova import rpc
from minova.objects import base as objects_base


class ConductorAPI:
    """Client side of the conductor RPC API (topic ``[conductor] topic``).

    API version history:

    * 1.0 - Initial version: service_get_by_host_and_binary,
      service_create, service_heartbeat, object_class_action_versions,
      object_action.
    * 1.1 - Add compute_node_get_or_create, instance_get_all_by_host and
      instance_get_by_uuid (lookups for minova-compute, whose remotable
      classmethods cannot reach the database).
    * 1.2 - Add action_event_start and action_event_finish (the events of
      a request's instance action, for minova-compute).
    * 1.3 - Add migrations_in_progress_by_host (resizes whose claims a
      compute keeps).
    * 1.4 - Add service_report (a heartbeat as a cast, written in
      batches).
    * 1.5 - Add instance_save_with_events (an instance save and the
      action events around it in one call).
    """

    VERSION = "1.5"

    def __init__(self, conf: cfg.ConfigOpts,
                 transport: messaging.Transport) -> None:
        target = messaging.Target(topic=conf.conductor.topic, version="1.0")
        self.client = rpc.get_client(
            conf, transport, target, "conductor",
            serializer=objects_base.MinovaObjectSerializer())

    def service_get_by_host_and_binary(self, context: Any, host: str,
                                       binary: str) -> Any:
        return self.client.call(context, "service_get_by_host_and_binary",
                                host=host, binary=binary)

    def service_create(self, context: Any, values: dict) -> Any:
        return self.client.call(context, "service_create", values=values)

    def service_heartbeat(self, context: Any, service_id: int) -> Any:
        return self.client.call(context, "service_heartbeat",
                                service_id=service_id)

    def service_report(self, context: Any, service_id: int, ttl: float,
                       wait: bool = False) -> bool:
        """Cast a heartbeat that expires in the broker after ``ttl``
        seconds (``wait``: call, answered once the conductor queued it);
        False if ``[upgrade_levels] conductor`` is below 1.4 (then report
        with ``service_heartbeat``)."""
        if not self.client.can_send_version("1.4"):
            return False
        if wait:
            self.client.prepare(version="1.4").call(
                context, "service_report", service_id=service_id)
            return True
        cctxt = self.client.prepare(version="1.4", timeout=ttl)
        cctxt.cast(context, "service_report", service_id=service_id)
        return True

    def compute_node_get_or_create(self, context: Any, host: str,
                                   nodename: str, values: dict) -> Any:
        cctxt = self.client.prepare(version="1.1")
        return cctxt.call(context, "compute_node_get_or_create", host=host,
                          nodename=nodename, values=values)

    def instance_get_all_by_host(self, context: Any, host: str) -> Any:
        cctxt = self.client.prepare(version="1.1")
        return cctxt.call(context, "instance_get_all_by_host", host=host)

    def instance_get_by_uuid(self, context: Any, uuid: str) -> Any:
        cctxt = self.client.prepare(version="1.1")
        return cctxt.call(context, "instance_get_by_uuid", uuid=uuid)

    def action_event_start(self, context: Any, instance_uuid: str,
                           event: str, host: str | None) -> None:
        cctxt = self.client.prepare(version="1.2")
        cctxt.call(context, "action_event_start",
                   instance_uuid=instance_uuid, event=event, host=host)

    def action_event_finish(self, context: Any, instance_uuid: str,
                            event: str, result: str,
                            traceback: str | None = None,
                            details: str | None = None) -> None:
        cctxt = self.client.prepare(version="1.2")
        cctxt.call(context, "action_event_finish",
                   instance_uuid=instance_uuid, event=event, result=result,
                   traceback=traceback, details=details)

    def can_save_with_events(self) -> bool:
        """Whether ``instance_save_with_events`` may be sent (False below
        ``[upgrade_levels] conductor`` 1.5: then save and record the
        events with their own calls)."""
        return self.client.can_send_version("1.5")

    def instance_save_with_events(self, context: Any, instance: Any,
                                  expected_task_state: list | None,
                                  start: dict | None = None,
                                  finish: dict | None = None) -> dict:
        """The changes ``instance.save(expected_task_state)`` made, for
        ``minova.objects.base.apply_remote_changes``."""
        cctxt = self.client.prepare(version="1.5")
        return cctxt.call(context, "instance_save_with_events",
                          instance=instance,
                          expected_task_state=expected_task_state,
                          start=start, finish=finish)

    def migrations_in_progress_by_host(self, context: Any,
                                       host: str) -> list:
        cctxt = self.client.prepare(version="1.3")
        return cctxt.call(context, "migrations_in_progress_by_host",
                          host=host)

    # The two methods below make this client an oslo.versionedobjects
    # indirection API: objects in minova-compute call them for remotable
    # methods instead of touching the database.

    def object_class_action_versions(self, context: Any, objname: str,
                                     objmethod: str, object_versions: dict,
                                     args: tuple, kwargs: dict) -> Any:
        return self.client.call(context, "object_class_action_versions",
                                objname=objname, objmethod=objmethod,
                                object_versions=object_versions,
                                args=args, kwargs=kwargs)

    def object_action(self, context: Any, objinst: Any, objmethod: str,
                      args: tuple, kwargs: dict) -> Any:
        return self.client.call(context, "object_action", objinst=objinst,
                                objmethod=objmethod, args=args,
                                kwargs=kwargs)

    def object_backport_versions(self, context: Any, objinst: Any,
                                 object_versions: dict) -> Any:
        return self.client.call(context, "object_backport_versions",
                                objinst=objinst,
                                object_versions=object_versions)


class ComputeTaskAPI:
    """Client side of the conductor's compute task API (namespace
    ``compute_task`` on the conductor topic): workflows that span services.

    API version history:

    * 1.0 - Initial version: build_instances.
    * 1.1 - resize_instance.
    """

    VERSION = "1.1"

    def __init__(self, conf: cfg.ConfigOpts,
                 transport: messaging.Transport) -> None:
        target = messaging.Target(topic=conf.conductor.topic,
                                  namespace="compute_task", version="1.0")
        self.client = rpc.get_client(
            conf, transport, target, "conductor",
            serializer=objects_base.MinovaObjectSerializer())

    def build_instances(self, context: Any, instances: list,
                        request_spec: dict,
                        requested_networks: Any = None) -> None:
        """Schedule ``instances`` and have their hosts build them."""
        self.client.cast(context, "build_instances", instances=instances,
                         request_spec=request_spec,
                         requested_networks=requested_networks)

    def resize_instance(self, context: Any, instance: Any,
                        migration: Any) -> None:
        """Pick a host for the migration's new flavor and start there."""
        self.client.prepare(version="1.1").cast(
            context, "resize_instance", instance=instance,
            migration=migration)
