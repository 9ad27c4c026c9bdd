"""Servers as Nova shows them, for the microversion asked."""

from __future__ import annotations

import hashlib
from typing import Any

from minova.api.openstack import common
from minova.api.openstack import wsgi_util
from minova.api.openstack.compute.views import flavors as flavor_views
from minova.db import api as db_api
from minova.db import server_groups as db_groups
from minova.db import tags as db_tags
from minova.network import instances as network_instances
from minova.objects import service as service_obj
from minova.objects import tag as tag_obj

COMPUTE_BINARY = "minova-compute"
# Nova's: a server in these shows ``progress`` (a rebuild's answer, in
# REBUILD, among them).
_PROGRESS_STATUSES = ("ACTIVE", "BUILD", "REBUILD", "RESIZE",
                      "VERIFY_RESIZE", "MIGRATING")
_FAULT_STATUSES = ("ERROR", "DELETED")


class Viewer:
    """Builds server views for one request; caches what a list shares
    (policy answers, the compute services for ``host_status``)."""

    def __init__(self, req: wsgi_util.APIRequest) -> None:
        self.req = req
        policy, context = req.deps.policy, req.context
        target = {"project_id": context.project_id}
        self.show_extended = _allowed(
            policy, context, "os_compute_api:os-extended-server-attributes",
            target)
        self.show_host_status = (
            req.api_version.matches("2.16") and _allowed(
                policy, context, "os_compute_api:servers:show:host_status",
                target))
        self._services: dict[str, Any] | None = None
        self._tags: dict[str, list[str]] = {}
        self._floating: dict[str, list] | None = None
        self._groups: dict[str, list[str]] = {}

    def load(self, instances: list) -> None:
        """Read what a list's servers show from other tables in one query
        each: their floating IPs, tags (2.26) and server groups (for the
        2.100 scheduler hints); a read-only list view, so from the rows
        (docs/architecture.md)."""
        uuids = [instance.uuid for instance in instances]
        db = db_api.from_context(self.req.context)
        self._floating = network_instances.floating(
            db, [inst for inst in instances if inst.network_info])
        if self.req.api_version.matches("2.26"):
            self._tags.update(db_tags.get_many(db, uuids))
        if self.req.api_version.matches("2.100"):
            self._groups.update(db_groups.groups_of_many(db, uuids))

    def _tags_of(self, instance: Any) -> list[str]:
        if instance.uuid not in self._tags:
            self._tags[instance.uuid] = tag_obj.TagList.get_by_resource_id(
                self.req.context, instance.uuid).names()
        return self._tags[instance.uuid]

    def _addresses(self, instance: Any) -> dict:
        if not instance.network_info:
            return {}
        if self._floating is None:
            self._floating = network_instances.floating(
                self.req.deps.db, [instance])
        return addresses(list(instance.network_info)
                         + self._floating.get(instance.uuid, []))

    def _groups_of(self, instance: Any) -> list[str]:
        if instance.uuid not in self._groups:
            self._groups[instance.uuid] = db_groups.groups_of(
                db_api.from_context(self.req.context), instance.uuid)
        return self._groups[instance.uuid]

    def _scheduler_hints(self, instance: Any) -> dict:
        """The hints the server was booted with (2.100). ``group`` is the
        one minova takes, kept as the server's group membership; Nova's
        request spec holds every hint as a list, and so it shows them
        (a deleted group's hint goes with it, as in Nova)."""
        groups = self._groups_of(instance)
        return {"group": list(groups)} if groups else {}

    def basic(self, instance: Any) -> dict:
        return {"id": instance.uuid, "name": instance.display_name,
                "links": common.links(self.req, "servers", instance.uuid)}

    def created(self, instance: Any) -> dict:
        """What ``POST /servers`` answers (202)."""
        return {"id": instance.uuid,
                "links": common.links(self.req, "servers", instance.uuid),
                "OS-DCF:diskConfig": "MANUAL"}

    def show(self, instance: Any) -> dict:
        """One server (show, update): the detail view and, from 2.71,
        its server groups (which Nova leaves out of the list)."""
        view = self.detail(instance)
        if self.req.api_version.matches("2.71"):
            view["server_groups"] = self._groups_of(instance)
        return view

    def updated(self, instance: Any) -> dict:
        """What ``PUT /servers/{id}`` answers: from 2.75 the whole
        server, before it Nova's shorter view (no extended attributes,
        addresses without their type and MAC)."""
        view = self.show(instance)
        if self.req.api_version.matches("2.75"):
            return view
        return _shorter(view, _UPDATE_KEYS_BEFORE_2_75)

    def rebuilt(self, instance: Any) -> dict:
        """What a ``rebuild`` answers (202), as Nova's ``_rebuild``: from
        2.75 the whole server but ``OS-EXT-SRV-ATTR:user_data``; before
        it the update's shorter view and, from 2.54, ``key_name``. From
        2.57 the server's ``user_data`` (what a rebuild set, else null).

        Never ``adminPass``: minova sets no passwords, so it answers as
        Nova does with ``[api] enable_instance_password = False``.
        """
        version = self.req.api_version
        view = self.show(instance)
        if version.matches("2.75"):
            view.pop("OS-EXT-SRV-ATTR:user_data", None)
        else:
            keys = _UPDATE_KEYS_BEFORE_2_75
            if version.matches("2.54"):
                keys = keys | {"key_name"}
            view = _shorter(view, keys)
        if version.matches("2.57"):
            view["user_data"] = instance.user_data
        return view

    def detail(self, instance: Any) -> dict:
        status = common.status_from_state(instance.vm_state,
                                          instance.task_state)
        view = self.basic(instance)
        view.update(_core(self.req, instance, status))
        if self.req.api_version.matches("2.26"):
            view["tags"] = self._tags_of(instance)
        view["addresses"] = self._addresses(instance)
        view.update(_extended_states(instance))
        if not _no_network(instance):
            view["security_groups"] = [{"name": "default"}]
        if status in _PROGRESS_STATUSES:
            view["progress"] = 0  # as Nova: only migrations move it
        if status in _FAULT_STATUSES:
            fault = _fault(self.req, instance)
            if fault is not None:
                view["fault"] = fault
        if self.show_extended:
            view.update(_server_attributes(self.req, instance))
        elif self.req.api_version.matches("2.90"):
            # From 2.90 the hostname is shown whatever the policy says.
            view["OS-EXT-SRV-ATTR:hostname"] = instance.hostname
        if self.show_host_status:
            view["host_status"] = self._host_status(instance)
        if self.req.api_version.matches("2.100"):
            view["scheduler_hints"] = self._scheduler_hints(instance)
        return view

    def _host_status(self, instance: Any) -> str:
        if not instance.host:
            return ""
        if self._services is None:
            services = service_obj.ServiceList.get_all(
                self.req.context, binary=COMPUTE_BINARY)
            self._services = {s.host: s for s in services}
        service = self._services.get(instance.host)
        if service is None:
            return "UNKNOWN"
        if not self.req.deps.servicegroup.is_up(service):
            return "DOWN"
        return "MAINTENANCE" if service.disabled else "UP"


