"""minova-api: one WSGIService per name in ``[DEFAULT] enabled_apis``."""

from minova import service
from minova.api import deps as api_deps
from minova.cmd import common


def main() -> None:
    conf = common.init()
    transport, db = common.transport_and_db(conf)
    environ = api_deps.build(conf, transport, db).environ()
    servers = []
    for name in conf.enabled_apis:
        server = service.WSGIService(conf, transport, name, db=db,
                                     app_environ=environ)
        servers.append((server, server.workers))
    common.freeze_startup_objects()
    service.launch(conf, servers)
    service.wait()
