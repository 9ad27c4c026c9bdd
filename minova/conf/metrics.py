"""Metrics: what every service counts, in Prometheus' text format
(``minova.metrics``), and who may read them."""

from oslo_config import cfg

metrics_group = cfg.OptGroup(
    "metrics", title="Metrics options",
    help="Prometheus metrics of every service: the API serves them at "
         "/metrics, the RPC services on their health port.")

metrics_opts = [
    cfg.BoolOpt("enabled", default=True,
                help="Count requests, RPC messages, builds, heartbeats and "
                     "database pool use, and serve them at /metrics."),
    cfg.StrOpt("access", default="loopback",
               choices=[("loopback", "only clients on a loopback address "
                                     "(a Prometheus on the same host, or "
                                     "a sidecar)"),
                        ("admin", "clients with an administrator's token, "
                                  "or on a loopback address")],
               help="Who may read /metrics; anyone else gets a 403."),
    cfg.StrOpt("multiprocess_dir", default="$state_path/metrics",
               help="Where the processes of a multi-worker minova-api "
                    "write their metrics (prometheus_client's "
                    "multiprocess mode), so that any worker answers "
                    "/metrics for all of them. Emptied at start; one "
                    "directory per minova-api."),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_group(metrics_group)
    conf.register_opts(metrics_opts, group=metrics_group)


def list_opts() -> dict:
    return {"metrics": metrics_opts}
