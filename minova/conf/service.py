"""Service framework: heartbeats, periodic tasks and the enabled APIs."""

from oslo_config import cfg

service_opts = [
    cfg.IntOpt("report_interval",
               default=10, min=1,
               help="Seconds between a service's heartbeats to the "
                    "services table. Keep it well below "
                    "service_down_time."),
    cfg.IntOpt("service_down_time",
               default=60, min=1,
               help="A service whose last heartbeat is older than this many "
                    "seconds is reported down and receives no new work."),
    cfg.BoolOpt("periodic_enable",
                default=True,
                help="Run the manager's periodic tasks."),
    cfg.IntOpt("periodic_fuzzy_delay",
               default=60, min=0,
               help="Start periodic tasks after a random delay of up to "
                    "this many seconds, so that services started together "
                    "do not all hit the conductor at once. 0 disables it."),
    cfg.IntOpt("periodic_interval_max",
               default=60, min=1,
               help="Longest wait, in seconds, between two runs of the "
                    "periodic task loop."),
    cfg.ListOpt("enabled_apis",
                default=["osapi_compute", "metadata"],
                help="The APIs minova-api serves; each is an app in "
                     "api-paste.ini and a WSGIService of its own."),
    cfg.StrOpt("osapi_compute_listen",
               default="0.0.0.0",
               help="Address the compute API listens on."),
    cfg.PortOpt("osapi_compute_listen_port",
                default=8774,
                help="Port the compute API listens on."),
    cfg.IntOpt("osapi_compute_workers",
               min=1,
               help="Worker processes for the compute API. Default: the "
                    "number of CPUs. With 1 the API runs in the launcher's "
                    "own process."),
    cfg.StrOpt("identity_listen",
               default="0.0.0.0",
               help="Address the identity API listens on when 'identity' "
                    "is in enabled_apis (it is otherwise served under "
                    "/identity on the compute API's port)."),
    cfg.PortOpt("identity_listen_port",
                default=5000,
                help="Port of the identity API when it has its own."),
    cfg.IntOpt("identity_workers",
               min=1,
               help="Worker processes for the identity API when it has its "
                    "own port. Default: the number of CPUs."),
    cfg.StrOpt("image_listen",
               default="0.0.0.0",
               help="Address the image API listens on when 'image' is in "
                    "enabled_apis (it is otherwise served under /image on "
                    "the compute API's port)."),
    cfg.PortOpt("image_listen_port",
                default=9292,
                help="Port of the image API when it has its own."),
    cfg.IntOpt("image_workers",
               min=1,
               help="Worker processes for the image API when it has its "
                    "own port. Default: the number of CPUs."),
    cfg.StrOpt("metadata_listen",
               default="0.0.0.0",
               help="Address the metadata API listens on."),
    cfg.PortOpt("metadata_listen_port",
                default=8775,
                help="Port the metadata API listens on."),
    cfg.IntOpt("metadata_workers",
               min=1,
               help="Worker processes for the metadata API. Default: the "
                    "number of CPUs."),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_opts(service_opts)


def list_opts() -> dict:
    return {None: service_opts}
