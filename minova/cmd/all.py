"""minova-all: every minova service in one process, on embedded defaults.

Defaults (a config file or the command line still override them): the
in-process RPC transport (``inproc://``, see
``minova.messaging.inproc``), SQLite under ``state_path``, the compute API on
127.0.0.1:8774 and metadata on 127.0.0.1:8775, one worker each. The schema
is created or upgraded at start.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from oslo_config import cfg
from oslo_service import service as os_service

from minova import config
from minova import service
from minova.api import deps as api_deps
from minova.cmd import common
from minova.db import flavors as db_flavors
from minova.db import migration

EMBEDDED_DEFAULTS = {
    "transport_url": "inproc://",
    "osapi_compute_listen": "127.0.0.1",
    "osapi_compute_workers": 1,
    "metadata_listen": "127.0.0.1",
    "metadata_workers": 1,
    # As devstack sets it: a one-host cloud can resize.
    "allow_resize_to_same_host": True,
}


def set_embedded_defaults(conf: cfg.ConfigOpts) -> None:
    config.register(conf)
    for name, value in EMBEDDED_DEFAULTS.items():
        conf.set_default(name, value)
    conf.set_default("workers", 1, group="conductor")


class BuiltAtStart(os_service.Service):
    """A service constructed when it starts rather than before.

    Constructing a compute waits until a conductor answers a ping; in this
    process the conductor only answers once the launcher has started it.
    """

    def __init__(self, factory: Callable[[], Any]) -> None:
        super().__init__()
        self._factory = factory
        self.service: Any = None

    def start(self) -> None:
        self.service = self._factory()
        self.service.start()

    def stop(self, graceful: bool = True) -> None:
        if self.service is not None:
            self.service.stop(graceful)
        super().stop(graceful)

    def wait(self) -> None:
        if self.service is not None:
            self.service.wait()
        super().wait()

    def reset(self) -> None:
        if self.service is not None:
            self.service.reset()


def build_services(conf: cfg.ConfigOpts, transport: object,
                   db: object) -> list:
    """The services minova-all runs, in start order: conductor, scheduler,
    one compute (without database access, as in a real deployment) and
    the APIs."""
    conductor = service.Service.create(conf, transport,
                                       binary="minova-conductor",
                                       topic=conf.conductor.topic,
                                       manager=conf.conductor.manager, db=db)
    scheduler = service.Service.create(conf, transport,
                                       binary="minova-scheduler",
                                       topic=conf.scheduler.topic,
                                       manager=conf.scheduler.manager, db=db)
    compute = BuiltAtStart(lambda: service.Service.create(
        conf, transport, binary="minova-compute", topic=conf.compute.topic,
        manager=conf.compute.manager, db_allowed=False))
    environ = api_deps.build(conf, transport, db).environ()
    apis = [service.WSGIService(conf, transport, name, db=db,
                                app_environ=environ)
            for name in conf.enabled_apis]
    return [conductor, scheduler, compute, *apis]


def main() -> None:
    set_embedded_defaults(cfg.CONF)
    conf = common.init()
    transport, db = common.transport_and_db(conf)
    migration.db_sync(db)
    db_flavors.ensure_defaults(db)
    services = build_services(conf, transport, db)
    service.launch(conf, [(server, 1) for server in services])
    service.wait()
