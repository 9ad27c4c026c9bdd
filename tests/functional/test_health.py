"""Health: the API's GET /healthcheck, an RPC service's health port, the
consumer watchdog and ``minova-manage service health``, on real services
in this process over real HTTP."""

from __future__ import annotations

import socket

import pytest
import requests

from minova import metrics
from minova import service
from minova.api import deps as api_deps
from minova.cmd import manage
from tests import identity_fixtures
from tests.compute_fixtures import start_compute
from tests.fixtures import start_api
from tests.utils import free_port
from tests.utils import wait_for


@pytest.fixture
def fast(conf):
    """Checks that give up quickly: a stopped service is found in a
    fraction of a second."""
    conf.set_override("ping_timeout", 0.5, group="health")
    return conf


def _outside_address():
    """This machine's address on a non-loopback interface, if any."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        try:
            sock.connect(("192.0.2.1", 9))
            address = sock.getsockname()[0]
        except OSError:
            return None
    return None if address.startswith("127.") else address


def _api_on_every_address(conf, transport, db, launched):
    """The compute API on 0.0.0.0 (start_api listens on loopback only)."""
    conf.set_override("osapi_compute_listen", "0.0.0.0")
    conf.set_override("osapi_compute_listen_port", 0)
    server = service.WSGIService(
        conf, transport, "osapi_compute", db=db,
        app_environ=api_deps.build(conf, transport, db).environ())
    server.start()
    launched.append(server)
    return server


def _stop_consumer(server):
    """Make ``server`` deaf: its RPC server stops consuming, the service
    runs on (its heartbeat goes through the conductor)."""
    server.rpcserver.stop()
    server.rpcserver.wait()


def _get_json(url, **kwargs):
    return requests.get(url, headers={"Accept": "application/json",
                                      **kwargs.pop("headers", {})},
                        timeout=30, **kwargs)


def _reasons(response):
    return [reason["reason"] if isinstance(reason, dict) else reason
            for reason in response.json()["reasons"]]


def test_api_healthcheck_ok_with_every_check(fast, api, scheduler):
    response = requests.get(api.base_url + "/healthcheck", timeout=30)
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"].startswith("text/plain")
    # From loopback: the details of each of minova's checks.
    body = _get_json(api.base_url + "/healthcheck").json()
    assert body["detailed"] is True
    details = " ".join(reason["details"] for reason in body["reasons"])
    for what in ("database: SELECT 1", "broker:", "conductor: queue conductor",
                 "scheduler: queue scheduler", "heartbeat:"):
        assert what in details
    head = requests.head(api.base_url + "/healthcheck", timeout=30)
    assert head.status_code == 204


def test_api_healthcheck_503_names_the_conductor_that_stopped(
        fast, api, scheduler, conductor):
    _stop_consumer(conductor)
    response = requests.get(api.base_url + "/healthcheck", timeout=30)
    assert response.status_code == 503
    assert "conductor did not answer a ping" in response.text
    body = _get_json(api.base_url + "/healthcheck").json()
    failed = [reason for reason in body["reasons"]
              if reason["reason"] != "OK"]
    assert [reason["reason"] for reason in failed] == [
        "conductor did not answer a ping"]
    assert "queue conductor" in failed[0]["details"]


def test_api_healthcheck_503_when_the_scheduler_is_gone(fast, api,
                                                        conductor):
    response = requests.get(api.base_url + "/healthcheck", timeout=30)
    assert response.status_code == 503
    assert "scheduler did not answer a ping" in response.text


def test_details_only_for_admins_when_not_on_loopback(
        fast, conf, transport, db, conductor, scheduler, launched):
    address = _outside_address()
    if address is None:
        pytest.skip("no non-loopback address on this machine")
    server = _api_on_every_address(conf, transport, db, launched)
    url = "http://%s:%d/healthcheck" % (address, server.port)
    plain = _get_json(url)
    assert plain.status_code == 200
    assert plain.json() == {"detailed": False, "reasons": ["OK"] * 5}
    member = _get_json(url, headers={"X-Auth-Token": "demo:demo"})
    assert member.json()["detailed"] is False
    bogus = _get_json(url, headers={"X-Auth-Token": ""})
    assert bogus.json()["detailed"] is False
    admin = _get_json(url, headers={"X-Auth-Token": "admin:admin"})
    assert admin.status_code == 200
    assert admin.json()["detailed"] is True


def test_details_stay_hidden_on_failure_for_outsiders(
        fast, conf, transport, db, conductor, launched):
    address = _outside_address()
    if address is None:
        pytest.skip("no non-loopback address on this machine")
    server = _api_on_every_address(conf, transport, db, launched)
    response = _get_json("http://%s:%d/healthcheck" % (address,
                                                       server.port))
    assert response.status_code == 503
    assert "scheduler did not answer a ping" in response.json()["reasons"]
    assert "queue scheduler" not in response.text


def test_disable_by_file_takes_the_api_out(fast, api, scheduler, tmp_path):
    flag = tmp_path / "maintenance"
    # Read when the app is built, at the first request.
    fast.set_override("disable_by_file_path", str(flag),
                      group="healthcheck")
    assert requests.get(api.base_url + "/healthcheck",
                        timeout=30).status_code == 200
    flag.write_text("")
    response = requests.get(api.base_url + "/healthcheck", timeout=30)
    assert response.status_code == 503
    assert "DISABLED BY FILE" in response.text


def test_stale_heartbeat_makes_the_api_unhealthy(fast, conf, transport, db,
                                                 conductor, scheduler,
                                                 launched):
    # One heartbeat at start, then none for a long time.
    conf.set_override("report_interval", 3600)
    conf.set_override("service_down_time", 1)
    server = start_api(conf, transport, db, launched)
    url = "http://127.0.0.1:%d/healthcheck" % server.port

    def unhealthy():
        response = requests.get(url, timeout=30)
        # The text: a 503 Response is falsy.
        return response.text if response.status_code == 503 else None
    text = wait_for(unhealthy, timeout=10, what="a stale heartbeat")
    assert "heartbeat too old" in text


def test_heartbeat_stays_fresh_past_service_down_time(fast, transport,
                                                     scheduler, launched):
    """Reports after the first are casts, which bring no row back: the
    check reads the service's own record of them."""
    fast.set_override("report_interval", 1)
    fast.set_override("service_down_time", 3)
    fast.set_override("listen", "127.0.0.1", group="health")
    fast.set_override("listen_port", 0, group="health")
    compute = start_compute(fast, transport, launched)
    first = compute.last_reported
    wait_for(lambda: (compute.last_reported - first).total_seconds() > 4,
             timeout=30, what="heartbeats past service_down_time")
    url = "http://127.0.0.1:%d/healthcheck" % compute.health_port.port
    response = _get_json(url)
    assert response.status_code == 200, response.text


