"""Health: the RPC services' health port and their consumer watchdog.

The API's ``GET /healthcheck`` is oslo.middleware's healthcheck app; its
own options (``[healthcheck] backends``, ``disable_by_file_path``,
``allowed_source_ranges``...) are oslo.middleware's, listed here so that
they are in the sample file, with minova's checks as the default
backends.
"""

from oslo_config import cfg
from oslo_middleware.healthcheck import opts as oslo_health_opts

health_group = cfg.OptGroup(
    "health",
    title="Health of the RPC services",
    help="The small HTTP port of minova-conductor, -scheduler and "
         "-compute (GET /healthcheck), the pings the health checks send, "
         "and the watchdog that rebuilds a service's RPC consumer when its "
         "own queue stops answering.")

health_opts = [
    cfg.StrOpt("listen",
               default="0.0.0.0",
               help="Address the health port of an RPC service listens on "
                    "(when listen_port is set)."),
    cfg.PortOpt("listen_port",
                help="Port of an RPC service's health HTTP server "
                     "(GET /healthcheck). Unset: no health port (the "
                     "default); 0: any free port, logged at start. Give "
                     "each service on a host a port of its own."),
    cfg.FloatOpt("ping_timeout",
                 default=3.0, min=0.1,
                 help="Seconds a health check waits for a service to "
                      "answer its BaseAPI.ping (the conductor's, the "
                      "scheduler's, a service's own topic.host queue) "
                      "before it reports that service unhealthy."),
    cfg.FloatOpt("self_ping_interval",
                 default=30.0, min=0,
                 help="Seconds between two pings an RPC service sends to "
                      "its own topic.host queue, to prove that its consumer "
                      "still receives. 0 turns the watchdog off."),
    cfg.IntOpt("self_ping_misses",
               default=3, min=1,
               help="Unanswered self pings in a row, while the broker is "
                    "reachable, after which the service rebuilds its RPC "
                    "server (a new connection and new consumers)."),
]

# The defaults of oslo.middleware's [healthcheck] backends for the API:
# maintenance by file, then minova's checks (minova/health/checks.py).
API_BACKENDS = ["disable_by_file", "minova_database", "minova_broker",
                "minova_conductor", "minova_scheduler", "minova_heartbeat"]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_group(health_group)
    conf.register_opts(health_opts, group=health_group)
    conf.register_opts(_healthcheck_opts(), group="healthcheck")
    conf.set_default("backends", API_BACKENDS, group="healthcheck")


def _healthcheck_opts() -> list:
    # Not 'detailed': minova shows the details to admins and loopback
    # callers only, whatever it says (minova/health/app.py).
    return [opt for opt in (oslo_health_opts.HEALTHCHECK_OPTS
                            + oslo_health_opts.DISABLE_BY_FILE_OPTS)
            if opt.name != "detailed"]


def list_opts() -> dict:
    return {"health": health_opts, "healthcheck": _healthcheck_opts()}


def sample_defaults() -> None:
    """oslo-config-generator's hook (``oslo.config.opts.defaults``): the
    sample shows minova's default backends. Runs in the generator only;
    services set the default on their own ConfigOpts (register_opts)."""
    cfg.set_defaults(oslo_health_opts.HEALTHCHECK_OPTS,
                     backends=API_BACKENDS)
