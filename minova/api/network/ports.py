"""``/v2.0/ports``."""

from __future__ import annotations

from typing import Any

from minova import exception
from minova.api.network import common
from minova.api.network.schemas import resources as schemas
from minova.api.openstack import wsgi_util
from minova.db import network as db_network
from minova.network import core
from minova.network import security_groups

_FILTERS = {"id": "id", "name": "name", "status": "status",
            "network_id": "network_id", "device_id": "device_id",
            "device_owner": "device_owner", "mac_address": "mac_address",
            "admin_state_up": "admin_state_up"}


def _fixed_ips(req: wsgi_util.APIRequest) -> dict[str, list]:
    """``fixed_ips=ip_address=10.0.0.3&fixed_ips=subnet_id=...``."""
    result: dict[str, list] = {}
    for value in req.GET.getall("fixed_ips"):
        name, _sep, wanted = value.partition("=")
        if name not in ("ip_address", "subnet_id") or not wanted:
            raise exception.ValidationError(
                field="fixed_ips", reason="a filter is ip_address=<ip> or "
                                          "subnet_id=<id>")
        result.setdefault(name, []).append(wanted)
    return result


def _views(req: wsgi_util.APIRequest, rows: list) -> list[dict]:
    db = req.deps.db
    allocations = db_network.allocations(db, [row.id for row in rows])
    groups: dict[str, list[str]] = {}
    with db.session() as session:
        for project in {row.project_id for row in rows}:
            group = db_network.default_security_group(session, project)
            groups[project] = [group] if group else []
    return [common.port_view(
        row, allocations[row.id],
        [] if row.device_owner.startswith("network:")
        else groups[row.project_id]) for row in rows]


def _get(req: wsgi_util.APIRequest, port_id: str) -> Any:
    return common.get_visible(req, "port", port_id, common.port_target)


def index(req: wsgi_util.APIRequest) -> Any:
    filters = common.filters(req, _FILTERS, ("admin_state_up",))
    filters.update(common.project_filter(req))
    rows = [row for row in db_network.find(req.deps.db, "port", filters,
                                           fixed_ips=_fixed_ips(req))
            if common.allowed(req, "get_port", common.port_target(row))]
    return common.collection(req, "ports", _views(req, rows))


def show(req: wsgi_util.APIRequest, port_id: str) -> Any:
    return common.respond(req, "port", _views(req, [_get(req, port_id)])[0])


def create(req: wsgi_util.APIRequest) -> Any:
    body = req.validated(schemas.PORT_CREATE)["port"]
    project = common.owner(req, body)
    network = common.get_visible(req, "network", body["network_id"],
                                 common.network_target)
    target = {"project_id": project, "network:project_id":
              network.project_id}
    common.authorize(req, "create_port", target)
    common.authorize_fields(req, "create_port", body, target,
                            ("mac_address",))
    body.pop("security_groups", None)  # only the default group is served
    fixed_ips = body.pop("fixed_ips", None)
    security_groups.ensure_default(req.deps.db, project)
    row = core.create_port(req.deps.db, project, body, fixed_ips=fixed_ips)
    return common.respond(req, "port", _views(req, [row])[0], 201)


def update(req: wsgi_util.APIRequest, port_id: str) -> Any:
    row = _get(req, port_id)
    body = req.validated(schemas.PORT_UPDATE)["port"]
    common.authorize(req, "update_port", common.port_target(row))
    row = core.update(req.deps.db, "port", port_id, body)
    return common.respond(req, "port", _views(req, [row])[0])


def delete(req: wsgi_util.APIRequest, port_id: str) -> Any:
    row = _get(req, port_id)
    common.authorize(req, "delete_port", common.port_target(row))
    core.delete_port(req.deps.db, port_id)
    return wsgi_util.empty_response()
