"""``/v2.0/networks``."""

from __future__ import annotations

from typing import Any

from minova.api.network import common
from minova.api.network.schemas import resources as schemas
from minova.api.openstack import wsgi_util
from minova.db import network as db_network
from minova.network import core

_FILTERS = {"id": "id", "name": "name", "status": "status",
            "shared": "shared", "router:external": "router_external",
            "admin_state_up": "admin_state_up", "mtu": "mtu"}
_BOOLEANS = ("shared", "router:external", "admin_state_up")
_ADMIN_FIELDS = ("shared", "router:external")


def _views(req: wsgi_util.APIRequest, rows: list) -> list[dict]:
    subnets = common.subnet_ids(req.deps.db, [row.id for row in rows])
    return [common.network_view(row, subnets[row.id]) for row in rows]


def _columns(body: dict) -> dict:
    if "router:external" in body:
        body["router_external"] = body.pop("router:external")
    return body


def index(req: wsgi_util.APIRequest) -> Any:
    filters = common.filters(req, _FILTERS, _BOOLEANS)
    filters.update(common.project_filter(req))
    rows = [row for row in db_network.find(req.deps.db, "network", filters)
            if common.allowed(req, "get_network",
                              common.network_target(row))]
    return common.collection(req, "networks", _views(req, rows))


def show(req: wsgi_util.APIRequest, network_id: str) -> Any:
    row = common.get_visible(req, "network", network_id,
                             common.network_target)
    return common.respond(req, "network", _views(req, [row])[0])


def create(req: wsgi_util.APIRequest) -> Any:
    body = req.validated(schemas.NETWORK_CREATE)["network"]
    project = common.owner(req, body)
    target = {"project_id": project}
    common.authorize(req, "create_network", target)
    common.authorize_fields(req, "create_network", body, target,
                            _ADMIN_FIELDS)
    row = core.create_network(req.deps.db, project, _columns(body))
    return common.respond(req, "network", _views(req, [row])[0], 201)


def update(req: wsgi_util.APIRequest, network_id: str) -> Any:
    row = common.get_visible(req, "network", network_id,
                             common.network_target)
    body = req.validated(schemas.NETWORK_UPDATE)["network"]
    target = common.network_target(row)
    common.authorize(req, "update_network", target)
    changed = {name: value for name, value in body.items()
               if name in _ADMIN_FIELDS
               and value != target.get(name)}
    common.authorize_fields(req, "update_network",
                            {name: True for name in changed}, target,
                            _ADMIN_FIELDS)
    row = core.update(req.deps.db, "network", network_id, _columns(body))
    return common.respond(req, "network", _views(req, [row])[0])


def delete(req: wsgi_util.APIRequest, network_id: str) -> Any:
    row = common.get_visible(req, "network", network_id,
                             common.network_target)
    common.authorize(req, "delete_network", common.network_target(row))
    core.delete_network(req.deps.db, network_id)
    return wsgi_util.empty_response()