@pytest.fixture
def health_port(fast):
    fast.set_override("listen", "127.0.0.1", group="health")
    fast.set_override("listen_port", 0, group="health")
    return fast


def test_compute_health_port(health_port, transport, scheduler, launched):
    compute = start_compute(health_port, transport, launched)
    base = "http://127.0.0.1:%d" % compute.health_port.port
    response = _get_json(base + "/healthcheck")
    assert response.status_code == 200, response.text
    details = " ".join(reason["details"]
                       for reason in response.json()["reasons"])
    assert "own RPC consumer: queue compute.compute1 answered" in details
    assert "conductor: queue conductor answered" in details
    assert "database" not in details  # the compute has none
    assert requests.get(base + "/healthcheck/live",
                        timeout=30).status_code == 200
    assert requests.get(base + "/nothing", timeout=30).status_code == 404

    _stop_consumer(compute)
    ready = requests.get(base + "/healthcheck", timeout=30)
    assert ready.status_code == 503
    assert "own RPC consumer did not answer a ping" in ready.text
    live = requests.get(base + "/healthcheck/live", timeout=30)
    assert live.status_code == 503


def test_health_port_serves_the_services_metrics(health_port, transport,
                                                 scheduler, launched):
    """What Prometheus scrapes from an RPC service: its RPC handling, and
    the consumer watchdog's rebuilds."""
    metrics.setup(health_port)
    try:
        health_port.set_override("self_ping_interval", 0.2, group="health")
        health_port.set_override("self_ping_misses", 2, group="health")
        compute = start_compute(health_port, transport, launched)
        _stop_consumer(compute)
        wait_for(lambda: compute.watchdog.consumer_rebuilds == 1,
                 timeout=15, what="the watchdog to rebuild the RPC server")
        response = requests.get(
            "http://127.0.0.1:%d/metrics" % compute.health_port.port,
            timeout=30)
        assert response.status_code == 200
        assert ('minova_rpc_consumer_rebuilds_total{binary="minova-compute",'
                'host="compute1"} 1.0') in response.text
        assert ('minova_rpc_handled_total{method="ping",outcome="ok",'
                'topic="compute"}') in response.text
    finally:
        metrics.teardown()


def test_conductor_health_port_checks_its_database(health_port, transport,
                                                   conductor):
    base = "http://127.0.0.1:%d" % conductor.health_port.port
    response = _get_json(base + "/healthcheck")
    assert response.status_code == 200, response.text
    details = " ".join(reason["details"]
                       for reason in response.json()["reasons"])
    assert "database: SELECT 1 answered" in details
    assert "own RPC consumer: queue conductor.test-host answered" in details


