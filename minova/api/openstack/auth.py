"""Authentication for the compute API without Keystone (``noauth2``)."""

from __future__ import annotations

import re
import wsgiref.util
from typing import Any

import webob

from minova import context as minova_context
from minova import wsgi
from minova.api import deps as api_deps
from minova.api.openstack import faults


class NoAuthMiddleware(wsgi.Middleware):
    """Trusts ``X-Auth-Token: user:project`` (project defaults to user).

    The user named ``admin`` gets the admin role, as in Nova's noauth2.
    Version discovery (``GET /v2.1`` and ``GET /v2.1/``) needs no token.
    Any other request without ``X-Auth-Token`` is a "log in", answered as
    Nova's noauth2 did (removed from Nova since; clients still know it): a
    204 whose ``X-Auth-Token`` is ``X-Auth-User:X-Auth-Project-Id`` (both
    default to admin) and whose ``X-Server-Management-Url`` is the URL
    asked with the project appended. An empty token is a 401.
    Plain WSGI, not a WebOb layer: it only reads the environ.
    """

    def __call__(self, environ: dict, start_response: Any) -> Any:
        token = environ.get("HTTP_X_AUTH_TOKEN")
        if not token:
            if environ.get("PATH_INFO", "") in ("", "/") and \
                    environ["REQUEST_METHOD"] in ("GET", "HEAD"):
                return self.application(environ, start_response)
            if token is None:
                return _log_in(environ, start_response)
            return faults.fault_response(
                401, "Authentication required: send X-Auth-Token "
                     "'user:project' (noauth2).")(environ, start_response)
        user_id, _, project_id = token.partition(":")
        user_id = user_id.strip()
        project_id = project_id.strip() or user_id
        if not (_storable(user_id) and _storable(project_id)):
            return faults.fault_response(
                401, "Invalid X-Auth-Token: the user and the project are "
                     "at most %d characters, without control characters "
                     "(noauth2)." % _MAX_ID)(environ, start_response)
        roles = ["admin", "member", "reader"] if user_id == "admin" \
            else ["member", "reader"]
        deps = environ.get(api_deps.ENVIRON_KEY)
        environ["minova.context"] = minova_context.RequestContext(
            user_id=user_id, project_id=project_id, roles=roles,
            request_id=environ.get("openstack.request_id"),
            global_request_id=environ.get("openstack.global_request_id"),
            db=deps.db if deps else None)
        return self.application(environ, start_response)


def _log_in(environ: dict, start_response: Any) -> Any:
    req = webob.Request(environ)
    user_id = req.headers.get("X-Auth-User", "admin")
    project_id = req.headers.get("X-Auth-Project-Id", "admin")
    response = webob.Response(status=204, content_type="text/plain")
    response.headers["X-Auth-Token"] = "%s:%s" % (user_id, project_id)
    # The URL as sent (wsgiref quotes the raw path): webob's req.url
    # decodes the path as UTF-8 and fails on one that is not.
    url = wsgiref.util.request_uri(environ)
    response.headers["X-Server-Management-Url"] = "/".join(
        [url.rstrip("/"), project_id])
    return response(environ, start_response)


# The user_id and project_id columns hold 255 characters (Keystone's ids
# are 64); MariaDB and PostgreSQL refuse longer values, PostgreSQL a NUL.
_MAX_ID = 255
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _storable(ident: str) -> bool:
    return len(ident) <= _MAX_ID and not _CONTROL.search(ident)

