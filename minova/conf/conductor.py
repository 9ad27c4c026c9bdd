"""minova-conductor."""

from oslo_config import cfg

conductor_group = cfg.OptGroup("conductor", title="Conductor options")

conductor_opts = [
    cfg.BoolOpt("use_local",
                default=False,
                help="Do conductor work in the calling process instead of "
                     "over RPC. Services that may use the database do "
                     "this anyway."),
    cfg.StrOpt("topic",
               default="conductor",
               help="The RPC topic conductors listen on."),
    cfg.StrOpt("manager",
               default="minova.conductor.manager.ConductorManager",
               help="Full class name of the conductor's manager."),
    cfg.IntOpt("workers",
               min=1,
               help="Worker processes for minova-conductor. Default: the "
                    "number of CPUs."),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_group(conductor_group)
    conf.register_opts(conductor_opts, group=conductor_group)


def list_opts() -> dict:
    return {"conductor": conductor_opts}
