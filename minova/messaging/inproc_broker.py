"""Broker state behind the ``inproc://`` driver (see minova.messaging.inproc).

One :class:`Broker` per (hosts, virtual host) of an ``inproc://`` URL holds
that URL's queues and reply routing for the whole process, the way one
broker vhost is shared by every connection to it.
"""

from __future__ import annotations

import collections
import queue
import threading
from typing import NamedTuple
from typing import Protocol

import oslo_messaging
from oslo_log import log as logging

LOG = logging.getLogger(__name__)


class Consumer(Protocol):
    """What a queue needs of a listener to wake it."""

    def wake_locked(self) -> None: ...


class Envelope(NamedTuple):
    """A message as it sits in a queue: already serialized."""

    body: str
    msg_id: str
    # Set only for calls; the key of the caller's reply waiter.
    reply_to: str | None = None
    client_timeout: float | None = None


class BrokerQueue:
    """A broker queue and the listeners consuming from it."""

    __slots__ = ('items', 'consumers')

    def __init__(self) -> None:
        self.items: collections.deque[Envelope] = collections.deque()
        self.consumers: collections.deque[Consumer] = (
            collections.deque())


class Broker:
    """The queues of one (hosts, virtual host) pair.

    A single lock guards all of them; each listener's condition is built
    on that lock, so publishing and waking consumers is one atomic step
    and a wakeup can never slip between a listener's check and its wait.
    """

    def __init__(self) -> None:
        self.lock = threading.Lock()
        # (exchange, topic) -> {pool: queue}; RPC servers use pool None.
        self._bindings: dict[tuple[str, str],
                             dict[str | None, BrokerQueue]] = {}
        self._server_queues: dict[tuple[str, str, str], BrokerQueue] = {}
        # (exchange, topic) -> one queue per live listener on that topic.
        self._fanout: dict[tuple[str, str], list[BrokerQueue]] = {}
        self._waiters: dict[str, queue.Queue] = {}

    # The *_locked helpers expect self.lock to be held by the caller.
    def topic_queue_locked(self, exchange: str, topic: str,
                           pool: str | None = None) -> BrokerQueue:
        pools = self._bindings.setdefault((exchange, topic), {})
        if pool not in pools:
            pools[pool] = BrokerQueue()
        return pools[pool]

    def server_queue_locked(self, exchange: str, topic: str,
                            server: str) -> BrokerQueue:
        key = (exchange, topic, server)
        if key not in self._server_queues:
            self._server_queues[key] = BrokerQueue()
        return self._server_queues[key]

    def add_fanout_locked(self, exchange: str, topic: str) -> BrokerQueue:
        fanout_q = BrokerQueue()
        self._fanout.setdefault((exchange, topic), []).append(fanout_q)
        return fanout_q

    def remove_fanout_locked(self, exchange: str, topic: str,
                             fanout_q: BrokerQueue) -> None:
        queues = self._fanout.get((exchange, topic), [])
        if fanout_q in queues:
            queues.remove(fanout_q)

    def _route_locked(self, exchange: str, topic: str, server: str | None,
                      fanout: bool) -> list[BrokerQueue]:
        if fanout:
            return list(self._fanout.get((exchange, topic), ()))
        if server:
            return [self.server_queue_locked(exchange, topic, server)]
        # Store and forward: the default queue must exist even when no
        # listener has subscribed yet, otherwise the message is lost.
        self.topic_queue_locked(exchange, topic)
        return list(self._bindings[(exchange, topic)].values())

    @staticmethod
    def _push_locked(target_q: BrokerQueue, envelope: Envelope,
                     front: bool = False) -> None:
        if front:
            target_q.items.appendleft(envelope)
        else:
            target_q.items.append(envelope)
        # Rotating spreads the topic queue's messages across its servers.
        target_q.consumers.rotate(1)
        for listener in target_q.consumers:
            listener.wake_locked()

    def publish(self, exchange: str, topic: str, envelope: Envelope,
                server: str | None = None, fanout: bool = False) -> None:
        with self.lock:
            for target_q in self._route_locked(exchange, topic, server,
                                               fanout):
                self._push_locked(target_q, envelope)

    def requeue(self, source: BrokerQueue, envelope: Envelope) -> None:
        with self.lock:
            self._push_locked(source, envelope, front=True)

    def open_reply(self, reply_to: str) -> queue.Queue:
        waiter: queue.Queue = queue.Queue()
        with self.lock:
            self._waiters[reply_to] = waiter
        return waiter

    def close_reply(self, reply_to: str) -> None:
        with self.lock:
            self._waiters.pop(reply_to, None)

    def send_reply(self, reply_to: str, item: str | None) -> None:
        with self.lock:
            waiter = self._waiters.get(reply_to)
        if waiter is None:
            # The caller timed out and left; a broker drops it the same way.
            LOG.debug('Dropping reply to %s: no caller waits for it',
                      reply_to)
            return
        waiter.put(item)


# Created at import time, possibly before monkey patching; that is harmless
# because nothing inside its critical sections can yield to another
# greenthread.
_BROKERS_LOCK = threading.Lock()
_BROKERS: dict[tuple, Broker] = {}


def _broker_key(url: oslo_messaging.TransportURL) -> tuple:
    hosts = tuple((host.hostname or '', host.port) for host in url.hosts)
    # inproc:// and inproc:/// name the same (default) virtual host.
    return hosts, url.virtual_host or ''


def get_broker(url: oslo_messaging.TransportURL) -> Broker:
    """Return the process-wide broker state shared by transports on url."""
    key = _broker_key(url)
    with _BROKERS_LOCK:
        if key not in _BROKERS:
            _BROKERS[key] = Broker()
        return _BROKERS[key]


def reset() -> None:
    """Forget every queue of every inproc:// URL in this process.

    For test isolation; stop servers first, since live listeners keep
    consuming from the queues they already hold.
    """
    with _BROKERS_LOCK:
        _BROKERS.clear()
