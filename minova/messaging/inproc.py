"""In-process, event-driven oslo.messaging driver: ``inproc://``.

Why this exists
---------------
oslo.messaging's ``fake://`` driver finds new messages by looking at its
queues and sleeping 50 ms when they are empty, so every RPC hop inside one
process can cost up to 50 ms (about 20 sequential calls per second).
``minova-all`` runs the API, conductor and other services in one process
and the functional tests do the same; they need a transport whose listener
wakes the moment a message is published and whose caller wakes the moment
the reply is sent.  Here every wait is a ``threading.Condition`` or
``queue.Queue`` wait with a timeout, which are green primitives once
``eventlet.monkey_patch()`` has run and plain OS primitives otherwise.

Selected with ``transport_url = inproc://[host[:port]]/[virtual_host]`` and
registered through the ``oslo.messaging.drivers`` entry point.

What is guaranteed
------------------
* The broker state (queues, reply routing) is per process and per URL:
  every transport built on the same hosts and virtual host shares it,
  a different virtual host (``inproc:///other``) is isolated from it.
* call/cast to a topic go to one server of the topic (the shared topic
  queue), ``Target(server=host)`` goes only to that host, fanout goes to
  every server listening on the topic at the time of the send.
* Messages sent to a topic or host queue before a server listens are kept
  until one does; notifications are stored and forwarded the same way.
* Payloads go through ``jsonutils.dumps``/``loads`` on the way in and out,
  so the receiver gets a private copy and arguments a real broker could
  not carry fail at send time, as they would on RabbitMQ.
* Remote failures travel as ``serialize_remote_exception`` data and are
  rebuilt with ``deserialize_remote_exception``: the original type for
  builtins and ``allowed_remote_exmods``, ``RemoteError`` otherwise.
* call timeouts, call-monitor heartbeats and notification requeue work.

What is not guaranteed
----------------------
* Nothing leaves the process and nothing is persisted: queued messages die
  with the process or with :func:`reset`.
* No acknowledgement: a message is removed from its queue when a listener
  takes it, so a server that dies mid-message does not get it redelivered.
* Fanout messages sent while no server listens on the topic are dropped,
  like RabbitMQ's per-consumer auto-delete fanout queues.
* Queues are unbounded; notifications nobody consumes pile up, as they do
  in a broker queue nobody reads.
"""

from __future__ import annotations

import queue
import sys
import threading
import time
import uuid
from typing import Any

import oslo_messaging
from oslo_log import log as logging
from oslo_messaging._drivers import base
from oslo_messaging._drivers import common as rpc_common
from oslo_serialization import jsonutils

from minova.messaging.inproc_broker import Broker
from minova.messaging.inproc_broker import BrokerQueue
from minova.messaging.inproc_broker import Envelope
from minova.messaging.inproc_broker import get_broker
from minova.messaging.inproc_broker import reset

__all__ = ['InProcDriver', 'InProcIncomingMessage', 'InProcListener',
           'get_broker', 'reset']

LOG = logging.getLogger(__name__)


def _encode_reply(reply: Any, failure: tuple | None) -> str:
    if failure is None:
        try:
            return jsonutils.dumps({'result': reply, 'failure': None})
        except (TypeError, ValueError):
            # RabbitMQ would leave the caller to time out; sending the
            # encoding error back surfaces the bug at once instead.
            LOG.exception('Cannot serialize RPC reply')
            failure = sys.exc_info()
    return jsonutils.dumps({
        'result': None,
        'failure': rpc_common.serialize_remote_exception(failure),
    })


class InProcIncomingMessage(base.RpcIncomingMessage):
    """A message handed to a server, with its way back to the caller."""

    def __init__(self, broker: Broker, source: BrokerQueue,
                 envelope: Envelope) -> None:
        body = jsonutils.loads(envelope.body)
        super().__init__(body['ctxt'], body['message'],
                         msg_id=envelope.msg_id)
        self.client_timeout = envelope.client_timeout
        self._broker = broker
        self._source = source
        self._envelope = envelope
        self._replied = False

    def reply(self, reply: Any = None, failure: tuple | None = None) -> None:
        # The RPC server replies to casts too; there is nobody to tell.
        if self._envelope.reply_to is None or self._replied:
            return
        self._replied = True
        self._broker.send_reply(self._envelope.reply_to,
                                _encode_reply(reply, failure))

    def heartbeat(self) -> None:
        if self._envelope.reply_to is not None and not self._replied:
            # None on the reply queue means "still working".
            self._broker.send_reply(self._envelope.reply_to, None)

    def requeue(self) -> None:
        self._broker.requeue(self._source, self._envelope)


