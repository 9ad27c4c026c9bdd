"""minova-all: every minova service in one process, on embedded defaults.

Defaults (a config file or the command line still override them): the
in-process RPC transport (``inproc://``, see
``minova.messaging.inproc``), SQLite under ``state_path``, the compute API on
127.0.0.1:8774 and metadata on 127.0.0.1:8775, one worker each. The schema
is created or upgraded at start, identity bootstrapped (the admin and demo
users, the catalog) and ``$state_path/clouds.yaml`` written. Tokens of
minova's identity API are required, and noauth2 ``user:project`` tokens
accepted too while the compute API listens on loopback only. Passwords
are hashed at bcrypt cost 8 rather than 12: a local test cloud, where each
client command authenticates once. It locks ``state_path``: one minova-all
per state directory.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from oslo_config import cfg
from oslo_service import service as os_service

from minova import config
from minova import service
from minova.api import deps as api_deps
from minova.cmd import common
from minova.compute import simulated
from minova.db import flavors as db_flavors
from minova.db import migration
from minova.identity import bootstrap

EMBEDDED_DEFAULTS = {
    "transport_url": "inproc://",
    "osapi_compute_listen": "127.0.0.1",
    "osapi_compute_workers": 1,
    "metadata_listen": "127.0.0.1",
    "metadata_workers": 1,
    # Used when 'identity' is in enabled_apis (its own port, 5000);
    # otherwise it is served under /identity on the compute API's port.
    "identity_listen": "127.0.0.1",
    "identity_workers": 1,
    # As devstack sets it: a one-host cloud can resize.
    "allow_resize_to_same_host": True,
    # The same for the image API ('image' in enabled_apis, port 9292).
    "image_listen": "127.0.0.1",
    "image_workers": 1,
    # Likewise 'network' (9696), else /networking.
    "network_listen": "127.0.0.1",
    "network_workers": 1,
}


def set_embedded_defaults(conf: cfg.ConfigOpts) -> None:
    config.register(conf)
    for name, value in EMBEDDED_DEFAULTS.items():
        conf.set_default(name, value)
    conf.set_default("workers", 1, group="conductor")
    conf.set_default("noauth2_on_loopback", True, group="api")
    conf.set_default("enable_reset", True, group="api")
    conf.set_default("password_hash_rounds", 8, group="identity")


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

    drain_deadline: float | None = None

    def stop(self, graceful: bool = True) -> None:
        if self.service is not None:
            self.service.drain_deadline = self.drain_deadline
            self.service.stop(graceful)
        super().stop(graceful)

    def wait(self) -> None:
        if self.service is not None:
            self.service.wait()
        super().wait()

    def reset(self) -> None:
        if self.service is not None:
            self.service.reset()


class InOrder(os_service.Service):
    """The services of minova-all as one launched service: started one
    after the other in the given order, stopped in the reverse one.

    Launched separately, each would start in a green thread of its own,
    and the APIs could answer before the compute had registered: a boot
    in that moment found no compute up (NoValidHost). In order, the API
    answering means the whole cloud is up; and at stop the APIs stop
    accepting first, the conductor goes last.
    """

    def __init__(self, services: list) -> None:
        super().__init__()
        self.services = services

    def start(self) -> None:
        for server in self.services:
            server.start()

    def stop(self, graceful: bool = True) -> None:
        # One drain deadline for all: each draining from its own stop
        # would add up past graceful_shutdown_timeout.
        confs = [server.conf for server in self.services
                 if hasattr(server, "conf")]
        deadline = (time.monotonic() + service.drain_timeout(confs[0])
                    if confs else None)
        for server in reversed(self.services):
            server.drain_deadline = deadline
            server.stop(graceful)
        super().stop(graceful)

    def wait(self) -> None:
        for server in reversed(self.services):
            server.wait()
        super().wait()

    def reset(self) -> None:
        for server in self.services:
            server.reset()


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

    def build_compute(host: str | None = None,
                      health: bool = True) -> service.Service:
        return service.Service.create(
            conf, transport, host=host, binary="minova-compute",
            topic=conf.compute.topic, manager=conf.compute.manager,
            db_allowed=False, health=health)

    compute = (simulated.SimulatedHosts(conf, build_compute)
               if conf.compute.simulated_hosts
               else BuiltAtStart(build_compute))
    environ = api_deps.build(conf, transport, db).environ()
    apis = [service.WSGIService(conf, transport, name, db=db,
                                app_environ=environ)
            for name in conf.enabled_apis]
    return [conductor, scheduler, compute, *apis]


DESCRIPTION = (
    "Run a whole minova cloud in one process: conductor, scheduler, one "
    "fake compute host, and the compute API (127.0.0.1:8774) and metadata "
    "API (127.0.0.1:8775), on in-process RPC and SQLite under state_path. "
    "One minova-all per state_path (it locks it). SIGTERM or Ctrl-C stop "
    "it gracefully; a second Ctrl-C exits at once. " + common.CONFIG_HINT)

CLI_OPTIONS = ((None, "host"), (None, "state_path"),
               (None, "osapi_compute_listen"),
               (None, "osapi_compute_listen_port"),
               (None, "metadata_listen_port"), (None, "enabled_apis"),
               ("database", "connection"), ("compute", "simulated_hosts"))


def main() -> None:
    common.run(_main)


def _main() -> None:
    set_embedded_defaults(cfg.CONF)
    conf = common.init(description=DESCRIPTION, cli_options=CLI_OPTIONS)
    common.setup_metrics(conf)
    # Held until the process exits (it is referenced until wait returns).
    lock = common.state_lock(conf)
    transport, db = common.transport_and_db(conf)
    migration.ensure_schema(db)
    db_flavors.ensure_defaults(db)
    services = build_services(conf, transport, db)
    # After the APIs bound their sockets: the catalog names their ports.
    bootstrap.first_start(conf, db, ports={
        server.name: server.port for server in services
        if isinstance(server, service.WSGIService)})
    service.launch(conf, [(InOrder(services), 1)])
    service.wait()
    lock.release()
