"""Nova's fault format, and the last-resort fault wrapper.

A fault is ``{"<type>": {"code": <status>, "message": "..."}}`` with the
type named after the status, e.g. ``{"badRequest": {...}}``.
"""

from __future__ import annotations

import logging
from typing import Any

import webob
import webob.dec
import webob.exc
from oslo_serialization import jsonutils

from minova import wsgi

LOG = logging.getLogger(__name__)

_STATUS_TO_TYPE = {
    400: "badRequest",
    401: "unauthorized",
    403: "forbidden",
    404: "itemNotFound",
    405: "badMethod",
    406: "notAcceptable",
    409: "conflictingRequest",
    413: "overLimit",
    415: "badMediaType",
    429: "overLimit",
    501: "notImplemented",
    503: "serviceUnavailable",
}


def fault_response(code: int, message: str,
                   headers: dict | None = None) -> webob.Response:
    fault_type = _STATUS_TO_TYPE.get(code, "computeFault")
    body = {fault_type: {"code": code, "message": message}}
    response = webob.Response(status=code, content_type="application/json",
                              charset="UTF-8")
    response.body = jsonutils.dump_as_bytes(body)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def _from_webob(exc: webob.exc.HTTPException) -> webob.Response:
    message = exc.detail or exc.explanation or exc.title
    headers = {}
    if "Allow" in exc.headers:
        headers["Allow"] = exc.headers["Allow"]
    return fault_response(exc.code, str(message).strip(), headers)


class FaultWrapper(wsgi.Middleware):
    """Turns anything the pipeline below raised or answered badly into a
    fault body: HTTP errors keep their status, anything else is logged
    with its traceback and answered with a 500 that leaks nothing."""

    @webob.dec.wsgify(RequestClass=wsgi.Request)
    def __call__(self, req: wsgi.Request) -> Any:
        try:
            response = req.get_response(self.application)
        except webob.exc.HTTPException as exc:
            return _from_webob(exc)
        except Exception as exc:
            request_id = req.environ.get("openstack.request_id")
            LOG.exception("Unexpected error in %s %s (request %s): %s",
                          req.method, req.path, request_id, exc)
            return fault_response(
                500, "Unexpected API Error. The minova-api log has the "
                     "details under request id %s." % request_id)
        if (response.status_int >= 400
                and response.content_type != "application/json"):
            if isinstance(response, webob.exc.HTTPException):
                return _from_webob(response)
            return fault_response(response.status_int,
                                  response.status.split(" ", 1)[-1])
        return response
