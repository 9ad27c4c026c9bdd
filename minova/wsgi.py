"""The WSGI layer: the eventlet server, the paste loader and the WebOb and
Routes base classes the APIs are built from."""

from __future__ import annotations

import functools
import logging
import os
import resource
import socket
import ssl
import sys
import time
from typing import Any

import eventlet
import eventlet.wsgi
import greenlet
import routes.middleware
import webob.dec
import webob.exc
from oslo_config import cfg
from oslo_middleware import sizelimit
from paste import deploy

from minova import access_log
from minova import exception
from minova import inflight
from minova import metrics
from minova import wsgi_protocol

LOG = logging.getLogger(__name__)


class Server:
    """An eventlet.wsgi server on its own listening socket.

    The socket is bound in ``__init__`` so that a ProcessLauncher parent can
    open it once and its forked workers all accept on it; ``start`` (run
    in each worker) spawns the accept loop.

    Each connection has a green thread of ``[wsgi] max_connections``;
    ``pool_size`` (``[wsgi] default_pool_size``) bounds how many of them
    run the app at once. minova.wsgi_protocol holds the connections to
    their timeouts and answers their mistakes.
    """

    def __init__(self, conf: cfg.ConfigOpts, name: str, app: Any,
                 host: str = "0.0.0.0", port: int = 0,
                 pool_size: int | None = None,
                 backlog: int | None = None, use_ssl: bool = False,
                 max_url_len: int | None = None) -> None:
        self.conf = conf
        self.name = name
        self.app = app
        self._pool_size = pool_size or conf.wsgi.default_pool_size
        self._pool = wsgi_protocol.ConnectionPool(conf.wsgi.max_connections)
        self._app_slots = wsgi_protocol.AppSlots(self._pool_size)
        self._use_ssl = use_ssl or bool(conf.wsgi.ssl_cert_file)
        self._max_url_len = max_url_len
        self._server: greenlet.greenlet | None = None
        self._accept_socket: Any = None
        # eventlet.wsgi logs access lines to this logger at info level.
        self._logger = logging.getLogger("minova.%s.wsgi.server" % name)

        info = socket.getaddrinfo(host, port, socket.AF_UNSPEC,
                                  socket.SOCK_STREAM)[0]
        family, bind_addr = info[0], info[-1]
        try:
            # eventlet.listen sets SO_REUSEADDR before binding, and
            # SO_REUSEPORT unless told not to: with it a second process
            # on this address would bind too and take half the requests.
            self._socket = eventlet.listen(
                bind_addr, family, backlog=backlog or conf.wsgi.backlog,
                reuse_port=conf.wsgi.reuse_port)
        except OSError as exc:
            raise exception.MinovaException(
                "%s could not listen on %s:%s: %s"
                % (name, host, port, exc.strerror)) from exc
        self.host, self.port = self._socket.getsockname()[0:2]
        LOG.info("%(name)s listening on %(host)s:%(port)s",
                 {"name": name, "host": self.host, "port": self.port})
        self._check_open_files_limit()

    def _check_open_files_limit(self) -> None:
        limit = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
        wanted = self.conf.wsgi.max_connections
        if limit != resource.RLIM_INFINITY and wanted >= limit:
            LOG.warning(
                "%(name)s: [wsgi] max_connections (%(wanted)d) is not below "
                "the open files limit (%(limit)d); past it new connections "
                "wait. Raise the limit (ulimit -n, systemd LimitNOFILE=) "
                "or lower max_connections.",
                {"name": self.name, "wanted": wanted, "limit": limit})

    def _prepare_socket(self) -> Any:
        sock = self._socket.dup()
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
        if hasattr(socket, "TCP_KEEPIDLE"):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE,
                            self.conf.wsgi.tcp_keepidle)
        if self._use_ssl:
            try:
                sock = self._ssl_context().wrap_socket(sock,
                                                       server_side=True)
            except Exception:
                sock.close()
                raise
        return sock

    def _ssl_context(self) -> ssl.SSLContext:
        wsgi_conf = self.conf.wsgi
        for path in filter(None, (wsgi_conf.ssl_cert_file,
                                  wsgi_conf.ssl_key_file,
                                  wsgi_conf.ssl_ca_file)):
            if not os.path.exists(path):
                raise exception.ConfigNotFound(path=path)
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(wsgi_conf.ssl_cert_file,
                                wsgi_conf.ssl_key_file)
        if wsgi_conf.ssl_ca_file:
            context.load_verify_locations(wsgi_conf.ssl_ca_file)
            context.verify_mode = ssl.CERT_REQUIRED
        return context

    def start(self) -> None:
        # A module global of eventlet's: there is no per-server setting.
        eventlet.wsgi.MAX_HEADER_LINE = self.conf.wsgi.max_header_line
        timeout = self.conf.wsgi.client_socket_timeout or None
        self._accept_socket = self._prepare_socket()
        limits = wsgi_protocol.Limits(
            pool=self._pool, app_slots=self._app_slots,
            header_timeout=self.conf.wsgi.header_timeout,
            body_timeout=self.conf.wsgi.body_timeout,
            keep_alive_timeout=self.conf.wsgi.keep_alive_timeout,
            max_body=functools.partial(_max_body, self.conf))
        kwargs: dict[str, Any] = {
            "func": eventlet.wsgi.server,
            "sock": wsgi_protocol.Listener(self._accept_socket, self._pool,
                                           self.name),
            "site": _ChunkedInputTerminated(self.app),
            "protocol": wsgi_protocol.protocol_for(limits),
            "custom_pool": self._pool,
            "log": access_log.AccessLog(self._logger, self._date_format()),
            "log_format": self.conf.wsgi.wsgi_log_format,
            "debug": False,
            "keepalive": self.conf.wsgi.keep_alive,
            "socket_timeout": timeout,
        }
        if self._max_url_len:
            kwargs["url_length_limit"] = self._max_url_len
        self._server = eventlet.spawn(**kwargs)

    def _date_format(self) -> str | None:
        # oslo.log's option, as its other lines; registered by
        # minova.config (not by every test's conf).
        if "log_date_format" in self.conf:
            return self.conf.log_date_format
        return None

    def reset(self) -> None:
        """SIGHUP: pick up a changed pool size."""
        self._app_slots.resize(self.conf.wsgi.default_pool_size)

    def stop(self) -> None:
        """Stop accepting; requests in flight run to completion in wait().

        Killing the accept loop makes eventlet close idle keep-alive
        connections, wait for the pool and close its socket; closing ours
        too means new connections are refused rather than queued.
        """
        LOG.info("Stopping WSGI server %s.", self.name)
        if self._server is not None:
            self._server.kill()
        # The accept loop closes its socket when it ends, but not if it
        # was killed before it ever ran (a signal right after start).
        if self._accept_socket is not None:
            self._accept_socket.close()
        self._socket.close()

    def wait(self) -> None:
        """Block until the server has stopped and in-flight work is done."""
        try:
            if self._server is not None:
                self._server.wait()
            self._pool.waitall()
        except greenlet.GreenletExit:
            LOG.info("WSGI server %s has stopped.", self.name)


