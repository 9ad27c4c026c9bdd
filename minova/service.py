"""Generic Service and WSGIService, and launching them (oslo.service).

An RPC ``Service`` is a manager behind an RPC server on
``Target(topic, server=host)``, with a heartbeat in the services table and
the manager's periodic tasks. A ``WSGIService`` is a paste app served by
``minova.wsgi.Server``. Both are launched by ``serve``/``launch`` through
oslo.service: a ServiceLauncher for one worker, a ProcessLauncher (a
parent that forks and supervises its workers) for more.
"""

from __future__ import annotations

import logging
import os
import random
import sys
import time
from typing import Any

import eventlet
import oslo_messaging as messaging
from oslo_concurrency import processutils
from oslo_config import cfg
from oslo_service import service as os_service
from oslo_utils import importutils

from minova import baserpc
from minova import conductor
from minova import context as minova_context
from minova import exception
from minova import inflight
from minova import metrics
from minova import rpc
from minova import servicegroup
from minova import version
from minova import wsgi
from minova.conductor import rpcapi as conductor_rpcapi
from minova.health import app as health_app
from minova.health import port as health_port
from minova.health import watchdog as health_watchdog
from minova.objects import base as objects_base

LOG = logging.getLogger(__name__)

_launcher: Any = None


class _ServiceRecord:
    """What every service shares: its row in the services table, its
    heartbeat and its way to the conductor."""

    host: str
    binary: str
    topic: str | None
    db: Any
    indirection_api: Any
    conductor_api: Any
    report_interval: int

    def _setup_record(self, conf: cfg.ConfigOpts,
                      transport: messaging.Transport, db_allowed: bool,
                      db: Any) -> None:
        if db_allowed and db is None:
            raise ValueError("%s may use the database but got none"
                             % self.binary)
        self.db = db if db_allowed else None
        self.indirection_api = (
            None if db_allowed
            else conductor_rpcapi.ConductorAPI(conf, transport))
        # Built before the manager, as in Nova, so that everything the
        # manager creates sees the same way to the conductor.
        self.servicegroup_api = servicegroup.API(conf)
        self.conductor_api = conductor.API(conf, transport,
                                           use_local=db_allowed)
        self.service_ref: Any = None
        # When the conductor last took a heartbeat (minova.servicegroup).
        self.last_reported: Any = None
        self.model_disconnected = False

    def _context(self) -> minova_context.RequestContext:
        return minova_context.get_admin_context(
            db=self.db, indirection_api=self.indirection_api)

    # When set (time.monotonic()), the drain at stop ends then rather than
    # drain_timeout after the stop: services stopped one after the other
    # in one process (minova-all) share the one graceful_shutdown_timeout.
    drain_deadline: float | None = None

    def _drain_budget(self) -> float:
        if self.drain_deadline is None:
            return drain_timeout(self.conf)
        return self.drain_deadline - time.monotonic()

    def _register(self) -> None:
        """Get or create this service's row; safe against sibling races."""
        ctxt = self._context()
        try:
            self.service_ref = (
                self.conductor_api.service_get_by_host_and_binary(
                    ctxt, self.host, self.binary))
            return
        except exception.HostBinaryNotFound:
            pass
        values = {"host": self.host, "binary": self.binary,
                  "topic": self.topic, "report_count": 0}
        try:
            self.service_ref = self.conductor_api.service_create(ctxt,
                                                                 values)
            LOG.info("Registered %s on %s in the services table.",
                     self.binary, self.host)
        except exception.ServiceExists:
            # A sibling worker created it between our read and insert.
            self.service_ref = (
                self.conductor_api.service_get_by_host_and_binary(
                    ctxt, self.host, self.binary))


