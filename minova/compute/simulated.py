"""Many simulated compute hosts in one process (``[compute]
simulated_hosts``), for load-testing a control plane.

Each host is a whole ``minova.service.Service``: its services row and
heartbeat, its RPC server on ``compute.<its host>``, its manager with its
virt driver, resource tracker and compute node. They share what the
process has once: the conf, the transport (oslo.messaging pools the
connections its clients send on; each RPC server still holds the one
connection it listens on, the driver has no shared listener) and the
eventlet hub.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

import eventlet
import oslo_messaging as messaging
from oslo_config import cfg
from oslo_service import service as os_service

from minova import service

LOG = logging.getLogger(__name__)

# Hosts started or stopped at once: enough to overlap the conductor round
# trips of each start, few enough not to flood a conductor (each start is
# about eight calls to it).
_CONCURRENCY = 8
# A host whose start timed out (a conductor busy with the others) is
# built and started again this many times before the process gives up.
_ATTEMPTS = 3


def host_names(conf: cfg.ConfigOpts) -> list[str]:
    """``<host>-0001`` … ``<host>-NNNN`` (at least four digits)."""
    count = conf.compute.simulated_hosts
    width = max(4, len(str(count)))
    return ["%s-%0*d" % (conf.host, width, number)
            for number in range(1, count + 1)]


class SimulatedHosts(os_service.Service):
    """The compute services of ``[compute] simulated_hosts`` launched as
    one: ``factory(host, health=...)`` builds each, at start (building one
    waits for a conductor, which in minova-all starts just before)."""

    def __init__(self, conf: cfg.ConfigOpts,
                 factory: Callable[[str], Any]) -> None:
        super().__init__()
        self.conf = conf
        self.hosts = host_names(conf)
        self._factory = factory
        self.services: list = []
        # Set by minova-all's InOrder: one deadline for every service.
        self.drain_deadline: float | None = None

    def start(self) -> None:
        pool = eventlet.GreenPool(_CONCURRENCY)
        # The first alone: it waits for the conductor, the others then
        # find it answering.
        self.services.append(self._start_one(self.hosts[0]))
        self.services.extend(pool.imap(self._start_one, self.hosts[1:]))
        LOG.info("%d simulated compute hosts started (%s … %s)",
                 len(self.services), self.hosts[0], self.hosts[-1])

    def _start_one(self, host: str) -> Any:
        for attempt in range(1, _ATTEMPTS + 1):
            # One health port for the process: the first host's.
            server = self._factory(host, health=host == self.hosts[0])
            try:
                server.start()
                return server
            except messaging.MessagingTimeout as exc:
                server.stop()
                if attempt == _ATTEMPTS:
                    raise
                LOG.warning("Starting simulated host %s timed out (%s); "
                            "trying again (%d of %d).", host, exc,
                            attempt + 1, _ATTEMPTS)
        raise AssertionError("unreachable")

    def stop(self, graceful: bool = True) -> None:
        """Every host at once, on one drain deadline (the one minova-all
        sets, else graceful_shutdown_timeout's): hosts drained a few at a
        time, each with the whole timeout, would run past it, and builds
        the process's end cut short would stay in BUILD."""
        deadline = self.drain_deadline
        if deadline is None:
            deadline = time.monotonic() + service.drain_timeout(self.conf)
        pool = eventlet.GreenPool(max(1, len(self.services)))
        for server in self.services:
            server.drain_deadline = deadline
        for _ in pool.imap(lambda server: server.stop(graceful),
                           self.services):
            pass
        super().stop(graceful)

    def wait(self) -> None:
        for server in self.services:
            server.wait()
        super().wait()

    def reset(self) -> None:
        for server in self.services:
            server.reset()
