"""minova-compute: the service, its virt driver and resource reporting."""

from oslo_config import cfg

compute_group = cfg.OptGroup("compute", title="Compute options")

compute_opts = [
    cfg.StrOpt("topic",
               default="compute",
               help="The RPC topic compute hosts listen on."),
    cfg.StrOpt("manager",
               default="minova.compute.manager.ComputeManager",
               help="Full class name of the compute's manager."),
    cfg.StrOpt("compute_driver",
               default="fake",
               help="The virt driver minova-compute runs instances with: "
                    "a name from the 'minova.virt' entry point group "
                    "(e.g. 'fake') or a full class name."),
    cfg.StrOpt("default_availability_zone",
               default="nova",
               help="The availability zone of compute hosts that "
                    "[filter_scheduler] host_availability_zones does not "
                    "name."),
    cfg.StrOpt("default_schedule_zone",
               help="The availability zone servers are scheduled into "
                    "when the request names none. Unset: any zone."),
    cfg.IntOpt("update_resources_interval",
               default=60, min=0,
               help="Seconds between two full reports of a compute's "
                    "resources to its compute_nodes row. Instance changes "
                    "are reported at once regardless. 0 runs the task at "
                    "the default periodic interval."),
    cfg.FloatOpt("resource_report_coalesce",
                 default=0.01, min=0,
                 help="Seconds a compute waits after an instance change "
                      "before writing its compute_nodes row and telling "
                      "the schedulers, so that a burst of boots costs one "
                      "report instead of one each."),
    cfg.IntOpt("simulated_hosts",
               default=0, min=0, max=9999,
               help="Run this many simulated compute hosts in this one "
                    "minova-compute (or minova-all) process, named "
                    "<host>-0001 ... <host>-NNNN, each a real service "
                    "(its services row and heartbeat, its RPC server on "
                    "compute.<its host>, its compute node and resource "
                    "tracker, its instances), sharing the process's "
                    "transport. For load-testing a control plane with "
                    "the fake driver (docs/deploy.md). 0: one compute "
                    "host named by [DEFAULT] host."),
]

# Nova keeps these in [DEFAULT]; a compute stores them in its compute_nodes
# row, and the scheduler's filters read them from there.
allocation_opts = [
    cfg.BoolOpt("allow_resize_to_same_host",
                default=False,
                help="Let a resize pick the server's own host (it is "
                     "otherwise left out). As in Nova: off by default, "
                     "on in minova-all so that a one-host cloud can "
                     "resize."),
    cfg.FloatOpt("cpu_allocation_ratio",
                 default=16.0, min=0.0,
                 help="Virtual CPUs per physical CPU a compute offers."),
    cfg.FloatOpt("ram_allocation_ratio",
                 default=1.5, min=0.0,
                 help="Virtual RAM per physical RAM a compute offers."),
    cfg.FloatOpt("disk_allocation_ratio",
                 default=1.0, min=0.0,
                 help="Virtual disk per physical disk a compute offers."),
]

fake_driver_group = cfg.OptGroup(
    "fake_driver", title="The fake virt driver",
    help="Instances that live in memory only; what the host pretends to "
         "have, and how long its operations take or how they fail "
         "(docs/api.md, 'A fake cloud you can script').")

fake_driver_opts = [
    cfg.IntOpt("vcpus", default=1000, min=0,
               help="Physical CPUs the fake host reports."),
    cfg.IntOpt("memory_mb", default=800000, min=0,
               help="Memory (MiB) the fake host reports."),
    cfg.IntOpt("disk_gb", default=600000, min=0,
               help="Local disk (GiB) the fake host reports."),
    cfg.FloatOpt("spawn_delay", default=0.0, min=0.0,
                 help="Seconds a spawn takes, to imitate a real "
                      "hypervisor. The older name of build_delay: used "
                      "when build_delay is not set."),
]

# Scripted behaviour (minova.virt.fake_script): the defaults of every
# server, which a flavor extra spec or a server metadata key
# ``minova:<operation>_<what>`` overrides. Off unless set.
SCRIPTED_OPERATIONS = ("build", "stop", "start", "reboot", "delete")


def _scripted_opts() -> list:
    opts = []
    for op in SCRIPTED_OPERATIONS:
        opts += [
            cfg.FloatOpt("%s_delay" % op, min=0.0, max=86400.0,
                         help="Seconds every %s takes on the fake driver "
                              "(server metadata or flavor extra spec "
                              "'minova:%s_delay' override it)." % (op, op)),
            cfg.StrOpt("%s_fail" % op,
                       help="Every %s on the fake driver fails, with this "
                            "fault message ('minova:%s_fail')." % (op, op)),
            cfg.IntOpt("%s_fail_times" % op, default=0, min=0,
                       help="The first this many %s attempts of each "
                            "server fail on the fake driver "
                            "('minova:%s_fail_times'), counted across "
                            "hosts and reschedules." % (op, op)),
        ]
    return opts


fake_driver_opts += _scripted_opts()


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_group(compute_group)
    conf.register_opts(compute_opts, group=compute_group)
    conf.register_opts(allocation_opts)
    conf.register_group(fake_driver_group)
    conf.register_opts(fake_driver_opts, group=fake_driver_group)


def list_opts() -> dict:
    return {"compute": compute_opts, None: allocation_opts,
            "fake_driver": fake_driver_opts}
