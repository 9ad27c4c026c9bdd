"""The conductor: database work on behalf of services that may not."""

from __future__ import annotations

import copy
import datetime
import logging
import time
from typing import Any

import oslo_messaging as messaging
from oslo_service import periodic_task
from oslo_utils import timeutils
from oslo_utils import uuidutils
from oslo_versionedobjects import base as ovo_base

from minova import exception
from minova import manager
from minova.compute import resource_tracker
from minova.compute import rpcapi as compute_rpcapi
from minova.compute import task_states
from minova.compute import vm_states
from minova.conductor import heartbeats
from minova.conductor import saves
from minova.db import api as db_api
from minova.db import instance_migrations as db_migrations
from minova.db import server_groups as db_groups
from minova.objects import base as objects_base
from minova.objects import compute_node as compute_node_obj
from minova.objects import instance as instance_obj
from minova.objects import instance_action as action_obj
from minova.objects import migration as migration_obj
from minova.objects import service as service_obj
from minova.scheduler import rpcapi as scheduler_rpcapi

LOG = logging.getLogger(__name__)

_message = exception.describe

# What an object method may raise on purpose when a compute races an API
# action (the instance is gone, its task_state moved on): no traceback in
# the conductor's log for those, the caller handles them.
_OBJECT_EXPECTED = (exception.NotFound, exception.Conflict,
                    exception.Invalid)


class ConductorManager(manager.Manager):
    """Server side of ``minova.conductor.rpcapi.ConductorAPI``.

    Every method runs with the context the RPC layer built, which carries
    this service's database.
    """

    target = messaging.Target(version="1.5")
    service_name = "conductor"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.compute_task = ComputeTaskManager(self.conf, self.transport,
                                               self.host)
        self.additional_endpoints.append(self.compute_task)
        self._last_stale_check = 0.0
        self._heartbeats = heartbeats.HeartbeatBatch(self.conf)

    @periodic_task.periodic_task(spacing=1, run_immediately=True)
    def heal_stale_builds(self, context: Any) -> None:
        """Boots left in BUILD with no host for ``[conductor]
        build_timeout`` seconds: rescheduled once, then failed.

        Runs at start (the first periodic run) and every build_timeout / 5
        seconds, at most 60.
        """
        timeout = self.conf.conductor.build_timeout
        if not timeout or (time.monotonic() - self._last_stale_check
                           < min(max(timeout / 5, 1), 60)):
            return
        self._last_stale_check = time.monotonic()
        self.compute_task.heal_stale_builds(context, timeout)

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

    def service_report(self, context: Any, service_id: int) -> None:
        """A heartbeat cast (1.4): written with the others of this flush
        interval (``minova.conductor.heartbeats``)."""
        self._heartbeats.add(db_api.from_context(context), service_id)

    @messaging.expected_exceptions(exception.ComputeNodeExists)
    def compute_node_get_or_create(self, context: Any, host: str,
                                   nodename: str, values: dict) -> Any:
        """The node's row, created with ``values`` if it has none yet."""
        try:
            return compute_node_obj.ComputeNode.get_by_host_and_nodename(
                context, host, nodename)
        except exception.ComputeHostNotFound:
            pass
        node = compute_node_obj.ComputeNode(context, **values)
        node.update({"uuid": uuidutils.generate_uuid(), "host": host,
                     "hypervisor_hostname": nodename})
        try:
            node.create()
        except exception.ComputeNodeExists:
            # Another worker of the same compute won the race.
            return compute_node_obj.ComputeNode.get_by_host_and_nodename(
                context, host, nodename)
        LOG.info("Created the compute node record of %s (%s)", host,
                 nodename)
        return node

    def instance_get_all_by_host(self, context: Any, host: str) -> Any:
        return instance_obj.InstanceList.get_by_host(context, host)

    @messaging.expected_exceptions(exception.InstanceNotFound)
    def instance_get_by_uuid(self, context: Any, uuid: str) -> Any:
        return instance_obj.Instance.get_by_uuid(context, uuid)

    def migrations_in_progress_by_host(self, context: Any,
                                       host: str) -> list:
        """The resizes from or to ``host`` under way, as Migration
        objects."""
        return [migration_obj.Migration._from_db_object(
            context, migration_obj.Migration(), row)
            for row in db_migrations.get_in_progress_by_host(
                db_api.from_context(context), host)]

    @messaging.expected_exceptions(exception.InstanceActionNotFound)
    def action_event_start(self, context: Any, instance_uuid: str,
                           event: str, host: str | None) -> None:
        action_obj.InstanceActionEvent.event_start(context, instance_uuid,
                                                   event, host=host)

    @messaging.expected_exceptions(exception.InstanceActionNotFound)
    def action_event_finish(self, context: Any, instance_uuid: str,
                            event: str, result: str,
                            traceback: str | None = None,
                            details: str | None = None) -> None:
        action_obj.InstanceActionEvent.event_finish(
            context, instance_uuid, event, result, traceback=traceback,
            details=details)

    @messaging.expected_exceptions(*_OBJECT_EXPECTED)
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

    @messaging.expected_exceptions(*_OBJECT_EXPECTED)
    def object_action(self, context: Any, objinst: Any, objmethod: str,
                      args: tuple, kwargs: dict) -> tuple:
        """Run ``objinst.objmethod`` here; return (changes, result).

        The caller applies the changes to its copy of the object, as
        oslo.versionedobjects' ``remotable`` expects.
        """
        return _object_action(objinst, objmethod, args, kwargs)

    @messaging.expected_exceptions(*_OBJECT_EXPECTED)
    def instance_save_with_events(self, context: Any, instance: Any,
                                  expected_task_state: list | None,
                                  start: dict | None = None,
                                  finish: dict | None = None) -> dict:
        """``instance.save`` with the instance action events around it
        (1.5), so that a compute's step costs one round trip, not three.

        ``start`` (``event``, ``host``) is written before the save, whether
        the save then succeeds or not; ``finish`` (``event``, ``result``)
        only after a save that succeeded: when the save raises, the caller
        still has its event to finish. Returns the changes, as
        ``object_action`` does. Events are bookkeeping: one that cannot be
        written is logged and the save goes on, as in the compute. All
        three share one transaction (``minova.conductor.saves``).
        """
        return saves.save_with_events(context, instance, expected_task_state,
                                      start, finish, _object_action,
                                      _quietly)

    def object_backport_versions(self, context: Any, objinst: Any,
                                 object_versions: dict) -> Any:
        target = object_versions[objinst.obj_name()]
        return objinst.obj_to_primitive(target_version=target,
                                        version_manifest=copy.copy(
                                            object_versions))


