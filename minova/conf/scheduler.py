"""minova-scheduler: the service, its filters and weighers."""

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
    cfg.IntOpt("pending_claim_timeout",
               default=300, min=1,
               help="Seconds the scheduler keeps counting an instance it "
                    "placed against its host before the host reports "
                    "it. Guards against a compute that never does (it "
                    "died, or the build failed before its claim)."),
    cfg.FloatOpt("host_state_refresh",
                 default=1.0, min=0,
                 help="Seconds the scheduler reuses what it read of the "
                      "services table (up, disabled) before reading it "
                      "again: a service disabled or gone down is noticed "
                      "after at most this long. 0 reads it for every "
                      "request."),
    cfg.FloatOpt("host_state_resync",
                 default=60.0, min=0,
                 help="Seconds between two full reads of the "
                      "compute_nodes table. In between, the scheduler "
                      "keeps each host's resources in memory from the "
                      "reports its compute sends after every change, "
                      "with its own placements counted until a report "
                      "does; the read catches a lost report or a "
                      "compute too old to send its figures. 0 reads it "
                      "for every request."),
]

filter_group = cfg.OptGroup("filter_scheduler",
                            title="Filter scheduler options")

ALL_FILTERS = ["ComputeFilter", "AvailabilityZoneFilter", "RamFilter",
               "DiskFilter", "CoreFilter", "ServerGroupAntiAffinityFilter",
               "ServerGroupAffinityFilter"]
ALL_WEIGHERS = ["RAMWeigher", "CPUWeigher", "ServerGroupSoftAffinityWeigher",
                "ServerGroupSoftAntiAffinityWeigher"]

filter_opts = [
    cfg.ListOpt("enabled_filters",
                default=ALL_FILTERS,
                help="Filters a host must pass to get an instance, in "
                     "order. Known: %s." % ", ".join(ALL_FILTERS)),
    cfg.ListOpt("weight_classes",
                default=ALL_WEIGHERS,
                help="Weighers that rank the hosts that passed the "
                     "filters. Known: %s." % ", ".join(ALL_WEIGHERS)),
    cfg.FloatOpt("ram_weight_multiplier",
                 default=1.0,
                 help="Weight of free RAM. Positive spreads instances "
                      "over hosts, negative stacks them."),
    cfg.FloatOpt("cpu_weight_multiplier",
                 default=1.0,
                 help="Weight of free vCPUs. Positive spreads, negative "
                      "stacks."),
    cfg.FloatOpt("soft_affinity_weight_multiplier",
                 default=1.0, min=0,
                 help="Weight of the servers of a soft-affinity group "
                      "already on a host: the higher, the more a host "
                      "with more of them is preferred over free "
                      "resources."),
    cfg.FloatOpt("soft_anti_affinity_weight_multiplier",
                 default=1.0, min=0,
                 help="Weight of the servers of a soft-anti-affinity "
                      "group already on a host: the higher, the more a "
                      "host with fewer of them is preferred over free "
                      "resources."),
    cfg.IntOpt("host_subset_size",
               default=1, min=1,
               help="Pick at random among this many best hosts, so "
                    "that parallel schedulers collide less."),
    cfg.DictOpt("host_availability_zones",
                default={},
                help="Availability zone of each compute host, as "
                     "host:zone pairs. Hosts not named are in "
                     "[compute] default_availability_zone."),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_group(scheduler_group)
    conf.register_opts(scheduler_opts, group=scheduler_group)
    conf.register_group(filter_group)
    conf.register_opts(filter_opts, group=filter_group)


def list_opts() -> dict:
    return {"scheduler": scheduler_opts, "filter_scheduler": filter_opts}
