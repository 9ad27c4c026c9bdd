"""How services reach the conductor: in process or over RPC."""

from __future__ import annotations

import logging
from typing import Any

import oslo_messaging as messaging
from oslo_config import cfg

from minova import baserpc
from minova.conductor import manager
from minova.conductor import rpcapi
from minova.objects import base as objects_base

LOG = logging.getLogger(__name__)


class LocalAPI:
    """Conductor work done in the calling process, on its own database.

    The context handed in must carry the caller's database (services that
    may use the DB build their contexts with it).
    """

    def __init__(self, conf: cfg.ConfigOpts,
                 transport: messaging.Transport) -> None:
        self._manager = _ExceptionUnwrapper(
            manager.ConductorManager(conf, transport, host=conf.host))

    def wait_until_ready(self, context: Any, *args: Any,
                         **kwargs: Any) -> None:
        """Nothing to wait for: the conductor is this process."""

    def service_get_by_host_and_binary(self, context: Any, host: str,
                                       binary: str) -> Any:
        return self._manager.service_get_by_host_and_binary(context, host,
                                                            binary)

    def service_create(self, context: Any, values: dict) -> Any:
        return self._manager.service_create(context, values)

    def service_heartbeat(self, context: Any, service_id: int) -> Any:
        return self._manager.service_heartbeat(context, service_id)

    def service_report(self, context: Any, service_id: int, ttl: float,
                       wait: bool = False) -> bool:
        """A heartbeat written in a batch; False if it must be a
        ``service_heartbeat`` instead. In process it is one: a service
        with the database writes its own row (there are few of those)."""
        return False

    def compute_node_get_or_create(self, context: Any, host: str,
                                   nodename: str, values: dict) -> Any:
        return self._manager.compute_node_get_or_create(context, host,
                                                        nodename, values)

    def instance_get_all_by_host(self, context: Any, host: str) -> Any:
        return self._manager.instance_get_all_by_host(context, host)

    def instance_get_by_uuid(self, context: Any, uuid: str) -> Any:
        return self._manager.instance_get_by_uuid(context, uuid)

    def migrations_in_progress_by_host(self, context: Any,
                                       host: str) -> list:
        return self._manager.migrations_in_progress_by_host(context, host)

    def action_event_start(self, context: Any, instance_uuid: str,
                           event: str, host: str | None) -> None:
        self._manager.action_event_start(context, instance_uuid, event,
                                         host)

    def can_save_with_events(self) -> bool:
        """Whether ``instance_save_with_events`` may be used. In process
        it saves nothing: each write is already a local call."""
        return False

    def action_event_finish(self, context: Any, instance_uuid: str,
                            event: str, result: str,
                            traceback: str | None = None,
                            details: str | None = None) -> None:
        self._manager.action_event_finish(context, instance_uuid, event,
                                          result, traceback=traceback,
                                          details=details)


class _ExceptionUnwrapper:
    """Calls the manager as RPC would, raising what RPC would raise.

    Manager methods declare ``expected_exceptions``, which wraps them in
    ``ExpectedException`` for the RPC server; called in process, the
    caller wants the original exception.
    """

    def __init__(self, target: Any) -> None:
        self._target = target

    def __getattr__(self, name: str) -> Any:
        method = getattr(self._target, name)

        def call(*args: Any, **kwargs: Any) -> Any:
            try:
                return method(*args, **kwargs)
            except messaging.ExpectedException as exc:
                raise exc.exc_info[1] from None
        return call


class API(LocalAPI):
    """Conductor work sent over RPC to minova-conductor."""

    def service_report(self, context: Any, service_id: int, ttl: float,
                       wait: bool = False) -> bool:
        return self._manager.service_report(context, service_id, ttl,
                                            wait=wait)

    def can_save_with_events(self) -> bool:
        return self._manager.can_save_with_events()

    def instance_save_with_events(self, context: Any, instance: Any,
                                  expected_task_state: list | None,
                                  start: dict | None = None,
                                  finish: dict | None = None) -> None:
        """``instance.save(expected_task_state)`` in the conductor, with
        the action events ``start`` before and ``finish`` after it (see
        ``ConductorManager.instance_save_with_events``)."""
        updates = self._manager.instance_save_with_events(
            context, instance, expected_task_state, start=start,
            finish=finish)
        objects_base.apply_remote_changes(instance, updates)

    def __init__(self, conf: cfg.ConfigOpts,
                 transport: messaging.Transport) -> None:
        self._manager = rpcapi.ConductorAPI(conf, transport)
        self.base_rpcapi = baserpc.BaseAPI(conf, transport,
                                           topic=conf.conductor.topic)

    def wait_until_ready(self, context: Any, early_timeout: float = 10,
                         early_attempts: int = 10) -> None:
        """Block until a conductor answers a ping.

        The first ``early_attempts`` pings time out after ``early_timeout``
        seconds, so a service started together with its conductor comes up
        quickly; later ones use ``rpc_response_timeout``.
        """
        attempt = 0
        timed_out = False
        while True:
            timeout = early_timeout if attempt < early_attempts else None
            attempt += 1
            try:
                self.base_rpcapi.ping(context, "1.21 GigaWatts",
                                      timeout=timeout)
                break
            except messaging.MessagingTimeout:
                timed_out = True
                LOG.warning("Timed out waiting for minova-conductor. Is it "
                            "running? Or did this service start before "
                            "minova-conductor? Reattempting establishment "
                            "of minova-conductor connection...")
        if timed_out:
            LOG.info("Successfully established connection to "
                     "minova-conductor after %d attempts.", attempt)
