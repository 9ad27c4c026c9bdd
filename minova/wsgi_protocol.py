"""eventlet.wsgi's HTTP/1.1 protocol with limits and Nova fault answers.

eventlet.wsgi (mandated, see docs/architecture.md) answers client
mistakes it finds itself with empty or HTML bodies or a 500, accepts
ambiguous framing (two Content-Length headers, ``+14``), waits up to
``client_socket_timeout`` for a request head or body that never
completes, and gives each connection a thread of a pool that idle
connections can fill. No library does this part for eventlet.wsgi, so
``HttpProtocol`` below, passed as ``protocol=`` to
``eventlet.wsgi.server``, overrides the few hooks eventlet has:

- ``_read_request_line``: the keep-alive wait and the request head's
  deadline start here (eventlet has no public hook for either);
- ``parse_request``: the request head is checked before any app runs;
- ``handle_one_response``: the body is read, within its deadline, before
  the request takes one of ``default_pool_size`` app slots;
- ``send_error``: every answer eventlet or the stdlib would give as HTML
  is a Nova fault with a request id, and closes the connection.

Timeouts (``[wsgi] header_timeout``, ``body_timeout``,
``keep_alive_timeout``) and connection limits (``max_connections``,
``default_pool_size``) are in docs/deploy.md.
"""

from __future__ import annotations

import dataclasses
import errno
import io
import logging
import re
import socket
import ssl
from collections.abc import Callable
from typing import Any

import eventlet
import eventlet.semaphore
import eventlet.wsgi
from eventlet import greenio
from oslo_context import context as oslo_context

LOG = logging.getLogger(__name__)

_CONTENT_LENGTH = re.compile(r"[0-9]{1,18}")
# The one request whose body is not read into memory first: an image's
# data (the image API's PUT .../v2/images/<id>/file, under /image or on
# its own port), of any size, which the handler streams to disk as it
# arrives. Each read of it is held to the socket timeout rather than
# the whole body to body_timeout.
_STREAMED_UPLOAD = re.compile(r"^(/[^?]*)?/v2/images/[^/?]+/file(\?.*)?$")


def streamed_upload(method: str, path: str) -> bool:
    return method == "PUT" and bool(_STREAMED_UPLOAD.match(path))
# How much of a bad value a message quotes.
_QUOTE = 40


class HeadTimeout(socket.timeout):
    """No complete request head within header_timeout.

    A socket.timeout, so that eventlet's own handling of timeouts (close
    quietly) applies wherever it surfaces.
    """


class _BodyTimeout(Exception):
    pass


class ConnectionPool(eventlet.GreenPool):
    """The connections' green threads, at most ``size`` of them.

    When all are taken, a new connection gets the slot of the one idle
    longest between requests (kept alive, waiting for its next request),
    which is closed.
    """

    def __init__(self, size: int) -> None:
        super().__init__(size)
        # Sockets idle between requests, oldest first (dicts keep order).
        self.idle: dict[Any, None] = {}

    def spawn(self, function: Any, *args: Any, **kwargs: Any) -> Any:
        if not self.free():
            self.shed_idle()
        return super().spawn(function, *args, **kwargs)

    def shed_idle(self) -> None:
        """Close the connection idle the longest, if any is."""
        for sock in self.idle:
            del self.idle[sock]
            # Wakes its thread's read with end of file: it closes.
            greenio.shutdown_safe(sock)
            return


class AppSlots:
    """How many requests run the app at once: ``default_pool_size``."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._semaphore = eventlet.semaphore.Semaphore(size)

    def __enter__(self) -> None:
        self._semaphore.acquire()

    def __exit__(self, *exc_info: Any) -> None:
        self._semaphore.release()

    def resize(self, size: int) -> None:
        delta, self.size = size - self.size, size
        if delta > 0:
            for _ in range(delta):
                self._semaphore.release()  # wakes a waiter each
        else:
            # Requests in flight finish; new ones wait until the count
            # is back above zero.
            self._semaphore.counter += delta


@dataclasses.dataclass
class Limits:
    """What a server's connections are held to (``[wsgi]`` options)."""

    pool: ConnectionPool
    app_slots: AppSlots
    header_timeout: float
    body_timeout: float
    keep_alive_timeout: float
    # Read per request: the API's limit may change on SIGHUP.
    max_body: Callable[[], int]


def protocol_for(limits: Limits) -> type[HttpProtocol]:
    """The protocol class for one server (eventlet takes a class)."""
    return type("HttpProtocol", (HttpProtocol,), {"limits": limits})


