"""A whole minova cloud as separate processes: conductor, scheduler, three
computes on different hosts and a two-worker API, on RabbitMQ and a real
database. Boots over HTTP, and the faults an operator meets: a compute or
the conductor stopping, the broker dropping every connection."""

from __future__ import annotations

import collections
import signal
import time

import pytest
import requests

from minova import baserpc
from minova import context as minova_context
from minova import rpc
from tests import backends
from tests.integration import harness
from tests.utils import wait_for

pytestmark = pytest.mark.integration

CONTROLLER = "controller"
COMPUTES = ("compute1", "compute2", "compute3")
HOST_ATTR = "OS-EXT-SRV-ATTR:host"


def expected_services() -> set[tuple[str, str]]:
    return ({("minova-conductor", CONTROLLER),
             ("minova-scheduler", CONTROLLER),
             ("minova-osapi_compute", CONTROLLER)}
            | {("minova-compute", host) for host in COMPUTES})


def start_cloud(deploy: harness.Deployment) -> dict[str, harness.Process]:
    processes = {"conductor": deploy.start("conductor", CONTROLLER),
                 "scheduler": deploy.start("scheduler", CONTROLLER)}
    for host in COMPUTES:
        processes[host] = deploy.start("compute", host)
    processes["api"] = deploy.start("api", CONTROLLER)
    wait_for(lambda: deploy.all_up(expected_services()), timeout=90,
             interval=0.5, what="every service reported up")
    wait_for(lambda: len(deploy.get("/v2.1/os-hypervisors").json()
                         ["hypervisors"]) == len(COMPUTES),
             timeout=30, interval=0.5, what="three compute nodes")
    # The tests boot more servers than the default quota allows.
    response = requests.put(
        deploy.api_url + "/v2.1/os-quota-sets/admin", headers=harness.ADMIN,
        json={"quota_set": {"instances": -1, "cores": -1, "ram": -1}},
        timeout=10)
    assert response.status_code == 200, response.text
    return processes


def boot(deploy: harness.Deployment, name: str) -> str:
    response = deploy.post("/v2.1/servers", {"server": {
        "name": name, "flavorRef": "1", "imageRef": harness.IMAGE}})
    assert response.status_code == 202, response.text
    return response.json()["server"]["id"]


def servers(deploy: harness.Deployment) -> dict[str, dict]:
    response = deploy.get("/v2.1/servers/detail?limit=1000")
    assert response.status_code == 200, response.text
    return {server["id"]: server for server in response.json()["servers"]}


def wait_active(deploy: harness.Deployment, ids: list[str],
                timeout: float = 60) -> dict[str, dict]:
    def all_active() -> dict[str, dict] | None:
        found = servers(deploy)
        states = [found[server_id]["status"] for server_id in ids]
        assert "ERROR" not in states, [found[i] for i in ids]
        return found if states == ["ACTIVE"] * len(ids) else None
    return wait_for(all_active, timeout=timeout, interval=0.25,
                    what="%d servers ACTIVE" % len(ids))


def heartbeats_advance(deploy: harness.Deployment, keys: set,
                       timeout: float) -> None:
    before = deploy.report_counts()
    wait_for(lambda: all(deploy.report_counts().get(key, 0)
                         >= before.get(key, 0) + 2 for key in keys),
             timeout=timeout, interval=0.5,
             what="two new heartbeats of every service")


def test_boots_spread_and_a_stopped_compute_is_skipped(deployment):
    processes = start_cloud(deployment)
    ids = [boot(deployment, "vm-%d" % i) for i in range(20)]
    found = wait_active(deployment, ids)
    per_host = collections.Counter(found[i][HOST_ATTR] for i in ids)
    assert set(per_host) == set(COMPUTES), per_host
    # The weighers spread by free RAM and vCPUs: no host is left nearly
    # empty.
    assert min(per_host.values()) >= 4, per_host

    processes["compute3"].signal(signal.SIGTERM)
    assert processes["compute3"].wait(timeout=30) == 0
    wait_for(lambda: deployment.services()[("minova-compute",
                                            "compute3")]["state"] == "down",
             timeout=harness.SERVICE_DOWN_TIME + 10, interval=0.5,
             what="compute3 reported down")
    more = [boot(deployment, "after-%d" % i) for i in range(6)]
    found = wait_active(deployment, more)
    assert {found[i][HOST_ATTR] for i in more} <= {"compute1", "compute2"}