class InProcListener(base.PollStyleListener):
    """Consumes from a fixed set of queues; poll() sleeps until woken."""

    def __init__(self, broker: Broker, queues: list[BrokerQueue],
                 fanout: tuple[str, str, BrokerQueue] | None = None,
                 prefetch_size: int = -1) -> None:
        super().__init__(prefetch_size)
        self._broker = broker
        self._cond = threading.Condition(broker.lock)
        self._queues = queues
        self._fanout = fanout
        self._next = 0
        self._stopped = False
        with self._cond:
            for source in queues:
                source.consumers.append(self)

    @property
    def stopped(self) -> bool:
        return self._stopped

    def wake_locked(self) -> None:
        self._cond.notify()

    def _take_locked(self) -> tuple[BrokerQueue, Envelope] | None:
        # Start where the last take left off so a busy host queue cannot
        # starve the shared topic queue (or the other way round).
        count = len(self._queues)
        for offset in range(count):
            index = (self._next + offset) % count
            source = self._queues[index]
            if source.items:
                self._next = (index + 1) % count
                return source, source.items.popleft()
        return None

    @base.batch_poll_helper
    def poll(self, timeout: float | None = None
             ) -> InProcIncomingMessage | None:
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._cond:
            taken = None
            while not self._stopped:
                taken = self._take_locked()
                if taken is not None:
                    break
                remaining = (None if deadline is None
                             else deadline - time.monotonic())
                if remaining is not None and remaining <= 0:
                    break
                self._cond.wait(remaining)
        if taken is None:
            return None
        # Decode outside the lock so publishers are not held up.
        return InProcIncomingMessage(self._broker, *taken)

    def stop(self) -> None:
        with self._cond:
            if self._stopped:
                return
            self._stopped = True
            for source in self._queues:
                if self in source.consumers:
                    source.consumers.remove(self)
            if self._fanout is not None:
                # Per-listener fanout queues die with their consumer.
                self._broker.remove_fanout_locked(*self._fanout)
            self._cond.notify_all()

    def cleanup(self) -> None:
        self.stop()


def _encode(ctxt: dict, message: dict) -> str:
    # Raises TypeError/ValueError for what a real broker could not carry.
    return jsonutils.dumps({'ctxt': ctxt, 'message': message})


def _remaining(expiry: float | None) -> float | None:
    if expiry is None:
        return None
    return max(0.0, expiry - time.monotonic())


def _expiry(seconds: float | None) -> float | None:
    return None if seconds is None else time.monotonic() + seconds


