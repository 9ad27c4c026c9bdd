"""``/v2.0/subnets``."""

from __future__ import annotations

from typing import Any

from minova import exception
from minova.api.network import common
from minova.api.network.schemas import resources as schemas
from minova.api.openstack import wsgi_util
from minova.db import network as db_network
from minova.network import core

_FILTERS = {"id": "id", "name": "name", "network_id": "network_id",
            "cidr": "cidr", "ip_version": "ip_version",
            "gateway_ip": "gateway_ip", "enable_dhcp": "enable_dhcp"}


def _networks(req: wsgi_util.APIRequest, rows: list) -> dict[str, Any]:
    ids = list({row.network_id for row in rows})
    if not ids:
        return {}
    return {net.id: net for net in db_network.find(req.deps.db, "network",
                                                   {"id": ids})}


def _get(req: wsgi_util.APIRequest, subnet_id: str) -> tuple[Any, dict]:
    with req.deps.db.session() as session:
        row = db_network.get(session, "subnet", subnet_id)
        network = db_network.get(session, "network", row.network_id)
    target = common.subnet_target(row, network)
    if not common.allowed(req, "get_subnet", target):
        raise db_network.not_found("subnet", subnet_id)
    return row, target


def index(req: wsgi_util.APIRequest) -> Any:
    filters = common.filters(req, _FILTERS, ("enable_dhcp",))
    if "ip_version" in filters:
        filters["ip_version"] = [_int(v) for v in filters["ip_version"]]
    filters.update(common.project_filter(req))
    rows = db_network.find(req.deps.db, "subnet", filters)
    networks = _networks(req, rows)
    rows = [row for row in rows if common.allowed(
        req, "get_subnet", common.subnet_target(row,
                                                networks[row.network_id]))]
    return common.collection(req, "subnets",
                             [common.subnet_view(row) for row in rows])


def _int(value: str) -> int:
    if value not in ("4", "6"):
        raise exception.ValidationError(field="ip_version",
                                        reason="must be 4 or 6")
    return int(value)


def show(req: wsgi_util.APIRequest, subnet_id: str) -> Any:
    row, _target = _get(req, subnet_id)
    return common.respond(req, "subnet", common.subnet_view(row))


def create(req: wsgi_util.APIRequest) -> Any:
    body = req.validated(schemas.SUBNET_CREATE)["subnet"]
    project = common.owner(req, body)
    network = common.get_visible(req, "network", body["network_id"],
                                 common.network_target)
    common.authorize(req, "create_subnet", {
        "project_id": project, "network:project_id": network.project_id})
    row = core.create_subnet(req.deps.db, project, body)
    return common.respond(req, "subnet", common.subnet_view(row), 201)


def update(req: wsgi_util.APIRequest, subnet_id: str) -> Any:
    _row, target = _get(req, subnet_id)
    body = req.validated(schemas.SUBNET_UPDATE)["subnet"]
    common.authorize(req, "update_subnet", target)
    row = core.update(req.deps.db, "subnet", subnet_id, body)
    return common.respond(req, "subnet", common.subnet_view(row))


def delete(req: wsgi_util.APIRequest, subnet_id: str) -> Any:
    _row, target = _get(req, subnet_id)
    common.authorize(req, "delete_subnet", target)
    core.delete_subnet(req.deps.db, subnet_id)
    return wsgi_util.empty_response()
