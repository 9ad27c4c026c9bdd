"""``/os-hypervisors``: the compute nodes and their resources (admins).

A hypervisor's ``state`` is its compute service's liveness (servicegroup)
and ``status`` whether that service is enabled, as in Nova. From 2.53 its
id (and its service's) is a uuid, the list takes
``hypervisor_hostname_pattern`` and ``with_servers``; from 2.88 the
resource figures leave the views and ``statistics`` and ``uptime`` go.
"""

from __future__ import annotations

from typing import Any

from oslo_utils import strutils
from oslo_utils import uuidutils

from minova import exception
from minova.api.openstack import common
from minova.api.openstack import faults
from minova.api.openstack import wsgi_util
from minova.objects import compute_node as node_obj
from minova.objects import service as service_obj

COMPUTE_BINARY = "minova-compute"
UUID_IDS = "2.53"
NO_STATISTICS = "2.88"
_LIST_QUERY_2_53 = frozenset({"limit", "marker",
                              "hypervisor_hostname_pattern",
                              "with_servers"})
_RESOURCES = ("vcpus", "vcpus_used", "memory_mb", "memory_mb_used",
              "local_gb", "local_gb_used", "free_ram_mb", "free_disk_gb",
              "disk_available_least", "current_workload", "running_vms")


def _services(req: wsgi_util.APIRequest) -> dict[str, Any]:
    """The compute services by host (one query for a whole list)."""
    services = service_obj.ServiceList.get_all(req.context,
                                               binary=COMPUTE_BINARY)
    return {service.host: service for service in services}


def _view(req: wsgi_util.APIRequest, node: Any, service: Any,
          detail: bool, servers: list | None = None) -> dict:
    up = service is not None and req.deps.servicegroup.is_up(service)
    disabled = service is None or service.disabled
    uuids = req.api_version.matches(UUID_IDS)
    view: dict[str, Any] = {
        "id": node.uuid if uuids else node.id,
        "hypervisor_hostname": node.hypervisor_hostname,
        "state": "up" if up else "down",
        "status": "disabled" if disabled else "enabled",
    }
    if servers is not None:
        view["servers"] = servers
    if not detail:
        return view
    view.update({
        "hypervisor_type": node.hypervisor_type,
        "hypervisor_version": node.hypervisor_version,
        "host_ip": node.host_ip,
        "vcpus": node.vcpus,
        "vcpus_used": node.vcpus_used,
        "memory_mb": node.memory_mb,
        "memory_mb_used": node.memory_mb_used,
        "local_gb": node.local_gb,
        "local_gb_used": node.local_gb_used,
        "free_ram_mb": node.free_ram_mb,
        "free_disk_gb": node.free_disk_gb,
        "disk_available_least": node.free_disk_gb,
        "current_workload": 0,
        "running_vms": node.running_vms,
        # A string before 2.28, an object from it (the fake has no CPU).
        "cpu_info": {} if req.api_version.matches("2.28") else "{}",
        "service": {
            "id": (service.uuid if uuids else service.id)
            if service is not None else None,
            "host": node.host,
            "disabled_reason": (service.disabled_reason
                                if service is not None else None),
        },
    })
    if req.api_version.matches(NO_STATISTICS):
        for key in (*_RESOURCES, "cpu_info"):
            view.pop(key)
        # The fake driver has no uptime, as statistics never had.
        view["uptime"] = None
    return view


def _paged(req: wsgi_util.APIRequest, nodes: list) -> tuple[list, int]:
    """Paging with limit and marker (a hypervisor id), from 2.33."""
    if not req.api_version.matches("2.33"):
        return nodes, len(nodes) + 1
    limit, marker = common.limit_and_marker(req)
    if marker is not None:
        ids = [str(node.uuid if req.api_version.matches(UUID_IDS)
                   else node.id) for node in nodes]
        if marker not in ids:
            raise exception.InvalidMarker(marker=marker)
        nodes = nodes[ids.index(marker) + 1:]
    return nodes[:limit], limit


def _with_servers(req: wsgi_util.APIRequest) -> bool:
    if not req.api_version.matches(UUID_IDS):
        return False
    text = req.GET.get("with_servers")
    if text is None:
        return False
    try:
        return strutils.bool_from_string(text, strict=True)
    except ValueError as exc:
        raise exception.ValidationError(
            field="with_servers", reason="%s is not a boolean"
            % exception.quote(text)) from exc


def _servers(req: wsgi_util.APIRequest, node: Any) -> list | None:
    """``[{name, uuid}]`` of the servers on a node; from 2.75 an empty
    list is shown too, before it the key is left out."""
    instances = req.deps.compute_api.get_all(
        req.context, {"host": node.host, "node": node.hypervisor_hostname})
    servers = [{"name": instance.display_name, "uuid": instance.uuid}
               for instance in instances]
    if not servers and not req.api_version.matches("2.75"):
        return None
    return servers


