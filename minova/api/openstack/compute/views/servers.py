"""Servers as Nova shows them, for the microversion asked."""

from __future__ import annotations

import hashlib
import types
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


class _Since:
    """The microversion checks of the server views, made once per
    request: a list asked each of them for every server it showed."""

    def __init__(self, version: Any) -> None:
        for name, minimum in _VERSIONS.items():
            setattr(self, name, version.matches(minimum))


# Where a server view changes (``Viewer.since.<name>``).
_VERSIONS = {
    "extended_2_3": "2.3", "locked": "2.9", "host_status": "2.16",
    "description": "2.19", "tags": "2.26", "flavor_embedded": "2.47",
    "user_data": "2.57", "certificates": "2.63", "server_groups": "2.71",
    "locked_reason": "2.73", "whole_update": "2.75", "hostname": "2.90",
    "pinned_zone": "2.96", "image_properties": "2.98", "hints": "2.100",
}


def servers_from_rows(rows: list, faults: dict) -> list[Any]:
    """A list's servers from its Core rows (``minova.db.instances``) and
    their newest faults, with the attributes the views read of an
    Instance: a read-only list view may be built from rows
    (docs/architecture.md), and building an object per server, a
    coerced setter per field, was a third of a page. The rows hold what
    the objects would: every write went through the object's coercion."""
    servers = []
    for row in rows:
        server = types.SimpleNamespace(**row._asdict())
        server.metadata = row.meta
        flavor = row.flavor
        server.flavor = (types.SimpleNamespace(**flavor)
                         if flavor else None)
        server.fault = faults.get(row.uuid)
        servers.append(server)
    return servers


