"""The metadata API app, served on its own port by minova-api.

``GET /`` lists the metadata flavours (only ``openstack`` here) and
``GET /openstack`` the versions of the OpenStack metadata format.
"""

from __future__ import annotations

from typing import Any

import webob
import webob.dec

from minova import wsgi
from minova.api.openstack import faults

VERSIONS = ["2012-08-10", "2013-04-04", "2013-10-17", "2015-10-15",
            "2016-06-30", "2016-10-06", "2017-02-22", "2018-08-27",
            "latest"]


def _text(lines: list[str]) -> webob.Response:
    return webob.Response(body="\n".join(lines).encode(),
                          content_type="text/plain", charset="UTF-8")


class MetadataRequestHandler:
    @classmethod
    def factory(cls, global_config: dict,
                **local_config: Any) -> MetadataRequestHandler:
        return cls()

    @webob.dec.wsgify(RequestClass=wsgi.Request)
    def __call__(self, req: wsgi.Request) -> Any:
        if req.method not in ("GET", "HEAD"):
            return faults.fault_response(
                405, "The method %s is not allowed for this resource."
                     % req.method, headers={"Allow": "GET, HEAD"})
        path = req.path_info.strip("/")
        if path == "":
            return _text(["openstack"])
        if path == "openstack":
            return _text(VERSIONS)
        return faults.fault_response(404, "The resource could not be found.")
