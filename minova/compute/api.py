"""The compute API: what the REST handlers call to act on servers.

This module boots, reads, updates and deletes; the other actions are in
``minova.compute.actions_api`` and a resize in ``minova.compute.resize_api``.

It writes what the API owns (the instance rows, their task states) and
hands the work to the services: a boot goes to the conductor
(``build_instances``), which schedules and casts to a compute; delete, stop,
start, reboot, pause, unpause, suspend, resume, rebuild and a resize's
confirm and revert go straight to the instance's host; a resize goes to the
conductor, which has the scheduler pick its destination
(``minova.compute.resize_api``). Every action moves the task_state with a
compare-and-swap (``save(expected_task_state=...)``), so of two racing
actions one gets
``UnexpectedTaskStateError`` (409). A locked server refuses the actions of
anyone but an admin (409), and every action is recorded for
``os-instance-actions`` under the request's id.
"""

from __future__ import annotations

import logging
import re
from typing import Any

import oslo_messaging as messaging
from oslo_config import cfg
from oslo_utils import uuidutils

from minova import exception
from minova import quota
from minova import servicegroup
from minova.compute import actions_api
from minova.compute import power_state
from minova.compute import resize_api
from minova.compute import rpcapi as compute_rpcapi
from minova.compute import task_states
from minova.compute import vm_states
from minova.compute.checks import check_lock as _check_lock
from minova.compute.checks import record as _record
from minova.conductor import rpcapi as conductor_rpcapi
from minova.db import api as db_api
from minova.db import server_groups as db_groups
from minova.network import instances as network_instances
from minova.objects import instance as instance_obj
from minova.objects import instance_action as action_obj
from minova.objects import service as service_obj
from minova.objects import tag as tag_obj

LOG = logging.getLogger(__name__)

COMPUTE_BINARY = "minova-compute"


def sanitize_hostname(name: str, default: str = "server") -> str:
    """A DNS label from a display name, as Nova derives ``hostname``."""
    hostname = re.sub(r"[ _.]", "-", name.lower())
    hostname = re.sub(r"[^\w-]+", "", hostname, flags=re.ASCII)
    hostname = hostname.strip("-")[:63].rstrip("-")
    return hostname or default