def test_conductor_down_then_back(deployment):
    processes = start_cloud(deployment)
    conductor = processes.pop("conductor")
    conductor.signal(signal.SIGTERM)
    assert conductor.wait(timeout=30) == 0
    for host in COMPUTES:
        wait_for(lambda host=host: "Lost connection to the conductor"
                 in processes[host].log(),
                 timeout=harness.RPC_RESPONSE_TIMEOUT + 10, interval=0.5,
                 what="%s warning that the conductor is gone" % host)
    # The API needs no conductor to read, and queues a boot for it.
    assert deployment.get("/v2.1/servers").status_code == 200
    started = time.monotonic()
    waiting = boot(deployment, "waits-for-conductor")
    assert time.monotonic() - started < harness.RPC_RESPONSE_TIMEOUT
    assert servers(deployment)[waiting]["status"] == "BUILD"

    deployment.start("conductor", CONTROLLER)
    wait_active(deployment, [waiting])
    for host in COMPUTES:
        wait_for(lambda host=host: "Recovered the connection to the "
                 "conductor" in processes[host].log(), timeout=30,
                 interval=0.5, what="%s to report again" % host)
    heartbeats_advance(deployment, expected_services(), timeout=20)


def ping_conductor(conf, url: str, timeout: float) -> tuple[str, float]:
    """One call from outside the cloud: its outcome and how long it took."""
    transport = rpc.get_transport(conf, url=url)
    api = baserpc.BaseAPI(conf, transport, topic="conductor")
    started = time.monotonic()
    try:
        api.ping(minova_context.get_admin_context(), "hi", timeout=timeout)
        outcome = "answered"
    except rpc.messaging.MessagingTimeout as exc:
        outcome = "timeout: %s" % exc
    finally:
        elapsed = time.monotonic() - started
        transport.cleanup()
    return outcome, elapsed


def test_services_recover_when_the_broker_drops_every_connection(
        deployment, conf):
    start_cloud(deployment)
    backends.close_rabbit_connections(deployment.transport_url)
    # A call right after the drop: answered or a clear timeout, in time.
    outcome, elapsed = ping_conductor(conf, deployment.transport_url, 3)
    assert elapsed < 3 + 1, outcome
    # Within 30 s every service heartbeats again (computes through the
    # conductor, so over the broker).
    heartbeats_advance(deployment, expected_services(), timeout=30)
    assert ping_conductor(conf, deployment.transport_url, 10)[0] \
        == "answered"
    wait_active(deployment, [boot(deployment, "after-reconnect")])


def test_broker_outage_fails_fast_and_recovers(deployment, conf):
    """The broker unreachable (connections dropped, new ones refused)
    for a few seconds, played by a proxy in front of it."""
    proxy = harness.BrokerProxy()
    try:
        deployment.transport_url = proxy.url(deployment.transport_url)
        deployment.write_config()
        processes = start_cloud(deployment)
        proxy.cut()
        outcome, elapsed = ping_conductor(conf, deployment.transport_url, 3)
        assert outcome.startswith("timeout"), outcome
        assert elapsed < 3 + 1
        # A boot cannot be handed to the conductor: a 503 fault, in time.
        started = time.monotonic()
        response = deployment.post(
            "/v2.1/servers", {"server": {"name": "in-outage",
                                         "flavorRef": "1",
                                         "imageRef": harness.IMAGE}},
            timeout=harness.RPC_RESPONSE_TIMEOUT + 10)
        assert time.monotonic() - started < \
            harness.RPC_RESPONSE_TIMEOUT + 2
        assert response.status_code == 503, response.text
        assert response.json()["serviceUnavailable"]["code"] == 503
        unreachable = "AMQP server on 127.0.0.1:%d is unreachable" % (
            proxy.port)
        wait_for(lambda: all(unreachable in processes[host].log()
                             for host in COMPUTES),
                 timeout=30, interval=0.5,
                 what="every compute to notice the outage")
        proxy.restore()
        heartbeats_advance(deployment, expected_services(), timeout=30)
        wait_active(deployment, [boot(deployment, "after-outage")])
        # The failed request created nothing: no server lingers in BUILD.
        assert "in-outage" not in [server["name"] for server
                                   in servers(deployment).values()]
    finally:
        proxy.close()