class Viewer:
    """Builds server views for one request; caches what a list shares
    (policy answers, microversion checks, the compute services for
    ``host_status``)."""

    def __init__(self, req: wsgi_util.APIRequest) -> None:
        self.req = req
        policy, context = req.deps.policy, req.context
        target = {"project_id": context.project_id}
        self.since = since = _Since(req.api_version)
        self.show_extended = _allowed(
            policy, context, "os_compute_api:os-extended-server-attributes",
            target)
        self.show_host_status = since.host_status and _allowed(
            policy, context, "os_compute_api:servers:show:host_status",
            target)
        # common.links' two prefixes, for every server's links.
        self._prefixes = common.link_prefixes(req)
        self._host_ids: dict[tuple, str] = {}
        self._services: dict[str, Any] | None = None
        self._host_statuses: dict[str, str] = {}
        self._tags: dict[str, list[str]] = {}
        self._floating: dict[str, list] | None = None
        self._groups: dict[str, list[str]] = {}

    def load(self, instances: list, connection: Any) -> None:
        """Read what a list's servers show from other tables in one query
        each, on the list's connection: their tags (2.26) and server
        groups (for the 2.100 scheduler hints); a read-only list view,
        so from the rows (docs/architecture.md)."""
        uuids = [instance.uuid for instance in instances]
        if self.since.tags:
            self._tags.update(db_tags.get_many_on(connection, uuids))
        if self.since.hints:
            self._groups.update(db_groups.groups_of_many_on(connection,
                                                            uuids))

    def load_floating(self, instances: list) -> None:
        """The floating IPs of a list's servers, in one query (after
        ``load``'s connection is returned: SQLite's pool holds one)."""
        self._floating = network_instances.floating(
            db_api.from_context(self.req.context),
            [inst for inst in instances if inst.network_info])

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
        floating = self._floating.get(instance.uuid)
        return addresses(list(instance.network_info) + floating
                         if floating else instance.network_info)

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

    def _links(self, collection: str, ident: Any) -> list[dict]:
        return common.links_under(self._prefixes, collection, ident)

    def _bookmark(self, collection: str, ident: Any) -> list[dict]:
        return self._links(collection, ident)[1:]

    def basic(self, instance: Any) -> dict:
        return {"id": instance.uuid, "name": instance.display_name,
                "links": self._links("servers", instance.uuid)}

    def created(self, instance: Any) -> dict:
        """What ``POST /servers`` answers (202)."""
        return {"id": instance.uuid,
                "links": self._links("servers", instance.uuid),
                "OS-DCF:diskConfig": "MANUAL"}

    def show(self, instance: Any) -> dict:
        """One server (show, update): the detail view and, from 2.71,
        its server groups (which Nova leaves out of the list)."""
        view = self.detail(instance)
        if self.since.server_groups:
            view["server_groups"] = self._groups_of(instance)
        return view

    def updated(self, instance: Any) -> dict:
        """What ``PUT /servers/{id}`` answers: from 2.75 the whole
        server, before it Nova's shorter view (no extended attributes,
        addresses without their type and MAC)."""
        view = self.show(instance)
        if self.since.whole_update:
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
        view = self.show(instance)
        if self.since.whole_update:
            view.pop("OS-EXT-SRV-ATTR:user_data", None)
        else:
            keys = _UPDATE_KEYS_BEFORE_2_75
            if self.req.api_version.matches("2.54"):
                keys = keys | {"key_name"}
            view = _shorter(view, keys)
        if self.since.user_data:
            view["user_data"] = instance.user_data
        return view

    def detail(self, instance: Any) -> dict:
        since = self.since
        status = common.status_from_state(instance.vm_state,
                                          instance.task_state)
        view = self.basic(instance)
        view.update(self._core(instance, status))
        if since.tags:
            view["tags"] = self._tags_of(instance)
        view["addresses"] = self._addresses(instance)
        view["OS-EXT-STS:vm_state"] = instance.vm_state
        view["OS-EXT-STS:task_state"] = instance.task_state
        view["OS-EXT-STS:power_state"] = instance.power_state
        if not _no_network(instance):
            view["security_groups"] = [{"name": "default"}]
        if status in _PROGRESS_STATUSES:
            view["progress"] = 0  # as Nova: only migrations move it
        if status in _FAULT_STATUSES:
            fault = _fault(self.req, instance)
            if fault is not None:
                view["fault"] = fault
        if self.show_extended:
            view.update(_server_attributes(since, instance))
        elif since.hostname:
            # From 2.90 the hostname is shown whatever the policy says.
            view["OS-EXT-SRV-ATTR:hostname"] = instance.hostname
        if self.show_host_status:
            view["host_status"] = self._host_status(instance)
        if since.hints:
            view["scheduler_hints"] = self._scheduler_hints(instance)
        return view

    def _core(self, instance: Any, status: str) -> dict:
        since = self.since
        view = {
            "status": status,
            "tenant_id": instance.project_id,
            "user_id": instance.user_id,
            "metadata": dict(instance.metadata or {}),
            "hostId": self._host_id(instance),
            "image": self._image(instance),
            "flavor": self._flavor(instance),
            "created": common.isotime(instance.created_at),
            "updated": common.isotime(instance.updated_at
                                or instance.created_at),
            "accessIPv4": "",
            "accessIPv6": "",
            "OS-DCF:diskConfig": "MANUAL",
            "OS-EXT-AZ:availability_zone":
                instance.availability_zone or "",
            "config_drive": "",
            "key_name": instance.key_name,
            "OS-SRV-USG:launched_at": common.plain_time(instance.launched_at),
            "OS-SRV-USG:terminated_at": common.plain_time(
                instance.terminated_at),
            "os-extended-volumes:volumes_attached": [],
        }
        if since.locked:
            view["locked"] = bool(instance.locked)
        if since.description:
            view["description"] = None
        if since.certificates:
            view["trusted_image_certificates"] = None  # none accepted
        if since.locked_reason:
            view["locked_reason"] = instance.locked_reason
        if since.pinned_zone:
            # The zone asked for at boot (or [compute]
            # default_schedule_zone), as Nova's request spec holds it;
            # 2.104 unpins or pins it.
            view["pinned_availability_zone"] = \
                instance.pinned_availability_zone
        return view

    def _host_id(self, instance: Any) -> str:
        """Nova's hostId: the same for one project's servers on one
        host, without revealing the host's name (a page's servers share
        a few hosts: hashed once each)."""
        if not instance.host:
            return ""
        key = (instance.project_id, instance.host)
        host_id = self._host_ids.get(key)
        if host_id is None:
            host_id = self._host_ids[key] = _host_id(instance)
        return host_id

    def _image(self, instance: Any) -> Any:
        if not instance.image_ref:
            return ""
        view = {"id": instance.image_ref,
                "links": self._bookmark("images", instance.image_ref)}
        if self.since.image_properties:
            # The image's properties as booted: the catalog of [image]
            # images has none to embed.
            view["properties"] = {}
        return view

    def _flavor(self, instance: Any) -> dict:
        flavor = instance.flavor
        if self.since.flavor_embedded:
            return (flavor_views.embedded(flavor) if flavor is not None
                    else {})
        flavorid = flavor.flavorid if flavor is not None else ""
        return {"id": flavorid,
                "links": self._bookmark("flavors", flavorid)}

    def _host_status(self, instance: Any) -> str:
        host = instance.host
        if not host:
            return ""
        status = self._host_statuses.get(host)
        if status is None:
            status = self._host_statuses[host] = self._status_of(host)
        return status

    def _status_of(self, host: str) -> str:
        if self._services is None:
            services = service_obj.ServiceList.get_all(
                self.req.context, binary=COMPUTE_BINARY)
            self._services = {s.host: s for s in services}
        service = self._services.get(host)
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


def _server_attributes(since: _Since, instance: Any) -> dict:
    view = {
        "OS-EXT-SRV-ATTR:host": instance.host,
        "OS-EXT-SRV-ATTR:hypervisor_hostname": instance.node,
        "OS-EXT-SRV-ATTR:instance_name": "instance-%08x" % instance.id,
    }
    if since.extended_2_3:
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


def _fault(req: wsgi_util.APIRequest, instance: Any) -> dict | None:
    """The newest fault, if read with the server (an object's
    ``expected_attrs``; always with a list's rows)."""
    is_set = getattr(instance, "obj_attr_is_set", None)
    if is_set is not None and not is_set("fault"):
        return None
    fault = instance.fault
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