def test_an_unknown_backend_is_a_503_not_a_pass(conf, transport, db,
                                               launched):
    """A misspelt check would leave oslo.middleware with fewer checks,
    or none, and a /healthcheck that always says healthy."""
    conf.set_override("backends", ["minova_databse"], group="healthcheck")
    server = start_api(conf, transport, db, launched)
    response = requests.get("http://127.0.0.1:%d/healthcheck" % server.port,
                            timeout=30)
    assert response.status_code == 503
    assert "minova_databse" in response.text


def test_health_port_is_off_by_default(conductor):
    assert conductor.health_port is None


def test_watchdog_rebuilds_a_deaf_consumer(fast, transport, scheduler,
                                           launched):
    fast.set_override("self_ping_interval", 0.2, group="health")
    fast.set_override("self_ping_misses", 2, group="health")
    compute = start_compute(fast, transport, launched)
    assert compute.watchdog.consumer_rebuilds == 0
    deaf = compute.rpcserver
    _stop_consumer(compute)
    wait_for(lambda: compute.watchdog.consumer_rebuilds == 1, timeout=15,
             what="the watchdog to rebuild the RPC server")
    assert compute.rpcserver is not deaf
    assert compute.watchdog.answers()


def test_watchdog_does_not_count_pings_a_busy_pool_could_not_answer(
        fast, transport, scheduler, launched):
    fast.set_override("self_ping_misses", 1, group="health")
    compute = start_compute(fast, transport, launched)
    fast.set_override("executor_thread_pool_size", 2)
    _stop_consumer(compute)
    busy = [compute.manager.inflight.start("rpc", "build_and_run_instance")
            for _ in range(2)]
    compute.watchdog.check_once()
    assert compute.watchdog.consumer_rebuilds == 0
    for token in busy:
        compute.manager.inflight.finish(token)
    compute.watchdog.check_once()
    assert compute.watchdog.consumer_rebuilds == 1


def test_watchdog_leaves_a_healthy_consumer_alone(fast, transport,
                                                  scheduler, launched):
    fast.set_override("self_ping_interval", 0.1, group="health")
    fast.set_override("self_ping_misses", 1, group="health")
    compute = start_compute(fast, transport, launched)
    server = compute.rpcserver
    for _ in range(3):
        compute.watchdog.check_once()
    assert compute.watchdog.consumer_rebuilds == 0
    assert compute.rpcserver is server


def test_manage_service_health(fast, transport, api, scheduler, launched,
                               capsys):
    compute = start_compute(fast, transport, launched)
    assert manage.service_health(fast, transport=transport) == 0
    out = capsys.readouterr().out
    lines = {line.split()[1]: line for line in out.splitlines()[1:]}
    assert set(lines) == {"minova-conductor", "minova-scheduler",
                          "minova-compute", "minova-osapi_compute"}
    for binary in ("minova-conductor", "minova-scheduler", "minova-compute"):
        assert " up " in lines[binary] and "answered" in lines[binary]
        assert " ms" in lines[binary]
    assert "answered" not in lines["minova-osapi_compute"]

    _stop_consumer(compute)
    assert manage.service_health(fast, transport=transport) == 1
    captured = capsys.readouterr()
    compute_line = [line for line in captured.out.splitlines()
                    if "minova-compute" in line][0]
    assert "NO ANSWER" in compute_line and "deaf" in compute_line
    assert "did not answer a ping" in captured.err


def test_details_for_an_admin_token_of_the_identity_api(
        fast, conf, transport, db, conductor, scheduler, launched):
    address = _outside_address()
    if address is None:
        pytest.skip("no non-loopback address on this machine")
    cloud = identity_fixtures.start_identity_cloud(conf, transport, db,
                                                   launched)
    server = _api_on_every_address(conf, transport, db, launched)
    url = "http://%s:%d/healthcheck" % (address, server.port)
    admin = _get_json(url, headers={"X-Auth-Token": cloud.admin()})
    assert admin.status_code == 200
    assert admin.json()["detailed"] is True
    for token in (cloud.demo(), "not-a-token", "admin:admin"):
        # A member, a token that does not validate, a noauth2 token on an
        # API that is not on loopback only: a plain answer, not a 401.
        response = _get_json(url, headers={"X-Auth-Token": token})
        assert response.status_code == 200
        assert response.json()["detailed"] is False


def test_broker_unreachable_is_a_503(fast, api, scheduler):
    assert requests.get(api.base_url + "/healthcheck",
                        timeout=30).status_code == 200
    # The checks probe the broker of transport_url: one nobody listens on.
    fast.set_override("transport_url",
                      "rabbit://guest:guest@127.0.0.1:%d/" % free_port())
    response = _get_json(api.base_url + "/healthcheck")
    assert response.status_code == 503
    [failed] = [reason for reason in response.json()["reasons"]
                if reason["reason"] != "OK"]
    assert failed["reason"] == "broker unreachable"
    assert "127.0.0.1" in failed["details"]