class HttpProtocol(eventlet.wsgi.HttpProtocol):
    limits: Limits
    _requests = 0
    _head_timer: eventlet.Timeout | None = None

    # Reading the request head ------------------------------------------

    def _read_request_line(self) -> Any:
        if self._requests and not self._wait_for_next_request():
            return ""
        self._head_timer = eventlet.Timeout(
            self.limits.header_timeout,
            HeadTimeout("no complete request head within %s s"
                        % self.limits.header_timeout))
        line = super()._read_request_line()
        if len(line) >= self.server.url_length_limit:
            self._cancel_head_timer()
            self.send_error(414, "The request line is longer than %d "
                            "bytes." % (self.server.url_length_limit - 1))
            return ""
        return line

    def _wait_for_next_request(self) -> bool:
        """Wait up to keep_alive_timeout for the next request to start;
        give the connection up at once if others wait for one."""
        pool = self.limits.pool
        if pool.waiting():
            return False
        sock = self.connection
        pool.idle[sock] = None
        sock.settimeout(self.limits.keep_alive_timeout)
        try:
            return bool(self.rfile.peek(1))
        # The timeout, the client gone, or (ValueError) a TLS connection
        # shut down by the server's stop.
        except (OSError, ValueError):
            return False
        finally:
            pool.idle.pop(sock, None)
            sock.settimeout(self.server.socket_timeout)

    def handle_one_request(self) -> None:
        try:
            super().handle_one_request()
        finally:
            self._cancel_head_timer()

    def _cancel_head_timer(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def handle(self) -> None:
        try:
            super().handle()
        except HeadTimeout as exc:
            LOG.info("Closed the connection of %s: %s.",
                     self.client_address[0], exc)
        except ssl.SSLError as exc:
            # Plain HTTP or a scanner on the HTTPS port: eventlet's hub
            # would print a traceback for each.
            LOG.info("TLS with %s failed: %s", self.client_address[0],
                     exc.reason or exc)

    def parse_request(self) -> bool:
        try:
            if not super().parse_request():
                return False
        except eventlet.wsgi.HeaderLineTooLong:
            self.send_error(431, "A request header line is longer than "
                            "%d bytes." % (eventlet.wsgi.MAX_HEADER_LINE - 1))
            return False
        except eventlet.wsgi.HeadersTooLarge:
            self.send_error(431, "The request headers are larger than %d "
                            "bytes." % eventlet.wsgi.MAX_TOTAL_HEADER_SIZE)
            return False
        finally:
            self._cancel_head_timer()
        problem = self._head_problem()
        if problem:
            self.send_error(*problem)
            return False
        return True

    def _head_problem(self) -> tuple[int, str] | None:
        """What is wrong with a parsed request head, as (status, message)."""
        if self.request_version == "HTTP/0.9":
            return 400, "The request line has no HTTP version."
        if self.path == "*":
            if self.command == "OPTIONS":
                return 404, "There are no server-wide OPTIONS."
            return 400, "'*' is a request target for OPTIONS only."
        if not self.path.startswith("/"):
            return 400, ("The request target must be a path starting "
                         "with '/', not %s." % _quote(self.path))
        if self.headers.defects:
            return 400, "A request header line is malformed."
        return self._framing_problem()

    def _framing_problem(self) -> tuple[int, str] | None:
        """Refuse a body length anyone could read two ways (RFC 9112
        6.3): one proxy's body end is another's next request."""
        lengths = self.headers.get_all("Content-Length") or []
        encodings = self.headers.get_all("Transfer-Encoding") or []
        if len(lengths) > 1:
            return 400, "The request has more than one Content-Length."
        if lengths and not _CONTENT_LENGTH.fullmatch(lengths[0]):
            return 400, ("Content-Length must be a number of bytes, not "
                         "%s." % _quote(lengths[0]))
        if encodings and lengths:
            return 400, ("The request has both Content-Length and "
                         "Transfer-Encoding.")
        if encodings and (len(encodings) > 1
                          or self.request_version != "HTTP/1.1"
                          or encodings[0].strip().lower() != "chunked"):
            return 400, ("Transfer-Encoding must be 'chunked' alone, on "
                         "HTTP/1.1, not %s." % _quote(", ".join(encodings)))
        if lengths and int(lengths[0]) > self.limits.max_body() and \
                not streamed_upload(self.command, self.path):
            return 413, ("The request body is larger than %d bytes."
                         % self.limits.max_body())
        return None

    # Reading the body, running the app ---------------------------------

    def handle_one_response(self) -> None:
        self._requests += 1
        if self._read_body():
            with self.limits.app_slots:
                super().handle_one_response()

    def _read_body(self) -> bool:
        """Read the whole body within body_timeout into memory.

        A slow body then holds only its connection's thread, not an app
        slot, and every way a body can fail is answered here rather than
        in the middle of the app.
        """
        body = self.environ["eventlet.input"]
        if not body.chunked_input and not body.content_length:
            return True
        if streamed_upload(self.command, self.path):
            return True
        limit = self.limits.max_body()
        try:
            with eventlet.Timeout(self.limits.body_timeout, _BodyTimeout):
                data = body.read(limit + 1)
        except _BodyTimeout:
            self.send_error(408, "The request body was not complete "
                            "within %s s." % self.limits.body_timeout)
            return False
        except eventlet.wsgi.ChunkReadError as exc:
            if str(exc).endswith(": b''"):
                return self._went_away()
            self.send_error(400, "The chunked request body is malformed.")
            return False
        except OSError:
            return self._went_away()
        if len(data) > limit:
            self.send_error(413, "The request body is larger than %d "
                            "bytes." % limit)
            return False
        if not body.chunked_input and len(data) < body.content_length:
            return self._went_away()
        self.environ["wsgi.input"] = io.BytesIO(data)
        return True

    def _went_away(self) -> bool:
        self.close_connection = True
        LOG.info("Client %s went away before sending the whole body of "
                 "%s %s.", self.client_address[0], self.command,
                 _quote(self.path))
        return False

    # Answering errors ----------------------------------------------------

    def send_error(self, code: int, message: str | None = None,
                   explain: str | None = None) -> None:
        """Answer a Nova fault with a request id, and close.

        The stdlib answers HTML here; its one 5xx (an HTTP version
        minova does not speak) is the client's mistake, so a 400.
        """
        if code >= 500:
            code = 400
        self.close_connection = True
        request_id = oslo_context.generate_request_id()
        # The stdlib's messages quote the whole request line.
        message = _shorten(message or "Bad request.")
        LOG.info("Rejected a request from %s: %d %s (request %s)",
                 self.client_address[0], code, message, request_id)
        try:
            with_body = getattr(self, "command", None) != "HEAD"
            self.wfile.write(_fault(code, message, request_id, with_body))
            self.wfile.flush()
        except OSError:
            pass  # the client is gone: nothing to tell it


def _shorten(message: str) -> str:
    if len(message) > _QUOTE * 3:
        return message[:_QUOTE * 3] + "..."
    return message


def _quote(value: str) -> str:
    if len(value) > _QUOTE:
        return repr(value[:_QUOTE]) + "..."
    return repr(value)


def _fault(code: int, message: str, request_id: str,
           with_body: bool) -> bytes:
    # Imported here: faults imports minova.wsgi, which imports this.
    from minova.api.openstack import faults

    # The compute API's X-Compute-Request-Id too: this layer does not
    # know which API the socket serves, and the header is harmless on the
    # metadata API's rare refusals.
    response = faults.fault_response(
        code, message, {"x-openstack-request-id": request_id,
                        "X-Compute-Request-Id": request_id,
                        "Connection": "close"})
    head = "".join(["HTTP/1.1 %s\r\n" % response.status]
                   + ["%s: %s\r\n" % header
                      for header in response.headerlist]
                   + ["\r\n"])
    return head.encode("latin-1") + (response.body if with_body else b"")


class Listener:
    """The listening socket as eventlet's accept loop sees it.

    That loop ends for good on an accept error it does not know, such as
    running out of file descriptors; this waits for one instead, closing
    the longest-idle connection to free one.
    """

    _LIMITS = (errno.EMFILE, errno.ENFILE)

    def __init__(self, sock: Any, pool: ConnectionPool, name: str) -> None:
        self._sock = sock
        self._pool = pool
        self._name = name

    def accept(self) -> Any:
        warned = False
        while True:
            try:
                return self._sock.accept()
            except OSError as exc:
                if exc.errno not in self._LIMITS:
                    raise
                if not warned:
                    LOG.warning(
                        "%s cannot accept a connection: %s. Raise the "
                        "open files limit (ulimit -n, LimitNOFILE=) or "
                        "lower [wsgi] max_connections.", self._name,
                        exc.strerror)
                    warned = True
                self._pool.shed_idle()
                eventlet.sleep(0.1)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._sock, name)
