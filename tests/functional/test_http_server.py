"""The HTTP server layer (minova.wsgi_protocol) through real sockets.

Each test sends exact bytes to a real minova.wsgi.Server running the real
compute (or metadata) API from api-paste.ini and reads what comes back:
client mistakes are 4xx Nova faults with a request id, ambiguous framing
closes the connection, and no kind of idle or slow connection keeps a
normal request from being answered.
"""

from __future__ import annotations

import http.client
import json
import logging
import re
import resource
import socket
import time

import eventlet
import pytest

from tests import fixtures
from tests import utils

REQUEST_ID = re.compile(r"req-[0-9a-f-]{36}")


@pytest.fixture
def start(conf, transport, db, launched):
    """Start an API (after the test's conf overrides); return its port."""
    def _start(name="osapi_compute", **wsgi_overrides):
        for option, value in wsgi_overrides.items():
            conf.set_override(option, value, group="wsgi")
        return fixtures.start_api(conf, transport, db, launched,
                                  name=name).port
    return _start


def _connect(port):
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    sock.settimeout(10)
    return sock


def _response(sock, method="GET"):
    response = http.client.HTTPResponse(sock, method=method)
    response.begin()
    return response, response.read()


def _closed(sock, within=5.0):
    """Whether the server closes ``sock`` within ``within`` seconds
    (reading and dropping anything it sends first)."""
    sock.settimeout(within)
    deadline = time.monotonic() + within
    try:
        while time.monotonic() < deadline:
            if not sock.recv(65536):
                return True
    except TimeoutError:
        return False
    except ConnectionResetError:
        return True
    return False


def _exchange(port, data):
    """Send ``data`` on a new connection; the answer, and whether the
    server closed the connection after it."""
    sock = _connect(port)
    try:
        sock.sendall(data)
        response, body = _response(sock)
        return response, body, _closed(sock)
    finally:
        sock.close()


def _assert_fault(response, body, code, fault_type):
    assert response.status == code, body
    assert response.getheader("Content-Type").startswith("application/json")
    assert REQUEST_ID.fullmatch(
        response.getheader("x-openstack-request-id") or "")
    # Nova's name for it too, on the compute API's faults.
    assert response.getheader("X-Compute-Request-Id") == \
        response.getheader("x-openstack-request-id")
    fault = json.loads(body)
    assert list(fault) == [fault_type]
    assert fault[fault_type]["code"] == code
    assert fault[fault_type]["message"]
    return fault[fault_type]["message"]


_HEAD = b"PUT /v2.1/os-services/disable HTTP/1.1\r\nHost: x\r\n"

