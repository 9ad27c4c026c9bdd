"""minova-scheduler."""

from oslo_config import cfg

scheduler_group = cfg.OptGroup("scheduler", title="Scheduler options")

scheduler_opts = [
    cfg.StrOpt("topic",
               default="scheduler",
               help="The RPC topic schedulers listen on."),
    cfg.StrOpt("manager",
               default="minova.scheduler.manager.SchedulerManager",
               help="Full class name of the scheduler's manager."),
    cfg.IntOpt("workers",
               min=1,
               help="Worker processes for minova-scheduler. Default: 1."),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_group(scheduler_group)
    conf.register_opts(scheduler_opts, group=scheduler_group)


def list_opts() -> dict:
    return {"scheduler": scheduler_opts}
