"""Version discovery: ``GET /`` (the versions list) and ``GET /v2.0``
(the resources), as Neutron answers."""

from __future__ import annotations

from typing import Any

from minova.api.openstack import wsgi_util

RESOURCES = ("networks", "subnets", "ports", "floatingips",
             "security-groups", "security-group-rules", "extensions")


def _root(req: wsgi_util.APIRequest) -> str:
    return req.application_url.rstrip("/")


def versions(req: wsgi_util.APIRequest) -> Any:
    return wsgi_util.json_response({"versions": [{
        "id": "v2.0", "status": "CURRENT",
        "links": [{"rel": "self", "href": _root(req) + "/v2.0/"}]}]})


def version(req: wsgi_util.APIRequest) -> Any:
    base = _root(req) + "/v2.0/"
    return wsgi_util.json_response({"resources": [
        {"name": name.rstrip("s").replace("-", "_"), "collection": name,
         "links": [{"rel": "self", "href": base + name}]}
        for name in RESOURCES]})
