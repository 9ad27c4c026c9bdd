"""The version documents: ``GET /`` (all versions), ``GET /v2.1/`` and
``GET /v2/`` (Nova's legacy v2.0, which minova lists and describes but
does not serve: only its version document is there)."""

from __future__ import annotations

from typing import Any

from minova.api.openstack import api_version
from minova.api.openstack import common
from minova.api.openstack import faults
from minova.api.openstack import wsgi_util

# Nova 34's: v2.0 is deprecated (and has no microversions), v2.1 current.
_VERSIONS = {
    "v2.0": {"status": "DEPRECATED", "updated": "2025-07-04T12:00:00Z",
             "path": "v2", "media": "2"},
    "v2.1": {"status": "CURRENT", "updated": "2013-07-23T11:33:21Z",
             "path": "v2.1", "media": "2.1"},
}


def _summary(ident: str, root: str) -> dict:
    """A version as ``GET /`` lists it."""
    known = _VERSIONS[ident]
    current = ident == "v2.1"
    return {
        "id": ident,
        "status": known["status"],
        "version": api_version.MAX_VERSION if current else "",
        "min_version": api_version.MIN_VERSION if current else "",
        "updated": known["updated"],
        "links": [{"rel": "self",
                   "href": "%s/%s" % (root.rstrip("/"), known["path"])}],
    }


def document(ident: str, root: str) -> dict:
    """``{"version": ...}``: one version described at its own root."""
    version = _summary(ident, root)
    version["links"] = [
        {"rel": "self", "href": "%s/%s/" % (root.rstrip("/"),
                                            _VERSIONS[ident]["path"])},
        {"rel": "describedby", "type": "text/html",
         "href": "http://docs.openstack.org/"}]
    version["media-types"] = [{
        "base": "application/json",
        "type": "application/vnd.openstack.compute+json;version=%s"
                % _VERSIONS[ident]["media"]}]
    return {"version": version}


def version_v21(req: wsgi_util.APIRequest) -> Any:
    """``GET /v2.1/``: the one version this endpoint serves."""
    common.check_query(req, set())
    root = req.application_url.rsplit("/v2.1", 1)[0]
    return wsgi_util.json_response(document("v2.1", root))


class Versions:
    """The app at ``/``: lists the versions; any other path is a 404.

    With ``version = v2.0`` (api-paste.ini, at ``/v2``) it answers that
    version's document instead of the list.
    """

    def __init__(self, version: str | None = None) -> None:
        self.version = version

    @classmethod
    def factory(cls, global_config: dict, **local_config: Any) -> Versions:
        return cls(local_config.get("version"))

    def __call__(self, environ: dict, start_response: Any) -> Any:
        # Plain WSGI rather than webob.dec.wsgify: the same, without the
        # spare Response wsgify makes for every request.
        req = wsgi_util.APIRequest(environ)
        return self._respond(req)(environ, start_response)

    def _respond(self, req: wsgi_util.APIRequest) -> Any:
        # The raw path: WebOb's path_info decodes it and fails on one
        # that is not UTF-8 (any such path is a 404 here anyway).
        if req.environ.get("PATH_INFO", "") not in ("", "/"):
            return faults.fault_response(404,
                                         "The resource could not be found.")
        if req.method not in ("GET", "HEAD"):
            return faults.fault_response(
                405, "The method %s is not allowed for this resource."
                     % req.method, headers={"Allow": "GET, HEAD"})
        if self.version is not None:
            root = req.application_url.rsplit("/", 1)[0]
            return wsgi_util.json_response(document(self.version, root))
        return wsgi_util.json_response(
            {"versions": [_summary(ident, req.application_url)
                          for ident in sorted(_VERSIONS)]})
