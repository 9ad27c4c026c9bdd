"""minova-compute: runs instances; reaches the database only through the
conductor (unless ``[conductor] use_local`` says otherwise), and waits for
the conductor at start."""

from minova import rpc
from minova import service
from minova.cmd import common
from minova.db import api as db_api


def main() -> None:
    conf = common.init()
    transport = rpc.get_transport(conf)
    db_allowed = conf.conductor.use_local
    db = db_api.Database.from_conf(conf) if db_allowed else None
    server = service.Service.create(conf, transport,
                                    binary="minova-compute",
                                    topic=conf.compute.topic,
                                    manager=conf.compute.manager,
                                    db_allowed=db_allowed, db=db)
    service.serve(conf, server)
    service.wait()