class Service(_ServiceRecord, os_service.Service):
    """An RPC service: a manager listening on ``topic`` and ``topic.host``."""

    def __init__(self, conf: cfg.ConfigOpts, transport: messaging.Transport,
                 host: str, binary: str, topic: str, manager: str,
                 report_interval: int | None = None,
                 periodic_enable: bool | None = None,
                 periodic_fuzzy_delay: int | None = None,
                 periodic_interval_max: int | None = None,
                 db_allowed: bool = True, db: Any = None,
                 health: bool = True) -> None:
        os_service.Service.__init__(self)
        self.conf = conf
        self.transport = transport
        self.host = host
        self.binary = binary
        self.topic = topic
        self.manager_class_name = manager
        self.report_interval = report_interval
        self.periodic_enable = periodic_enable
        self.periodic_fuzzy_delay = periodic_fuzzy_delay
        self.periodic_interval_max = periodic_interval_max
        self.backdoor_port: int | None = None
        self.rpcserver: Any = None
        self._setup_record(conf, transport, db_allowed, db)
        manager_class = _import_manager(manager, binary)
        self.manager = manager_class(conf, transport, host=host, db=self.db)
        self.conductor_api.wait_until_ready(self._context())
        # Its own queue pinged, its RPC server rebuilt when deaf; and the
        # health port, bound now so that a port in use fails the start.
        self.watchdog = health_watchdog.ConsumerWatchdog(self)
        # ``health`` False: another service of this process serves the
        # port (simulated hosts, minova.compute.simulated).
        self.health_port = (health_port.HealthPort(self)
                            if health and conf.health.listen_port is not None
                            else None)

    @classmethod
    def create(cls, conf: cfg.ConfigOpts, transport: messaging.Transport,
               host: str | None = None, binary: str | None = None,
               topic: str | None = None, manager: str | None = None,
               report_interval: int | None = None,
               periodic_enable: bool | None = None,
               periodic_fuzzy_delay: int | None = None,
               periodic_interval_max: int | None = None,
               db_allowed: bool = True, db: Any = None,
               health: bool = True) -> Service:
        """Build a service, defaulting every argument as Nova does.

        host: ``[DEFAULT] host``; binary: the executable's name; topic: the
        binary without ``minova-``; manager: ``[<topic>] manager``; the
        intervals: their ``[DEFAULT]`` options.
        """
        host = host or conf.host
        binary = binary or os.path.basename(sys.argv[0])
        topic = topic or binary.rpartition("minova-")[2]
        if not manager:
            group = getattr(conf, topic, None)
            manager = getattr(group, "manager", None)
            if manager is None:
                raise exception.ManagerImportError(
                    manager="[%s] manager" % topic, binary=binary,
                    reason="no such option")
        return cls(conf, transport, host, binary, topic, manager,
                   report_interval=_default(report_interval,
                                            conf.report_interval),
                   periodic_enable=_default(periodic_enable,
                                            conf.periodic_enable),
                   periodic_fuzzy_delay=_default(periodic_fuzzy_delay,
                                                 conf.periodic_fuzzy_delay),
                   periodic_interval_max=_default(
                       periodic_interval_max, conf.periodic_interval_max),
                   db_allowed=db_allowed, db=db, health=health)

    def start(self) -> None:
        LOG.info("Starting %(topic)s node (version %(version)s) on "
                 "%(host)s", {"topic": self.topic, "host": self.host,
                              "version": version.version_string()})
        if self.db is not None:
            self.db.reset_after_fork()
        self.manager.init_host()
        self._register()
        self.manager.pre_start_hook()
        if self.backdoor_port is not None:
            self.manager.backdoor_port = self.backdoor_port
        self.rpcserver = self._build_rpcserver()
        metrics.get().pool_size.labels("rpc", self.topic).set(
            _rpc_pool_size(self.conf))
        self.rpcserver.start()
        self.manager.post_start_hook()
        if self.periodic_enable:
            initial_delay = (random.randint(0, self.periodic_fuzzy_delay)
                             if self.periodic_fuzzy_delay else 0)
            self.tg.add_thread(self._periodic_loop, initial_delay)
        # Last: the first heartbeat is written now, not one
        # report_interval later, so that a service restarted after a stop
        # longer than service_down_time is up (and gets work) at once.
        self.servicegroup_api.join(self)
        self.watchdog.start()
        if self.health_port is not None:
            self.health_port.start()
        LOG.info("%s on %s started", self.binary, self.host)

    def _build_rpcserver(self) -> Any:
        target = messaging.Target(topic=self.topic, server=self.host)
        endpoints = [self.manager,
                     baserpc.BaseRPCAPI(self.manager.service_name,
                                        self.backdoor_port)]
        endpoints.extend(self.manager.additional_endpoints)
        serializer = rpc.RequestContextSerializer(
            objects_base.MinovaObjectSerializer(), db=self.db,
            indirection_api=self.indirection_api)
        return rpc.get_server(self.transport, target, endpoints, serializer,
                              tracker=self.manager.inflight)

    def rebuild_rpcserver(self) -> None:
        """Consume through a new RPC server (a new connection, its queues
        declared and bound again), then retire the old one in the
        background: its handlers in flight finish, and a stop that hangs
        on a broken consumer delays nobody (the consumer watchdog,
        minova/health/watchdog.py)."""
        old, self.rpcserver = self.rpcserver, self._build_rpcserver()
        self.rpcserver.start()
        LOG.info("%s on %s consumes through a new RPC server",
                 self.binary, self.host)
        eventlet.spawn_n(self._retire_rpcserver, old)

    def _retire_rpcserver(self, server: Any) -> None:
        try:
            server.stop()
            server.wait()
        except Exception as exc:
            LOG.info("The replaced RPC server of %s stopped with an error: "
                     "%s", self.binary, exc)

    def periodic_tasks(self, raise_on_error: bool = False) -> float:
        return self.manager.periodic_tasks(self._context(),
                                           raise_on_error=raise_on_error)

    def _periodic_loop(self, initial_delay: float) -> None:
        """The manager's periodic tasks, in a green thread of ``self.tg``.

        Not an oslo.service timer: stopping a timer waits for the run in
        progress, which may be a conductor call that only ends at
        rpc_response_timeout when the conductor or the broker is gone. A
        thread of the group is killed by ``stop`` wherever it is blocked.
        Each run is a green thread of its own that this one waits for:
        oslo.service's periodic_task catches even GreenletExit (it would
        log it as the task's error and go on), so the kill lands here, and
        a run in flight is abandoned, to end with its call or the process.
        """
        eventlet.sleep(initial_delay)
        while True:
            try:
                idle = eventlet.spawn(self.periodic_tasks).wait()
            except Exception:
                LOG.exception("Error during the periodic tasks of %s",
                              self.binary)
                idle = self.periodic_interval_max
            eventlet.sleep(min(idle or 0, self.periodic_interval_max))

    def stop(self, graceful: bool = True) -> None:
        """Stop consuming, then drain: let handlers and builds in flight
        finish, saying every few seconds what is left, up to
        graceful_shutdown_timeout; then log what is abandoned and let the
        manager fail it (builds end in ERROR). The heartbeat and the
        periodic tasks are abandoned wherever they are (they are this
        service's own calls, nobody waits for their answer)."""
        # First: probes see the service go, and no rebuild races the stop.
        if self.health_port is not None:
            self.health_port.stop()
        self.watchdog.stop()
        if self.rpcserver is not None:
            waker = eventlet.spawn_after(0.2, self._wake_listener)
            try:
                self.rpcserver.stop()
                if inflight.drain(self.manager.inflight,
                                  "%s on %s" % (self.binary, self.host),
                                  self._drain_budget(),
                                  abandon=self._abandon):
                    self.rpcserver.wait()
            except Exception:
                LOG.exception("Error stopping the RPC server of %s",
                              self.binary)
            finally:
                waker.kill()
        try:
            self.manager.cleanup_host()
        except Exception:
            LOG.exception("Error during %s cleanup_host", self.binary)
        # Not graceful for the thread group: it holds only the heartbeat
        # and periodic loops, which never end by themselves.
        super().stop(graceful=False)

    def _abandon(self, entries: list[inflight.Entry]) -> None:
        """The manager fails what it must (builds to ERROR), then the
        handlers left are ended: they would be by the process's exit
        anyway, and this lets their own clean-up (an action event's
        failure) run while the conductor is still reachable."""
        self.manager.abandon(entries)
        for entry in entries:
            if entry.kind == "rpc" and entry.payload is not None:
                try:
                    eventlet.kill(entry.payload)
                except Exception:
                    LOG.exception("Could not end the handler of %s",
                                  entry.key)

    def _wake_listener(self) -> None:
        """Cast a ping to this server's own queue.

        oslo.messaging's RabbitMQ listener notices a stop only when its
        wait for a message ends, after up to 5 s when idle; a message
        ends it at once. The ping is answered by nobody (a cast), and one
        left in the queue is a no-op for the next start.
        """
        try:
            baserpc.BaseAPI(self.conf, self.transport, self.topic).client\
                .prepare(server=self.host, retry=0)\
                .cast(self._context(), "ping", arg="stop")
        except Exception as exc:
            LOG.debug("Could not wake the RPC listener of %s: %s",
                      self.binary, exc)

    def reset(self) -> None:
        self.manager.reset()


