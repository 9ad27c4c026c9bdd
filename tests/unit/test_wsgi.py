"""minova.wsgi: the paste Loader and the eventlet Server."""

from __future__ import annotations

import datetime
import errno
import logging
import os
import resource
import socket
import subprocess
import sys

import eventlet
import pytest
import requests
import urllib3
import webob
import webob.dec
from oslo_config import cfg

from minova import conf as minova_conf
from minova import exception
from minova import wsgi
from minova import wsgi_protocol
from tests import utils

SOURCE_PASTE = os.path.join(os.path.dirname(os.path.dirname(
    os.path.dirname(os.path.abspath(__file__)))), "api-paste.ini")

_PASTE = """
[app:hello]
paste.app_factory = tests.unit.test_wsgi:hello_factory
"""


def hello_factory(global_config, **local_config):
    return _hello


@webob.dec.wsgify
def _hello(req):
    # The server side of the connection, to check its socket options.
    sock = req.environ["eventlet.input"]._sock
    keepalive = sock.getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE)
    return webob.Response(text="hello keepalive=%d" % bool(keepalive))


def _conf(*args):
    """A private ConfigOpts: the code under test takes whatever it gets."""
    conf = cfg.ConfigOpts()
    minova_conf.register_opts(conf)
    conf(list(args), project="minova", default_config_files=[])
    return conf


# Loader -------------------------------------------------------------------

def test_loader_finds_the_paste_file_next_to_the_config_file(tmp_path):
    config_file = tmp_path / "minova.conf"
    config_file.write_text("[DEFAULT]\n")
    paste = tmp_path / "api-paste.ini"
    paste.write_text(_PASTE)
    loader = wsgi.Loader(_conf("--config-file", str(config_file)))
    assert loader.config_path == str(paste)
    assert loader.load_app("hello") is _hello


def test_loader_falls_back_to_an_installed_or_source_copy(tmp_path):
    loader = wsgi.Loader(_conf())
    installed = os.path.join(sys.prefix, "etc", "minova", "api-paste.ini")
    assert loader.config_path in (installed, "/etc/minova/api-paste.ini",
                                  SOURCE_PASTE)
    # The real file has the real apps.
    assert callable(loader.load_app("metadata"))


def test_loader_takes_an_absolute_path(tmp_path):
    paste = tmp_path / "elsewhere.ini"
    paste.write_text(_PASTE)
    conf = _conf()
    conf.set_override("api_paste_config", str(paste), group="wsgi")
    assert wsgi.Loader(conf).config_path == str(paste)
    assert wsgi.Loader(_conf(), str(paste)).config_path == str(paste)


@pytest.mark.parametrize("name", ["no-such-paste.ini",
                                  "/nowhere/api-paste.ini"])
def test_missing_paste_file_names_it(name):
    conf = _conf()
    conf.set_override("api_paste_config", name, group="wsgi")
    with pytest.raises(exception.ConfigNotFound) as info:
        wsgi.Loader(conf)
    assert name in str(info.value)


def test_missing_app_names_app_and_path(tmp_path):
    paste = tmp_path / "api-paste.ini"
    paste.write_text(_PASTE)
    loader = wsgi.Loader(_conf(), str(paste))
    with pytest.raises(exception.PasteAppNotFound) as info:
        loader.load_app("osapi_compute")
    assert "'osapi_compute'" in str(info.value)
    assert str(paste) in str(info.value)


# Server -------------------------------------------------------------------

@pytest.fixture
def servers():
    started = []
    yield started
    for server in started:
        server.stop()
        server.wait()


def _serve(servers, conf=None, app=_hello, port=0, **kwargs):
    server = wsgi.Server(conf or _conf(), "hello", app, host="127.0.0.1",
                         port=port, **kwargs)
    servers.append(server)
    server.start()
    return server


def test_port_zero_reports_the_real_port_and_serves(servers):
    server = _serve(servers)
    assert server.port > 0
    assert server.host == "127.0.0.1"
    response = requests.get("http://127.0.0.1:%d/" % server.port,
                            timeout=10)
    assert response.status_code == 200
    assert response.text == "hello keepalive=1"


