"""minova-scheduler: picks a compute host for each instance."""

from minova import service
from minova.cmd import common

DESCRIPTION = (
    "Run minova's scheduler: it picks a compute host for each boot "
    "([scheduler] enabled_filters, weight_classes) from the compute nodes "
    "in [database] connection, answering the conductor over [DEFAULT] "
    "transport_url. " + common.CONFIG_HINT)

CLI_OPTIONS = ((None, "host"), ("scheduler", "workers"),
               ("database", "connection"))


def main() -> None:
    common.run(_main)


def _main() -> None:
    conf = common.init(description=DESCRIPTION, cli_options=CLI_OPTIONS)
    common.setup_metrics(conf, forks=(conf.scheduler.workers or 1) > 1)
    transport, db = common.transport_and_db(conf)
    server = service.Service.create(conf, transport,
                                    binary="minova-scheduler",
                                    topic=conf.scheduler.topic,
                                    manager=conf.scheduler.manager, db=db)
    service.serve(conf, server, workers=conf.scheduler.workers or 1)
    service.wait()
