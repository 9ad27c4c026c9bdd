"""The consumer watchdog of an RPC service.

A consumer can stay silently deaf: its connection is up, its heartbeat
(which goes out through another connection) is written, but messages for
its queue no longer reach it (its queue's binding lost in a broker
failover, its consumer thread dead). Nothing in oslo.messaging notices.
So every ``[health] self_ping_interval`` the service pings its own
``topic.host`` queue over the broker; after ``[health] self_ping_misses``
unanswered pings in a row while the broker accepts connections, it
rebuilds its RPC server (a new connection, queues declared and bound
again, new consumers) and counts it in ``consumer_rebuilds`` and in the
metric ``minova_rpc_consumer_rebuilds_total``. Pings that
fail while the broker is unreachable are not counted: oslo.messaging
reconnects by itself when the broker is back.
"""

from __future__ import annotations

import logging
from typing import Any

import eventlet

from minova import baserpc
from minova import context as minova_context
from minova import metrics
from minova.health import broker

LOG = logging.getLogger(__name__)


class ConsumerWatchdog:
    def __init__(self, service: Any) -> None:
        self.service = service
        conf = service.conf
        self.interval = conf.health.self_ping_interval
        self.misses_allowed = conf.health.self_ping_misses
        self.timeout = min(conf.health.ping_timeout, self.interval or 1)
        self.api = baserpc.BaseAPI(conf, service.transport, service.topic)
        # Unanswered self pings in a row, with the broker reachable.
        self.misses = 0
        # How many times this service rebuilt its RPC server because its
        # own queue stopped answering (a counter for the metrics).
        self.consumer_rebuilds = 0
        self._thread: Any = None

    def start(self) -> None:
        if self.interval and self._thread is None:
            self._thread = eventlet.spawn(self._run)

    def stop(self) -> None:
        if self._thread is not None:
            self._thread.kill()
            self._thread = None

    def _run(self) -> None:
        while True:
            eventlet.sleep(self.interval)
            try:
                self.check_once()
            except Exception:
                LOG.exception("The consumer watchdog of %s failed; it "
                              "goes on.", self.service.binary)

    def _pool_full(self) -> bool:
        """Every handler of the RPC executor's pool in use."""
        size = getattr(self.service.conf, "executor_thread_pool_size", 64)
        return len(self.service.manager.inflight.entries("rpc")) >= size

    def answers(self) -> bool:
        try:
            self.api.ping(minova_context.get_admin_context(), "watchdog",
                          timeout=self.timeout, server=self.service.host)
        except Exception as exc:
            LOG.debug("%s on %s: no answer to its self ping: %s",
                      self.service.binary, self.service.host, exc)
            return False
        return True

    def check_once(self) -> None:
        """One self ping; rebuild the RPC server after too many misses."""
        if self.answers():
            self.misses = 0
            return
        if self._pool_full():
            # The ping waits behind work the service is doing, and says
            # nothing about the consumer: a busy service is not deaf.
            LOG.debug("%s on %s: self ping unanswered with every RPC "
                      "handler busy; not counted", self.service.binary,
                      self.service.host)
            return
        if not broker.reachable(self.service.conf, timeout=self.timeout):
            self.misses = 0
            return
        self.misses += 1
        if self.misses < self.misses_allowed:
            return
        queue = "%s.%s" % (self.service.topic, self.service.host)
        LOG.warning(
            "%(binary)s on %(host)s: %(misses)d pings to its own queue "
            "%(queue)s went unanswered while the message broker was "
            "reachable: its RPC consumer is deaf. Rebuilding its RPC server "
            "(new connection, new consumers); if this repeats, check the "
            "broker's queues and bindings for %(queue)s.",
            {"binary": self.service.binary, "host": self.service.host,
             "misses": self.misses, "queue": queue})
        self.misses = 0
        self.consumer_rebuilds += 1
        metrics.get().consumer_rebuilt(self.service.binary, self.service.host)
        self.service.rebuild_rpcserver()
