"""oslo.middleware's RequestId and RequestBodySizeLimiter as plain WSGI.

The oslo.middleware versions are ``webob.dec.wsgify`` layers: each builds
a Request and two Response objects and copies the status and headers of
the app below into a new response (``req.get_response``). On a cheap
request (``GET /``) that was about a fifth of the API's CPU
(docs/performance.md). These do the same work on the environ and the
header list: same environ keys, same response header, same option
(``[oslo_middleware] max_request_body_size``), same answers.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

import webob
import webob.exc
from oslo_context import context as oslo_context
from oslo_middleware import request_id as oslo_request_id
from oslo_middleware import sizelimit as oslo_sizelimit

from minova import wsgi

LOG = logging.getLogger(__name__)

ENV_REQUEST_ID = oslo_request_id.ENV_REQUEST_ID
GLOBAL_REQ_ID = oslo_request_id.GLOBAL_REQ_ID
HTTP_RESP_HEADER_REQUEST_ID = oslo_request_id.HTTP_RESP_HEADER_REQUEST_ID
_INBOUND_ENVIRON = "HTTP_X_OPENSTACK_REQUEST_ID"
_ID_FORMAT = re.compile(oslo_request_id.ID_FORMAT)


class RequestId(wsgi.Middleware):
    """A ``req-<uuid>`` per request in ``openstack.request_id`` and the
    ``x-openstack-request-id`` response header; a well-formed inbound
    ``X-OpenStack-Request-ID`` becomes ``openstack.global_request_id``."""

    # The response headers that carry the request id.
    headers: tuple[str, ...] = (HTTP_RESP_HEADER_REQUEST_ID,)

    def __call__(self, environ: dict, start_response: Callable) -> Any:
        global_id = environ.get(_INBOUND_ENVIRON, "")
        if _ID_FORMAT.match(global_id):
            environ[GLOBAL_REQ_ID] = global_id
        request_id = oslo_context.generate_request_id()
        environ[ENV_REQUEST_ID] = request_id

        wanted = self.headers

        def _start_response(status: str, headers: list,
                            exc_info: Any = None) -> Any:
            present = {name.lower() for name, _value in headers}
            headers = [*headers, *((name, request_id) for name in wanted
                                   if name.lower() not in present)]
            return start_response(status, headers, exc_info)

        return self.application(environ, _start_response)


COMPUTE_REQUEST_ID = "X-Compute-Request-Id"


class ComputeRequestId(RequestId):
    """RequestId for the compute API: Nova answers its request id in
    ``X-Compute-Request-Id`` too (``nova.api.compute_req_id``)."""

    headers = (HTTP_RESP_HEADER_REQUEST_ID, COMPUTE_REQUEST_ID)


class RequestBodySizeLimiter(oslo_sizelimit.RequestBodySizeLimiter):
    """Refuses a body over ``max_request_body_size`` with a 413: at once
    when Content-Length says so, else while the body is read (chunked)."""

    def __call__(self, environ: dict, start_response: Callable) -> Any:
        max_size = self._conf_get("max_request_body_size")
        req = webob.Request(environ)
        length = req.content_length
        if length is not None and length > max_size:
            LOG.info("Request is too large. Larger than "
                     "max_request_body_size (%s).", max_size)
            return webob.exc.HTTPRequestEntityTooLarge()(environ,
                                                         start_response)
        if length is None:
            req.body_file = oslo_sizelimit.LimitingReader(req.body_file,
                                                          max_size)
        return self.application(environ, start_response)
