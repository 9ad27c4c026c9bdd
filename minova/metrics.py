"""Prometheus metrics of every service, through prometheus_client.

What is counted, and where:

- API (``minova.service.WSGIService``'s request wrapper): requests by
  API, route template, method and status, their latency, requests in
  flight (the WSGI pool's use);
- RPC: calls and casts sent (``minova.rpc.BoundedClient``) and handled
  (the RPC server's dispatcher, ``minova.rpc.get_server``) by topic and
  method, with latency histograms, handlers in flight;
- every service: the executor pool sizes, its last heartbeat
  (``minova.servicegroup``; ``/metrics`` derives the age at scrape time),
  database pool checkouts (``minova.db.api``); boots by outcome
  (``minova.compute.manager``).

Metrics are a property of the process (prometheus_client writes them per
process, and in multiprocess mode to files named by pid), so there is one
``Metrics`` per process: ``setup`` makes it, from ``minova.cmd`` or a
test, and ``get`` returns it, or ``OFF`` (counts nothing) before that or
with ``[metrics] enabled = False``.

Multi-worker minova-api uses prometheus_client's multiprocess mode: every
worker writes to ``[metrics] multiprocess_dir`` and any of them answers
``/metrics`` for all. prometheus_client picks that mode when it is first
imported, from ``PROMETHEUS_MULTIPROC_DIR``: so this module imports it
only in ``setup``, after ``minova.cmd`` has set the variable.
"""

from __future__ import annotations

import ipaddress
import os
import re
import time
from typing import Any

from oslo_config import cfg

HEARTBEAT = "minova_service_last_heartbeat_timestamp_seconds"
HEARTBEAT_AGE = "minova_service_heartbeat_age_seconds"

_current: Metrics | None = None