def test_listening_socket_is_prepared_for_keepalive(servers):
    server = _serve(servers)
    sock = server._prepare_socket()
    try:
        assert sock.getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE)
        assert sock.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR)
        if hasattr(socket, "TCP_KEEPIDLE"):
            assert sock.getsockopt(socket.IPPROTO_TCP,
                                   socket.TCP_KEEPIDLE) == 600
    finally:
        sock.close()


def test_listening_on_a_used_port_is_a_clear_error(servers):
    server = _serve(servers)
    with pytest.raises(exception.MinovaException) as info:
        wsgi.Server(_conf(), "second", _hello, host="127.0.0.1",
                    port=server.port)
    assert "second could not listen on 127.0.0.1:%d" % server.port \
        in str(info.value)


def test_an_address_another_server_listens_on_is_refused(servers):
    """Without SO_REUSEPORT a second minova on the address fails at once
    instead of taking half of the first one's connections."""
    port = utils.free_port()
    _serve(servers, port=port)
    with pytest.raises(exception.MinovaException) as info:
        wsgi.Server(_conf(), "second", _hello, host="127.0.0.1", port=port)
    assert "second could not listen on 127.0.0.1:%d" % port \
        in str(info.value)


def test_reuse_port_lets_servers_share_an_address(servers):
    conf = _conf()
    conf.set_override("reuse_port", True, group="wsgi")
    port = utils.free_port()
    _serve(servers, conf, port=port)
    second = _serve(servers, conf, port=port)
    assert second.port == port


def test_pool_size_bounds_requests_in_the_app_not_connections(servers):
    running, release = [], eventlet.Event()

    @webob.dec.wsgify
    def slow(req):
        running.append(req.path)
        release.wait()
        return webob.Response(text="done")

    server = _serve(servers, app=slow, pool_size=1)
    url = "http://127.0.0.1:%d" % server.port
    # Idle connections take no app slot...
    idle = [socket.create_connection(("127.0.0.1", server.port))
            for _ in range(5)]
    try:
        first = eventlet.spawn(requests.get, url + "/first", timeout=10)
        utils.wait_for(lambda: running == ["/first"], what="first request")
        # ...but a request in the app does: the second one waits for it.
        second = eventlet.spawn(requests.get, url + "/second", timeout=10)
        utils.wait_for(lambda: server._app_slots._semaphore.balance < 0,
                       what="the second request to wait for a slot")
        assert running == ["/first"]
        release.send()
        assert first.wait().text == "done"
        assert second.wait().text == "done"
        assert running == ["/first", "/second"]
    finally:
        for sock in idle:
            sock.close()


def test_reset_resizes_the_app_slots(servers):
    conf = _conf()
    server = _serve(servers, conf)
    conf.set_override("default_pool_size", 7, group="wsgi")
    server.reset()
    assert server._app_slots.size == 7
    conf.set_override("default_pool_size", 2, group="wsgi")
    server.reset()
    assert server._app_slots.size == 2
    url = "http://127.0.0.1:%d/" % server.port
    assert requests.get(url, timeout=10).status_code == 200


def test_max_connections_over_the_open_files_limit_is_a_warning(
        servers, caplog):
    conf = _conf()
    soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    conf.set_override("max_connections", soft, group="wsgi")
    _serve(servers, conf)
    [warning] = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert "max_connections (%d)" % soft in warning.getMessage()
    assert "LimitNOFILE" in warning.getMessage()


def test_accept_waits_out_running_out_of_file_descriptors(caplog):
    """eventlet's accept loop would end for good on EMFILE."""
    class _Socket:
        errors = [OSError(errno.EMFILE, "Too many open files")] * 3

        def accept(self):
            if self.errors:
                raise self.errors.pop()
            return "connection", "address"

    pool = wsgi_protocol.ConnectionPool(10)
    idle = socket.socketpair()
    pool.idle[idle[0]] = None
    try:
        listener = wsgi_protocol.Listener(_Socket(), pool, "hello")
        assert listener.accept() == ("connection", "address")
        # The longest idle connection was closed to free a descriptor.
        assert idle[1].recv(1) == b""
    finally:
        for sock in idle:
            sock.close()
    [warning] = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert "hello cannot accept a connection" in warning.getMessage()