# What the update and rebuild views hold before 2.75 (then those of later
# versions, shown only from theirs).
_UPDATE_KEYS_BEFORE_2_75 = frozenset((
    "id", "name", "links", "status", "tenant_id", "user_id", "metadata",
    "hostId", "image", "flavor", "created", "updated", "addresses",
    "accessIPv4", "accessIPv6", "OS-DCF:diskConfig", "progress", "fault",
    "locked", "description", "tags", "trusted_image_certificates",
    "server_groups", "locked_reason"))


def _shorter(view: dict, keys: frozenset[str]) -> dict:
    """The update and rebuild view before 2.75: ``keys`` of the show
    view, addresses without their type and MAC."""
    view = {key: value for key, value in view.items() if key in keys}
    view["addresses"] = {
        network: [{"version": ip["version"], "addr": ip["addr"]}
                  for ip in ips]
        for network, ips in view["addresses"].items()}
    return view


def _allowed(policy: Any, context: Any, rule: str, target: dict) -> bool:
    try:
        policy.authorize(context, rule, target)
    except Exception:  # noqa: BLE001 - Forbidden means "do not show"
        return False
    return True


def _no_network(instance: Any) -> bool:
    return not instance.network_info


def _core(req: wsgi_util.APIRequest, instance: Any, status: str) -> dict:
    version = req.api_version
    view = {
        "status": status,
        "tenant_id": instance.project_id,
        "user_id": instance.user_id,
        "metadata": dict(instance.metadata or {}),
        "hostId": _host_id(instance),
        "image": _image(req, instance),
        "flavor": _flavor(req, instance),
        "created": common.isotime(instance.created_at),
        "updated": common.isotime(instance.updated_at
                                  or instance.created_at),
        "accessIPv4": "",
        "accessIPv6": "",
        "OS-DCF:diskConfig": "MANUAL",
        "OS-EXT-AZ:availability_zone": instance.availability_zone or "",
        "config_drive": "",
        "key_name": instance.key_name,
        "OS-SRV-USG:launched_at": common.plain_time(instance.launched_at),
        "OS-SRV-USG:terminated_at": common.plain_time(
            instance.terminated_at),
        "os-extended-volumes:volumes_attached": [],
    }
    if version.matches("2.9"):
        view["locked"] = bool(instance.locked)
    if version.matches("2.19"):
        view["description"] = None
    if version.matches("2.63"):
        view["trusted_image_certificates"] = None  # none accepted
    if version.matches("2.73"):
        view["locked_reason"] = instance.locked_reason
    if version.matches("2.96"):
        # The zone asked for at boot (or [compute]
        # default_schedule_zone), as Nova's request spec holds it; 2.104
        # unpins or pins it.
        view["pinned_availability_zone"] = \
            instance.pinned_availability_zone
    return view