class Metrics:
    """The metrics of this process, on ``registry``."""

    enabled = True

    def __init__(self, multiprocess_dir: str | None = None) -> None:
        import prometheus_client as prom
        self.multiprocess_dir = multiprocess_dir
        self._children: dict = {}
        self.registry = prom.CollectorRegistry(auto_describe=True)
        r = self.registry
        live = {"multiprocess_mode": "livesum"}
        self.api_requests = prom.Counter(
            "minova_api_requests", "API requests answered.",
            ["api", "route", "method", "status"], registry=r)
        self.api_latency = prom.Histogram(
            "minova_api_request_duration_seconds",
            "Time to answer an API request (until the response starts).",
            ["api", "route", "method"], registry=r)
        self.api_in_flight = prom.Gauge(
            "minova_api_requests_in_flight",
            "API requests being answered (the WSGI pool's use).",
            ["api"], registry=r, **live)
        self.pool_size = prom.Gauge(
            "minova_executor_pool_size",
            "Size of the pool that runs requests (wsgi: [wsgi] "
            "default_pool_size) or RPC handlers (rpc: "
            "executor_thread_pool_size), per process.",
            ["pool", "name"], registry=r, **live)
        self.rpc_sent = prom.Counter(
            "minova_rpc_sent", "RPC calls and casts sent.",
            ["topic", "method", "kind", "outcome"], registry=r)
        self.rpc_sent_latency = prom.Histogram(
            "minova_rpc_sent_duration_seconds",
            "Time of an RPC call (to its answer) or cast (to its send).",
            ["topic", "method", "kind"], registry=r)
        self.rpc_handled = prom.Counter(
            "minova_rpc_handled", "RPC messages handled (outcome ok; "
                                  "fault: a domain error for the caller; "
                                  "error: anything else).",
            ["topic", "method", "outcome"], registry=r)
        self.rpc_handled_latency = prom.Histogram(
            "minova_rpc_handled_duration_seconds",
            "Time an RPC handler ran.", ["topic", "method"], registry=r)
        self.rpc_in_flight = prom.Gauge(
            "minova_rpc_handlers_in_flight",
            "RPC handlers running (the RPC executor pool's use).",
            ["topic"], registry=r, **live)
        self.heartbeat = prom.Gauge(
            HEARTBEAT, "When the service last wrote its heartbeat (Unix "
                       "time).", ["binary", "host"], registry=r,
            multiprocess_mode="livemax")
        self.db_checkouts = prom.Counter(
            "minova_db_pool_checkouts",
            "Database connections taken from the pool.", registry=r)
        self.db_checked_out = prom.Gauge(
            "minova_db_pool_checked_out",
            "Database connections in use.", registry=r, **live)
        self.boots = prom.Counter(
            "minova_boots", "Instance builds by outcome (active, error, "
                            "superseded: deleted or changed meanwhile, "
                            "abandoned: the compute service stopped).",
            ["outcome"], registry=r)
        self.consumer_rebuilds = prom.Counter(
            "minova_rpc_consumer_rebuilds",
            "RPC servers rebuilt by the consumer watchdog: its pings to "
            "its own queue went unanswered while the broker was up.",
            ["binary", "host"], registry=r)

    # -- recording (the callers' one-liners) --------------------------------

    def child(self, metric: Any, *values: str) -> Any:
        """``metric.labels(*values)``, remembered: ``labels`` takes a
        lock and checks its arguments on every call, which was half the
        cost of counting an API request (docs/performance.md). Callers
        pass label values from bounded sets only."""
        key = (metric, values)
        try:
            return self._children[key]
        except KeyError:
            found = self._children[key] = metric.labels(*values)
            return found

    def api_request(self, api: str, route: str, method: str, status: str,
                    seconds: float) -> None:
        self.child(self.api_requests, api, route, method, status).inc()
        self.child(self.api_latency, api, route, method).observe(seconds)

    def rpc_call_sent(self, topic: str, method: str, kind: str,
                      outcome: str, seconds: float) -> None:
        self.child(self.rpc_sent, topic, method, kind, outcome).inc()
        self.child(self.rpc_sent_latency, topic, method, kind).observe(
            seconds)

    def rpc_call_handled(self, topic: str, method: str, outcome: str,
                         seconds: float) -> None:
        self.child(self.rpc_handled, topic, method, outcome).inc()
        self.child(self.rpc_handled_latency, topic, method).observe(seconds)

    def heartbeat_written(self, binary: str, host: str) -> None:
        self.heartbeat.labels(binary, host).set(time.time())

    def boot(self, outcome: str) -> None:
        self.boots.labels(outcome).inc()

    def consumer_rebuilt(self, binary: str, host: str) -> None:
        self.consumer_rebuilds.labels(binary, host).inc()

    # -- exposition ----------------------------------------------------------

    def collector(self) -> Any:
        """What ``/metrics`` shows: this registry, or every worker's files
        in multiprocess mode, plus the heartbeat ages."""
        if self.multiprocess_dir:
            return _AllWorkers(self.multiprocess_dir)
        return self.registry


class _Nothing:
    """Every attribute, call and result of it is itself: what recording
    into metrics that are off comes to (``metric.labels(...).inc()``)."""

    enabled = False

    def __getattr__(self, name: str) -> Any:
        return self

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self


OFF: Any = _Nothing()


def setup(conf: cfg.ConfigOpts, multiprocess_dir: str | None = None) -> Any:
    """Make this process's metrics (once; ``minova.cmd`` or a test).

    ``multiprocess_dir``: the process forks workers, which write there;
    the caller has emptied it and set ``PROMETHEUS_MULTIPROC_DIR`` to it
    before anything imported prometheus_client.
    """
    global _current
    if not conf.metrics.enabled:
        _current = None
        return OFF
    _current = Metrics(multiprocess_dir)
    return _current


def teardown() -> None:
    """Back to ``OFF`` (tests)."""
    global _current
    _current = None


def get() -> Any:
    return _current if _current is not None else OFF


def clear_multiprocess_dir(path: str) -> None:
    """Empty ``path`` (files of an earlier run would count again)."""
    os.makedirs(path, exist_ok=True)
    for name in os.listdir(path):
        if name.endswith(".db"):
            os.unlink(os.path.join(path, name))


_LIVE_FILE = re.compile(r"^gauge_live\w+?_(\d+)\.db$")