def _max_body(conf: cfg.ConfigOpts) -> int:
    """The largest body the server reads: the API's own limit.

    That is oslo.middleware's option, registered by its sizelimit filter
    when the paste app loads (on ``cfg.CONF``, the conf services run
    with); its default where it is not (an app without that filter).
    """
    try:
        return conf.oslo_middleware.max_request_body_size
    except (cfg.NoSuchOptError, cfg.NoSuchGroupError):
        return next(opt.default for opt in sizelimit.OPTS
                    if opt.name == "max_request_body_size")


class _ChunkedInputTerminated:
    """Says that a chunked request body ends, so WebOb reads it.

    eventlet.wsgi de-chunks such a body and stops at its last chunk but
    does not set ``wsgi.input_terminated``; without it WebOb takes a body
    with no Content-Length for empty.
    """

    def __init__(self, app: Any) -> None:
        self.app = app

    def __call__(self, environ: dict, start_response: Any) -> Any:
        if "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower():
            environ["wsgi.input_terminated"] = True
        return self.app(environ, start_response)


class Loader:
    """Loads WSGI apps from the paste file named by ``api_paste_config``."""

    def __init__(self, conf: cfg.ConfigOpts,
                 config_path: str | None = None) -> None:
        name = config_path or conf.wsgi.api_paste_config
        self.config_path = self._find(conf, name)

    @staticmethod
    def _find(conf: cfg.ConfigOpts, name: str) -> str:
        if os.path.isabs(name):
            if os.path.exists(name):
                return name
            raise exception.ConfigNotFound(path=name)
        found = conf.find_file(name)
        if found:
            return os.path.abspath(found)
        source_root = os.path.dirname(os.path.dirname(__file__))
        for directory in (os.path.join(sys.prefix, "etc", "minova"),
                          "/etc/minova", source_root):
            candidate = os.path.join(directory, name)
            if os.path.exists(candidate):
                return candidate
        raise exception.ConfigNotFound(path=name)

    def load_app(self, name: str) -> Any:
        try:
            LOG.debug("Loading app %(name)s from %(path)s",
                      {"name": name, "path": self.config_path})
            return deploy.loadapp("config:%s" % self.config_path, name=name)
        except LookupError as exc:
            raise exception.PasteAppNotFound(
                name=name, path=self.config_path, reason=exc) from exc


