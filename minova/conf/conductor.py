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
    cfg.IntOpt("build_timeout",
               default=300, min=0,
               help="Seconds a boot may stay in BUILD without a compute "
                    "host before the conductor acts: the service that "
                    "had it stopped (a crash, a kill, a lost message). "
                    "It asks the scheduler again once; a boot still "
                    "without a host another build_timeout later goes to "
                    "ERROR with a fault saying why. Checked at start and "
                    "every build_timeout / 5 seconds (at most 60). 0 "
                    "turns the check off."),
    cfg.FloatOpt("heartbeat_flush_interval",
                 default=1.0, min=0.01,
                 help="Seconds the conductor gathers the heartbeats "
                      "services cast to it before writing them, all in "
                      "one UPDATE. A heartbeat is written at most this "
                      "late; keep it well below service_down_time."),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_group(conductor_group)
    conf.register_opts(conductor_opts, group=conductor_group)


def list_opts() -> dict:
    return {"conductor": conductor_opts}
