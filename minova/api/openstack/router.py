"""A declarative router: a table of path -> method -> handler.

Each handler is a plain function ``handler(req, **path_vars)`` returning a
``webob.Response`` (see ``minova.api.openstack.wsgi_util.json_response``).
For every path the router also answers other methods with a 405 fault and
an ``Allow`` header, and any unknown path with a 404 fault.

This is also the one place where domain exceptions (``MinovaException``)
and RPC timeouts become HTTP faults.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import oslo_messaging as messaging
import routes
import webob.exc

from minova import exception
from minova.api.openstack import api_version
from minova.api.openstack import faults
from minova.api.openstack import wsgi_util

LOG = logging.getLogger(__name__)

Handler = Callable[..., Any]


def _method_not_allowed(allowed: list[str],
                        fault: faults.FaultFormat) -> Handler:
    allow = ", ".join(sorted(allowed))

    def handler(req: wsgi_util.APIRequest, **_kw: Any) -> Any:
        return fault(
            405, "The method %s is not allowed for this resource. Allowed: "
                 "%s." % (req.method, allow), headers={"Allow": allow})
    return handler


def _mapper(table: dict[str, dict[str, Handler]],
            fault: faults.FaultFormat) -> routes.Mapper:
    mapper = routes.Mapper()
    for path, methods in table.items():
        methods = dict(methods)
        if "GET" in methods and "HEAD" not in methods:
            # HEAD is a GET without the body (webob drops it), as the
            # Allow header of the 405 promises.
            methods["HEAD"] = methods["GET"]
        for method, handler in methods.items():
            mapper.connect(path, action=handler,
                           conditions={"method": [method]})
        allowed = list(methods)
        mapper.connect(path, action=_method_not_allowed(allowed, fault))
    return mapper


def _utf8(value: Any) -> Any:
    """A path variable as the client sent it: WSGI hands the path over
    decoded as latin-1 (PEP 3333), clients encode it as UTF-8."""
    if not isinstance(value, str):
        return value
    try:
        return value.encode("latin-1").decode("utf-8")
    except UnicodeError as exc:
        raise exception.Invalid(
            reason="the URL path is not valid UTF-8") from exc


class APIRouter:
    """An API app: routing, microversion, fault boundary.

    ``fault`` is the API's fault format (``faults.FORMATS``);
    ``microversions`` whether it negotiates compute microversions.
    """

    def __init__(self, table: dict[str, dict[str, Handler]],
                 fault: faults.FaultFormat = faults.fault_response,
                 microversions: bool = True) -> None:
        self.fault = fault
        self.microversions = microversions
        self.mapper = _mapper(table, fault)

    def __call__(self, environ: dict, start_response: Any) -> Any:
        # Plain WSGI rather than webob.dec.wsgify: the same, without the
        # spare Response wsgify makes for every request.
        req = wsgi_util.APIRequest(environ)
        try:
            response = self._respond(req)
        except webob.exc.HTTPException as exc:
            response = exc  # e.g. 413 from the size limit, as wsgify did
        return response(environ, start_response)

    def _respond(self, req: wsgi_util.APIRequest) -> Any:
        version = None
        try:
            if self.microversions:
                version = api_version.from_headers(req.headers)
                req.api_version = version
            response = self._dispatch(req)
        except exception.MinovaException as exc:
            response = self._fault(req, exc)
        except messaging.MessagingTimeout as exc:
            LOG.warning("RPC timed out serving %s %s: %s. Check that the "
                        "backend services and the message broker are up.",
                        req.method, faults.log_path(req.environ), exc)
            response = self.fault(
                503, "A backend service did not answer in time; try again "
                     "later.")
        if self.microversions:
            api_version.add_headers(response, version)
        return response

    def _dispatch(self, req: wsgi_util.APIRequest) -> Any:
        match, route = self.mapper.routematch(environ=req.environ) or (
            None, None)
        if match is None:
            raise exception.NotFound(
                "The resource could not be found.")
        # The route's template, for the metrics (minova.service).
        req.environ["minova.route"] = (req.environ.get("SCRIPT_NAME", "")
                                       + route.routepath)
        handler = match.pop("action")
        match.pop("controller", None)
        try:
            params = req.GET  # parse now, to answer bad bytes with 400
        except UnicodeDecodeError as exc:
            raise exception.Invalid(
                reason="the query string is not valid UTF-8") from exc
        path_vars = {name: _utf8(value) for name, value in match.items()}
        # PostgreSQL refuses a NUL in any text it is sent (a 500); no id,
        # name or filter of the API has one.
        if any("\x00" in text for text in (*params.keys(),
                                            *params.values(),
                                            *path_vars.values())):
            raise exception.Invalid(reason="the URL contains a NUL "
                                           "character")
        return handler(req, **path_vars)

    def _fault(self, req: wsgi_util.APIRequest,
               exc: exception.MinovaException) -> Any:
        if not exc.safe:
            # Not meant for users: treat it like any unexpected error.
            raise exc
        if exc.code >= 500:
            LOG.warning("%s %s failed: %s", req.method,
                        faults.log_path(req.environ),
                        exc.format_message())
        return self.fault(exc.code, exc.format_message(),
                          kind=type(exc).__name__)
