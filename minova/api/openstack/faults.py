"""The fault formats of the APIs, and the last-resort fault wrapper.

Nova's fault is ``{"<type>": {"code": <status>, "message": "..."}}`` with
the type named after the status, e.g. ``{"badRequest": {...}}``;
Keystone's is ``{"error": {"code": 401, "title": "Unauthorized",
"message": "..."}}``; Glance's WebOb's ``{"code": "404 Not Found",
"title": "Not Found", "message": "..."}``; Neutron's ``{"NeutronError":
{"type": ..., "message": ..., "detail": ""}}``. A format takes ``kind``,
the domain exception's name, which only Neutron's shows. ``FORMATS``
names each API's format for the fault wrapper (``format = keystone`` in
its paste filter section) and the router (``APIRouter(table,
fault=...)``); an API with another format adds its function here.
"""

from __future__ import annotations

import http
import logging
from collections.abc import Callable
from typing import Any
from urllib import parse

import webob
import webob.exc
from oslo_serialization import jsonutils

from minova import wsgi

LOG = logging.getLogger(__name__)

# Nova's names (nova.api.openstack.wsgi.Fault); any other status, 406
# (an unsupported microversion) among them, is a computeFault.
_STATUS_TO_TYPE = {
    400: "badRequest",
    401: "unauthorized",
    403: "forbidden",
    404: "itemNotFound",
    405: "badMethod",
    409: "conflictingRequest",
    413: "overLimit",
    415: "badMediaType",
    429: "overLimit",
    501: "notImplemented",
    503: "serviceUnavailable",
}


def _json(code: int, body: dict, headers: dict | None) -> webob.Response:
    response = webob.Response(status=code, content_type="application/json",
                              charset="UTF-8")
    response.body = jsonutils.dump_as_bytes(body)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def _title(code: int) -> str:
    try:
        return http.HTTPStatus(code).phrase
    except ValueError:
        return "Error"


def fault_response(code: int, message: str, headers: dict | None = None,
                   kind: str | None = None) -> webob.Response:
    fault_type = _STATUS_TO_TYPE.get(code, "computeFault")
    body = {fault_type: {"code": code, "message": message}}
    return _json(code, body, headers)


def keystone_fault_response(code: int, message: str,
                            headers: dict | None = None,
                            kind: str | None = None) -> webob.Response:
    title = _title(code)
    body = {"error": {"code": code, "title": title, "message": message}}
    return _json(code, body, headers)


def glance_fault_response(code: int, message: str,
                          headers: dict | None = None,
                          kind: str | None = None) -> webob.Response:
    """Glance's: WebOb's JSON error body, ``{"code": "404 Not Found",
    "title": "Not Found", "message": "..."}``."""
    title = _title(code)
    body = {"code": "%d %s" % (code, title), "title": title,
            "message": message}
    return _json(code, body, headers)


def neutron_fault_response(code: int, message: str,
                           headers: dict | None = None,
                           kind: str | None = None) -> webob.Response:
    """Neutron's ``{"NeutronError": {"type", "message", "detail"}}``:
    ``kind`` is the domain exception's name (``NetworkNotFound``), else
    webob's for the status (``HTTPNotFound``), as neutron-lib names it."""
    if kind is None:
        error = webob.exc.status_map.get(code)
        kind = error.__name__ if error else "HTTPInternalServerError"
    body = {"NeutronError": {"type": kind, "message": message,
                             "detail": ""}}
    return _json(code, body, headers)


FaultFormat = Callable[..., webob.Response]

FORMATS: dict[str, FaultFormat] = {
    "nova": fault_response,
    "keystone": keystone_fault_response,
    "glance": glance_fault_response,
    "neutron": neutron_fault_response,
}


ENVIRON_KEY = "minova.fault_format"


def api_format(environ: dict) -> FaultFormat:
    """The fault format of the API serving this request, for filters
    shared by APIs (auth): the fault wrapper puts it in the environ."""
    return environ.get(ENVIRON_KEY, fault_response)


def _from_webob(exc: webob.exc.HTTPException,
                fault: FaultFormat = fault_response) -> webob.Response:
    message = exc.detail or exc.explanation or exc.title
    headers = {}
    if "Allow" in exc.headers:
        headers["Allow"] = exc.headers["Allow"]
    return fault(exc.code, str(message).strip(), headers)


class FaultWrapper(wsgi.Middleware):
    """Turns anything the pipeline below raised or answered badly into a
    fault body: HTTP errors keep their status, anything else is logged
    with its traceback and answered with a 500 that leaks nothing.

    Plain WSGI rather than a WebOb layer: a good answer passes through
    as the app below made it, without being rebuilt as a Response.
    ``format`` (paste local config) names the API's fault format in
    ``FORMATS``.
    """

    @classmethod
    def factory(cls, global_config: dict, **local_config: Any) -> Any:
        fault = FORMATS[local_config.get("format", "nova")]

        def _factory(app: Any) -> FaultWrapper:
            return cls(app, fault)
        return _factory

    def __init__(self, application: Any,
                 fault: FaultFormat = fault_response) -> None:
        super().__init__(application)
        self.fault = fault

    def __call__(self, environ: dict, start_response: Any) -> Any:
        environ[ENVIRON_KEY] = self.fault
        req = wsgi.Request(environ)
        try:
            status, headers, app_iter = req.call_application(
                self.application)
        except webob.exc.HTTPException as exc:
            return _from_webob(exc, self.fault)(environ, start_response)
        except Exception as exc:
            return self._unexpected(req, exc)(environ, start_response)
        code = int(status.split(" ", 1)[0])
        if code >= 400 and _content_type(headers) != "application/json":
            if hasattr(app_iter, "close"):
                app_iter.close()
            fault = self.fault(code, status.split(" ", 1)[-1])
            return fault(environ, start_response)
        start_response(status, headers)
        return app_iter

    def _unexpected(self, req: wsgi.Request,
                    exc: Exception) -> webob.Response:
        request_id = req.environ.get("openstack.request_id")
        LOG.exception("Unexpected error in %s %s (request %s): %s",
                      req.method, log_path(req.environ), request_id, exc)
        return self.fault(
            500, "Unexpected API Error. The minova-api log has the "
                 "details under request id %s." % request_id)


def log_path(environ: dict) -> str:
    """The request's path for a log line, as the client sent it (quoted)
    and cut short. Never fails: ``req.path`` decodes the path as UTF-8,
    and raised again, while logging, for the path that had failed."""
    raw = environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")
    # WSGI hands the path over as latin-1 text (PEP 3333).
    quoted = parse.quote(raw.encode("latin-1", "replace"),
                         safe="/;:@&=+$,-_.!~*'()")
    return quoted if len(quoted) <= 200 else quoted[:200] + "..."


def _content_type(headers: list) -> str | None:
    for name, value in headers:
        if name.lower() == "content-type":
            return value.split(";", 1)[0].strip().lower()
    return None