class InProcDriver(base.BaseDriver):
    """oslo.messaging driver for ``inproc://`` URLs.

    ``?prefetch_size=N`` in the URL caps how many messages one poll hands
    to a batching listener (default: no cap).
    """

    def __init__(self, conf: Any, url: oslo_messaging.TransportURL,
                 default_exchange: str | None = None,
                 allowed_remote_exmods: list[str] | None = None) -> None:
        super().__init__(conf, url, default_exchange, allowed_remote_exmods)
        self._broker = get_broker(url)
        self.prefetch_size = int(url.query.get('prefetch_size', 0))
        self._listeners: list[InProcListener] = []
        self._listeners_lock = threading.Lock()

    def require_features(self, requeue: bool = False) -> None:
        """Every optional feature (requeue) is supported."""

    def _exchange(self, target: oslo_messaging.Target) -> str:
        return target.exchange or self._default_exchange or 'openstack'

    def send(self, target: oslo_messaging.Target, ctxt: dict, message: dict,
             wait_for_reply: bool | None = None,
             timeout: float | None = None,
             call_monitor_timeout: float | None = None,
             retry: int | None = None,
             transport_options: dict | None = None) -> Any:
        # retry and transport_options are moot: the in-process broker
        # is always reachable and has no delivery flags.
        body = _encode(ctxt, message)
        msg_id = uuid.uuid4().hex
        exchange = self._exchange(target)
        if not wait_for_reply:
            self._broker.publish(exchange, target.topic,
                                 Envelope(body, msg_id),
                                 server=target.server, fanout=target.fanout)
            return None
        waiter = self._broker.open_reply(msg_id)
        try:
            self._broker.publish(
                exchange, target.topic,
                Envelope(body, msg_id, msg_id, call_monitor_timeout),
                server=target.server, fanout=target.fanout)
            return self._wait_reply(waiter, msg_id, target, timeout,
                                    call_monitor_timeout)
        finally:
            self._broker.close_reply(msg_id)

    def _wait_reply(self, waiter: queue.Queue, msg_id: str,
                    target: oslo_messaging.Target, timeout: float | None,
                    call_monitor_timeout: float | None) -> Any:
        expiry = _expiry(timeout)
        monitor_expiry = _expiry(call_monitor_timeout)
        while True:
            waits = [w for w in (_remaining(expiry),
                                 _remaining(monitor_expiry)) if w is not None]
            try:
                item = waiter.get(timeout=min(waits) if waits else None)
            except queue.Empty:
                raise oslo_messaging.MessagingTimeout(
                    f'Timed out waiting for a reply to message ID {msg_id} '
                    f'on topic {target.topic}') from None
            if item is None:
                # A heartbeat: the server is alive, renew the monitor.
                monitor_expiry = _expiry(call_monitor_timeout)
                continue
            data = jsonutils.loads(item)
            if data['failure']:
                raise rpc_common.deserialize_remote_exception(
                    data['failure'], self._allowed_remote_exmods)
            return data['result']

    def send_notification(self, target: oslo_messaging.Target, ctxt: dict,
                          message: dict, version: float,
                          retry: int | None = None) -> None:
        # No envelope whatever the version: nothing but this driver reads
        # the stored form.
        self._broker.publish(self._exchange(target), target.topic,
                             Envelope(_encode(ctxt, message),
                                       uuid.uuid4().hex))

    def _track(self, listener: InProcListener) -> InProcListener:
        with self._listeners_lock:
            # Servers restart; do not keep their dead listeners forever.
            self._listeners = [old for old in self._listeners
                               if not old.stopped]
            self._listeners.append(listener)
        return listener

    def listen(self, target: oslo_messaging.Target, batch_size: int,
               batch_timeout: float | None) -> base.Listener:
        exchange = self._exchange(target)
        broker = self._broker
        with broker.lock:
            queues = [
                broker.server_queue_locked(exchange, target.topic,
                                           target.server),
                broker.topic_queue_locked(exchange, target.topic),
                broker.add_fanout_locked(exchange, target.topic),
            ]
        listener = self._track(InProcListener(
            broker, queues, fanout=(exchange, target.topic, queues[-1]),
            prefetch_size=self.prefetch_size))
        return base.PollStyleListenerAdapter(listener, batch_size,
                                             batch_timeout)

    def listen_for_notifications(
            self, targets_and_priorities: list[tuple[Any, str]],
            pool: str | None, batch_size: int,
            batch_timeout: float | None) -> base.Listener:
        broker = self._broker
        with broker.lock:
            queues = [
                broker.topic_queue_locked(self._exchange(target),
                                          f'{target.topic}.{priority}', pool)
                for target, priority in targets_and_priorities]
        listener = self._track(InProcListener(
            broker, queues, prefetch_size=self.prefetch_size))
        return base.PollStyleListenerAdapter(listener, batch_size,
                                             batch_timeout)

    def cleanup(self) -> None:
        # Like closing a broker connection: this driver's consumers go
        # away, the queues (and what is queued in them) stay for others.
        with self._listeners_lock:
            listeners, self._listeners = self._listeners, []
        for listener in listeners:
            listener.stop()
