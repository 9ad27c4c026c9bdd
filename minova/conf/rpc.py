"""RPC options of minova's own; the transport's are oslo.messaging's."""

from oslo_config import cfg

rpc_opts = [
    cfg.IntOpt("long_rpc_timeout",
               default=180, min=1,
               help="Timeout for RPC calls known to take long, such as "
                    "select_destinations when many hosts are filtered."),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_opts(rpc_opts)


def list_opts() -> dict:
    return {None: rpc_opts}