class WSGIService(_ServiceRecord, os_service.Service):
    """One API (a paste app) on its own listening socket.

    ``name`` picks the app in api-paste.ini and the options
    ``<name>_listen``, ``<name>_listen_port`` and ``<name>_workers``.
    ``app_environ`` is merged into every request's WSGI environ: it is how
    the app reaches the collaborators built from ``conf`` (paste factories
    get only strings); those with a ``reset()`` are reset on SIGHUP too
    (the API's policy rules are read again).
    """

    def __init__(self, conf: cfg.ConfigOpts, transport: messaging.Transport,
                 name: str, db: Any, app_environ: dict | None = None,
                 loader: wsgi.Loader | None = None,
                 use_ssl: bool = False) -> None:
        os_service.Service.__init__(self)
        self.conf = conf
        self.name = name
        self.binary = "minova-%s" % name
        self.topic = None
        self.host = conf.host
        self.report_interval = conf.report_interval
        self._setup_record(conf, transport, db_allowed=True, db=db)
        self.loader = loader or wsgi.Loader(conf)
        self.app_environ = app_environ or {}
        self.inflight = inflight.Tracker()
        self._abandoned = False
        # The service itself too (its heartbeat, for /healthcheck); not
        # in app_environ, whose values are reset on SIGHUP.
        self.app = wsgi.EnvironInjector(
            self.loader.load_app(name),
            {**self.app_environ, health_app.SERVICE_ENVIRON_KEY: self},
            name, self.inflight)
        self.workers = (getattr(conf, "%s_workers" % name, None)
                        or processutils.get_worker_count())
        self.server = wsgi.Server(
            conf, name, self.app,
            host=getattr(conf, "%s_listen" % name, "0.0.0.0"),
            port=getattr(conf, "%s_listen_port" % name, 0),
            use_ssl=use_ssl)
        # Port 0 means "any free port": report the one we got.
        self.port = self.server.port

    def start(self) -> None:
        self.db.reset_after_fork()
        self._register()
        self.server.start()
        metrics.get().pool_size.labels("wsgi", self.name).set(
            self.conf.wsgi.default_pool_size)
        # Last, as for an RPC service: up as soon as it answers.
        self.servicegroup_api.join(self)

    def stop(self, graceful: bool = True) -> None:
        """Stop accepting, then drain the requests in flight (logging
        them) up to graceful_shutdown_timeout."""
        self.server.stop()
        self._abandoned = not inflight.drain(
            self.inflight, "%s on %s" % (self.binary, self.host),
            self._drain_budget())
        # The thread group holds only the heartbeat loop: abandon it.
        super().stop(graceful=False)

    def wait(self) -> None:
        if not self._abandoned:
            self.server.wait()
        super().wait()

    def reset(self) -> None:
        self.server.reset()
        for value in self.app_environ.values():
            if callable(getattr(value, "reset", None)):
                value.reset()


