"""Version discovery at the auth URL: ``GET /`` (300, the versions list,
as Keystone answers) and ``GET /v3``."""

from __future__ import annotations

from typing import Any

from minova.api.openstack import wsgi_util

_VERSION = "v3.14"
_UPDATED = "2020-04-07T00:00:00Z"
_MEDIA_TYPE = "application/vnd.openstack.identity-v3+json"


def _v3(root: str) -> dict:
    return {
        "id": _VERSION, "status": "stable", "updated": _UPDATED,
        "links": [{"rel": "self", "href": root.rstrip("/") + "/v3/"}],
        "media-types": [{"base": "application/json",
                         "type": _MEDIA_TYPE}],
    }


def versions(req: wsgi_util.APIRequest) -> Any:
    return wsgi_util.json_response(
        {"versions": {"values": [_v3(req.application_url)]}}, status=300)


def version_v3(req: wsgi_util.APIRequest) -> Any:
    return wsgi_util.json_response({"version": _v3(req.application_url)})
