"""The version documents: ``GET /`` (all versions) and ``GET /v2.1/``."""

from __future__ import annotations

from typing import Any

from minova.api.openstack import api_version
from minova.api.openstack import faults
from minova.api.openstack import wsgi_util

_UPDATED = "2013-07-23T11:33:21Z"


def _v21(base_url: str) -> dict:
    return {
        "id": "v2.1",
        "status": "CURRENT",
        "version": api_version.MAX_VERSION,
        "min_version": api_version.MIN_VERSION,
        "updated": _UPDATED,
        "links": [{"rel": "self", "href": base_url.rstrip("/") + "/v2.1/"}],
    }


def version_v21(req: wsgi_util.APIRequest) -> Any:
    """``GET /v2.1/``: the one version this endpoint serves."""
    base = req.application_url.rsplit("/v2.1", 1)[0]
    document = _v21(base)
    document["links"].append({"rel": "describedby", "type": "text/html",
                              "href": "https://docs.openstack.org/"})
    document["media-types"] = [{
        "base": "application/json",
        "type": "application/vnd.openstack.compute+json;version=2.1"}]
    return wsgi_util.json_response({"version": document})


class Versions:
    """The app at ``/``: lists the versions; any other path is a 404."""

    @classmethod
    def factory(cls, global_config: dict, **local_config: Any) -> Versions:
        return cls()

    def __call__(self, environ: dict, start_response: Any) -> Any:
        # Plain WSGI rather than webob.dec.wsgify: the same, without the
        # spare Response wsgify makes for every request.
        req = wsgi_util.APIRequest(environ)
        return self._respond(req)(environ, start_response)

    @staticmethod
    def _respond(req: wsgi_util.APIRequest) -> Any:
        # The raw path: WebOb's path_info decodes it and fails on one
        # that is not UTF-8 (any such path is a 404 here anyway).
        if req.environ.get("PATH_INFO", "") not in ("", "/"):
            return faults.fault_response(404,
                                         "The resource could not be found.")
        if req.method not in ("GET", "HEAD"):
            return faults.fault_response(
                405, "The method %s is not allowed for this resource."
                     % req.method, headers={"Allow": "GET, HEAD"})
        return wsgi_util.json_response(
            {"versions": [_v21(req.application_url)]})
