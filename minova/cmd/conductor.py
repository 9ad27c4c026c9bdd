"""minova-conductor: database proxy and task orchestrator."""

from oslo_concurrency import processutils

from minova import service
from minova.cmd import common

DESCRIPTION = (
    "Run minova's conductor: the database work of the services that may "
    "not reach it (minova-compute) and the boot workflow, on [DEFAULT] "
    "transport_url and [database] connection, with [conductor] workers "
    "processes; it also fails or reschedules boots left in BUILD longer "
    "than [conductor] build_timeout. " + common.CONFIG_HINT)

CLI_OPTIONS = ((None, "host"), ("conductor", "workers"),
               ("database", "connection"))


def main() -> None:
    common.run(_main)


def _main() -> None:
    conf = common.init(description=DESCRIPTION, cli_options=CLI_OPTIONS)
    workers = conf.conductor.workers or processutils.get_worker_count()
    common.setup_metrics(conf, forks=workers > 1)
    transport, db = common.transport_and_db(conf)
    server = service.Service.create(conf, transport,
                                    binary="minova-conductor",
                                    topic=conf.conductor.topic,
                                    manager=conf.conductor.manager, db=db)
    service.serve(conf, server, workers=workers)
    service.wait()
