"""minova-conductor: database proxy and task orchestrator."""

from oslo_concurrency import processutils

from minova import service
from minova.cmd import common


def main() -> None:
    conf = common.init()
    transport, db = common.transport_and_db(conf)
    server = service.Service.create(conf, transport,
                                    binary="minova-conductor",
                                    topic=conf.conductor.topic,
                                    manager=conf.conductor.manager, db=db)
    workers = conf.conductor.workers or processutils.get_worker_count()
    service.serve(conf, server, workers=workers)
    service.wait()
