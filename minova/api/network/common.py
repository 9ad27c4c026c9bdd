"""What the network handlers share: policy as Neutron applies it (a
resource the caller may not see is a 404, not a 403), list filters,
``fields=`` and the views."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from minova import exception
from minova.api.openstack import wsgi_util
from minova.db import network as db_network


def allowed(req: wsgi_util.APIRequest, action: str, target: dict) -> bool:
    try:
        req.deps.policy.authorize(req.context, "network:" + action, target)
    except exception.Forbidden:
        return False
    return True


def authorize(req: wsgi_util.APIRequest, action: str, target: dict) -> None:
    if not allowed(req, action, target):
        raise exception.Forbidden(action="network:" + action)


def authorize_fields(req: wsgi_util.APIRequest, action: str, body: dict,
                     target: dict, fields: tuple[str, ...]) -> None:
    """``<action>:<field>`` for each of ``fields`` the body sets (e.g.
    ``create_network:shared``), as Neutron checks attributes."""
    for name in fields:
        if name in body and body[name] not in (False, None):
            authorize(req, "%s:%s" % (action, name), target)


def get_visible(req: wsgi_util.APIRequest, kind: str, ident: str,
                target: Callable[[Any], dict]) -> Any:
    """The row, or its 404 if the caller may not see it."""
    with req.deps.db.session() as session:
        row = db_network.get(session, kind, ident)
    if not allowed(req, "get_" + kind, target(row)):
        raise db_network.not_found(kind, ident)
    return row


def truthy(field: str, value: str) -> bool:
    lowered = value.lower()
    if lowered in ("true", "1", "yes", "on"):
        return True
    if lowered in ("false", "0", "no", "off"):
        return False
    raise exception.ValidationError(field=field,
                                    reason="must be true or false")


def filters(req: wsgi_util.APIRequest, columns: dict[str, str],
            booleans: tuple[str, ...] = ()) -> dict[str, list]:
    """Query parameters named in ``columns`` (API name -> column), each
    possibly repeated (any of the values), as Neutron filters."""
    result: dict[str, list] = {}
    for name, column in columns.items():
        values = req.GET.getall(name)
        if not values:
            continue
        if name in booleans:
            values = [truthy(name, value) for value in values]
        result.setdefault(column, []).extend(values)
    return result


def project_filter(req: wsgi_util.APIRequest) -> dict[str, list]:
    values = req.GET.getall("project_id") + req.GET.getall("tenant_id")
    return {"project_id": values} if values else {}


def respond(req: wsgi_util.APIRequest, key: str, view: dict,
            status: int = 200) -> Any:
    return wsgi_util.json_response({key: only_fields(req, view)}, status)


def collection(req: wsgi_util.APIRequest, key: str,
               views: list[dict]) -> Any:
    return wsgi_util.json_response(
        {key: [only_fields(req, view) for view in views]})


def only_fields(req: wsgi_util.APIRequest, view: dict) -> dict:
    """``fields=a&fields=b`` (or ``fields=a,b``): only those keys."""
    wanted = [name for value in req.GET.getall("fields")
              for name in value.split(",") if name]
    if not wanted:
        return view
    return {name: value for name, value in view.items() if name in wanted}


def _base(row: Any) -> dict:
    return {"id": row.id, "project_id": row.project_id,
            "tenant_id": row.project_id,
            "created_at": _time(row.created_at),
            "updated_at": _time(row.updated_at or row.created_at),
            "revision_number": 0, "tags": []}


def _time(value: Any) -> str | None:
    return value.strftime("%Y-%m-%dT%H:%M:%SZ") if value else None


def network_target(row: Any) -> dict:
    return {"project_id": row.project_id, "shared": row.shared,
            "router:external": row.router_external}


def network_view(row: Any, subnet_ids: list[str]) -> dict:
    view = _base(row)
    view.update({
        "name": row.name, "description": row.description,
        "status": row.status, "admin_state_up": row.admin_state_up,
        "shared": row.shared, "router:external": row.router_external,
        "mtu": row.mtu, "subnets": subnet_ids,
        "availability_zones": ["nova"], "availability_zone_hints": [],
        "ipv4_address_scope": None, "ipv6_address_scope": None,
        "port_security_enabled": True, "is_default": False,
        "provider:network_type": "local",
        "provider:physical_network": None,
        "provider:segmentation_id": None,
        "l2_adjacency": True, "qos_policy_id": None,
        "dns_domain": ""})
    return view


def subnet_target(row: Any, network: Any) -> dict:
    return {"project_id": row.project_id,
            "network:project_id": network.project_id,
            "network:shared": network.shared,
            "network:router:external": network.router_external}


def subnet_view(row: Any) -> dict:
    view = _base(row)
    view.update({
        "name": row.name, "description": row.description,
        "network_id": row.network_id, "ip_version": row.ip_version,
        "cidr": row.cidr, "gateway_ip": row.gateway_ip,
        "enable_dhcp": row.enable_dhcp,
        "allocation_pools": row.allocation_pools,
        "dns_nameservers": row.dns_nameservers, "host_routes": [],
        "ipv6_ra_mode": None, "ipv6_address_mode": None,
        "subnetpool_id": None, "service_types": [],
        "segment_id": None, "dns_publish_fixed_ip": False})
    return view


def port_target(row: Any) -> dict:
    return {"project_id": row.project_id}


def port_view(row: Any, allocations: list, groups: list[str]) -> dict:
    view = _base(row)
    view.update({
        "name": row.name, "description": row.description,
        "network_id": row.network_id, "mac_address": row.mac_address,
        "device_id": row.device_id, "device_owner": row.device_owner,
        "status": row.status, "admin_state_up": row.admin_state_up,
        "fixed_ips": [{"subnet_id": a.subnet_id,
                       "ip_address": a.ip_address} for a in allocations],
        "security_groups": groups, "allowed_address_pairs": [],
        "extra_dhcp_opts": [], "binding:vnic_type": "normal",
        "binding:host_id": "", "binding:profile": {},
        "binding:vif_type": "unbound", "binding:vif_details": {},
        "port_security_enabled": True, "dns_name": "",
        "dns_assignment": [], "qos_policy_id": None,
        "propagate_uplink_status": False})
    return view


def floatingip_view(row: Any) -> dict:
    view = _base(row)
    view.update({
        "description": row.description,
        "floating_network_id": row.floating_network_id,
        "floating_ip_address": row.floating_ip_address,
        "port_id": row.port_id, "fixed_ip_address": row.fixed_ip_address,
        "router_id": None, "status": row.status, "port_details": None,
        "dns_domain": "", "dns_name": "", "qos_policy_id": None,
        "port_forwardings": []})
    return view


def rule_view(row: Any) -> dict:
    view = _base(row)
    view.update({
        "security_group_id": row.security_group_id,
        "direction": row.direction, "ethertype": row.ethertype,
        "protocol": row.protocol, "port_range_min": row.port_range_min,
        "port_range_max": row.port_range_max,
        "remote_ip_prefix": row.remote_ip_prefix,
        "remote_group_id": row.remote_group_id,
        "remote_address_group_id": None,
        "description": row.description, "normalized_cidr": None})
    return view


def group_view(row: Any, rules: list) -> dict:
    view = _base(row)
    view.update({"name": row.name, "description": row.description,
                 "stateful": True, "shared": False,
                 "security_group_rules": [rule_view(r) for r in rules]})
    return view


def owner(req: wsgi_util.APIRequest, body: dict) -> str:
    """The new resource's project: the caller's, or the one an admin
    names (``project_id`` or ``tenant_id``)."""
    project = body.pop("project_id", None) or body.pop("tenant_id", None)
    body.pop("tenant_id", None)
    if project and project != req.context.project_id:
        if not req.context.is_admin:
            raise exception.Forbidden(action="create for another project")
        return project
    return req.context.project_id


def subnet_ids(db: Any, network_ids: list[str]) -> dict[str, list[str]]:
    result: dict[str, list[str]] = {ident: [] for ident in network_ids}
    if network_ids:
        for row in db_network.find(db, "subnet",
                                   {"network_id": network_ids}):
            result[row.network_id].append(row.id)
    return result