# (bytes sent, status, fault type, a word of the message)
_MISTAKES = {
    "bad chunk size": (
        _HEAD + b"Transfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n",
        400, "badRequest", "chunked"),
    "GET *": (b"GET * HTTP/1.1\r\nHost: x\r\n\r\n",
              400, "badRequest", "OPTIONS"),
    "OPTIONS *": (b"OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n",
                  404, "itemNotFound", "OPTIONS"),
    "absolute target": (b"GET http://x/ HTTP/1.1\r\nHost: x\r\n\r\n",
                        400, "badRequest", "path"),
    "duplicate Content-Length": (
        _HEAD + b"Content-Length: 2\r\nContent-Length: 14\r\n\r\n{}",
        400, "badRequest", "Content-Length"),
    "signed Content-Length": (
        _HEAD + b"Content-Length: +14\r\n\r\n{\"a\": \"bcdef\"}",
        400, "badRequest", "Content-Length"),
    "negative Content-Length": (
        _HEAD + b"Content-Length: -1\r\n\r\n", 400, "badRequest",
        "Content-Length"),
    "Content-Length with chunked": (
        _HEAD + b"Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"2\r\n{}\r\n0\r\n\r\n", 400, "badRequest", "Transfer-Encoding"),
    "Transfer-Encoding not chunked": (
        _HEAD + b"Transfer-Encoding: gzip, chunked\r\n\r\n"
        b"2\r\n{}\r\n0\r\n\r\n", 400, "badRequest", "Transfer-Encoding"),
    "malformed header line": (
        _HEAD + b"Content-Length : 2\r\n\r\n{}", 400, "badRequest",
        "header"),
    "bad request line": (b"GARBAGE\r\n\r\n", 400, "badRequest",
                         "request"),
    "bad HTTP version": (b"GET / HTTP/x.y\r\nHost: x\r\n\r\n",
                         400, "badRequest", "version"),
    "HTTP/2 on HTTP/1": (b"GET / HTTP/2.0\r\nHost: x\r\n\r\n",
                         400, "badRequest", "version"),
    "no HTTP version": (b"GET /\r\n\r\n", 400, "badRequest", "version"),
    "URL too long": (b"GET /" + b"a" * 9000 + b" HTTP/1.1\r\n\r\n",
                     414, "computeFault", "longer"),
    "header line too long": (
        b"GET / HTTP/1.1\r\nX-Big: " + b"b" * 20000 + b"\r\n\r\n",
        431, "computeFault", "longer"),
    "too many headers": (
        b"GET / HTTP/1.1\r\n" + b"X-A: b\r\n" * 101 + b"\r\n",
        431, "computeFault", "headers"),
    "Content-Length over the API's limit": (
        _HEAD + b"Content-Length: 999999999\r\n\r\n", 413, "overLimit",
        "larger"),
}


@pytest.mark.parametrize("case", list(_MISTAKES))
def test_client_mistake_is_a_4xx_fault_and_closes(start, case):
    data, code, fault_type, word = _MISTAKES[case]
    response, body, closed = _exchange(start(), data)
    message = _assert_fault(response, body, code, fault_type)
    assert word.lower() in message.lower()
    assert closed, "the connection stayed open after %s" % case


@pytest.mark.parametrize("data,prefix", [
    (_HEAD + b"Content-Length: +" + b"9" * 500 + b"\r\n\r\n", "+999"),
    (b"GET /" + b"a" * 5000 + b" x HTTP/1.1\r\n\r\n", "aaaa"),
    (b"GET /" + b"a" * 5000 + b" HTTP/9.x\r\n\r\n", "version"),
    (b"GET " + b"a" * 5000 + b" HTTP/1.1\r\n\r\n", "aaaa"),
])
def test_messages_quote_only_a_prefix_of_a_bad_value(start, data, prefix):
    response, body, _closed_ = _exchange(start(), data)
    message = _assert_fault(response, body, 400, "badRequest")
    assert len(message) < 200
    assert prefix in message


def test_the_metadata_port_answers_faults_too(start):
    response, body, closed = _exchange(
        start("metadata"), b"GET * HTTP/1.1\r\nHost: x\r\n\r\n")
    _assert_fault(response, body, 400, "badRequest")
    assert closed


def test_good_requests_still_work_and_keep_the_connection(start):
    port = start()
    sock = _connect(port)
    try:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        response, body = _response(sock)
        assert response.status == 200
        assert "versions" in json.loads(body)
        # The same connection: a chunked body reaches the API.
        sock.sendall(b"PUT /v2.1/os-services/disable-log-reason HTTP/1.1\r\n"
                     b"Host: x\r\nX-Auth-Token: admin:admin\r\n"
                     b"Content-Type: application/json\r\n"
                     b"Transfer-Encoding: chunked\r\n\r\n"
                     b"3\r\n{no\r\n4\r\nt js\r\n3\r\non}\r\n0\r\n\r\n")
        response, body = _response(sock)
        message = _assert_fault(response, body, 400, "badRequest")
        assert "Malformed request body" in message
    finally:
        sock.close()


def test_expect_100_continue_is_answered_before_the_body(start):
    """As curl sends bodies over 1 KiB: the body is read up front, so
    the client must be told to send it."""
    sock = _connect(start())
    try:
        sock.sendall(b"PUT /v2.1/os-services/disable HTTP/1.1\r\nHost: x\r\n"
                     b"X-Auth-Token: admin:admin\r\n"
                     b"Content-Type: application/json\r\n"
                     b"Expect: 100-continue\r\nContent-Length: 5\r\n\r\n")
        assert sock.recv(100).startswith(b"HTTP/1.1 100 Continue\r\n")
        sock.sendall(b"{nope")
        response, body = _response(sock)
        assert "Malformed request body" in _assert_fault(
            response, body, 400, "badRequest")
    finally:
        sock.close()


# Timeouts -------------------------------------------------------------------

def test_an_incomplete_request_head_is_closed_after_header_timeout(start):
    port = start(header_timeout=0.5)
    sock = _connect(port)
    try:
        began = time.monotonic()
        # A byte at a time keeps every read short; the deadline is for
        # the whole head.
        for byte in b"GET / HTTP/1.1\r\nHo":
            try:
                sock.send(bytes([byte]))
            except OSError:
                break
            eventlet.sleep(0.05)
        assert _closed(sock, within=3)
        assert time.monotonic() - began < 3
    finally:
        sock.close()


def test_a_connection_that_sends_nothing_is_closed(start):
    sock = _connect(start(header_timeout=0.3))
    try:
        assert _closed(sock, within=3)
    finally:
        sock.close()


def test_an_incomplete_body_is_408_after_body_timeout(start):
    port = start(body_timeout=0.5)
    sock = _connect(port)
    try:
        sock.sendall(_HEAD + b"Content-Length: 100\r\n\r\n{\"a\":")
        response, body = _response(sock)
        message = _assert_fault(response, body, 408, "computeFault")
        assert "0.5" in message
        assert _closed(sock, within=3)
    finally:
        sock.close()


def test_idle_keep_alive_is_closed_after_keep_alive_timeout(start):
    sock = _connect(start(keep_alive_timeout=0.3))
    try:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        response, _body = _response(sock)
        assert response.status == 200
        assert not response.will_close
        assert _closed(sock, within=3)
    finally:
        sock.close()


def test_when_connections_run_out_the_longest_idle_one_makes_room(start):
    port = start(max_connections=2, keep_alive_timeout=60)
    kept = []
    try:
        for _ in range(2):
            sock = _connect(port)
            sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            assert _response(sock)[0].status == 200
            kept.append(sock)
        began = time.monotonic()
        response, _body, _closed_ = _exchange(
            port, b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        assert response.status == 200
        assert time.monotonic() - began < 2
        assert _closed(kept[0], within=3), "the oldest idle one stays"
    finally:
        for sock in kept:
            sock.close()


@pytest.mark.slow
def test_2000_idle_or_half_sent_connections_do_not_starve_requests(
        start, launched):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard < 9000:
        pytest.skip("needs 9000 open files, the limit is %d" % hard)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    # Timeouts far beyond the test: opening 4,000 connections on a loaded
    # machine may take longer than the defaults, which would then close
    # the first ones before the last are open.
    long = {"header_timeout": 600, "body_timeout": 600,
            "keep_alive_timeout": 600}
    ports = [start("osapi_compute", **long), start("metadata", **long)]
    idle = []
    try:
        for port in ports:
            for index in range(2000):
                sock = socket.create_connection(("127.0.0.1", port),
                                                timeout=10)
                if index % 3 == 1:  # half a request head
                    sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
                elif index % 3 == 2:  # a head and half a body
                    sock.sendall(_HEAD + b"Content-Length: 10\r\n\r\n{")
                idle.append(sock)
        # Every connection has reached its server.
        for service in launched:
            utils.wait_for(lambda s=service: s.server._pool.running() >= 2000,
                           timeout=60, what="2,000 connections accepted")
        for port in ports:
            began = time.monotonic()
            response, _body, _closed_ = _exchange(
                port, b"GET / HTTP/1.1\r\nHost: x\r\n"
                      b"Connection: close\r\n\r\n")
            assert response.status == 200
            assert time.monotonic() - began < 1.0
    finally:
        for sock in idle:
            sock.close()
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


# Logs -----------------------------------------------------------------------

def test_client_gone_mid_body_is_one_info_line(start, launched, caplog):
    caplog.set_level(logging.INFO)
    port = start()
    sock = _connect(port)
    sock.sendall(_HEAD + b"Content-Length: 100\r\n\r\n{\"a\":")
    sock.close()
    # Its connection's thread has finished: it logs nothing more.
    pool = launched[-1].server._pool
    utils.wait_for(lambda: "went away" in caplog.text
                   and pool.running() == 0, timeout=5,
                   what="the connection to be done")
    gone = [r for r in caplog.records if "went away" in r.getMessage()]
    assert len(gone) == 1
    assert gone[0].levelno == logging.INFO
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert "Traceback" not in caplog.text
