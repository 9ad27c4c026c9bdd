"""The health port of an RPC service (``[health] listen``,
``[health] listen_port``): a small HTTP server whose app is a table of
paths, each a WSGI app.

- ``/healthcheck``: readiness, every check that applies to the service
  (``BACKENDS``), through oslo.middleware's healthcheck app;
- ``/healthcheck/live``: liveness, only "my own RPC consumer answers, or
  the broker is down" (restarting helps with the one, not the other);
- ``/metrics``: see ``routes``.
"""

from __future__ import annotations

import logging
from typing import Any

from minova import metrics
from minova import wsgi
from minova.health import app as health_app
from minova.health import checks

LOG = logging.getLogger(__name__)

# The checks of each service's /healthcheck, in [healthcheck] backends'
# terms. minova-compute has no database: it reaches it through the
# conductor, so the conductor answering is its concern.
BACKENDS = {
    "minova-conductor": ["disable_by_file", "minova_database",
                         "minova_broker", "minova_heartbeat",
                         "minova_self_ping"],
    "minova-scheduler": ["disable_by_file", "minova_database",
                         "minova_broker", "minova_heartbeat",
                         "minova_self_ping"],
    "minova-compute": ["disable_by_file", "minova_broker",
                       "minova_conductor", "minova_heartbeat",
                       "minova_self_ping"],
}
LIVENESS = ["minova_consumer_alive"]


def backends_for(service: Any) -> list[str]:
    default = ["disable_by_file", "minova_broker", "minova_heartbeat",
               "minova_self_ping"]
    if service.db is not None:
        default.insert(1, "minova_database")
    return BACKENDS.get(service.binary, default)


def routes(service: Any) -> dict[str, Any]:
    """The paths of ``service``'s health port and their apps: the one
    place to mount another app on every RPC service's port."""
    subject = checks.Subject(conf=service.conf, transport=service.transport,
                             db=service.db, service=service)
    table: dict[str, Any] = {
        "/healthcheck": health_app.HealthApp(subject,
                                             backends_for(service)),
        "/healthcheck/live": health_app.HealthApp(subject, LIVENESS),
    }
    if service.conf.metrics.enabled:
        table["/metrics"] = metrics.make_app(service.conf)
    return table


class PathTable:
    """Routes a request by its exact path to one of ``table``'s apps;
    404 for any other path."""

    def __init__(self, table: dict[str, Any]) -> None:
        self.table = table

    def __call__(self, environ: dict, start_response: Any) -> Any:
        path = environ.get("PATH_INFO", "") or "/"
        app = self.table.get(path.rstrip("/") or "/")
        if app is None:
            return health_app.not_found(environ, start_response)
        return app(environ, start_response)


class HealthPort:
    """``service``'s health HTTP server; bound when built, so that a port
    in use is a start-up error."""

    def __init__(self, service: Any) -> None:
        conf = service.conf
        self.app = PathTable(routes(service))
        self.server = wsgi.Server(conf, "%s-health" % service.binary,
                                  self.app, host=conf.health.listen,
                                  port=conf.health.listen_port)
        self.port = self.server.port

    def start(self) -> None:
        self.server.start()

    def stop(self) -> None:
        self.server.stop()