class API(actions_api.ActionsAPIMixin, resize_api.ResizeAPIMixin):
    """Server actions on behalf of an API request's context."""

    def __init__(self, conf: cfg.ConfigOpts,
                 transport: messaging.Transport,
                 servicegroup_api: servicegroup.API | None = None) -> None:
        self.conf = conf
        self.compute_task_api = conductor_rpcapi.ComputeTaskAPI(conf,
                                                                transport)
        self.compute_rpcapi = compute_rpcapi.ComputeAPI(conf, transport)
        self.servicegroup_api = servicegroup_api or servicegroup.API(conf)

    # -- boot ------------------------------------------------------------

    def create(self, context: Any, flavor: Any, image_ref: str, name: str,
               *, metadata: dict | None = None,
               availability_zone: str | None = None,
               key_name: str | None = None, min_count: int = 1,
               max_count: int = 1, networks: Any = None,
               tags: list[str] | None = None,
               group: str | None = None,
               hostname: str | None = None) -> list:
        """Write ``max_count`` instances, or as many as the project's quota
        allows if that is at least ``min_count`` (else
        ``TooManyInstances``, 403, and nothing is written), and ask the
        conductor to build them; returns the instances (BUILDING, task
        SCHEDULING). ``MetadataLimitExceeded`` (403) if ``metadata`` has
        more items than the quota allows.

        ``networks`` is Nova's request: "none", "auto" (the default) or a
        list; each instance gets a port of the network component per
        NIC asked for (``network_info``) before the build is sent; a
        network that does not exist is a 400, an exhausted pool a 409,
        and then nothing is left behind. ``tags`` (2.52)
        are written before the build is asked for. ``hostname`` (2.90)
        replaces the one made from the name, for one instance.

        ``group`` is a server group of the project (else a 400) the new
        servers join, within the ``server_group_members`` quota (403);
        the scheduler places them by its policy.
        """
        self._check_create(flavor, name, min_count, max_count)
        zone = availability_zone or self.conf.compute.default_schedule_zone
        db = db_api.from_context(context)
        nics = self._nics(context, db, networks, max_count)
        limits = quota.project_limits(self.conf, db, context.project_id)
        quota.check_metadata(limits, metadata)
        group_row = (self._group_for_boot(context, db, limits, group,
                                          max_count) if group else None)
        instances: list = []

        def values_for(count: int) -> list[dict]:
            instances[:] = [self._new_instance(
                context, flavor, image_ref, name, index, count, zone,
                key_name, metadata) for index in range(count)]
            if hostname is not None:
                instances[0].hostname = hostname
            return [instance.values_to_create() for instance in instances]

        rows = quota.create_instances(
            db, limits, context.project_id, flavor, min_count, max_count,
            values_for, action_obj.InstanceAction.columns_for(
                context, action_obj.CREATE))
        for instance, row in zip(instances, rows, strict=True):
            instance.created_as(row)
            if tags:
                tag_obj.TagList.create(context, instance.uuid, tags)
        if group_row is not None:
            self._join_group(db, limits, group_row, instances)
        self._plug(db, instances, nics, zone)
        request_spec = {
            "instance_uuids": [inst.uuid for inst in instances],
            "num_instances": len(instances),
            "flavor": {key: getattr(flavor, key) for key in (
                "flavorid", "memory_mb", "vcpus", "root_gb",
                "ephemeral_gb", "swap")},
            "image_ref": image_ref,
            "availability_zone": zone,
            "project_id": context.project_id,
            "user_id": context.user_id,
        }
        if group_row is not None:
            request_spec["group"] = {"uuid": group_row.uuid,
                                     "policy": group_row.policy,
                                     "rules": dict(group_row.rules or {})}
        try:
            self.compute_task_api.build_instances(
                context, instances, request_spec,
                requested_networks=self._networks(networks))
        except messaging.MessagingException:
            # The request fails (503) and its caller never learns these
            # ids, so they must not linger in BUILD: nothing was created.
            for instance in instances:
                network_instances.deallocate(db, instance.uuid,
                                             instance.network_info)
                instance.destroy()
            LOG.warning("Could not send the build of %s to the conductor; "
                        "deleted them again. Check minova-conductor and "
                        "the message broker.",
                        request_spec["instance_uuids"])
            raise
        LOG.debug("Asked the conductor to build %d instance(s): %s",
                  len(instances), request_spec["instance_uuids"])
        return instances

    def _nics(self, context: Any, db: Any, networks: Any,
              max_count: int) -> list:
        """The NICs a boot asks for, checked against the network API (a
        network or port that does not exist is a 400)."""
        nics = network_instances.resolve(self.conf, db, context,
                                         self._networks(networks))
        if max_count > 1 and any(nic.port_id for nic in nics):
            raise exception.ValidationError(
                field="networks", reason="a port can be given to one "
                                         "server only (max_count 1)")
        return nics

    @staticmethod
    def _group_for_boot(context: Any, db: Any, limits: dict, group: str,
                        max_count: int) -> Any:
        try:
            row = db_groups.get_by_uuid(db, group)
        except exception.InstanceGroupNotFound:
            row = None
        if row is None or (row.project_id != context.project_id
                           and not context.is_admin):
            raise exception.ValidationError(
                field="os:scheduler_hints/group",
                reason="there is no server group %s" % group)
        allowed = limits["server_group_members"]
        members = len(db_groups.members(db, [row.id])[row.id])
        if allowed != quota.UNLIMITED and members + max_count > allowed:
            raise exception.ServerGroupMembersQuotaExceeded()
        return row

    @staticmethod
    def _join_group(db: Any, limits: dict, group_row: Any,
                    instances: list) -> None:
        """Add the new servers to the group; if racing boots filled it
        meanwhile, delete them again (403, nothing left behind)."""
        allowed = limits["server_group_members"]

        def check(present: int) -> None:
            if allowed != quota.UNLIMITED and \
                    present + len(instances) > allowed:
                raise exception.ServerGroupMembersQuotaExceeded()
        try:
            db_groups.add_members(db, group_row.id,
                                  [inst.uuid for inst in instances], check)
        except exception.ServerGroupMembersQuotaExceeded:
            for instance in instances:
                instance.destroy()
            raise

    @staticmethod
    def _plug(db: Any, instances: list, nics: list, zone: str | None) -> None:
        """Each instance's ports, saved as its ``network_info`` (which
        also keeps the metadata API's fixed-IP index). On failure the
        instances and their ports are gone and the error is the
        caller's."""
        if not nics:
            # networks "none": no port to make, and the instances were
            # written with an empty network_info (``_new_instance``).
            return
        try:
            for instance in instances:
                instance.network_info = network_instances.allocate(
                    db, instance, nics, zone)
                instance.save()
        except Exception:
            for instance in instances:
                # Ports it was given are unbound, not deleted.
                network_instances.deallocate(
                    db, instance.uuid,
                    instance.network_info
                    if instance.obj_attr_is_set("network_info") else [])
                instance.destroy()
            raise

    def _new_instance(self, context: Any, flavor: Any, image_ref: str,
                      name: str, index: int, count: int, zone: str | None,
                      key_name: str | None,
                      metadata: dict | None) -> Any:
        instance = instance_obj.Instance(context)
        instance.update({
            "uuid": uuidutils.generate_uuid(),
            "display_name": name,
            "hostname": self._hostname(name, index, count),
            "user_id": context.user_id,
            "project_id": context.project_id,
            "image_ref": image_ref,
            "flavor_id": flavor.id,
            "memory_mb": flavor.memory_mb,
            "vcpus": flavor.vcpus,
            "root_gb": flavor.root_gb,
            "ephemeral_gb": flavor.ephemeral_gb,
            "flavor": flavor,
            "vm_state": vm_states.BUILDING,
            "task_state": task_states.SCHEDULING,
            "power_state": power_state.NOSTATE,
            "availability_zone": zone,
            # Nova's request spec zone: what a resize is held to, and
            # what 2.96 shows and 2.104 changes.
            "pinned_availability_zone": zone,
            "key_name": key_name,
            "metadata": dict(metadata or {}),
            "network_info": [],
        })
        return instance

    @staticmethod
    def _check_create(flavor: Any, name: str, min_count: int,
                      max_count: int) -> None:
        if not isinstance(name, str) or not name.strip():
            raise exception.ValidationError(field="name",
                                            reason="must not be empty")
        if min_count < 1 or max_count < min_count:
            raise exception.ValidationError(
                field="min_count",
                reason="min_count must be at least 1 and at most "
                       "max_count")
        if getattr(flavor, "disabled", False):
            raise exception.FlavorNotFoundForBoot(flavor_id=flavor.flavorid)

    @staticmethod
    def _hostname(name: str, index: int, count: int) -> str:
        hostname = sanitize_hostname(name)
        if count > 1:
            # Nova's multi-create: one name, numbered hostnames.
            hostname = "%s-%d" % (hostname[:58], index + 1)
        return hostname

    @staticmethod
    def _networks(networks: Any) -> Any:
        if networks is None:
            return "auto"
        return networks

    # -- reads and simple writes -----------------------------------------

    def get(self, context: Any, uuid: str,
            expected_attrs: list | None = None) -> Any:
        """The instance; ``InstanceNotFound`` (404). Ownership is the
        caller's policy check."""
        return instance_obj.Instance.get_by_uuid(
            context, uuid, expected_attrs=expected_attrs)

    def get_all(self, context: Any, filters: dict, *,
                limit: int | None = None, marker: str | None = None,
                sort_keys: list | None = None,
                sort_dirs: list | None = None,
                expected_attrs: list | None = None) -> Any:
        """Instances matching ``filters``, as ``scoped`` limits them."""
        return instance_obj.InstanceList.get_by_filters(
            context, self.scoped(context, filters), sort_keys=sort_keys,
            sort_dirs=sort_dirs, limit=limit, marker=marker,
            expected_attrs=expected_attrs)

    @staticmethod
    def scoped(context: Any, filters: dict) -> dict:
        """``filters`` as ``context`` may list with them: a non-admin
        context only ever sees its own project, whatever they say."""
        if context.is_admin:
            return dict(filters)
        return dict(filters, project_id=context.project_id)

    def update(self, context: Any, instance: Any, **values: Any) -> Any:
        """Change plain attributes (e.g. ``display_name``)."""
        instance.update(values)
        instance.save()
        return instance

    @staticmethod
    def pin_availability_zone(instance: Any, zone: str | None,
                              current_zone: str | None) -> None:
        """2.104, as Nova: None unpins; a zone pins the server to the one
        it is in (``current_zone``), else ``PinnedZoneConflict`` (409);
        a server pinned to another zone must be unpinned first (409).
        Only sets the attribute: the caller saves it with its update."""
        pinned = instance.pinned_availability_zone
        if zone is None or zone == pinned:
            instance.pinned_availability_zone = zone
            return
        if pinned is not None:
            raise exception.PinnedZoneConflict(
                reason="Cannot change pinned availability zone directly. "
                       "Unpin first by setting pinned_availability_zone "
                       "to null.")
        if zone != current_zone:
            raise exception.PinnedZoneConflict(
                reason="Server can only be pinned to its current "
                       "availability zone '%s', but '%s' was requested."
                       % (current_zone, exception.cut(zone)))
        instance.pinned_availability_zone = zone

    # -- actions ---------------------------------------------------------

    def delete(self, context: Any, instance: Any) -> None:
        """Delete: on its host when it has one that is up, else here.

        Deleting is allowed in any state, as in Nova; an instance that was
        never scheduled, or whose compute is down, is deleted in the
        database directly (its compute cleans up when it comes back).
        A locked instance only by an admin (409). Its ports go at once:
        the network component owns them, not the host.
        """
        _check_lock(context, instance)
        _record(context, instance, action_obj.DELETE)
        if instance.vm_state == vm_states.RESIZED:
            self._end_resize_for_delete(context, instance)
        network_instances.deallocate(db_api.from_context(context),
                                     instance.uuid, instance.network_info)
        if instance.host and self._host_is_up(context, instance.host):
            instance.task_state = task_states.DELETING
            instance.save()
            self.compute_rpcapi.terminate_instance(context, instance)
            return
        self._local_delete(instance)

    def _local_delete(self, instance: Any) -> None:
        LOG.info("Deleting instance %s locally (host: %s)", instance.uuid,
                 instance.host or "none")
        instance.vm_state = vm_states.DELETED
        instance.task_state = None
        instance.power_state = power_state.NOSTATE
        instance.save()
        instance.destroy()

    def _host_is_up(self, context: Any, host: str) -> bool:
        try:
            service = service_obj.Service.get_by_host_and_binary(
                context.elevated(), host, COMPUTE_BINARY)
        except exception.HostBinaryNotFound:
            return False
        return self.servicegroup_api.is_up(service)
