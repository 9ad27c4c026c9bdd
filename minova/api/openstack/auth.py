"""Authentication for the compute API without Keystone (``noauth2``)."""

from __future__ import annotations

from typing import Any

import webob.dec

from minova import context as minova_context
from minova import wsgi
from minova.api import deps as api_deps
from minova.api.openstack import faults


class NoAuthMiddleware(wsgi.Middleware):
    """Trusts ``X-Auth-Token: user:project`` (project defaults to user).

    The user named ``admin`` gets the admin role, as in Nova's noauth2.
    Version discovery (``GET /v2.1`` and ``GET /v2.1/``) needs no token.
    """

    @webob.dec.wsgify(RequestClass=wsgi.Request)
    def __call__(self, req: wsgi.Request) -> Any:
        token = req.headers.get("X-Auth-Token")
        if not token:
            if req.path_info in ("", "/") and req.method in ("GET",
                                                             "HEAD"):
                return self.application
            return faults.fault_response(
                401, "Authentication required: send X-Auth-Token "
                     "'user:project' (noauth2).")
        user_id, _, project_id = token.partition(":")
        user_id = user_id.strip()
        project_id = project_id.strip() or user_id
        roles = ["admin", "member", "reader"] if user_id == "admin" \
            else ["member", "reader"]
        deps = req.environ.get(api_deps.ENVIRON_KEY)
        req.environ["minova.context"] = minova_context.RequestContext(
            user_id=user_id, project_id=project_id, roles=roles,
            request_id=req.environ.get("openstack.request_id"),
            global_request_id=req.environ.get(
                "openstack.global_request_id"),
            db=deps.db if deps else None)
        return self.application