class _AllWorkers:
    """prometheus_client's MultiProcessCollector over ``path``, first
    dropping the live gauges of workers that died (the ProcessLauncher
    respawns them under a new pid and tells nobody)."""

    def __init__(self, path: str) -> None:
        from prometheus_client import multiprocess
        self._path = path
        self._multiprocess = multiprocess
        self._collector = multiprocess.MultiProcessCollector(None, path)

    def collect(self) -> Any:
        for name in os.listdir(self._path):
            match = _LIVE_FILE.match(name)
            if match and not _alive(int(match.group(1))):
                self._multiprocess.mark_process_dead(int(match.group(1)),
                                                     self._path)
        return self._collector.collect()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class _WithHeartbeatAge:
    """The families of ``source``, plus the heartbeat age derived from the
    heartbeat timestamps, at scrape time."""

    def __init__(self, source: Any) -> None:
        self._source = source

    def collect(self) -> Any:
        from prometheus_client.core import GaugeMetricFamily
        now = time.time()
        for family in self._source.collect():
            yield family
            if family.name == HEARTBEAT:
                age = GaugeMetricFamily(
                    HEARTBEAT_AGE, "Seconds since the service last wrote "
                                   "its heartbeat.",
                    labels=["binary", "host"])
                for sample in family.samples:
                    age.add_metric([sample.labels["binary"],
                                    sample.labels["host"]],
                                   max(now - sample.value, 0.0))
                yield age


def _loopback(environ: dict) -> bool:
    try:
        return ipaddress.ip_address(
            environ.get("REMOTE_ADDR", "")).is_loopback
    except ValueError:
        return False


class MetricsApp:
    """The ``/metrics`` WSGI app: this process's metrics, to loopback
    clients and, with ``[metrics] access = admin``, to administrators.

    ``authenticate``, a WSGI filter (the API's auth filter), puts a
    ``minova.context`` into the environ; without one (an RPC service's
    health port) only loopback clients are served.
    """

    def __init__(self, conf: cfg.ConfigOpts | None = None,
                 authenticate: Any = None, fault: Any = None) -> None:
        self._conf = conf
        self._fault = fault
        self._exposition: Any = None
        self._authed = (authenticate(self._admin_only)
                        if authenticate is not None else None)

    def __call__(self, environ: dict, start_response: Any) -> Any:
        environ["minova.route"] = environ.get("SCRIPT_NAME", "/metrics")
        if _loopback(environ):
            return self._serve(environ, start_response)
        conf = self._conf or environ["minova.deps"].conf
        if conf.metrics.access == "admin" and self._authed is not None:
            return self._authed(environ, start_response)
        return self._forbidden(environ, start_response,
                               "only to loopback clients")

    def _admin_only(self, environ: dict, start_response: Any) -> Any:
        context = environ.get("minova.context")
        if context is None or not context.is_admin:
            return self._forbidden(environ, start_response,
                                   "only to administrators")
        return self._serve(environ, start_response)

    def _forbidden(self, environ: dict, start_response: Any,
                   who: str) -> Any:
        message = "Metrics are served %s ([metrics] access)." % who
        if self._fault is not None:
            return self._fault(environ)(403, message)(environ,
                                                      start_response)
        start_response("403 Forbidden", [("Content-Type", "text/plain")])
        return [message.encode() + b"\n"]

    def _serve(self, environ: dict, start_response: Any) -> Any:
        metrics = get()
        if not metrics.enabled:
            start_response("404 Not Found",
                           [("Content-Type", "text/plain")])
            return [b"Metrics are off ([metrics] enabled).\n"]
        if self._exposition is None or self._exposition[0] is not metrics:
            import prometheus_client as prom
            registry = prom.CollectorRegistry(auto_describe=False)
            registry.register(_WithHeartbeatAge(metrics.collector()))
            self._exposition = (metrics, prom.make_wsgi_app(registry))
        return self._exposition[1](environ, start_response)


def app_factory(global_config: dict, **local_config: Any) -> MetricsApp:
    """The API's ``/metrics`` (api-paste.ini), behind its auth filter."""
    from minova.api.openstack import auth
    from minova.api.openstack import faults
    return MetricsApp(authenticate=auth.AuthStrategy,
                      fault=faults.api_format)


def make_app(conf: cfg.ConfigOpts) -> MetricsApp:
    """``/metrics`` for an RPC service's health port: loopback clients
    only, there being no token validation there."""
    return MetricsApp(conf)