_VALUES = (str, int, float, bool, datetime.datetime, type(None), dict,
           list)


def _object_action(objinst: Any, objmethod: str, args: tuple,
                   kwargs: dict, before: dict | None = None) -> tuple:
    # A shallow snapshot instead of a deep clone: it is on the path of
    # every save a compute makes. Methods replace field values rather
    # than mutate them; a nested object replaced counts as changed.
    if before is None:
        before = {name: getattr(objinst, name) for name in objinst.fields
                  if objinst.obj_attr_is_set(name)}
    result = getattr(objinst, objmethod)(*args, **kwargs)
    updates = {}
    for name, field in objinst.fields.items():
        if not objinst.obj_attr_is_set(name):
            continue
        value = getattr(objinst, name)
        if name in before and _unchanged(before[name], value):
            continue
        updates[name] = field.to_primitive(objinst, name, value)
    updates["obj_what_changed"] = objinst.obj_what_changed()
    return updates, result


def _quietly(record: Any, context: Any, instance_uuid: str, event: str,
             *args: Any, **kwargs: Any) -> None:
    """Write an action event for a compute; never fail its step for it."""
    try:
        record(context, instance_uuid, event, *args, **kwargs)
    except exception.InstanceActionNotFound:
        # A request from before actions were recorded.
        LOG.debug("No action of request %s on instance %s for event %s",
                  context.request_id, instance_uuid, event)
    except Exception as exc:  # noqa: BLE001 - the save goes on
        LOG.warning("Could not record event %s of instance %s: %s",
                    event, instance_uuid, _message(exc))


def _unchanged(old: Any, new: Any) -> bool:
    # Dicts and lists (metadata, network_info) as a row read back gives
    # them are new objects with the old values: equal is unchanged, or
    # every save would send them back.
    return old is new or (isinstance(old, _VALUES)
                          and type(old) is type(new) and old == new)


