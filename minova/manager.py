"""Base class for the managers that do a service's work.

A manager is the RPC endpoint of its service (its public methods are the
RPC API, versioned by ``target``) and owns the periodic tasks. It gets the
``conf``, the RPC ``transport``, its ``host`` and, where the service may use
it, the ``db`` from ``minova.service.Service``.
"""

from __future__ import annotations

from typing import Any

import oslo_messaging as messaging
from oslo_config import cfg
from oslo_service import periodic_task

from minova import context as minova_context
from minova import inflight


class Manager(periodic_task.PeriodicTasks):
    target = messaging.Target(version="1.0")
    service_name: str = "undefined"

    def __init__(self, conf: cfg.ConfigOpts, transport: messaging.Transport,
                 host: str, db: Any = None) -> None:
        super().__init__(conf)
        self.conf = conf
        self.transport = transport
        self.host = host
        self.db = db
        self.backdoor_port: int | None = None
        # More endpoints (other namespaces) served on the same RPC server.
        self.additional_endpoints: list = []
        # The service's work in flight: its RPC server's handlers, and
        # what the manager adds (builds); what a stop drains.
        self.inflight = inflight.Tracker()

    def _admin_context(self) -> minova_context.RequestContext:
        """A context for this service's own work, with its local DB."""
        return minova_context.get_admin_context(db=self.db)

    def periodic_tasks(self, context: Any,
                       raise_on_error: bool = False) -> float:
        """Run due periodic tasks; returns seconds until the next one."""
        return self.run_periodic_tasks(context,
                                       raise_on_error=raise_on_error)

    def init_host(self) -> None:
        """Hook run first at start, before the service touches RPC."""

    def cleanup_host(self) -> None:
        """Hook run at stop, after the RPC server has stopped."""

    def pre_start_hook(self) -> None:
        """Hook run after the service row exists, before RPC starts."""

    def post_start_hook(self) -> None:
        """Hook run once the RPC server consumes."""

    def reset(self) -> None:
        """Hook run on SIGHUP, after the config was reloaded."""

    def abandon(self, entries: list[inflight.Entry]) -> None:
        """Hook run at stop for the work still in flight at
        graceful_shutdown_timeout, before the process exits under it."""
