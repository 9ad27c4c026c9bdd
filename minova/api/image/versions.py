"""Version discovery, as Glance answers it: the versions list (300) at
the API's root and for /v2, and /versions (200)."""

from __future__ import annotations

from typing import Any

from minova.api.openstack import wsgi_util

# Glance's v2 minor versions; the newest is CURRENT.
_VERSIONS = ("2.17", "2.16", "2.15", "2.9", "2.7", "2.6", "2.5", "2.4",
             "2.3", "2.2", "2.1", "2.0")


def _document(req: wsgi_util.APIRequest) -> dict:
    href = req.application_url.rstrip("/") + "/v2/"
    return {"versions": [
        {"id": "v" + version,
         "status": "CURRENT" if i == 0 else "SUPPORTED",
         "links": [{"rel": "self", "href": href}]}
        for i, version in enumerate(_VERSIONS)]}


def versions(req: wsgi_util.APIRequest) -> Any:
    return wsgi_util.json_response(_document(req), 300)


def versions_list(req: wsgi_util.APIRequest) -> Any:
    return wsgi_util.json_response(_document(req))