def _refused(port):
    try:
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
    except ConnectionRefusedError:
        return True
    return False


def test_stop_refuses_new_connections(servers):
    server = _serve(servers)
    url = "http://127.0.0.1:%d/" % server.port
    assert requests.get(url, timeout=10).status_code == 200
    servers.remove(server)
    server.stop()
    server.wait()
    assert _refused(server.port)


def test_stop_right_after_start_refuses_new_connections(servers):
    """Stopped before the accept loop ever ran (a signal during start)."""
    server = _serve(servers)
    servers.remove(server)
    server.stop()
    server.wait()
    assert _refused(server.port)


def test_stop_lets_requests_in_flight_finish(servers):
    started, release = eventlet.Event(), eventlet.Event()

    @webob.dec.wsgify
    def slow(req):
        started.send()
        release.wait()
        return webob.Response(text="finished")

    server = _serve(servers, app=slow)
    url = "http://127.0.0.1:%d/" % server.port
    in_flight = eventlet.spawn(requests.get, url, timeout=10)
    started.wait()
    servers.remove(server)
    server.stop()
    assert _refused(server.port)
    waiter = eventlet.spawn(server.wait)
    eventlet.sleep(0.05)
    assert not waiter.dead, "wait() returned with a request in flight"
    release.send()
    response = in_flight.wait()
    assert (response.status_code, response.text) == (200, "finished")
    waiter.wait()


def _self_signed(tmp_path):
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    try:
        _self_signed_cryptography(cert, key)
    except ImportError:
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
             "-keyout", str(key), "-out", str(cert), "-days", "1",
             "-subj", "/CN=127.0.0.1"], check=True, capture_output=True)
    return str(cert), str(key)


def _self_signed_cryptography(cert_path, key_path):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=1))
            .not_valid_after(now + datetime.timedelta(days=1))
            .sign(key, hashes.SHA256()))
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))


def test_serves_https_with_a_certificate(servers, tmp_path):
    cert, key = _self_signed(tmp_path)
    conf = _conf()
    conf.set_override("ssl_cert_file", cert, group="wsgi")
    conf.set_override("ssl_key_file", key, group="wsgi")
    server = _serve(servers, conf)
    urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)
    response = requests.get("https://127.0.0.1:%d/" % server.port,
                            verify=False, timeout=10)
    assert response.status_code == 200
    assert response.text.startswith("hello")
    # Plain HTTP to the TLS port gets no answer.
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.get("http://127.0.0.1:%d/" % server.port, timeout=10)


def test_plain_http_to_the_tls_port_is_one_info_line(servers, tmp_path,
                                                     caplog, capfd):
    caplog.set_level(logging.INFO)
    cert, key = _self_signed(tmp_path)
    conf = _conf()
    conf.set_override("ssl_cert_file", cert, group="wsgi")
    conf.set_override("ssl_key_file", key, group="wsgi")
    server = _serve(servers, conf)
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.get("http://127.0.0.1:%d/" % server.port, timeout=10)
    utils.wait_for(lambda: "TLS with 127.0.0.1 failed" in caplog.text
                   and server._pool.running() == 0,
                   what="the connection to be done")
    assert "Traceback" not in capfd.readouterr().err
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_missing_certificate_is_a_clear_error(tmp_path):
    conf = _conf()
    missing = str(tmp_path / "missing.pem")
    conf.set_override("ssl_cert_file", missing, group="wsgi")
    conf.set_override("ssl_key_file", missing, group="wsgi")
    server = wsgi.Server(conf, "hello", _hello, host="127.0.0.1", port=0)
    try:
        with pytest.raises(exception.ConfigNotFound) as info:
            server.start()
        assert missing in str(info.value)
    finally:
        server.stop()