class Request(webob.Request):
    """The request type every minova handler gets."""


class Application:
    """Base WSGI app; ``factory`` is its paste ``app_factory``."""

    @classmethod
    def factory(cls, global_config: dict, **local_config: Any) -> Any:
        return cls(**local_config)

    def __call__(self, environ: dict, start_response: Any) -> Any:
        raise NotImplementedError


class Middleware(Application):
    """Base WSGI middleware; ``factory`` is its paste ``filter_factory``.

    Subclasses override ``process_request`` (return a response to answer
    early, None to go on) and/or ``process_response``.
    """

    @classmethod
    def factory(cls, global_config: dict, **local_config: Any) -> Any:
        def _factory(app: Any) -> Middleware:
            return cls(app, **local_config)
        return _factory

    def __init__(self, application: Any) -> None:
        self.application = application

    def process_request(self, req: Request) -> Any:
        return None

    def process_response(self, response: Any) -> Any:
        return response

    @webob.dec.wsgify(RequestClass=Request)
    def __call__(self, req: Request) -> Any:
        response = self.process_request(req)
        if response:
            return response
        response = req.get_response(self.application)
        return self.process_response(response)


class Router:
    """Dispatches to the app a ``routes.Mapper`` matched as ``controller``.

    An unmatched path raises 404 (an HTTP exception the API's fault
    boundary turns into a fault body).
    """

    def __init__(self, mapper: routes.Mapper) -> None:
        self.map = mapper
        self._router = routes.middleware.RoutesMiddleware(self._dispatch,
                                                          self.map)

    @webob.dec.wsgify(RequestClass=Request)
    def __call__(self, req: Request) -> Any:
        return self._router

    @staticmethod
    @webob.dec.wsgify(RequestClass=Request)
    def _dispatch(req: Request) -> Any:
        match = req.environ["wsgiorg.routing_args"][1]
        if not match:
            raise webob.exc.HTTPNotFound()
        return match["controller"]


class EnvironInjector:
    """Puts the service's collaborators into each request's environ, and
    records each request in flight (``tracker``, for the drain) and in
    the metrics (by the route template the router put in the environ)."""

    def __init__(self, app: Any, values: dict, name: str = "api",
                 tracker: inflight.Tracker | None = None) -> None:
        self.app = app
        self.values = values
        self.name = name
        self.tracker = (tracker if tracker is not None
                        else inflight.Tracker())

    def __call__(self, environ: dict, start_response: Any) -> Any:
        environ.update(self.values)
        token = self.tracker.start("api", _RouteKey(environ))
        counter = metrics.get()
        if not counter.enabled:
            try:
                return self.app(environ, start_response)
            finally:
                self.tracker.finish(token)
        status = ["500"]

        def _start_response(line: str, headers: list,
                            exc_info: Any = None) -> Any:
            status[0] = line[:3]
            return start_response(line, headers, exc_info)

        in_flight = counter.child(counter.api_in_flight, self.name)
        in_flight.inc()
        started = time.monotonic()
        try:
            return self.app(environ, _start_response)
        finally:
            self.tracker.finish(token)
            in_flight.dec()
            method = environ["REQUEST_METHOD"]
            counter.api_request(
                self.name, environ.get("minova.route", "unmatched"),
                method if method in _METHODS else "other", status[0],
                time.monotonic() - started)


# The methods counted by name; any other (a client may send anything) is
# "other", so that the metrics' labels stay a bounded set.
_METHODS = frozenset(("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE",
                      "OPTIONS"))


class _RouteKey:
    """An API request's key in the tracker: its method and route template
    once the router matched it, else its path."""

    __slots__ = ("environ",)

    def __init__(self, environ: dict) -> None:
        self.environ = environ

    def __str__(self) -> str:
        return "%s %s" % (self.environ.get("REQUEST_METHOD"),
                          self.environ.get("minova.route")
                          or self.environ.get("PATH_INFO"))