def _extended_states(instance: Any) -> dict:
    return {
        "OS-EXT-STS:vm_state": instance.vm_state,
        "OS-EXT-STS:task_state": instance.task_state,
        "OS-EXT-STS:power_state": instance.power_state,
    }


def _server_attributes(req: wsgi_util.APIRequest, instance: Any) -> dict:
    view = {
        "OS-EXT-SRV-ATTR:host": instance.host,
        "OS-EXT-SRV-ATTR:hypervisor_hostname": instance.node,
        "OS-EXT-SRV-ATTR:instance_name": "instance-%08x" % instance.id,
    }
    if req.api_version.matches("2.3"):
        view.update({
            "OS-EXT-SRV-ATTR:hostname": instance.hostname,
            "OS-EXT-SRV-ATTR:reservation_id": "",
            "OS-EXT-SRV-ATTR:launch_index": 0,
            "OS-EXT-SRV-ATTR:kernel_id": "",
            "OS-EXT-SRV-ATTR:ramdisk_id": "",
            "OS-EXT-SRV-ATTR:root_device_name": None,
            "OS-EXT-SRV-ATTR:user_data": instance.user_data,
        })
    return view


def _host_id(instance: Any) -> str:
    """Nova's hostId: the same for one project's servers on one host,
    without revealing the host's name."""
    if not instance.host:
        return ""
    text = "%s%s" % (instance.project_id, instance.host)
    return hashlib.sha224(text.encode()).hexdigest()


def _image(req: wsgi_util.APIRequest, instance: Any) -> Any:
    if not instance.image_ref:
        return ""
    view = {"id": instance.image_ref,
            "links": common.bookmark(req, "images", instance.image_ref)}
    if req.api_version.matches("2.98"):
        # The image's properties as booted: the catalog of [image]
        # images has none to embed.
        view["properties"] = {}
    return view


def _flavor(req: wsgi_util.APIRequest, instance: Any) -> dict:
    flavor = instance.flavor
    if req.api_version.matches("2.47"):
        return flavor_views.embedded(flavor) if flavor is not None else {}
    flavorid = flavor.flavorid if flavor is not None else ""
    return {"id": flavorid,
            "links": common.bookmark(req, "flavors", flavorid)}


def _fault(req: wsgi_util.APIRequest, instance: Any) -> dict | None:
    fault = instance.fault if instance.obj_attr_is_set("fault") else None
    if fault is None:
        return None
    view = {"code": fault.code, "message": fault.message,
            "created": common.isotime(fault.created_at)}
    if fault.details and (req.context.is_admin or fault.code != 500):
        view["details"] = fault.details
    return view


def addresses(network_info: list | None) -> dict:
    """``{network: [{version, addr, OS-EXT-IPS:type, ...:mac_addr}]}``:
    the fixed addresses of the ports (``network_info``), and the
    floating IPs associated with them, under the port's network."""
    result: dict[str, list] = {}
    for vif in network_info or []:
        address = vif.get("address") or vif.get("addr")
        if not address:
            continue
        network = vif.get("label") or vif.get("network") or "private"
        result.setdefault(network, []).append({
            "version": 6 if ":" in address else 4,
            "addr": address,
            "OS-EXT-IPS:type": vif.get("type") or "fixed",
            "OS-EXT-IPS-MAC:mac_addr": vif.get("mac") or _mac(address),
        })
    return result


def _mac(address: str) -> str:
    """A MAC for a port the fake network made without one: Nova always
    shows one. OpenStack's fa:16:3e prefix, the rest from the address, so
    the same address always shows the same MAC."""
    digest = hashlib.sha256(address.encode()).digest()
    return "fa:16:3e:%02x:%02x:%02x" % tuple(digest[:3])
