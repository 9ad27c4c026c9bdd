"""``/v3/services``, ``/v3/endpoints``, ``/v3/regions``: the catalog,
read-only (bootstrap writes it, ``minova.identity.catalog``)."""

from __future__ import annotations

from typing import Any

from minova import exception
from minova.api.identity import common
from minova.api.openstack import wsgi_util
from minova.db import identity_state


def _service(req: wsgi_util.APIRequest, row: Any) -> dict:
    return {"id": row.id, "type": row.type, "name": row.name,
            "description": row.description or "", "enabled": row.enabled,
            "links": common.link(req, "/v3/services/%s" % row.id)}


def _endpoint(req: wsgi_util.APIRequest, row: Any) -> dict:
    return {"id": row.id, "service_id": row.service_id,
            "interface": row.interface, "region": row.region_id,
            "region_id": row.region_id, "url": row.url,
            "enabled": row.enabled,
            "links": common.link(req, "/v3/endpoints/%s" % row.id)}


def services(req: wsgi_util.APIRequest) -> Any:
    common.context(req)
    common.authorize(req, "list_services")
    rows = identity_state.services(req.deps.db, type=req.GET.get("type"),
                                   name=req.GET.get("name"))
    return common.collection(req, "services",
                             [_service(req, row) for row in rows])


def service(req: wsgi_util.APIRequest, service_id: str) -> Any:
    common.context(req)
    common.authorize(req, "get_service")
    rows = identity_state.services(req.deps.db, id=service_id)
    if not rows:
        raise exception.IdentityNotFound(kind="service", id=service_id)
    return wsgi_util.json_response({"service": _service(req, rows[0])})


def endpoints(req: wsgi_util.APIRequest) -> Any:
    common.context(req)
    common.authorize(req, "list_endpoints")
    rows = identity_state.endpoints(
        req.deps.db, service_id=req.GET.get("service_id"),
        interface=req.GET.get("interface"),
        region_id=req.GET.get("region_id") or req.GET.get("region"))
    return common.collection(req, "endpoints",
                             [_endpoint(req, row) for row in rows])


def endpoint(req: wsgi_util.APIRequest, endpoint_id: str) -> Any:
    common.context(req)
    common.authorize(req, "get_endpoint")
    rows = identity_state.endpoints(req.deps.db, id=endpoint_id)
    if not rows:
        raise exception.IdentityNotFound(kind="endpoint", id=endpoint_id)
    return wsgi_util.json_response({"endpoint": _endpoint(req, rows[0])})


def regions(req: wsgi_util.APIRequest) -> Any:
    common.context(req)
    common.authorize(req, "list_regions")
    region = req.deps.conf.identity.region
    return common.collection(req, "regions", [{
        "id": region, "description": "", "parent_region_id": None,
        "links": common.link(req, "/v3/regions/%s" % region)}])
