"""Authentication for the compute API: ``[api] auth_strategy``.

- ``minova``: tokens of minova's own identity API, validated in this
  process (``minova.identity.tokens``: decrypt, expiry, the in-memory
  revocation and role cache; no database read per request). With
  ``[api] noauth2_on_loopback`` (minova-all's default) tokens of the
  form ``user:project`` are accepted too while the compute API listens on
  a loopback address only.
- ``keystone``: keystonemiddleware's ``auth_token`` against the Keystone
  of ``[keystone_authtoken]``, then a context from the headers it sets.
- ``noauth2``: ``X-Auth-Token: user:project`` trusted as it is (tests).

``AuthStrategy.factory`` is the one paste filter: paste factories get
only strings, so the strategy is chosen from ``conf`` (in the request's
``minova.deps``) at the first request and kept.
"""

from __future__ import annotations

import ipaddress
import logging
import re
import wsgiref.util
from typing import Any

import webob

from minova import context as minova_context
from minova import exception
from minova import wsgi
from minova.api import deps as api_deps
from minova.api.openstack import faults

LOG = logging.getLogger(__name__)


def _discovery(environ: dict) -> bool:
    """Version discovery (``GET /v2.1`` and ``/v2.1/``) needs no token."""
    return environ.get("PATH_INFO", "") in ("", "/") and \
        environ["REQUEST_METHOD"] in ("GET", "HEAD")


def _context(environ: dict, user_id: str, project_id: str | None,
             roles: list[str], auth_token: str | None = None,
             **extra: Any) -> minova_context.RequestContext:
    deps = environ.get(api_deps.ENVIRON_KEY)
    return minova_context.RequestContext(
        user_id=user_id, project_id=project_id, roles=roles,
        auth_token=auth_token,
        request_id=environ.get("openstack.request_id"),
        global_request_id=environ.get("openstack.global_request_id"),
        db=deps.db if deps else None, **extra)


def _unauthorized(message: str, environ: dict) -> Any:
    """A 401 in the format of the API being called (the fault wrapper
    above this filter names it in the environ)."""
    return faults.api_format(environ)(401, message)


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
_UNSTORABLE = ("Invalid X-Auth-Token: the user and the project are at most "
               "%d characters, without control characters (noauth2)."
               % _MAX_ID)


def _storable(ident: str) -> bool:
    return len(ident) <= _MAX_ID and not _CONTROL.search(ident)


def noauth2_context(environ: dict,
                    token: str) -> minova_context.RequestContext | None:
    """The context of a ``user:project`` token; None if the database
    could not hold its ids."""
    user_id, _, project_id = token.partition(":")
    user_id = user_id.strip()
    project_id = project_id.strip() or user_id
    if not (_storable(user_id) and _storable(project_id)):
        return None
    roles = ["admin", "member", "reader"] if user_id == "admin" \
        else ["member", "reader"]
    return _context(environ, user_id, project_id, roles)


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
            if _discovery(environ):
                return self.application(environ, start_response)
            if token is None:
                return _log_in(environ, start_response)
            return _unauthorized(
                "Authentication required: send X-Auth-Token "
                "'user:project' (noauth2).", environ)(environ, start_response)
        context = noauth2_context(environ, token)
        if context is None:
            return _unauthorized(_UNSTORABLE, environ)(environ, start_response)
        environ["minova.context"] = context
        return self.application(environ, start_response)


def _is_loopback(address: str) -> bool:
    if address == "localhost":
        return True
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


class MinovaAuthMiddleware(wsgi.Middleware):
    """Validates minova tokens in process; see the module's docstring."""

    def __init__(self, application: Any, deps: api_deps.Deps) -> None:
        super().__init__(application)
        self.identity = deps.identity
        conf = deps.conf
        self.noauth2 = conf.api.noauth2_on_loopback and \
            _is_loopback(conf.osapi_compute_listen)

    def __call__(self, environ: dict, start_response: Any) -> Any:
        sealed = environ.get("HTTP_X_AUTH_TOKEN")
        if not sealed:
            if _discovery(environ):
                return self.application(environ, start_response)
            return _unauthorized(
                "Authentication required: send X-Auth-Token with a token "
                "from the identity API.", environ)(environ, start_response)
        # A Fernet token is URL-safe base64: it never has a colon.
        if self.noauth2 and ":" in sealed:
            context = noauth2_context(environ, sealed)
            if context is None:
                return _unauthorized(_UNSTORABLE, environ)(
                    environ, start_response)
            environ["minova.context"] = context
            return self.application(environ, start_response)
        try:
            token = self.identity.validate(sealed)
        except exception.Unauthorized as exc:
            return _unauthorized(exc.format_message(), environ)(environ,
                                                       start_response)
        except exception.IdentityKeysMissing as exc:
            LOG.warning("Cannot validate tokens: %s", exc.format_message())
            return faults.api_format(environ)(503, exc.format_message())(
                environ, start_response)
        if not token.project_id:
            return _unauthorized(
                "This API needs a project-scoped token.", environ)(
                    environ, start_response)
        environ["minova.context"] = _context(
            environ, token.user_id, token.project_id, sorted(token.roles),
            auth_token=sealed)
        return self.application(environ, start_response)


class KeystoneContext(wsgi.Middleware):
    """A context from the headers keystonemiddleware's auth_token set."""

    def __call__(self, environ: dict, start_response: Any) -> Any:
        if environ.get("HTTP_X_IDENTITY_STATUS") != "Confirmed":
            if _discovery(environ):
                return self.application(environ, start_response)
            return _unauthorized(
                "The request you have made requires authentication.", environ)(
                    environ, start_response)
        roles = [role.strip() for role in
                 environ.get("HTTP_X_ROLES", "").split(",") if role.strip()]
        environ["minova.context"] = _context(
            environ, environ.get("HTTP_X_USER_ID"),
            environ.get("HTTP_X_PROJECT_ID"), roles,
            auth_token=environ.get("HTTP_X_AUTH_TOKEN"),
            user_name=environ.get("HTTP_X_USER_NAME"),
            project_name=environ.get("HTTP_X_PROJECT_NAME"))
        return self.application(environ, start_response)


def keystone_pipeline(application: Any, deps: api_deps.Deps) -> Any:
    # Imported here: only deployments with auth_strategy keystone pay
    # for keystonemiddleware's import (keystoneauth, requests, ...).
    from keystonemiddleware import auth_token

    # delay_auth_decision: discovery passes without a token; the
    # context filter then refuses whatever auth_token did not confirm.
    return auth_token.AuthProtocol(
        KeystoneContext(application),
        {"oslo_config_config": deps.conf, "delay_auth_decision": "true"})


class AuthStrategy:
    """The compute API's auth filter: the strategy of ``[api]
    auth_strategy``, built at the first request."""

    def __init__(self, application: Any) -> None:
        self.application = application
        self._chosen: Any = None

    @classmethod
    def factory(cls, global_config: dict, **local_config: Any) -> Any:
        return cls

    def _choose(self, deps: api_deps.Deps) -> Any:
        strategy = deps.conf.api.auth_strategy
        if strategy == "noauth2":
            return NoAuthMiddleware(self.application)
        if strategy == "keystone":
            return keystone_pipeline(self.application, deps)
        return MinovaAuthMiddleware(self.application, deps)

    def __call__(self, environ: dict, start_response: Any) -> Any:
        chosen = self._chosen
        if chosen is None:
            chosen = self._chosen = self._choose(
                environ[api_deps.ENVIRON_KEY])
        return chosen(environ, start_response)
