"""RPC version caps, for rolling upgrades."""

from oslo_config import cfg

upgrade_group = cfg.OptGroup(
    "upgrade_levels", title="RPC version caps",
    help="Cap the RPC version a client sends to each service, so that new "
         "code can talk to services that are not upgraded yet.")

upgrade_opts = [
    cfg.StrOpt(name,
               help="Highest RPC API version sent to %s, e.g. '1.0'. "
                    "Unset: the newest this code knows." % name)
    for name in ("baseapi", "conductor", "scheduler", "compute")
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_group(upgrade_group)
    conf.register_opts(upgrade_opts, group=upgrade_group)


def list_opts() -> dict:
    return {"upgrade_levels": upgrade_opts}
