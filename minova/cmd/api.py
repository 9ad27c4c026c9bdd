"""minova-api: one WSGIService per name in ``[DEFAULT] enabled_apis``."""

from oslo_concurrency import processutils

from minova import service
from minova.api import deps as api_deps
from minova.cmd import common

DESCRIPTION = (
    "Serve minova's REST APIs: the OpenStack compute API and the metadata "
    "API, one listening socket each ([DEFAULT] enabled_apis, "
    "<api>_listen, <api>_listen_port, <api>_workers), talking to the "
    "conductor over [DEFAULT] transport_url and to [database] connection. "
    + common.CONFIG_HINT)

CLI_OPTIONS = ((None, "host"), (None, "enabled_apis"),
               (None, "osapi_compute_listen"),
               (None, "osapi_compute_listen_port"),
               (None, "osapi_compute_workers"), (None, "metadata_listen"),
               (None, "metadata_listen_port"), (None, "metadata_workers"),
               ("wsgi", "api_paste_config"), ("database", "connection"))


def main() -> None:
    common.run(_main)


def _main() -> None:
    conf = common.init(description=DESCRIPTION, cli_options=CLI_OPTIONS)
    # Workers are forked whenever one API has more than one (launch).
    common.setup_metrics(conf, forks=any(
        (getattr(conf, "%s_workers" % name, None)
         or processutils.get_worker_count()) > 1
        for name in conf.enabled_apis))
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