class ComputeTaskManager:
    """Workflows that span services (namespace ``compute_task``): the
    server side of ``minova.conductor.rpcapi.ComputeTaskAPI``."""

    target = messaging.Target(namespace="compute_task", version="1.1")

    def __init__(self, conf: Any, transport: Any, host: str) -> None:
        self.conf = conf
        self.host = host
        self.scheduler_client = scheduler_rpcapi.SchedulerAPI(conf,
                                                              transport)
        self.compute_rpcapi = compute_rpcapi.ComputeAPI(conf, transport)

    def resize_instance(self, context: Any, instance: Any,
                        migration: Any) -> None:
        """Have the scheduler pick a host with room for the new flavor
        (and claim it there), then start the resize on that host."""
        new = migration.new_flavor
        request_spec = {
            "instance_uuids": [instance.uuid], "num_instances": 1,
            "flavor": {key: getattr(new, key) for key in (
                "flavorid", "memory_mb", "vcpus", "root_gb",
                "ephemeral_gb", "swap")},
            # The zone it is pinned to (none: any), as Nova's request
            # spec; not the one it happens to be in.
            "availability_zone": instance.pinned_availability_zone,
            "project_id": instance.project_id,
            "user_id": instance.user_id,
        }
        if not self.conf.allow_resize_to_same_host:
            request_spec["ignore_hosts"] = [instance.host]
        try:
            # The claim is the new flavor's, beside the instance's own.
            [selection] = self.scheduler_client.select_destinations(
                context, request_spec,
                [resource_tracker.new_claim(instance.uuid)])
        except (exception.NoValidHost, messaging.MessagingTimeout) as exc:
            LOG.warning("No host for the resize of instance %s: %s",
                        instance.uuid, _message(exc))
            _resize_failed(context, instance, migration, exc)
            return
        migration.update({"dest_compute": selection["host"],
                          "dest_node": selection["nodename"],
                          "status": "migrating"})
        migration.save()
        self.compute_rpcapi.prep_resize(context, instance, migration)

    def build_instances(self, context: Any, instances: list,
                        request_spec: dict,
                        requested_networks: Any = None) -> None:
        """Ask the scheduler for hosts, then have each host build its
        instance; with no host, the instances go to ERROR with a fault."""
        uuids = [instance.uuid for instance in instances]
        try:
            if request_spec.get("group"):
                _add_group_hosts(context, request_spec["group"], uuids)
            selections = self.scheduler_client.select_destinations(
                context, request_spec, uuids)
        except (exception.NoValidHost, exception.InstanceGroupNotFound,
                messaging.MessagingTimeout) as exc:
            LOG.warning("Failed to schedule instances %s: %s", uuids,
                        _message(exc))
            for instance in instances:
                _record_failed_event(context, instance, exc)
                _set_error_with_fault(context, instance, exc)
            return
        for instance, selection in zip(instances, selections, strict=True):
            self.compute_rpcapi.build_and_run_instance(
                context, instance, host=selection["host"],
                node=selection["nodename"], request_spec=request_spec,
                filter_properties={
                    "availability_zone": selection["availability_zone"]},
                requested_networks=requested_networks)

    def heal_stale_builds(self, context: Any, timeout: int) -> None:
        """Find boots in BUILD/scheduling whose last change is older than
        ``timeout`` and act on each: a fresh build request if it was never
        rescheduled, else ERROR with a fault.

        Only instances still waiting for a host are touched (a compute
        sets host and task spawning in one compare-and-swap save), and
        every save here expects task_state scheduling, so a build that
        lands meanwhile wins. A reschedule racing the original request (a
        message that was only late) is safe too: only one compute's
        swap from scheduling to spawning succeeds.
        """
        now = timeutils.utcnow()
        stale = [
            instance for instance in instance_obj.InstanceList.get_by_filters(
                context, {"vm_state": vm_states.BUILDING,
                          "task_state": task_states.SCHEDULING},
                sort_keys=["created_at"], sort_dirs=["asc"])
            if instance.host is None
            and _age(instance.updated_at or instance.created_at, now)
            > timeout]
        for instance in stale:
            # The save that marks the reschedule moves updated_at, so an
            # instance seen again had its second chance: one that is
            # 2 * timeout old fails instead.
            if _age(instance.created_at, now) > 2 * timeout:
                LOG.warning("Instance %s has waited for a host for more "
                            "than %d s; putting it in ERROR.",
                            instance.uuid, 2 * timeout)
                _set_error_with_fault(context, instance, BuildTimedOut(
                    timeout=timeout, outcome="failed"))
                continue
            self._reschedule(context, instance, timeout)

    def _reschedule(self, context: Any, instance: Any,
                    timeout: int) -> None:
        instance.task_state = task_states.SCHEDULING
        try:
            instance.save(expected_task_state=[task_states.SCHEDULING])
        except (exception.InstanceNotFound,
                exception.UnexpectedTaskStateError):
            return  # deleted or built meanwhile: nothing to heal
        LOG.warning("Instance %s: %s; asking the scheduler again.",
                    instance.uuid, BuildTimedOut(
                        timeout=timeout,
                        outcome="rescheduled").format_message())
        flavor = instance.flavor
        request_spec = {
            "instance_uuids": [instance.uuid],
            "num_instances": 1,
            "flavor": {
                "flavorid": flavor.flavorid if flavor else None,
                "memory_mb": instance.memory_mb, "vcpus": instance.vcpus,
                "root_gb": instance.root_gb,
                "ephemeral_gb": instance.ephemeral_gb,
                "swap": flavor.swap if flavor else 0},
            "image_ref": instance.image_ref,
            "availability_zone": instance.pinned_availability_zone,
            "project_id": instance.project_id,
            "user_id": instance.user_id,
        }
        try:
            self.build_instances(context, [instance], request_spec)
        except Exception as exc:
            # Not scheduled (the scheduler gone, say): the next check
            # fails it once it is 2 * timeout old.
            LOG.warning("Could not reschedule instance %s: %s",
                        instance.uuid, _message(exc))


