"""``/v2.0/floatingips``: create on an external network, associate by
PUT ``port_id``, disassociate with ``port_id: null``, delete."""

from __future__ import annotations

from typing import Any

from minova import exception
from minova.api.network import common
from minova.api.network.schemas import resources as schemas
from minova.api.openstack import wsgi_util
from minova.db import network as db_network
from minova.network import core
from minova.network import floating_ips

_FILTERS = {"id": "id", "floating_ip_address": "floating_ip_address",
            "port_id": "port_id", "status": "status",
            "floating_network_id": "floating_network_id",
            "fixed_ip_address": "fixed_ip_address"}


def _target(row: Any) -> dict:
    return {"project_id": row.project_id}


def _get(req: wsgi_util.APIRequest, fip_id: str) -> Any:
    return common.get_visible(req, "floatingip", fip_id, _target)


def _check_port(req: wsgi_util.APIRequest, port_id: str | None) -> None:
    """The port must be one the caller may use (else its 404)."""
    if port_id:
        row = common.get_visible(req, "port", port_id, common.port_target)
        if not common.allowed(req, "update_port", common.port_target(row)):
            raise exception.PortNotFound(port_id=port_id)


def index(req: wsgi_util.APIRequest) -> Any:
    filters = common.filters(req, _FILTERS)
    filters.update(common.project_filter(req))
    rows = [row for row in db_network.find(req.deps.db, "floatingip",
                                           filters)
            if common.allowed(req, "get_floatingip", _target(row))]
    return common.collection(req, "floatingips",
                             [common.floatingip_view(row) for row in rows])


def show(req: wsgi_util.APIRequest, floatingip_id: str) -> Any:
    return common.respond(req, "floatingip",
                          common.floatingip_view(_get(req, floatingip_id)))


def create(req: wsgi_util.APIRequest) -> Any:
    body = req.validated(schemas.FLOATINGIP_CREATE)["floatingip"]
    project = common.owner(req, body)
    target = {"project_id": project}
    common.authorize(req, "create_floatingip", target)
    common.authorize_fields(req, "create_floatingip", body, target,
                            ("floating_ip_address",))
    common.get_visible(req, "network", body["floating_network_id"],
                       common.network_target)
    _check_port(req, body.get("port_id"))
    row = floating_ips.create(req.deps.db, project, body)
    return common.respond(req, "floatingip", common.floatingip_view(row),
                          201)


def update(req: wsgi_util.APIRequest, floatingip_id: str) -> Any:
    row = _get(req, floatingip_id)
    body = req.validated(schemas.FLOATINGIP_UPDATE)["floatingip"]
    common.authorize(req, "update_floatingip", _target(row))
    if "port_id" in body:
        _check_port(req, body["port_id"])
        row = floating_ips.associate(req.deps.db, floatingip_id,
                                     body["port_id"],
                                     body.get("fixed_ip_address"))
    if "description" in body:
        row = core.update(req.deps.db, "floatingip", floatingip_id,
                          {"description": body["description"]})
    return common.respond(req, "floatingip", common.floatingip_view(row))


def delete(req: wsgi_util.APIRequest, floatingip_id: str) -> Any:
    row = _get(req, floatingip_id)
    common.authorize(req, "delete_floatingip", _target(row))
    floating_ips.delete(req.deps.db, floatingip_id)
    return wsgi_util.empty_response()
