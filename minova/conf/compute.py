"""minova-compute."""

from oslo_config import cfg

compute_group = cfg.OptGroup("compute", title="Compute options")

compute_opts = [
    cfg.StrOpt("topic",
               default="compute",
               help="The RPC topic compute hosts listen on."),
    cfg.StrOpt("manager",
               default="minova.compute.manager.ComputeManager",
               help="Full class name of the compute's manager."),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_group(compute_group)
    conf.register_opts(compute_opts, group=compute_group)


def list_opts() -> dict:
    return {"compute": compute_opts}