def _age(when: Any, now: datetime.datetime) -> float:
    if when is None:
        return 0.0
    return timeutils.delta_seconds(timeutils.normalize_time(when), now)


class BuildTimedOut(exception.MinovaException):
    """The fault of a boot nobody finished (a conductor-internal reason,
    never raised across RPC)."""

    msg_fmt = ("Build did not complete within %(timeout)s s (the service "
               "handling it stopped); %(outcome)s")


def _resize_failed(context: Any, instance: Any, migration: Any,
                   exc: Exception) -> None:
    """No host for the new flavor: the server stays as it was (task
    cleared), with a fault saying why, as Nova."""
    _record_failed_event(context, instance, exc,
                         "conductor_migrate_server")
    fault = instance_obj.InstanceFault(
        context, instance_uuid=instance.uuid,
        code=getattr(exc, "code", 500), message=_message(exc))
    fault.create()
    migration.status = "error"
    migration.save()
    instance.task_state = None
    try:
        instance.save(expected_task_state=[task_states.RESIZE_PREP])
    except (exception.InstanceNotFound,
            exception.UnexpectedTaskStateError) as race:
        LOG.info("Not resetting instance %s: %s", instance.uuid,
                 race.format_message())


def _add_group_hosts(context: Any, group: dict, uuids: list[str]) -> None:
    """The hosts of the group's other servers, read now (the scheduler's
    group filters and weighers count them)."""
    db = db_api.from_context(context)
    row = db_groups.get_by_uuid(db, group["uuid"])
    members = db_groups.members(db, [row.id])[row.id]
    group["hosts"] = [host for uuid, host in members
                      if host and uuid not in uuids]


def _record_failed_event(
        context: Any, instance: Any, exc: Exception,
        event: str = "conductor_schedule_and_build_instances") -> None:
    """The scheduling step of the instance's action, failed."""
    try:
        action_obj.InstanceActionEvent.event_start(context, instance.uuid,
                                                   event)
        action_obj.InstanceActionEvent.event_finish(
            context, instance.uuid, event, action_obj.ERROR,
            details=_message(exc))
    except exception.InstanceActionNotFound:
        LOG.debug("No create action of instance %s to record its "
                  "scheduling failure in", instance.uuid)


def _set_error_with_fault(context: Any, instance: Any,
                          exc: Exception) -> None:
    """ERROR with no task, and a fault saying why (unless the instance
    was deleted or moved on meanwhile). The fault comes first, so that
    whoever sees ERROR sees why."""
    fault = instance_obj.InstanceFault(
        context, instance_uuid=instance.uuid,
        code=getattr(exc, "code", 500), message=_message(exc))
    fault.create()
    instance.vm_state = vm_states.ERROR
    instance.task_state = None
    try:
        instance.save(expected_task_state=[task_states.SCHEDULING])
    except (exception.InstanceNotFound,
            exception.UnexpectedTaskStateError) as race:
        LOG.info("Not marking instance %s as failed: %s", instance.uuid,
                 race.format_message())
