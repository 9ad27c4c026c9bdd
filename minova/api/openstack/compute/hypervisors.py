"""``/os-hypervisors``: the compute nodes and their resources (admins).

A hypervisor's ``state`` is its compute service's liveness (servicegroup)
and ``status`` whether that service is enabled, as in Nova.
"""

from __future__ import annotations

from typing import Any

from minova import exception
from minova.api.openstack import common
from minova.api.openstack import faults
from minova.api.openstack import wsgi_util
from minova.objects import compute_node as node_obj
from minova.objects import service as service_obj

COMPUTE_BINARY = "minova-compute"


def _services(req: wsgi_util.APIRequest) -> dict[str, Any]:
    """The compute services by host (one query for a whole list)."""
    services = service_obj.ServiceList.get_all(req.context,
                                               binary=COMPUTE_BINARY)
    return {service.host: service for service in services}


def _view(req: wsgi_util.APIRequest, node: Any, service: Any,
          detail: bool) -> dict:
    up = service is not None and req.deps.servicegroup.is_up(service)
    disabled = service is None or service.disabled
    view: dict[str, Any] = {
        "id": node.id,
        "hypervisor_hostname": node.hypervisor_hostname,
        "state": "up" if up else "down",
        "status": "disabled" if disabled else "enabled",
    }
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
            "id": service.id if service is not None else None,
            "host": node.host,
            "disabled_reason": (service.disabled_reason
                                if service is not None else None),
        },
    })
    return view


def _paged(req: wsgi_util.APIRequest, nodes: list) -> tuple[list, int]:
    """Paging with limit and marker (a hypervisor id), from 2.33."""
    if not req.api_version.matches("2.33"):
        return nodes, len(nodes) + 1
    limit, marker = common.limit_and_marker(req)
    if marker is not None:
        ids = [str(node.id) for node in nodes]
        if marker not in ids:
            raise exception.InvalidMarker(marker=marker)
        nodes = nodes[ids.index(marker) + 1:]
    return nodes[:limit], limit


def _list(req: wsgi_util.APIRequest, rule: str, detail: bool) -> Any:
    context = req.context
    req.deps.policy.authorize(context, rule)
    nodes = list(node_obj.ComputeNodeList.get_all(context))
    nodes, limit = _paged(req, nodes)
    services = _services(req)
    items = [_view(req, node, services.get(node.host), detail)
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
    try:
        ident = int(hypervisor_id)
    except ValueError as exc:
        raise exception.ComputeNodeNotFound(node_id=hypervisor_id) from exc
    return node_obj.ComputeNode.get_by_id(context, ident)


def uptime(req: wsgi_util.APIRequest, hypervisor_id: str) -> Any:
    """501, as Nova answers for a virt driver without uptime (the fake);
    ``openstack hypervisor show`` asks and expects exactly that."""
    _node(req, hypervisor_id)
    return faults.fault_response(
        501, "Virt driver does not implement uptime function.")


def show(req: wsgi_util.APIRequest, hypervisor_id: str) -> Any:
    node = _node(req, hypervisor_id)
    service = _services(req).get(node.host)
    return wsgi_util.json_response(
        {"hypervisor": _view(req, node, service, detail=True)})


_SUMMED = ("vcpus", "vcpus_used", "memory_mb", "memory_mb_used",
           "local_gb", "local_gb_used", "free_ram_mb", "free_disk_gb",
           "running_vms")


def statistics(req: wsgi_util.APIRequest) -> Any:
    context = req.context
    req.deps.policy.authorize(context,
                              "os_compute_api:os-hypervisors:statistics")
    nodes = list(node_obj.ComputeNodeList.get_all(context))
    stats = {key: sum(getattr(node, key) for node in nodes)
             for key in _SUMMED}
    stats.update(count=len(nodes), current_workload=0,
                 disk_available_least=stats["free_disk_gb"])
    return wsgi_util.json_response({"hypervisor_statistics": stats})
