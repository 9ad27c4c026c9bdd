"""``GET /healthcheck``: oslo.middleware's healthcheck app, minova's way.

oslo.middleware answers 200 or 503 (204 or 503 to HEAD), in plain text,
JSON or HTML as asked, after running the backends named in
``[healthcheck] backends``: its own ``disable_by_file`` (maintenance) and
minova's checks (``minova.health.checks``). minova adds two things:

- the backends get the service they speak for (a ``checks.Subject``), in
  the conf dict oslo.middleware hands them;
- the details (each check's details, greenthread stacks...) go only to
  callers on a loopback address or with an admin token: a load balancer
  sees the status and the short reasons. Two apps are built, one of each
  kind, and each request goes to one: oslo.middleware decides "detailed"
  once per app, not per request.
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Callable
from typing import Any

from oslo_middleware import healthcheck as oslo_healthcheck

from minova import exception
from minova.health import checks

LOG = logging.getLogger(__name__)

SERVICE_ENVIRON_KEY = "minova.service"


class Healthcheck(oslo_healthcheck.Healthcheck):
    """oslo.middleware's app with its ``backends`` and ``detailed`` taken
    from the conf dict given, when there, rather than written into the
    process's config: oslo.middleware's own ``_conf_get`` sets every key
    of the dict as an override of ``[healthcheck]``, and minova builds
    several of these apps in one process (the API's, a service's health
    port), each with its own list. The process's config (``cfg.CONF``,
    which is the ``conf`` every minova service runs on) gives the rest."""

    _LOCAL = ("backends", "detailed")

    def __init__(self, application: Any, conf: dict) -> None:
        super().__init__(application, conf)
        # oslo.middleware skips, with a log line, a backend it cannot
        # load, and with none left answers 200: a misspelt name or a
        # stale install would report healthy. A service does not start so.
        missing = (set(self._conf_get("backends"))
                   - set(self._backends.names()))
        if missing:
            raise exception.HealthBackendNotFound(
                names=", ".join(sorted(missing)))

    def _conf_get(self, key: str, group: str = "healthcheck") -> Any:
        if group == "healthcheck" and key in self._LOCAL and key in self.conf:
            return self.conf[key]
        return getattr(getattr(self.oslo_conf, group), key)


def _is_loopback(address: str | None) -> bool:
    try:
        return ipaddress.ip_address(address or "").is_loopback
    except ValueError:
        return False


def not_found(environ: dict, start_response: Any) -> list:
    """What a request the healthcheck app ignores gets (one from outside
    ``[healthcheck] allowed_source_ranges``, or proxied while
    ``ignore_proxied_requests``)."""
    start_response("404 Not Found", [("Content-Type", "text/plain")])
    return [b"Not Found"]


class HealthApp:
    """The plain and the detailed healthcheck app over the same checks;
    ``is_admin(environ)`` says whether a non-loopback caller is an admin
    (None: only loopback callers see details)."""

    def __init__(self, subject: checks.Subject, backends: list[str],
                 is_admin: Callable[[dict], bool] | None = None) -> None:
        if not subject.conf.healthcheck.disable_by_file_path:
            # Without a path it checks nothing and logs a warning at
            # every probe.
            backends = [name for name in backends
                        if name != "disable_by_file"]
        settings = {checks.SUBJECT: subject, "backends": list(backends)}
        self.plain = Healthcheck(not_found, dict(settings, detailed=False))
        self.detailed = Healthcheck(not_found,
                                    dict(settings, detailed=True))
        self.is_admin = is_admin

    def may_see_details(self, environ: dict) -> bool:
        if _is_loopback(environ.get("REMOTE_ADDR")):
            return True
        return self.is_admin is not None and self.is_admin(environ)

    def __call__(self, environ: dict, start_response: Any) -> Any:
        app = self.detailed if self.may_see_details(environ) else self.plain
        return app(environ, start_response)


class _AdminCheck:
    """Whether the caller's token is an admin's, by the API's own auth
    filter (whatever ``[api] auth_strategy`` is) and its policy's
    ``context_is_admin``. A request without a token is not an admin's;
    an invalid token is not either (the answer is the plain one, not a
    401: load balancers send no token)."""

    def __init__(self, deps: Any) -> None:
        # Imported here: the API's auth is only needed in the API.
        from minova.api.openstack import auth

        self.deps = deps
        self.auth = auth.AuthStrategy(self._capture)

    @staticmethod
    def _capture(environ: dict, start_response: Any) -> list:
        start_response("204 No Content", [])
        return []

    def __call__(self, environ: dict) -> bool:
        if not environ.get("HTTP_X_AUTH_TOKEN"):
            return False
        probe = dict(environ)
        # A GET of a path that is not version discovery: a token is due.
        probe.update(PATH_INFO="/healthcheck", REQUEST_METHOD="GET")
        list(self.auth(probe, lambda *args, **kwargs: None))
        context = probe.get("minova.context")
        return context is not None and self.deps.policy.check_is_admin(
            context)


class PasteHealthcheck:
    """The API's ``/healthcheck`` app in api-paste.ini. Paste factories
    get only strings, so the app is built at the first request, from the
    API's collaborators and its service in the environ (put there by
    ``minova.service.WSGIService``), with ``[healthcheck] backends``."""

    def __init__(self) -> None:
        self._app: HealthApp | None = None

    @classmethod
    def factory(cls, global_conf: dict, **local_conf: Any) -> Any:
        return cls()

    def _build(self, environ: dict) -> HealthApp:
        from minova.api import deps as api_deps

        deps = environ[api_deps.ENVIRON_KEY]
        subject = checks.Subject(conf=deps.conf, transport=deps.transport,
                                 db=deps.db,
                                 service=environ.get(SERVICE_ENVIRON_KEY))
        return HealthApp(subject, deps.conf.healthcheck.backends,
                         is_admin=_AdminCheck(deps))

    def __call__(self, environ: dict, start_response: Any) -> Any:
        app = self._app
        if app is None:
            try:
                app = self._app = self._build(environ)
            except exception.HealthBackendNotFound as exc:
                # Built at the first probe, too late to stop the start:
                # the probe fails, saying why, until the config is fixed.
                LOG.error("%s", exc.format_message())
                start_response("503 Service Unavailable",
                               [("Content-Type", "text/plain")])
                return [exc.format_message().encode()]
        return app(environ, start_response)
