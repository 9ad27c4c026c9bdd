"""minova-scheduler: picks a compute host for each instance."""

from minova import service
from minova.cmd import common


def main() -> None:
    conf = common.init()
    transport, db = common.transport_and_db(conf)
    server = service.Service.create(conf, transport,
                                    binary="minova-scheduler",
                                    topic=conf.scheduler.topic,
                                    manager=conf.scheduler.manager, db=db)
    service.serve(conf, server, workers=conf.scheduler.workers or 1)
    service.wait()
