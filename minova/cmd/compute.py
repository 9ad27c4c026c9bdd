"""minova-compute: runs instances; reaches the database only through the
conductor (unless ``[conductor] use_local`` says otherwise), and waits for
the conductor at start."""

from minova import rpc
from minova import service
from minova.cmd import common
from minova.compute import simulated

DESCRIPTION = (
    "Run the instances of one compute host ([DEFAULT] host) through its "
    "virt driver ([compute] compute_driver), reporting its resources; it "
    "reaches the database only through minova-conductor, over [DEFAULT] "
    "transport_url, and waits for a conductor at start. "
    + common.CONFIG_HINT)

CLI_OPTIONS = ((None, "host"), ("compute", "compute_driver"),
               ("compute", "simulated_hosts"))


def main() -> None:
    common.run(_main)


def _main() -> None:
    conf = common.init(description=DESCRIPTION, cli_options=CLI_OPTIONS)
    common.setup_metrics(conf)
    transport = rpc.get_transport(conf)
    common.check_broker(conf)
    db_allowed = conf.conductor.use_local
    db = common.database(conf) if db_allowed else None

    def build(host: str | None = None,
              health: bool = True) -> service.Service:
        return service.Service.create(conf, transport, host=host,
                                      binary="minova-compute",
                                      topic=conf.compute.topic,
                                      manager=conf.compute.manager,
                                      db_allowed=db_allowed, db=db,
                                      health=health)

    server = (simulated.SimulatedHosts(conf, build)
              if conf.compute.simulated_hosts else build())
    service.serve(conf, server)
    service.wait()