def drain_timeout(conf: cfg.ConfigOpts) -> float:
    """How long a stop waits for work in flight: graceful_shutdown_timeout
    (oslo.service's; 0 is no limit) less a margin, so that what is
    abandoned is logged and failed before oslo.service's alarm ends the
    process at that timeout."""
    timeout = getattr(conf, "graceful_shutdown_timeout", 60)
    if not timeout:
        return float("inf")
    return max(timeout - 3, timeout / 2)


def _rpc_pool_size(conf: cfg.ConfigOpts) -> int:
    # oslo.messaging registers executor_thread_pool_size when a server is
    # built; its default otherwise.
    return getattr(conf, "executor_thread_pool_size", 64)


def _default(value: Any, fallback: Any) -> Any:
    return fallback if value is None else value


def _import_manager(manager: str, binary: str) -> type:
    try:
        return importutils.import_class(manager)
    except (ImportError, ValueError, AttributeError) as exc:
        raise exception.ManagerImportError(manager=manager, binary=binary,
                                           reason=exc) from exc


class _ServiceLauncher(os_service.ServiceLauncher):
    """oslo.service's ServiceLauncher, with SIGINT stopping gracefully.

    oslo.service treats SIGINT as "exit at once, status 1", but SIGINT is
    what a terminal's Ctrl-C sends to ``minova-all`` (``make run``), and
    an operator expects it to stop like SIGTERM does. The handlers are
    chosen in ``handle_signal``, the launcher's own hook for that (run
    again before every wait), so nothing inside oslo.service is patched.
    The graceful stop restores the default handlers, so a second Ctrl-C
    ends the process at once.
    """

    def handle_signal(self) -> None:
        # The same handlers as oslo.service's but for SIGINT (add_handler
        # appends, and there is no way to drop just one).
        self.signal_handler.clear()
        self.signal_handler.add_handler("SIGTERM", self._graceful_shutdown)
        self.signal_handler.add_handler("SIGINT", self._interrupted)
        self.signal_handler.add_handler("SIGHUP", self._reload_service)
        self.signal_handler.add_handler("SIGALRM", self._on_timeout_exit)

    def _interrupted(self, *args: Any) -> None:
        LOG.info("Caught SIGINT, stopping gracefully; interrupt again to "
                 "exit at once.")
        self._graceful_shutdown(*args)


def launch(conf: cfg.ConfigOpts, services: list[tuple[Any, int]]) -> Any:
    """Launch ``(service, workers)`` pairs; once per process.

    All in this process (ServiceLauncher) when every service has one
    worker, else a ProcessLauncher that forks and supervises workers and
    respawns one that dies. SIGTERM stops gracefully, and so does SIGINT
    with one worker each (``minova-all``; a second one exits at once);
    SIGHUP reloads the mutable options and calls each service's ``reset``.
    """
    global _launcher
    if _launcher is not None:
        raise RuntimeError("serve() can only be called once")
    if any(workers > 1 for _service, workers in services):
        _launcher = os_service.ProcessLauncher(conf,
                                               restart_method="mutate")
    else:
        _launcher = _ServiceLauncher(conf, restart_method="mutate")
    for service, workers in services:
        _launcher.launch_service(service, workers=workers)
    return _launcher


def serve(conf: cfg.ConfigOpts, server: Any,
          workers: int | None = None) -> Any:
    return launch(conf, [(server, workers or 1)])


def wait() -> None:
    """Block until the launched services stop (on a signal)."""
    _launcher.wait()
