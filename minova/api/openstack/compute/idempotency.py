"""``Idempotency-Key`` on ``POST /servers`` (a minova extension).

The header is the IETF httpapi draft's ("The Idempotency-Key HTTP Header
Field"): a retry with the same key and the same request, within
``TTL``, gets the first answer again (status, body, ``Location``) and
creates nothing. Keys are per project, in the database
(``minova.db.idempotency_keys``), so every API worker and process
shares them. Only a 202 is remembered: a request that fails (quota,
validation, a backend down) created nothing and frees its key.

- Same key, other request (body or microversion): 422.
- Same key while the first request is still being answered: 409; the
  client retries later and then gets the first answer.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
import webob
from oslo_serialization import jsonutils

from minova import exception
from minova.api.openstack import wsgi_util
from minova.db import idempotency_keys as db_keys

LOG = logging.getLogger(__name__)

HEADER = "Idempotency-Key"
TTL = datetime.timedelta(hours=24)
_MAX_LENGTH = 255
# Headers of the first answer that a replay repeats.
_REPLAYED_HEADERS = ("Location",)


def _key(req: wsgi_util.APIRequest) -> str | None:
    key = req.headers.get(HEADER)
    if key is None:
        return None
    if not 0 < len(key) <= _MAX_LENGTH or not key.isprintable():
        raise exception.ValidationError(
            field=HEADER, reason="must be 1 to %d printable characters"
            % _MAX_LENGTH)
    return key


def _request_hash(req: wsgi_util.APIRequest, body: Any) -> str:
    # The parsed body, so that whitespace and key order do not matter;
    # the microversion, since the answer's shape depends on it.
    text = jsonutils.dumps({"version": str(req.api_version), "body": body},
                           sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def once(req: wsgi_util.APIRequest, body: Any,
         respond: Callable[[], webob.Response]) -> webob.Response:
    """``respond()``, or the answer it gave the first time this project
    sent this request with this ``Idempotency-Key``."""
    key = _key(req)
    if key is None:
        return respond()
    db, project_id = req.deps.db, req.context.project_id
    digest = _request_hash(req, body)
    first = db_keys.claim(db, project_id, key, digest, TTL)
    if first is not None:
        if first.request_hash != digest:
            raise exception.IdempotencyKeyReused(key=key)
        if first.status is None:
            raise exception.IdempotencyKeyInFlight(key=key)
        return _replay(first)
    try:
        response = respond()
    except BaseException:
        db_keys.release(db, project_id, key)
        raise
    headers = {name: response.headers[name] for name in _REPLAYED_HEADERS
               if name in response.headers}
    try:
        db_keys.complete(db, project_id, key, response.status_code, headers,
                         response.text)
    except sa.exc.SQLAlchemyError as exc:
        # The servers exist: answering a 500 would have the client retry
        # and, with the key freed, create them again.
        LOG.warning("Could not store the answer to %s %s for project %s "
                    "(%s); retries of it get a 409 until the key expires. "
                    "Check the database.", HEADER, key, project_id, exc)
    return response


def _replay(first: Any) -> webob.Response:
    response = wsgi_util.json_response(None, status=first.status)
    response.text = first.body
    for name, value in (first.headers or {}).items():
        response.headers[name] = value
    return response