def _matching(req: wsgi_util.APIRequest, nodes: list) -> list:
    """``hypervisor_hostname_pattern`` (2.53): a substring, as Nova's
    database LIKE '%pattern%' matches; a 404 when nothing does."""
    pattern = req.GET.get("hypervisor_hostname_pattern")
    if pattern is None or not req.api_version.matches(UUID_IDS):
        return nodes
    if "limit" in req.GET or "marker" in req.GET:
        raise exception.Invalid(reason="Paging over hypervisors with "
                                       "'hypervisor_hostname_pattern' is "
                                       "not supported.")
    found = [node for node in nodes
             if pattern.lower() in node.hypervisor_hostname.lower()]
    if not found:
        raise exception.ComputeNodeNotFound(node_id=exception.cut(pattern))
    return found


def _list(req: wsgi_util.APIRequest, rule: str, detail: bool) -> Any:
    context = req.context
    req.deps.policy.authorize(context, rule)
    allowed = _LIST_QUERY_2_53 if req.api_version.matches(UUID_IDS) \
        else {"limit", "marker"}
    common.check_query(req, allowed)
    with_servers = _with_servers(req)
    nodes = _matching(req, list(node_obj.ComputeNodeList.get_all(context)))
    nodes, limit = _paged(req, nodes)
    services = _services(req)
    items = [_view(req, node, services.get(node.host), detail,
                   _servers(req, node) if with_servers else None)
             for node in nodes]
    body: dict = {"hypervisors": items}
    if req.api_version.matches("2.33"):
        path = "os-hypervisors/detail" if detail else "os-hypervisors"
        next_links = common.collection_links(req, items, limit, path)
        if next_links:
            body["hypervisors_links"] = next_links
    return wsgi_util.json_response(body)


def index(req: wsgi_util.APIRequest) -> Any:
    return _list(req, "os_compute_api:os-hypervisors:list", detail=False)


def detail(req: wsgi_util.APIRequest) -> Any:
    return _list(req, "os_compute_api:os-hypervisors:list-detail",
                 detail=True)


def _node(req: wsgi_util.APIRequest, hypervisor_id: str) -> Any:
    context = req.context
    req.deps.policy.authorize(context, "os_compute_api:os-hypervisors:show")
    if req.api_version.matches(UUID_IDS):
        if not uuidutils.is_uuid_like(hypervisor_id):
            raise exception.Invalid(reason="Invalid uuid %s"
                                    % exception.cut(hypervisor_id))
        return node_obj.ComputeNode.get_by_uuid(context, hypervisor_id)
    try:
        ident = int(hypervisor_id)
    except ValueError as exc:
        raise exception.ComputeNodeNotFound(node_id=hypervisor_id) from exc
    return node_obj.ComputeNode.get_by_id(context, ident)


def uptime(req: wsgi_util.APIRequest, hypervisor_id: str) -> Any:
    """501, as Nova answers for a virt driver without uptime (the fake);
    ``openstack hypervisor show`` asks and expects exactly that. Gone
    from 2.88 (a 404), its ``uptime`` being in the view."""
    _gone_from_2_88(req)
    common.check_query(req, set())
    _node(req, hypervisor_id)
    return faults.fault_response(
        501, "Virt driver does not implement uptime function.")


def _gone_from_2_88(req: wsgi_util.APIRequest) -> None:
    if req.api_version.matches(NO_STATISTICS):
        raise exception.NotFound("The resource could not be found.")


def show(req: wsgi_util.APIRequest, hypervisor_id: str) -> Any:
    common.check_query(req, {"with_servers"}
                       if req.api_version.matches(UUID_IDS) else set())
    with_servers = _with_servers(req)
    node = _node(req, hypervisor_id)
    service = _services(req).get(node.host)
    return wsgi_util.json_response(
        {"hypervisor": _view(req, node, service, detail=True,
                             servers=_servers(req, node) if with_servers
                             else None)})


_SUMMED = ("vcpus", "vcpus_used", "memory_mb", "memory_mb_used",
           "local_gb", "local_gb_used", "free_ram_mb", "free_disk_gb",
           "running_vms")


def statistics(req: wsgi_util.APIRequest) -> Any:
    context = req.context
    _gone_from_2_88(req)
    req.deps.policy.authorize(context,
                              "os_compute_api:os-hypervisors:statistics")
    common.check_query(req, set())
    nodes = list(node_obj.ComputeNodeList.get_all(context))
    stats = {key: sum(getattr(node, key) for node in nodes)
             for key in _SUMMED}
    stats.update(count=len(nodes), current_workload=0,
                 disk_available_least=stats["free_disk_gb"])
    return wsgi_util.json_response({"hypervisor_statistics": stats})
