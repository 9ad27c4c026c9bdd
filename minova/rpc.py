"""The RPC layer: transport, clients, servers and the context serializer.

Everything is built from the ``conf`` and ``transport`` handed in; the
process-wide transport is created once by ``minova.cmd`` (or a test) with
``get_transport`` and passed to every service and client.

Patterns (oslo.messaging's, as Nova uses them):
- call: ``client.prepare(...).call(ctxt, method, **kw)`` waits for the reply
  up to ``rpc_response_timeout`` (``MessagingTimeout`` after that);
- cast: fire and forget to the topic's shared queue (one server gets it);
- ``prepare(server=host)``: cast/call to that host's own queue;
- ``prepare(fanout=True)``: a cast to every server of the topic.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from typing import Any

import eventlet
import oslo_messaging as messaging
from oslo_config import cfg
from oslo_messaging.rpc import dispatcher as rpc_dispatcher
from oslo_messaging.rpc import server as rpc_server

from minova import context as minova_context
from minova import exception
from minova import inflight
from minova import metrics

# Exceptions from these modules are re-raised with their own type by the
# caller of an RPC call; anything else arrives as messaging.RemoteError.
ALLOWED_EXMODS = ["minova.exception"]
CONTROL_EXCHANGE = "minova"


def set_defaults() -> None:
    """minova's defaults for oslo.messaging's options (the exchange)."""
    messaging.set_transport_defaults(control_exchange=CONTROL_EXCHANGE)


def get_transport(conf: cfg.ConfigOpts,
                  url: str | None = None) -> messaging.Transport:
    """The RPC transport for ``[DEFAULT] transport_url`` (or ``url``).

    oslo.messaging 18 registers part of its options only on the global
    ``cfg.CONF``, so ``conf`` must be that object in a running service.
    """
    set_defaults()
    return messaging.get_rpc_transport(conf, url=url,
                                       allowed_remote_exmods=ALLOWED_EXMODS)


class RequestContextSerializer(messaging.Serializer):
    """Carries the request context, then lets ``base`` handle the payload.

    ``local`` holds the service-local attributes (``db``,
    ``indirection_api``) put on every context this service receives; they
    are never sent.
    """

    def __init__(self, base: messaging.Serializer | None = None,
                 **local: Any) -> None:
        self._base = base or messaging.NoOpSerializer()
        self._local = local

    def serialize_entity(self, ctxt: Any, entity: Any) -> Any:
        return self._base.serialize_entity(ctxt, entity)

    def deserialize_entity(self, ctxt: Any, entity: Any) -> Any:
        return self._base.deserialize_entity(ctxt, entity)

    def serialize_context(self, ctxt: Any) -> dict:
        return ctxt.to_dict()

    def deserialize_context(self, ctxt: dict) -> minova_context.RequestContext:
        return minova_context.RequestContext.from_dict(ctxt, **self._local)


def get_client(conf: cfg.ConfigOpts, transport: messaging.Transport,
               target: messaging.Target, service: str,
               serializer: messaging.Serializer | None = None,
               timeout: int | None = None) -> BoundedClient:
    """A client whose version is capped by ``[upgrade_levels] <service>``
    and whose calls and casts give up after their timeout."""
    version_cap = getattr(conf.upgrade_levels, service, None)
    return BoundedClient(conf, messaging.get_rpc_client(
        transport, target, version_cap=version_cap, timeout=timeout,
        serializer=RequestContextSerializer(serializer)))


class BoundedClient:
    """An RPC client (or prepared call context) that never outwaits its
    timeout, even while the message broker is unreachable.

    oslo.messaging times only the wait for a reply: sending retries the
    broker forever (``retry=None``), so a call or cast made while RabbitMQ
    is down would block its caller, an API request say, until the broker
    is back. Here the whole operation is bounded by the call's timeout
    (``rpc_response_timeout`` by default) and raises ``MessagingTimeout``
    after it; the API answers that with a 503. A send the broker refused
    or dropped (``MessageDeliveryFailure``, e.g. on a connection the
    broker closed) is reported the same way: either way no answer came.
    """

    def __init__(self, conf: cfg.ConfigOpts, client: Any) -> None:
        self._conf = conf
        self._client = client

    def prepare(self, **kwargs: Any) -> BoundedClient:
        return BoundedClient(self._conf, self._client.prepare(**kwargs))

    def call(self, ctxt: Any, method: str, **kwargs: Any) -> Any:
        with self._counted(method, "call"), self._bounded(method):
            return self._client.call(ctxt, method, **kwargs)

    def cast(self, ctxt: Any, method: str, **kwargs: Any) -> None:
        with self._counted(method, "cast"), self._bounded(method):
            self._client.cast(ctxt, method, **kwargs)

    @contextlib.contextmanager
    def _counted(self, method: str, kind: str) -> Iterator[None]:
        counter = metrics.get()
        if not counter.enabled:
            yield
            return
        started = time.monotonic()
        outcome = "error"
        try:
            yield
            outcome = "ok"
        except messaging.MessagingTimeout:
            outcome = "timeout"
            raise
        finally:
            counter.rpc_call_sent(self._client.target.topic, method, kind,
                                  outcome, time.monotonic() - started)

    @contextlib.contextmanager
    def _bounded(self, method: str) -> Iterator[None]:
        timeout = self._client.timeout or self._conf.rpc_response_timeout
        gave_up = messaging.MessagingTimeout(
            "No answer to %s within %ss: is the message broker reachable?"
            % (method, timeout))
        # An Exception, not eventlet's BaseException, so that the
        # library's clean-up on errors (its connection pool) runs.
        try:
            with eventlet.Timeout(timeout, gave_up):
                yield
        except messaging.MessageDeliveryFailure as exc:
            raise messaging.MessagingTimeout(
                "Could not send %s: %s" % (method, exc)) from exc
        except Exception as exc:
            if exc is gave_up or exc.__context__ is gave_up:
                raise gave_up from None
            raise

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)


def get_server(transport: messaging.Transport, target: messaging.Target,
               endpoints: list, serializer: messaging.Serializer,
               tracker: inflight.Tracker | None = None,
               ) -> messaging.MessageHandlingServer:
    """An RPC server whose dispatcher records each handler in ``tracker``
    (what a drain waits for) and in the metrics.

    oslo.messaging's ``get_rpc_server`` is two lines (a dispatcher, then
    a server around it); they are spelled out here to give the server our
    dispatcher subclass, the library's extension point for dispatch.
    """
    # No executor given: under eventlet monkey patching oslo.messaging 18
    # picks its (deprecated) 'eventlet' executor, a green thread per
    # message, else 'threading'. Asking for 'threading' explicitly made no
    # measurable difference to the boot benchmark (docs/performance.md),
    # and the executor argument itself is deprecated.
    dispatcher = TrackingDispatcher(
        endpoints, serializer, messaging.DefaultRPCAccessPolicy,
        topic=target.topic, tracker=(tracker if tracker is not None
                                          else inflight.Tracker()))
    return rpc_server.RPCServer(transport, target, dispatcher, None)


class TrackingDispatcher(rpc_dispatcher.RPCDispatcher):
    """oslo.messaging's RPC dispatcher, recording every handler it runs:
    in flight (the tracker) and counted with its latency (the metrics)."""

    def __init__(self, endpoints: list, serializer: messaging.Serializer,
                 access_policy: Any, topic: str,
                 tracker: inflight.Tracker) -> None:
        super().__init__(endpoints, serializer, access_policy)
        self.topic = topic
        self.tracker = tracker

    def dispatch(self, incoming: Any) -> Any:
        method = str(incoming.message.get("method"))
        counter = metrics.get()
        # The handler's green thread: what a drain that ran out of time
        # ends (minova.service.Service.stop).
        token = self.tracker.start("rpc", method, eventlet.getcurrent())
        started = time.monotonic()
        if counter.enabled:
            counter.child(counter.rpc_in_flight, self.topic).inc()
        outcome = "error"
        try:
            result = super().dispatch(incoming)
            outcome = "ok"
            return result
        except (rpc_dispatcher.NoSuchMethod,
                rpc_dispatcher.UnsupportedVersion):
            # Named by the sender: counted under one label, so that the
            # metrics' label values stay a bounded set.
            method = "unknown"
            raise
        except (exception.MinovaException,
                rpc_dispatcher.ExpectedException):
            # A domain answer (not found, conflict...) for the caller,
            # not a failure of this service.
            outcome = "fault"
            raise
        finally:
            self.tracker.finish(token)
            if counter.enabled:
                counter.child(counter.rpc_in_flight, self.topic).dec()
                counter.rpc_call_handled(self.topic, method, outcome,
                                         time.monotonic() - started)
